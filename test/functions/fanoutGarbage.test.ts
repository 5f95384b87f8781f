import { randomBytes } from 'node:crypto';

import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { handleGetRun, type ApiDependencies } from '../../shared/api/complianceApi.js';
import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import {
  failPoisonBatch,
  finalizeStaleRuns,
  processBatch,
  startScan,
  type ScanApp,
} from '../../shared/fanout/scanApplication.js';
import { AS_OF } from '../collection/liveScanHarness.js';
import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import { apiRequest, principalHeader } from './apiRequests.js';

/**
 * A run whose coordinator row holds garbage (times that are not times, a missing status) is still
 * finalized by the first sweep after the run timeout, and two sweeps running at once finalize each
 * stale run exactly once.
 */
const SWEEP_INTERVAL_MS = 5 * 60_000;

describe('fan-out with a damaged coordinator row, and concurrent sweeps', () => {
  const fleet = syntheticFleet({ clusters: 12, subscriptions: 4 });
  const t0 = new Date(AS_OF);
  let fake: FakeArm;
  let env: Record<string, string>;
  let base: ScanApp;

  beforeAll(async () => {
    fake = await startFakeArm({ resources: fleet.resources });
    const suffix = randomBytes(4).toString('hex');
    env = {
      ...fake.env,
      AzureWebJobsStorage: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `g${suffix}`,
      SCAN_BATCH_QUEUE: `garbage-${suffix}`,
      REPORTS_CONTAINER: `garbage-${suffix}`,
      RESOURCE_GRAPH_BATCH_SIZE: '2',
      INLINE_SCAN_MAX_SUBSCRIPTIONS: '0',
      RUN_TIMEOUT_MINUTES: '120',
    };
    base = await scanAppFor(
      new InvocationContext({ functionName: 'garbage', logHandler: () => undefined }),
      env,
    );
  });
  afterAll(async () => {
    await fake.close();
  });

  const appAt = (at: Date): ScanApp => ({ ...base, clock: () => at });
  const afterTimeout = (): Date => new Date(t0.getTime() + base.settings.runTimeoutMs + SWEEP_INTERVAL_MS);

  async function runStatus(runId: string): Promise<string> {
    const deps = {
      store: base.store,
      reports: base.reports,
    } as unknown as ApiDependencies;
    const response = await handleGetRun(
      apiRequest({ principal: principalHeader(['Compliance.Reader']), params: { runId } }),
      deps,
    );
    expect(response.status, `GET /api/runs/${runId}`).toBe(200);
    return (response.jsonBody as { status: string }).status;
  }

  const garbageRows: Array<[string, Record<string, unknown>]> = [
    [
      'times that are not times',
      { statusSince: 'zzz', asOf: 'not a time', startedAt: '2026-13-01T00:00:00Z' },
    ],
    [
      'no status and no times',
      { status: undefined, statusSince: undefined, asOf: undefined, startedAt: undefined },
    ],
    [
      'a finalization claim dated far in the future',
      { status: 'finalizing', statusSince: '9999-01-01T00:00:00Z' },
    ],
    ['numbers where text belongs', { status: 7, statusSince: 12345, asOf: 0, totalBatches: 'many' }],
  ];

  for (const [label, fields] of garbageRows) {
    it(`a coordinator row with ${label} is finalized by the first sweep after the timeout`, async () => {
      const started = await startScan(appAt(t0), {
        kind: 'subscriptions',
        subscriptionIds: fleet.subscriptions,
      });
      const runId = started.runId;
      const table = base.store.tables.batches;
      const row = await table.getEntity<Record<string, unknown>>(runId, 'run');
      const damaged: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
        partitionKey: runId,
        rowKey: 'run',
      };
      for (const [key, value] of Object.entries(row)) {
        if (key === 'etag' || key === 'timestamp' || key === 'partitionKey' || key === 'rowKey') continue;
        damaged[key] = value;
      }
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) Reflect.deleteProperty(damaged, key);
        else damaged[key] = value;
      }
      await table.upsertEntity(damaged, 'Replace');
      const finalized = await finalizeStaleRuns(appAt(afterTimeout()));
      expect(finalized, label).toContain(runId);
      expect(await runStatus(runId)).toBe('partial');
    });
  }

  it('two sweeps at once finalize each stale run exactly once', async () => {
    const runs = await Promise.all(
      [0, 1].map(() => startScan(appAt(t0), { kind: 'subscriptions', subscriptionIds: fleet.subscriptions })),
    );
    const [first, second] = await Promise.all([
      finalizeStaleRuns(appAt(afterTimeout())),
      finalizeStaleRuns(appAt(afterTimeout())),
    ]);
    for (const { runId } of runs) {
      expect([...first, ...second].filter((id) => id === runId)).toHaveLength(1);
      expect(await runStatus(runId)).toBe('partial');
      // A batch message delivered again after the run was finalized changes nothing.
      const late = { kind: 'scan-batch' as const, runId, batchIndex: 0 };
      await processBatch(appAt(afterTimeout()), late);
      await failPoisonBatch(appAt(afterTimeout()), late, 5);
      expect(await runStatus(runId)).toBe('partial');
      expect((await base.coordinator.batch(runId, 0))?.status).toBe('failed');
    }
  });
});
