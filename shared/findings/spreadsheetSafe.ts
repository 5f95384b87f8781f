const FORMULA_START = /^[\s]*[=+\-@\t\r]/;

/**
 * Neutralises a text cell so that spreadsheet programs show it as text and never evaluate it: a
 * value starting with =, +, -, @, a tab or a carriage return (after any spaces) gets a leading
 * apostrophe.
 */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
