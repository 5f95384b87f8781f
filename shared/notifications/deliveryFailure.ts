import { retryAfterMs } from '../collection/httpFailure.js';
import { OutboundBlockedError } from './outboundGuard.js';
import { redactUrl, redactUrlsIn } from './redaction.js';
import type { SafeResponse } from './safeHttpClient.js';
import { MissingSecretError } from '../config/secretSource.js';

/** One failed delivery attempt: whether another attempt may succeed, and when to make it. */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly statusCode?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

function snippet(response: SafeResponse): string {
  const text = response.body.replace(/\s+/g, ' ').trim();
  if (text === '') return '';
  return `: ${redactUrlsIn(text.length > 300 ? `${text.slice(0, 299)}…` : text)}`;
}

/**
 * The failure a non-2xx response means. A 3xx is never followed: it fails for good and names
 * where it pointed (without the query). 408, 425, 429 and 5xx are retried (with the server's
 * Retry-After when given); any other status fails for good.
 */
export function failureFromResponse(response: SafeResponse, what: string, now: number): DeliveryFailure {
  const { status } = response;
  if (status >= 300 && status < 400) {
    const location = response.headers.location;
    let target = 'nowhere';
    if (location) {
      try {
        target = redactUrl(new URL(location, response.url));
      } catch {
        target = '(an unparseable location)';
      }
    }
    return new DeliveryFailure(
      `${what}: ${response.url} answered ${status} redirecting to ${target}; redirects are not followed`,
      false,
      status,
    );
  }
  const retryable = RETRYABLE_STATUS.has(status) || status >= 500;
  const wait = retryAfterMs(
    {
      status,
      header: (name) => response.headers[name.toLowerCase()],
      code: undefined,
      message: '',
    },
    now,
  );
  return new DeliveryFailure(
    `${what}: ${response.url} answered ${status}${snippet(response)}`,
    retryable,
    status,
    retryable ? wait : undefined,
  );
}

/** Throws the matching failure unless the response is 2xx. */
export function expectSuccess(response: SafeResponse, what: string, now: number): SafeResponse {
  if (response.status < 200 || response.status >= 300) throw failureFromResponse(response, what, now);
  return response;
}

/** The JSON body of a 2xx response; a truncated or malformed body is a (retryable) failure. */
export function jsonBody<T>(response: SafeResponse, what: string): T {
  if (response.truncated)
    throw new DeliveryFailure(`${what}: the response of ${response.url} exceeded the size limit`, false);
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new DeliveryFailure(`${what}: ${response.url} did not answer JSON`, true, response.status);
  }
}

/** Anything thrown during a delivery, as a failure: blocked targets fail for good. */
export function toDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  if (error instanceof OutboundBlockedError) return new DeliveryFailure(error.message, false);
  if (error instanceof MissingSecretError) return new DeliveryFailure(error.message, true);
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryFailure(message.split('\n')[0] ?? message, true);
}
