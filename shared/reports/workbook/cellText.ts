import { spreadsheetSafe } from '../../findings/spreadsheetSafe.js';

const numberFormat = new Intl.NumberFormat('en-US');

/** The visible end of a cut cell, saying how much was cut and where the whole value is. */
export function truncationMarker(originalLength: number): string {
  return ` … [TRUNCATED: ${numberFormat.format(originalLength)} characters; full value in findings.json]`;
}

/**
 * Text as written to any cell: neutralised against formula evaluation (spreadsheetSafe), then cut
 * to `maxChars` with a marker when longer — never silently.
 */
export function cellText(value: string, maxChars: number): string {
  const safe = spreadsheetSafe(value);
  if (safe.length <= maxChars) return safe;
  const marker = truncationMarker(safe.length);
  let keep = safe.slice(0, maxChars - marker.length);
  const last = keep.charCodeAt(keep.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep = keep.slice(0, -1);
  return keep + marker;
}
