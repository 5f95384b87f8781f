const FORBIDDEN = /[[\]:*?/\\]/g;
export const MAX_SHEET_NAME = 31;

/**
 * A valid, unused sheet name from `base`: forbidden characters (`[]:*?/\`) become '-', no leading or
 * trailing apostrophe, at most 31 characters; ` (n)` is appended (cutting the base) for part n > 1
 * and until the name is not taken (compared ignoring case, as Excel does).
 */
export function sheetName(base: string, part: number, taken: ReadonlySet<string>): string {
  const clean =
    base
      .replace(FORBIDDEN, '-')
      .replace(/^'+|'+$/g, '')
      .trim() || 'Sheet';
  for (let n = part; ; n++) {
    const suffix = n > 1 ? ` (${n})` : '';
    const name = `${clean.slice(0, MAX_SHEET_NAME - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}
