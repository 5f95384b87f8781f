import type * as Functions from '@azure/functions';
import { describe, expect, it, vi } from 'vitest';

type FunctionsModule = typeof Functions;

const registered = vi.hoisted(
  () => [] as Array<{ kind: string; name: string; options: Record<string, unknown> }>,
);

vi.mock('@azure/functions', async (original) => {
  const actual = await original<FunctionsModule>();
  const capture =
    (kind: string) =>
    (name: string, options: Record<string, unknown>): void => {
      registered.push({ kind, name, options });
    };
  return {
    ...actual,
    app: {
      ...actual.app,
      timer: capture('timer'),
      storageQueue: capture('storageQueue'),
      http: capture('http'),
    },
  };
});

describe('function registrations', () => {
  it('registers the timers, queue triggers and HTTP routes with their bindings', async () => {
    await import('../../functions/scheduledScan.js');
    await import('../../functions/scanBatch.js');
    await import('../../functions/httpApi.js');
    await import('../../functions/deliverNotifications.js');
    const byName = new Map(registered.map((r) => [r.name, r]));
    expect(byName.get('scheduledScan')?.options).toMatchObject({
      schedule: '%SCAN_SCHEDULE%',
      runOnStartup: false,
    });
    expect(byName.get('finalizeStaleRuns')?.options).toMatchObject({ schedule: '0 */5 * * * *' });
    expect(byName.get('scanBatch')?.options).toMatchObject({
      queueName: '%SCAN_BATCH_QUEUE%',
      connection: 'AzureWebJobsStorage',
    });
    expect(byName.get('scanBatchPoison')?.options).toMatchObject({ queueName: '%SCAN_BATCH_QUEUE%-poison' });
    expect(byName.get('deliverNotification')?.options).toMatchObject({
      queueName: '%NOTIFICATION_QUEUE%',
      connection: 'AzureWebJobsStorage',
    });
    expect(byName.get('requeueDueNotifications')?.options).toMatchObject({ schedule: '30 */5 * * * *' });
    const routes = registered
      .filter((r) => r.kind === 'http')
      .map(
        (r) =>
          `${(r.options.methods as string[]).join(',')} ${String(r.options.route)} ${String(r.options.authLevel)}`,
      )
      .sort();
    expect(routes).toEqual([
      'GET attestations function',
      'GET attestations/{id} function',
      'GET clusters/{clusterId}/history function',
      'GET exceptions function',
      'GET exceptions/{id} function',
      'GET notifications/dead-letters function',
      'GET runs function',
      'GET runs/{runId} function',
      'GET runs/{runId}/{resource} function',
      'POST attestations function',
      'POST attestations/{id}/{action} function',
      'POST clusters/rescan function',
      'POST exceptions function',
      'POST exceptions/{id}/{action} function',
      'POST scans function',
    ]);
    for (const r of registered) expect(typeof r.options.handler).toBe('function');
  });
});
