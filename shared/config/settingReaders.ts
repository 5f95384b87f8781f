/**
 * The readers every settings loader uses. Each collects a problem (naming the key, quoting the bad
 * value) instead of stopping at the first, and returns the default for an unset or bad value.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** The one separator of list settings: commas, semicolons or white space. */
export const LIST_SEPARATOR = /[\s,;]+/;

/** Items of a list setting's text, trimmed, empty entries dropped. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** True for a whole number from `min` to `max`. */
export function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** The problem text of a value that is not a whole number in range. */
export function wholeNumberProblem(key: string, min: number, max: number, raw?: unknown): string {
  const got = raw === undefined ? '' : `, got ${typeof raw === 'string' ? `"${raw}"` : JSON.stringify(raw)}`;
  return `${key} must be a whole number from ${min} to ${max}${got}`;
}

/** The trimmed text of a setting; '' when unset. */
export function readText(env: Env, key: string): string {
  return env[key]?.trim() ?? '';
}

/** A whole number setting within bounds, or its default. */
export function readInteger(
  env: Env,
  key: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = readText(env, key);
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!isWholeNumberIn(value, min, max)) {
    problems.push(wholeNumberProblem(key, min, max, raw));
    return fallback;
  }
  return value;
}

/** A number setting (fractions allowed) within bounds, or its default. */
export function readNumber(
  env: Env,
  key: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = readText(env, key);
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    problems.push(`${key} must be a number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** `true`/`false` (any case, also 1/0, yes/no), or the default. */
export function readBoolean(env: Env, key: string, fallback: boolean, problems: string[]): boolean {
  const raw = readText(env, key).toLowerCase();
  if (raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  problems.push(`${key} must be true or false, got "${env[key]}"`);
  return fallback;
}

/** A list setting separated by `LIST_SEPARATOR`. */
export function readList(env: Env, key: string): string[] {
  return splitList(env[key]);
}

const UNIT_MS = { milliseconds: 1, seconds: 1000, minutes: 60_000 } as const;

/**
 * A duration given as a whole number of `unit` (the setting's name says which, e.g. `…_SECONDS`),
 * within bounds in that unit; returned in milliseconds.
 */
export function readDuration(
  env: Env,
  key: string,
  unit: keyof typeof UNIT_MS,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  return readInteger(env, key, fallback, min, max, problems) * UNIT_MS[unit];
}

export interface UrlRules {
  /** Allowed protocols (`'any'`: every one); default `https:` only. */
  protocols?: readonly string[] | 'any';
  /** Refuse a query string, a fragment and credentials in the URL. */
  plain?: boolean;
}

/** A URL setting (or `fallback` when unset); undefined, with a problem, when it breaks the rules. */
export function readUrl(
  env: Env,
  key: string,
  fallback: string | undefined,
  problems: string[],
  rules: UrlRules = {},
): URL | undefined {
  const raw = readText(env, key) || fallback;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${key} is not a URL: "${raw}"`);
    return undefined;
  }
  const protocols = rules.protocols ?? ['https:'];
  if (protocols !== 'any' && !protocols.includes(url.protocol)) {
    problems.push(`${key} must be an ${protocols.map((p) => p.slice(0, -1)).join(' or ')} URL, got "${raw}"`);
    return undefined;
  }
  if (rules.plain && (url.search || url.hash || url.username || url.password)) {
    problems.push(`${key} must not carry a query, fragment or credentials`);
    return undefined;
  }
  return url;
}
