import type { RetrySettings } from '../settings/liveSettings.js';
import type { CollectionStats } from './collectionStats.js';
import { parseResetsAfter, retryAfterMs, toHttpFailure, type HttpFailure } from './httpFailure.js';
import { sleep } from './sleep.js';

export interface RetryContext {
  retry: RetrySettings;
  stats: CollectionStats;
  /** Aborts when the run's deadline passes. */
  deadline: AbortSignal;
  requestTimeoutMs: number;
  random?: () => number;
  /** Milliseconds since some epoch; the clock the throttling limit is measured on. */
  now?: () => number;
}

/** A request that failed for good; `failure` says how. */
export class RequestFailedError extends Error {
  override readonly name = 'RequestFailedError';
  constructor(
    message: string,
    readonly failure: HttpFailure,
    readonly attempts: number,
  ) {
    super(message);
  }
}

/** The credential chain could not get a token: no read can succeed, so the scan stops. */
export class AzureAuthenticationError extends Error {
  override readonly name = 'AzureAuthenticationError';
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
]);

function credentialFailure(error: unknown): string | undefined {
  if (!(error instanceof Error) || !CREDENTIAL_ERRORS.has(error.name)) return undefined;
  return error.message.split('\n').slice(0, 3).join(' ');
}

/** The message of a request that failed for good; anything else is a bug and is rethrown. */
export function failureReason(error: unknown): string {
  if (error instanceof RequestFailedError) return error.message;
  throw error;
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
]);

function isRetryable(failure: HttpFailure): boolean {
  if (failure.status === undefined) return true;
  return (
    failure.status === 408 ||
    failure.status === 429 ||
    failure.status >= 500 ||
    RETRYABLE_CODES.has(failure.code ?? '')
  );
}

/** Exponential backoff with full jitter, capped. */
export function backoffDelay(attempt: number, retry: RetrySettings, random: () => number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Runs `operation` with a per-attempt timeout and retries what can succeed later.
 *
 * Throttling (429) is the service pacing a quota shared by every client of the identity, not a
 * failure: each 429 waits as told (`Retry-After`, `retry-after-ms`, `x-ms-retry-after-ms`, else the
 * quota's `x-ms-user-quota-resets-after`, else exponential backoff) and is retried without counting
 * against `maxAttempts`, for as long as the request has been trying for less than
 * `throttledMaxMs` (a wait that would end past that limit gives up at once). 408, 5xx, resets and
 * timeouts are retried with bounded exponential backoff and jitter, at most `maxAttempts` times.
 * Non-retryable failures (e.g. 403, 404) are thrown at once; nothing waits past the run's deadline.
 */
export async function withRetry<T>(
  context: RetryContext,
  operation: (signal: AbortSignal) => Promise<T>,
  describe: string,
): Promise<T> {
  const random = context.random ?? Math.random;
  const now = context.now ?? Date.now;
  const firstAttemptAt = now();
  let failures = 0;
  let throttles = 0;
  for (let attempt = 0; ; attempt++) {
    if (context.deadline.aborted) {
      throw new RequestFailedError(
        `${describe}: the run's deadline passed`,
        toHttpFailure(context.deadline.reason),
        attempt,
      );
    }
    const signal = AbortSignal.any([context.deadline, AbortSignal.timeout(context.requestTimeoutMs)]);
    try {
      return await operation(signal);
    } catch (error) {
      const credentialProblem = credentialFailure(error);
      if (credentialProblem !== undefined) {
        throw new AzureAuthenticationError(`cannot get a token for Resource Manager: ${credentialProblem}`);
      }
      const failure = context.deadline.aborted
        ? { ...toHttpFailure(error), message: "the run's deadline passed" }
        : signal.aborted
          ? {
              ...toHttpFailure(error),
              code: 'ETIMEDOUT',
              message: `no response within ${context.requestTimeoutMs} ms`,
            }
          : toHttpFailure(error);
      const throttled = failure.status === 429;
      if (throttled) context.stats.throttledResponses++;
      else failures++;
      const giveUp = (why: string): RequestFailedError => {
        context.stats.failedRequests++;
        const status =
          failure.status === undefined ? (failure.code ?? 'network error') : `HTTP ${failure.status}`;
        return new RequestFailedError(
          `${describe}: ${status} ${failure.message} (${why})`,
          failure,
          attempt + 1,
        );
      };
      if (context.deadline.aborted || !isRetryable(failure)) throw giveUp(`after ${attempt + 1} attempt(s)`);
      if (!throttled && failures >= context.retry.maxAttempts)
        throw giveUp(`after ${attempt + 1} attempt(s)`);
      const requested =
        retryAfterMs(failure, now()) ??
        (throttled ? parseResetsAfter(failure.header('x-ms-user-quota-resets-after')) : undefined);
      const delay =
        requested === undefined
          ? backoffDelay(throttled ? throttles : failures - 1, context.retry, random)
          : requested + Math.round(random() * Math.min(1000, requested * 0.2 + 50));
      if (throttled) {
        throttles++;
        const elapsed = now() - firstAttemptAt;
        if (elapsed + delay > context.retry.throttledMaxMs)
          throw giveUp(
            `still throttled after ${Math.round(elapsed / 1000)} s and ${attempt + 1} attempt(s); ` +
              `the limit is ${Math.round(context.retry.throttledMaxMs / 1000)} s`,
          );
      }
      context.stats.retries++;
      if (throttled) context.stats.throttleWaitMs += delay;
      try {
        await sleep(delay, context.deadline);
      } catch {
        context.stats.failedRequests++;
        throw new RequestFailedError(
          `${describe}: the run's deadline passed while waiting to retry`,
          failure,
          attempt + 1,
        );
      }
    }
  }
}
