import { isRestError } from '@azure/core-rest-pipeline';

/** What the retry logic needs to know about a failed request, whatever raised it. */
export interface HttpFailure {
  status: number | undefined;
  header: (name: string) => string | undefined;
  code: string | undefined;
  message: string;
}

export function toHttpFailure(error: unknown): HttpFailure {
  if (isRestError(error)) {
    const headers = error.response?.headers;
    return {
      status: error.statusCode,
      header: (name) => headers?.get(name) ?? undefined,
      code: error.code,
      message: error.message.split('\n')[0] ?? error.message,
    };
  }
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const code = (error as { code?: unknown } | undefined)?.code;
  return {
    status: undefined,
    header: () => undefined,
    code: typeof code === 'string' ? code : undefined,
    message,
  };
}

/** hh:mm:ss (as in `x-ms-user-quota-resets-after`) → milliseconds. */
export function parseResetsAfter(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value.trim());
  if (!match) return undefined;
  return (Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])) * 1000;
}

/** The server's requested wait: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` (seconds or a date). */
export function retryAfterMs(failure: HttpFailure, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(failure.header(name));
    if (failure.header(name) !== undefined && Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = failure.header('retry-after');
  if (retryAfter === undefined) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
