/** How a verdict's reason names a value it read: its JSON form, cut to a readable length. */

const MAX_SHOWN = 60;

/** `"7200"`, `5`, `null`, `{"a":1}`, `"19999…" (10000002 characters)`; `missing` when absent. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'missing';
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  if (json.length <= MAX_SHOWN) return json;
  const length =
    typeof value === 'string' ? `${value.length} characters` : `${json.length} characters of JSON`;
  return `${json.slice(0, MAX_SHOWN)}… (${length})`;
}

/** "the string "x"", "the number 5", "an array […]", "an object {…}", "null", "missing". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array ${showValue(value)}`;
  if (typeof value === 'object') return `an object ${showValue(value)}`;
  return `the ${typeof value} ${showValue(value)}`;
}

const MAX_OBSERVED = 1024;

/**
 * A value as stored in evidence: unchanged, except a string too long to read, which is cut and
 * marked with its length (an absurd value must not make every output that carries it huge).
 */
export function observedValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.length > MAX_OBSERVED) return showValue(value);
  return value;
}
