import { retryAfterMs } from '../collection/httpFailure.js';
import { OutboundBlockedError } from './outboundGuard.js';
import { redactUrl } from './redaction.js';
import type { SafeResponse } from './safeHttpClient.js';
import { MissingSecretError } from '../config/secretSource.js';

/**
 * One failed delivery attempt: whether another attempt may succeed, and when to make it. The
 * receiver's answer travels apart from the message (`responseBody`, raw, bounded) so that it is
 * scrubbed of secrets whole before any excerpt is cut from it.
 */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly statusCode?: number,
    readonly retryAfterMs?: number,
    readonly responseBody?: string,
  ) {
    super(message);
  }
}

/**
 * How much of a receiver's answer is kept for scrubbing: far more than the stored excerpt, so
 * that a secret cut here lies beyond the excerpt's end.
 */
export const RESPONSE_BODY_KEPT = 16_384;

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

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
      `${what}: ${redactUrl(response.url)} answered ${status} redirecting to ${target}; redirects are not followed`,
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
  const body = response.body.trim();
  return new DeliveryFailure(
    `${what}: ${redactUrl(response.url)} answered ${status}`,
    retryable,
    status,
    retryable ? wait : undefined,
    body === '' ? undefined : body.slice(0, RESPONSE_BODY_KEPT),
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
    throw new DeliveryFailure(
      `${what}: the response of ${redactUrl(response.url)} exceeded the size limit`,
      false,
    );
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new DeliveryFailure(
      `${what}: ${redactUrl(response.url)} did not answer JSON`,
      true,
      response.status,
    );
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
