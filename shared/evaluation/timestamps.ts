/**
 * Strict reading of the ISO-8601 time stamps Azure returns. A time stamp must carry a zone (`Z` or
 * an offset such as `+02:00`): one without is ambiguous, and reading it in the host's zone would
 * make a verdict depend on where the scan runs. Calendar fields are checked (no 30 February).
 */

export type TimestampReading =
  | { ok: true; date: Date }
  | { ok: false; problem: 'not-a-string' | 'not-a-timestamp' | 'no-zone' | 'impossible-date' };

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function readTimestamp(value: unknown): TimestampReading {
  if (typeof value !== 'string') return { ok: false, problem: 'not-a-string' };
  const text = value.trim();
  if (text.length > 40) return { ok: false, problem: 'not-a-timestamp' };
  const match = TIMESTAMP.exec(text);
  if (!match) return { ok: false, problem: 'not-a-timestamp' };
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offH, offM] = match;
  if (zulu === undefined && sign === undefined) return { ok: false, problem: 'no-zone' };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  const offsetHours = Number(offH ?? 0);
  const offsetMinutes = Number(offM ?? 0);
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 14 &&
    offsetMinutes <= 59;
  if (!valid) return { ok: false, problem: 'impossible-date' };
  const millis = Math.floor(Number(`0.${fraction ?? '0'}`) * 1000);
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  return { ok: true, date: new Date(local.getTime() - offset) };
}

export const TIMESTAMP_PROBLEMS: Record<Exclude<TimestampReading, { ok: true }>['problem'], string> = {
  'not-a-string': 'is not a string',
  'not-a-timestamp': 'is not an ISO-8601 time stamp',
  'no-zone': 'has no time zone (Z or an offset such as +00:00), so the moment it names is unknown',
  'impossible-date': 'names a date or time that does not exist',
};

/**
 * How far after the scan's as-of time a time stamp may lie and still be read as collection lag (a
 * scan reads subscriptions over minutes to hours after it starts). Later than this is impossible.
 */
export const FUTURE_TOLERANCE_MS = 24 * 3_600_000;
