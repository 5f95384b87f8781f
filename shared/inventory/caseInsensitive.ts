/**
 * Case-insensitive reads of Azure property bags. Resource Graph returns extension properties in
 * PascalCase where ARM returns camelCase, and AKS add-on keys occur in several casings, so every
 * property read in the domain goes through these helpers.
 */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value under `key`, matching the key exactly first and then ignoring case. */
export function getCi(source: unknown, key: string): unknown {
  if (!isJsonObject(source)) return undefined;
  if (Object.hasOwn(source, key)) return source[key];
  const wanted = key.toLowerCase();
  for (const candidate of Object.keys(source)) {
    if (candidate.toLowerCase() === wanted) return source[candidate];
  }
  return undefined;
}

/**
 * The values of every key of `source` that matches `key` ignoring case, when there are several and
 * they differ (compared as JSON); undefined otherwise. A row that gives one property twice in
 * different letter case with different values (`rotationPollIntervalInSeconds` and
 * `ROTATIONPOLLINTERVALINSECONDS`) is ambiguous: which one Azure meant cannot be known, so a reader
 * that must not guess checks this before it trusts {@link getCi}.
 */
export function conflictingValues(source: unknown, key: string): unknown[] | undefined {
  if (!isJsonObject(source)) return undefined;
  const wanted = key.toLowerCase();
  const values = Object.keys(source)
    .filter((candidate) => candidate.toLowerCase() === wanted)
    .map((candidate) => source[candidate]);
  if (values.length < 2) return undefined;
  const first = JSON.stringify(values[0]);
  return values.some((value) => JSON.stringify(value) !== first) ? values : undefined;
}

/** Follows a path of keys (each matched ignoring case); keys may themselves contain dots. */
export function getPathCi(source: unknown, path: readonly string[]): unknown {
  let current: unknown = source;
  for (const key of path) {
    current = getCi(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

/** A string property, or undefined when absent or not a string. */
export function getStringCi(source: unknown, path: readonly string[]): string | undefined {
  const value = getPathCi(source, path);
  return typeof value === 'string' ? value : undefined;
}

/** Case-insensitive equality of two enum-like strings; non-strings never match. */
export function equalsCi(value: unknown, expected: string): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === expected.toLowerCase();
}

/**
 * Reads a boolean that Azure may return as a JSON boolean or as a string ("true", "True").
 * Returns undefined for anything else, so callers can tell "false" from "unreadable".
 */
export function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  return undefined;
}
