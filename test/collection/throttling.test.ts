import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { emptyStats } from '../../shared/collection/collectionStats.js';
import { parseResetsAfter, retryAfterMs, type HttpFailure } from '../../shared/collection/httpFailure.js';
import { QuotaPacer } from '../../shared/collection/quotaPacer.js';
import { backoffDelay, RequestFailedError, withRetry } from '../../shared/collection/retryPolicy.js';
import type { RetrySettings } from '../../shared/settings/liveSettings.js';

function failure(headers: Record<string, string>, status = 429): HttpFailure {
  return { status, header: (name) => headers[name.toLowerCase()], code: undefined, message: 'x' };
}

describe('retry timing', () => {
  it('reads retry-after-ms, x-ms-retry-after-ms, Retry-After seconds and dates, in that order', () => {
    const now = Date.parse('2026-11-20T06:00:00Z');
    expect(retryAfterMs(failure({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(failure({ 'x-ms-retry-after-ms': '40' }), now)).toBe(40);
    expect(retryAfterMs(failure({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(failure({ 'retry-after': 'Fri, 20 Nov 2026 06:00:07 GMT' }), now)).toBe(7000);
    expect(retryAfterMs(failure({}), now)).toBeUndefined();
    expect(retryAfterMs(failure({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });

  it('parses the hh:mm:ss quota reset header', () => {
    expect(parseResetsAfter('00:00:05')).toBe(5000);
    expect(parseResetsAfter('01:02:03')).toBe(3_723_000);
    expect(parseResetsAfter('5 seconds')).toBeUndefined();
  });

  it('backs off exponentially with jitter inside [ceiling/2, ceiling], capped', () => {
    const retry = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000, throttledMaxMs: 60_000 };
    expect(backoffDelay(0, retry, () => 0)).toBe(50);
    expect(backoffDelay(0, retry, () => 1)).toBe(100);
    expect(backoffDelay(3, retry, () => 1)).toBe(800);
    expect(backoffDelay(9, retry, () => 1)).toBe(1000);
  });

  const context = (retry: Partial<RetrySettings> = {}) => ({
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, throttledMaxMs: 60_000, ...retry },
    stats: emptyStats(),
    deadline: new AbortController().signal,
    requestTimeoutMs: 1000,
  });
  const restError = (statusCode: number, headers: Record<string, string> = {}): Error =>
    Object.assign(new Error(`HTTP ${statusCode}`), {
      name: 'RestError',
      statusCode,
      response: { headers: { get: (name: string) => headers[name.toLowerCase()] } },
    });

  it('stops at the attempt limit and does not retry a 403', async () => {
    const limited = context();
    let calls = 0;
    await expect(
      withRetry(
        limited,
        async () => {
          calls++;
          throw restError(503);
        },
        'op',
      ),
    ).rejects.toBeInstanceOf(RequestFailedError);
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetry(
        limited,
        async () => {
          calls++;
          throw restError(403);
        },
        'op',
      ),
    ).rejects.toThrow(/op/);
    expect(calls).toBe(1);
  });

  it('retries any run of 429s within the time limit, without counting them as attempts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('retry-after-ms', 'quota', 'none', '503'), { maxLength: 12 }),
        async (answers) => {
          const retrying = { ...context({ maxAttempts: 2 }), random: () => 0 };
          let calls = 0;
          const result = withRetry(
            retrying,
            async () => {
              const answer = answers[calls++];
              if (answer === undefined) return 'read';
              if (answer === '503') throw restError(503);
              throw restError(
                429,
                answer === 'retry-after-ms'
                  ? { 'retry-after-ms': '1' }
                  : answer === 'quota'
                    ? { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:00' }
                    : {},
              );
            },
            'op',
          );
          const failures = answers.filter((answer) => answer === '503').length;
          if (failures >= 2) await expect(result).rejects.toThrow(/HTTP 503 .*after \d+ attempt/);
          else await expect(result).resolves.toBe('read');
          expect(retrying.stats.throttledResponses).toBe(
            answers.slice(0, calls).filter((answer) => answer !== '503').length,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives up a throttled request when its time limit passes, or at once when told to wait beyond it', async () => {
    let clock = 0;
    const limited = { ...context({ throttledMaxMs: 10_000 }), now: () => clock, random: () => 0 };
    let calls = 0;
    await expect(
      withRetry(
        limited,
        async () => {
          calls++;
          clock += 4000;
          throw restError(429, { 'retry-after-ms': '1' });
        },
        'op',
      ),
    ).rejects.toThrow(/op: HTTP 429 .*still throttled after 12 s and 3 attempt\(s\); the limit is 10 s/);
    expect(calls).toBe(3);
    calls = 0;
    clock = 0;
    const started = Date.now();
    await expect(
      withRetry(
        limited,
        async () => {
          calls++;
          throw restError(429, { 'retry-after': '3600' });
        },
        'op',
      ),
    ).rejects.toThrow(/still throttled after 0 s/);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('QuotaPacer', () => {
  it('waits for the window to reset once the remaining quota is spent, and not before', async () => {
    const stats = emptyStats();
    let clock = 0;
    const pacer = new QuotaPacer(
      stats,
      () => 0,
      () => clock,
    );
    const signal = new AbortController().signal;
    pacer.observe(
      (name) => ({ 'x-ms-user-quota-remaining': '1', 'x-ms-user-quota-resets-after': '00:00:00' })[name],
    );
    await pacer.beforeRequest(signal);
    expect(stats.quotaPauses).toBe(0);
    pacer.observe(
      (name) => ({ 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:00' })[name],
    );
    clock = 0;
    const started = Date.now();
    await pacer.beforeRequest(signal);
    expect(Date.now() - started).toBeLessThan(100);
    pacer.observe(
      (name) => ({ 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:01' })[name],
    );
    const paused = pacer.beforeRequest(signal);
    clock = 1001;
    await paused;
    expect(stats.quotaPauses).toBe(1);
    expect(stats.throttleWaitMs).toBeGreaterThanOrEqual(1000);
  });
});
