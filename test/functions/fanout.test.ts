import { randomBytes } from 'node:crypto';

import { InvocationContext } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import { scanBatch, scanBatchPoison } from '../../functions/scanBatch.js';
import type { Finding } from '../../shared/catalog/types.js';
import { finalizeStaleRuns, startScan } from '../../shared/fanout/scanApplication.js';
import { readRunFindings } from '../../shared/storage/runQueries.js';
import { AS_OF, scan } from '../collection/liveScanHarness.js';
import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import { startWorkers } from './queueWorkers.js';
import { readRun } from '../../shared/storage/runReads.js';

const key = (f: Finding): string => `${f.clusterId.toLowerCase()}|${f.controlId}`;

async function readRunFindingsOf(app: { store: Parameters<typeof readRunFindings>[0] }, runId: string) {
  const findings: Finding[] = [];
  for await (const finding of readRunFindings(app.store, runId)) findings.push(finding);
  return findings;
}

function context(name: string): InvocationContext {
  return new InvocationContext({ functionName: name, logHandler: () => undefined });
}

describe('scan fan-out over Storage queues', () => {
  // FANOUT_CLUSTERS / FANOUT_SUBSCRIPTIONS scale the tenant (e.g. 5000 / 200 for the acceptance run).
  const clusters = Number(process.env.FANOUT_CLUSTERS ?? 400);
  const subscriptionCount = Number(process.env.FANOUT_SUBSCRIPTIONS ?? 40);
  const fleet = syntheticFleet({ clusters, subscriptions: subscriptionCount });
  let fake: FakeArm;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeArm({ resources: fleet.resources });
    const suffix = randomBytes(4).toString('hex');
    env = {
      ...fake.env,
      AzureWebJobsStorage: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `f${suffix}`,
      SCAN_BATCH_QUEUE: `scan-batches-${suffix}`,
      REPORTS_CONTAINER: `reports-${suffix}`,
      RESOURCE_GRAPH_BATCH_SIZE: '3',
      INLINE_SCAN_MAX_SUBSCRIPTIONS: '0',
      RETRY_BASE_DELAY_MS: '5',
      RETRY_MAX_DELAY_MS: '50',
    };
    // The Functions host passes app settings as environment variables.
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name);
    await fake.close();
  });

  it('three workers, killed mid-read and mid-evaluation, with duplicate messages, store exactly the inline scan', async () => {
    // Judged as of the same moment as the inline scan it is compared with.
    const app = { ...(await scanAppFor(context('scheduledScan'))), clock: () => new Date(AS_OF) };
    const started = await startScan(app);
    expect(started.inline).toBe(false);
    expect(started.batches).toBe(Math.ceil(subscriptionCount / 3));
    const queue = new QueueClient(env.AzureWebJobsStorage ?? '', env.SCAN_BATCH_QUEUE ?? '');
    await queue.sendMessage(
      Buffer.from(JSON.stringify({ kind: 'scan-batch', runId: started.runId, batchIndex: 3 })).toString(
        'base64',
      ),
    );
    let killed = false;
    let killedEvaluating = false;
    let duplicated = false;
    const workers = startWorkers(3, {
      connectionString: env.AzureWebJobsStorage ?? '',
      queueName: env.SCAN_BATCH_QUEUE ?? '',
      visibilityTimeoutSeconds: 4,
      maxDequeueCount: 5,
      handler: async (message, dequeueCount) => {
        const { kind, batchIndex } = message as { kind?: string; batchIndex?: number };
        if (kind === 'evaluate-batch' && batchIndex === 2 && !duplicated) {
          // The queue delivers an evaluation twice: the second copy may run while the first does.
          duplicated = true;
          await queue.sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'));
        }
        const ctx = new InvocationContext({
          functionName: 'scanBatch',
          triggerMetadata: { dequeueCount },
          logHandler: () => undefined,
        });
        await scanBatch(message, ctx);
      },
      poisonHandler: async (message, dequeueCount) => {
        await scanBatchPoison(
          message,
          new InvocationContext({ functionName: 'scanBatchPoison', triggerMetadata: { dequeueCount } }),
        );
      },
      crashOn: (message) => {
        const { kind, batchIndex } = message as { kind?: string; batchIndex?: number };
        if (kind === 'scan-batch' && batchIndex === 5 && !killed) return (killed = true);
        if (kind === 'evaluate-batch' && batchIndex === 4 && !killedEvaluating)
          return (killedEvaluating = true);
        return false;
      },
    });
    try {
      const deadline = Date.now() + 600_000;
      while (Date.now() < deadline && (await readRun(app.store, started.runId))?.status !== 'complete') {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await workers.idle(3000, 30_000);
    } finally {
      await workers.stop();
    }
    expect(workers.crashes).toBe(2);
    expect(duplicated).toBe(true);
    expect(workers.failures).toEqual([]);
    const record = await readRun(app.store, started.runId);
    expect(record?.status).toBe('complete');
    // The run's batch blobs (rows, summaries, facts, parts) are gone once it is published.
    expect(await app.store.largeValues.deletePrefix(`${started.runId}/batches/`)).toBe(0);
    const stored: Finding[] = [];
    for await (const finding of readRunFindings(app.store, started.runId)) {
      const { firstSeenFailing: _ignored, ...rest } = finding;
      stored.push(rest);
    }
    const inline = await scan(['--live', '--no-store'], {
      ...fake.env,
      RETRY_BASE_DELAY_MS: '5',
      RETRY_MAX_DELAY_MS: '50',
    });
    expect(stored).toHaveLength(inline.findings.length);
    const inlineByKey = new Map(inline.findings.map((f) => [key(f), f]));
    for (const finding of stored) expect(finding, key(finding)).toEqual(inlineByKey.get(key(finding)));
    // Every batch counted once, whatever was delivered twice or evaluated again.
    expect(record?.metadata.clusterCount).toBe(inline.run.clusterCount);
    expect(record?.metadata.counts).toEqual(inline.run.counts);
    expect(record?.metadata.effectiveCounts).toEqual(inline.run.effectiveCounts);
    expect(record?.metadata.inventory).toEqual(inline.run.inventory);
    const messages = (warnings: Array<{ message: string }> | undefined) =>
      warnings?.map((w) => w.message).sort();
    expect(messages(record?.metadata.inventoryWarnings)).toEqual(messages(inline.run.inventoryWarnings));
    const report = await app.reports.open(started.runId, 'json');
    expect(report?.length).toBeGreaterThan(1000);
  }, 900_000);

  it('a batch that keeps failing goes to the poison queue and the run is finalized as partial', async () => {
    const app = { ...(await scanAppFor(context('scheduledScan'))), clock: () => new Date(AS_OF) };
    const started = await startScan(app, {
      kind: 'subscriptions',
      subscriptionIds: fleet.subscriptions.slice(0, 9),
    });
    expect(started.batches).toBe(3);
    const workers = startWorkers(2, {
      connectionString: env.AzureWebJobsStorage ?? '',
      queueName: env.SCAN_BATCH_QUEUE ?? '',
      visibilityTimeoutSeconds: 1,
      maxDequeueCount: 2,
      handler: async (message, dequeueCount) => {
        await scanBatch(
          message,
          new InvocationContext({ functionName: 'scanBatch', triggerMetadata: { dequeueCount } }),
        );
      },
      poisonHandler: async (message, dequeueCount) => {
        await scanBatchPoison(
          message,
          new InvocationContext({ functionName: 'scanBatchPoison', triggerMetadata: { dequeueCount } }),
        );
      },
      crashOn: (message) => (message as { batchIndex?: number }).batchIndex === 1,
    });
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await readRun(app.store, started.runId))?.status !== 'partial') {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await workers.stop();
    }
    expect(workers.poisoned).toBe(1);
    const record = await readRun(app.store, started.runId);
    expect(record?.status).toBe('partial');
    const notRead = new Set(
      record?.metadata.notRead.map((gap) => (gap.kind === 'scope' ? gap.subscriptionId : '')),
    );
    expect(notRead).toEqual(new Set(fleet.subscriptions.slice(3, 6)));
    expect(record?.metadata.notRead[0]?.reason).toMatch(/poison queue/);
  }, 120_000);

  it('an evaluation that keeps failing goes to the poison queue and the run is finalized as partial', async () => {
    const app = { ...(await scanAppFor(context('scheduledScan'))), clock: () => new Date(AS_OF) };
    const started = await startScan(app, {
      kind: 'subscriptions',
      subscriptionIds: fleet.subscriptions.slice(0, 9),
    });
    const workers = startWorkers(2, {
      connectionString: env.AzureWebJobsStorage ?? '',
      queueName: env.SCAN_BATCH_QUEUE ?? '',
      visibilityTimeoutSeconds: 1,
      maxDequeueCount: 2,
      handler: async (message, dequeueCount) => {
        await scanBatch(
          message,
          new InvocationContext({ functionName: 'scanBatch', triggerMetadata: { dequeueCount } }),
        );
      },
      poisonHandler: async (message, dequeueCount) => {
        await scanBatchPoison(
          message,
          new InvocationContext({ functionName: 'scanBatchPoison', triggerMetadata: { dequeueCount } }),
        );
      },
      crashOn: (message) => {
        const { kind, batchIndex } = message as { kind?: string; batchIndex?: number };
        return kind === 'evaluate-batch' && batchIndex === 2;
      },
    });
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await readRun(app.store, started.runId))?.status !== 'partial') {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await workers.stop();
    }
    expect(workers.poisoned).toBe(1);
    const record = await readRun(app.store, started.runId);
    expect(record?.status).toBe('partial');
    const notRead = new Set(
      record?.metadata.notRead.map((gap) => (gap.kind === 'scope' ? gap.subscriptionId : '')),
    );
    expect(notRead).toEqual(new Set(fleet.subscriptions.slice(6, 9)));
    expect(record?.metadata.notRead[0]?.reason).toMatch(/evaluation failed .* poison queue/);
    // The batches evaluated are in the run; the one that was not is not.
    const counted = new Set(
      (await readRunFindingsOf(app, started.runId)).map((finding) => finding.subscriptionId.toLowerCase()),
    );
    expect(counted).toEqual(new Set(fleet.subscriptions.slice(0, 6).map((id) => id.toLowerCase())));
  }, 120_000);

  it('a run whose batches never finish is finalized as partial by the timeout sweep', async () => {
    const base = await scanAppFor(context('scheduledScan'));
    const app = { ...base, clock: () => new Date(AS_OF) };
    const started = await startScan(app, {
      kind: 'subscriptions',
      subscriptionIds: fleet.subscriptions.slice(0, 3),
    });
    const later = { ...base, clock: () => new Date(Date.parse(AS_OF) + 3 * 3_600_000) };
    expect(await finalizeStaleRuns(later)).toContain(started.runId);
    const record = await readRun(app.store, started.runId);
    expect(record?.status).toBe('partial');
    expect(record?.metadata.notRead[0]?.reason).toMatch(/not finished within 120 minutes/);
    expect(record?.metadata.clusterCount).toBe(0);
    expect(await finalizeStaleRuns(later)).not.toContain(started.runId);
  });
});
