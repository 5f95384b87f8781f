/**
 * Text from inventories (cluster names, reasons, observed values) placed into formats whose
 * strings are read as Markdown by their viewers: every ASCII punctuation character that Markdown
 * or inline HTML could act on is backslash-escaped, so the text is shown, never interpreted.
 */
export function markdownEscape(value: string): string {
  return value.replace(/[\\`*_{}[\]<>#!|~&]/g, (character) => `\\${character}`);
}

/** One line: whitespace runs (newlines included) become one space; undefined when nothing is left. */
export function singleLine(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const line = value.replace(/\s+/g, ' ').trim();
  return line === '' ? undefined : line;
}
