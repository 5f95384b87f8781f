import { describe, expect, it } from 'vitest';

import { emptyStats } from '../../shared/collection/collectionStats.js';
import { parseResetsAfter, retryAfterMs, type HttpFailure } from '../../shared/collection/httpFailure.js';
import { QuotaPacer } from '../../shared/collection/quotaPacer.js';
import { backoffDelay, RequestFailedError, withRetry } from '../../shared/collection/retryPolicy.js';

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
    const retry = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, retry, () => 0)).toBe(50);
    expect(backoffDelay(0, retry, () => 1)).toBe(100);
    expect(backoffDelay(3, retry, () => 1)).toBe(800);
    expect(backoffDelay(9, retry, () => 1)).toBe(1000);
  });

  it('stops at the attempt limit and does not retry a 403', async () => {
    const stats = emptyStats();
    const context = {
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      stats,
      deadline: new AbortController().signal,
      requestTimeoutMs: 1000,
    };
    let calls = 0;
    const throttled = Object.assign(new Error('throttled'), { name: 'RestError', statusCode: 429 });
    await expect(
      withRetry(
        context,
        async () => {
          calls++;
          throw throttled;
        },
        'op',
      ),
    ).rejects.toBeInstanceOf(RequestFailedError);
    expect(calls).toBe(3);
    calls = 0;
    const forbidden = Object.assign(new Error('no'), { name: 'RestError', statusCode: 403 });
    await expect(
      withRetry(
        context,
        async () => {
          calls++;
          throw forbidden;
        },
        'op',
      ),
    ).rejects.toThrow(/op/);
    expect(calls).toBe(1);
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
