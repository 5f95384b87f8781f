/**
 * Table Storage limits, enforced here because Azurite does not enforce all of them: a string
 * property holds at most 32 K UTF-16 code units (64 KiB), an entity at most 252 custom properties
 * and 1 MiB (strings counted as UTF-16, two bytes per code unit).
 */
export const MAX_STRING_PROPERTY = 32_000;
export const MAX_PROPERTIES = 252;
/** Bytes an entity may use; below 1 MiB to leave room for names, keys and system properties. */
export const ENTITY_BUDGET_BYTES = 900 * 1024;

/**
 * Splits a long string over `name`, `name_1`, `name_2`, …; the count is in `name_parts`.
 * Returns undefined when it would not fit in `maxParts` properties.
 */
export function splitProperty(
  name: string,
  value: string,
  maxParts: number,
): Record<string, string | number> | undefined {
  const parts = Math.max(1, Math.ceil(value.length / MAX_STRING_PROPERTY));
  if (parts > maxParts) return undefined;
  const properties: Record<string, string | number> = { [`${name}_parts`]: parts };
  for (let i = 0; i < parts; i++) {
    properties[i === 0 ? name : `${name}_${i}`] = value.slice(
      i * MAX_STRING_PROPERTY,
      (i + 1) * MAX_STRING_PROPERTY,
    );
  }
  return properties;
}

/** Reassembles a string split by {@link splitProperty}. */
export function joinProperty(entity: Record<string, unknown>, name: string): string | undefined {
  const first = entity[name];
  if (typeof first !== 'string') return undefined;
  const parts = Number(entity[`${name}_parts`] ?? 1);
  let value = first;
  for (let i = 1; i < parts; i++) {
    const part = entity[`${name}_${i}`];
    if (typeof part !== 'string') throw new Error(`entity is missing part ${i} of ${name}`);
    value += part;
  }
  return value;
}

/** Size the Table service charges for an entity: UTF-16 strings, 8-byte numbers, names, keys. */
export function estimateEntityBytes(entity: Record<string, unknown>): number {
  let bytes = 4;
  for (const [key, value] of Object.entries(entity)) {
    bytes += 8 + key.length * 2;
    if (typeof value === 'string') bytes += 4 + value.length * 2;
    else if (value instanceof Date) bytes += 8;
    else if (typeof value === 'number') bytes += 8;
    else if (typeof value === 'boolean') bytes += 1;
    else if (value !== null && value !== undefined) bytes += 4 + JSON.stringify(value).length * 2;
  }
  return bytes;
}

/** Throws when an entity would break a Table Storage limit (a bug: callers split or offload first). */
export function assertEntityFits(entity: Record<string, unknown>): void {
  const names = Object.keys(entity).filter(
    (key) => !['partitionKey', 'rowKey', 'etag', 'timestamp'].includes(key),
  );
  if (names.length > MAX_PROPERTIES)
    throw new RangeError(`entity has ${names.length} properties (max ${MAX_PROPERTIES})`);
  for (const [key, value] of Object.entries(entity)) {
    if (typeof value === 'string' && value.length > MAX_STRING_PROPERTY) {
      throw new RangeError(`property ${key} has ${value.length} characters (max ${MAX_STRING_PROPERTY})`);
    }
  }
  const bytes = estimateEntityBytes(entity);
  if (bytes > 1024 * 1024) throw new RangeError(`entity is ${bytes} bytes (max 1 MiB)`);
}
