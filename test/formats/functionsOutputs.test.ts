import { randomBytes } from 'node:crypto';

import { InvocationContext } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import { startScan } from '../../shared/fanout/scanApplication.js';
import { readRun } from '../../shared/storage/runReads.js';
import { AS_OF } from '../collection/liveScanHarness.js';
import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { startFakeLogsIngestion, type FakeLogsIngestion } from '../fakes/fakeLogsIngestion.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';

const logged: unknown[][] = [];
function context(name: string): InvocationContext {
  return new InvocationContext({ functionName: name, logHandler: (_level, ...args) => logged.push(args) });
}

describe('the Functions app after a run is finalized', () => {
  const fleet = syntheticFleet({ clusters: 30, subscriptions: 3 });
  let arm: FakeArm;
  let logs: FakeLogsIngestion;
  let env: Record<string, string>;

  beforeAll(async () => {
    arm = await startFakeArm({ resources: fleet.resources });
    // One managed-identity endpoint serves the process: the Resource Manager fake's.
    logs = await startFakeLogsIngestion({
      ruleId: 'dcr-0123456789abcdef0123456789abcdef',
      acceptToken: (token) => token.startsWith('fake-'),
      faults: (count) => (count === 1 ? { status: 429, retryAfterSeconds: 1 } : undefined),
    });
    const suffix = randomBytes(4).toString('hex');
    env = {
      ...arm.env,
      AzureWebJobsStorage: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `m${suffix}`,
      SCAN_BATCH_QUEUE: `scan-batches-${suffix}`,
      REPORTS_CONTAINER: `reports-${suffix}`,
      INLINE_SCAN_MAX_SUBSCRIPTIONS: '50',
      RETRY_BASE_DELAY_MS: '5',
      RETRY_MAX_DELAY_MS: '50',
      MONITOR_INGESTION_ENDPOINT: logs.url,
      MONITOR_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef',
      MONITOR_RETRY_DELAY_MS: '5',
    };
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name);
    await arm.close();
    await logs.close();
  });

  it('stores the OSCAL and OCSF files beside the others and uploads the run to Azure Monitor Logs', async () => {
    const app = { ...(await scanAppFor(context('scheduledScan'))), clock: () => new Date(AS_OF) };
    const started = await startScan(app);
    expect(started.inline).toBe(true);
    const record = await readRun(app.store, started.runId);
    expect(record?.status).toBe('complete');

    const container = BlobServiceClient.fromConnectionString(
      env.AzureWebJobsStorage ?? '',
    ).getContainerClient(env.REPORTS_CONTAINER ?? '');
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${started.runId}/` })) names.push(blob.name);
    expect(names).toEqual(
      expect.arrayContaining([
        `${started.runId}/findings.json`,
        `${started.runId}/assessment-results.oscal.json`,
        `${started.runId}/findings.ocsf.json`,
      ]),
    );

    const rows = logs.rows.get('Custom-ArcDataCompliance_CL') ?? [];
    expect(rows).toHaveLength(record?.findingsWritten ?? -1);
    expect(new Set(rows.map((row) => row.RunId))).toEqual(new Set([started.runId]));
    expect(logs.rows.get('Custom-ArcDataComplianceRuns_CL')).toEqual([
      expect.objectContaining({ RunId: started.runId, ClusterCount: 30, Complete: true }),
    ]);
    expect(logs.requests[0]?.status).toBe(429);
    expect(JSON.stringify(logged)).toContain('Azure Monitor Logs upload uploaded');
  });
});
