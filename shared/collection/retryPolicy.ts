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
 * Runs `operation` with a per-attempt timeout, retrying throttling (429, with or without
 * Retry-After), 408, 5xx, resets and timeouts with bounded exponential backoff and jitter, until
 * the attempt limit or the run's deadline. Non-retryable failures (e.g. 403, 404) are thrown at once.
 */
export async function withRetry<T>(
  context: RetryContext,
  operation: (signal: AbortSignal) => Promise<T>,
  describe: string,
): Promise<T> {
  const random = context.random ?? Math.random;
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
      const last = attempt + 1 >= context.retry.maxAttempts;
      if (context.deadline.aborted || !isRetryable(failure) || last) {
        context.stats.failedRequests++;
        const status =
          failure.status === undefined ? (failure.code ?? 'network error') : `HTTP ${failure.status}`;
        throw new RequestFailedError(
          `${describe}: ${status} ${failure.message} (after ${attempt + 1} attempt(s))`,
          failure,
          attempt + 1,
        );
      }
      const requested =
        retryAfterMs(failure, Date.now()) ??
        (throttled ? parseResetsAfter(failure.header('x-ms-user-quota-resets-after')) : undefined);
      const delay =
        requested === undefined
          ? backoffDelay(attempt, context.retry, random)
          : requested + Math.round(random() * Math.min(1000, requested * 0.2 + 50));
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
