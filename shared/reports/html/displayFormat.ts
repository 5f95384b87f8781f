const counts = new Intl.NumberFormat('en-US');

/** `1,234`. */
export function formatCount(value: number): string {
  return counts.format(value);
}

/** A 0…1 score as `39.3%`; `n/a` when nothing counts. */
export function formatPercent(score: number | null): string {
  return score === null ? 'n/a' : `${(score * 100).toFixed(1)}%`;
}

/** `2026-11-20 06:00 UTC`; the input unchanged when it is not a time. */
export function formatUtc(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2026-11-20`. */
export function formatDay(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().slice(0, 10);
}
