import { spreadsheetCell } from '../../findings/spreadsheetSafe.js';

export { truncationMarker } from '../../findings/spreadsheetSafe.js';

/**
 * Text as written to any cell: characters a cell cannot hold replaced, cut to `maxChars` with a
 * marker when longer — never silently — and neutralised against formula evaluation last
 * (spreadsheetCell, shared with findings.csv).
 */
export function cellText(value: string, maxChars: number): string {
  return spreadsheetCell(value, maxChars);
}
