import { utf8Bytes } from './textLimit.js';

/** A payload that fits its budget, serialised once. */
export interface FittedPayload<T> {
  payload: T;
  body: string;
  /** UTF-8 size of `body`. */
  bytes: number;
  /** 0 when the first (fullest) form fitted; otherwise how many forms were tried before it. */
  reduction: number;
}

/** Even the smallest form of a payload exceeds its budget (a defect, never sent). */
export class PayloadBudgetError extends Error {
  override readonly name = 'PayloadBudgetError';
}

/**
 * The first of `forms` (fullest first, each smaller than the one before) whose serialised form
 * is at most `budgetBytes` of UTF-8. The last form is expected always to fit; when even it does
 * not, this throws rather than send what the receiver would refuse.
 */
export function fitToBudget<T>(
  what: string,
  budgetBytes: number,
  forms: ReadonlyArray<() => T>,
  serialise: (payload: T) => string = (payload) => JSON.stringify(payload),
): FittedPayload<T> {
  let smallest = Infinity;
  for (const [reduction, build] of forms.entries()) {
    const payload = build();
    const body = serialise(payload);
    const bytes = utf8Bytes(body);
    if (bytes <= budgetBytes) return { payload, body, bytes, reduction };
    smallest = Math.min(smallest, bytes);
  }
  throw new PayloadBudgetError(
    `${what}: even the smallest form (${smallest} bytes) exceeds the ${budgetBytes}-byte budget`,
  );
}

/**
 * True when `value`'s JSON cannot fit `budgetBytes`: its strings (property names included) add up
 * to more UTF-16 units than the budget has bytes — each unit is at least one byte of UTF-8, and
 * JSON only adds. Stops as soon as the budget is passed, so a list of 10,000 findings is not
 * walked, copied and serialised whole just to learn that it is too large.
 */
export function surelyExceeds(value: unknown, budgetBytes: number): boolean {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') total += item.length;
    else if (Array.isArray(item)) for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
    else if (typeof item === 'object' && item !== null)
      for (const key of Object.keys(item)) {
        total += key.length;
        stack.push((item as Record<string, unknown>)[key]);
      }
    if (total > budgetBytes) return true;
  }
  return false;
}
