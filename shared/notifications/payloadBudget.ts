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
