const counts = new Intl.NumberFormat('en-US');

/** A value cut for display: the part kept and, when cut, how long the whole value was. */
export interface DisplayCut {
  kept: string;
  /** Characters (UTF-16 code units) of the whole value; undefined when nothing was cut. */
  cutFrom: number | undefined;
}

/** The first `maxChars` characters of `value`, never ending on the first half of a surrogate pair. */
export function cutForDisplay(value: string, maxChars: number): DisplayCut {
  if (value.length <= maxChars) return { kept: value, cutFrom: undefined };
  let kept = value.slice(0, Math.max(0, maxChars));
  const last = kept.charCodeAt(kept.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept = kept.slice(0, -1);
  return { kept, cutFrom: value.length };
}

/** What a cut value shows after the part kept. */
export function truncatedNote(length: number): string {
  return `… [truncated: ${counts.format(length)} characters; the full value is in findings.json and report.xlsx]`;
}
