/** The evaluation clock every behaviour test judges against. */
export const NOW = new Date('2026-06-15T12:00:00.000Z');

const DAY_MS = 86_400_000;

/** An ISO timestamp `days` (may be fractional) before {@link NOW}. */
export function daysBeforeNow(days: number): string {
  return new Date(NOW.getTime() - days * DAY_MS).toISOString();
}
