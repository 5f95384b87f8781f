/**
 * The only way queries are built: values are inserted as escaped KQL string literals, never
 * concatenated raw. Identifiers (tables, columns) come from constants, never from input.
 */

/** A KQL string literal: single-quoted, with backslashes, quotes and control characters escaped. */
export function kqlString(value: string): string {
  let escaped = '';
  for (const character of value) {
    const code = character.charCodeAt(0);
    if (character === '\\') escaped += '\\\\';
    else if (character === "'") escaped += "\\'";
    else if (character === '\n') escaped += '\\n';
    else if (character === '\r') escaped += '\\r';
    else if (character === '\t') escaped += '\\t';
    else if (code < 0x20) escaped += `\\u${code.toString(16).padStart(4, '0')}`;
    else escaped += character;
  }
  return `'${escaped}'`;
}

/** `('a', 'b')` for `in~`. */
export function kqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('a KQL list needs at least one value');
  return `(${values.map(kqlString).join(', ')})`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A table or column name from the code's own constants; throws for anything else. */
export function kqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`not a KQL identifier: ${JSON.stringify(name)}`);
  return name;
}
