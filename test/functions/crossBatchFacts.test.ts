import { randomBytes } from 'node:crypto';

import { InvocationContext } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import { scanBatch } from '../../functions/scanBatch.js';
import type { Finding } from '../../shared/catalog/types.js';
import { startScan } from '../../shared/fanout/scanApplication.js';
import { readRunFindings } from '../../shared/storage/runQueries.js';
import { readRun } from '../../shared/storage/runReads.js';
import { AS_OF, scan } from '../collection/liveScanHarness.js';
import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';

type Json = Record<string, unknown>;
const key = (f: Pick<Finding, 'clusterId' | 'controlId'>): string =>
  `${f.clusterId.toLowerCase()}|${f.controlId}`;

/**
 * A tenant whose fleet-wide facts live in other batches than the clusters they judge: the newest
 * Arc agent version only in the last subscription, and a backup instance in one subscription
 * protecting an AKS cluster of another.
 */
function tenant(): { resources: Json[]; newest: string; protectedCluster: string; subscriptions: string[] } {
  const fleet = syntheticFleet({ clusters: 24, subscriptions: 3 });
  const [first, , last] = fleet.subscriptions;
  const newest = '1.44.7';
  const arcInLast = fleet.resources.find(
    (r) =>
      String(r.type) === 'Microsoft.Kubernetes/connectedClusters' &&
      String(r.id).includes(String(last)) &&
      r.kind === undefined,
  );
  if (!arcInLast) throw new Error('no Arc cluster in the last subscription');
  (arcInLast.properties as Json).agentVersion = newest;
  const aksInFirst = fleet.resources.find(
    (r) =>
      String(r.type) === 'Microsoft.ContainerService/managedClusters' &&
      String(r.id).includes(String(first)) &&
      !fleet.resources.some(
        (b) => String(b.type).endsWith('backupInstances') && JSON.stringify(b).includes(String(r.id)),
      ),
  );
  if (!aksInFirst) throw new Error('no unprotected AKS cluster in the first subscription');
  const protectedCluster = String(aksInFirst.id);
  fleet.resources.push({
    id: `/subscriptions/${String(last)}/resourceGroups/backup/providers/Microsoft.DataProtection/backupVaults/central/backupInstances/cross`,
    name: 'cross',
    type: 'Microsoft.DataProtection/backupVaults/backupInstances',
    properties: {
      dataSourceInfo: {
        resourceID: protectedCluster,
        datasourceType: 'Microsoft.ContainerService/managedClusters',
      },
    },
  });
  return { resources: fleet.resources, newest, protectedCluster, subscriptions: fleet.subscriptions };
}

describe('a batch is judged against facts merged from every batch', () => {
  const { resources, newest, protectedCluster, subscriptions } = tenant();
  let fake: FakeArm;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeArm({ resources });
    const suffix = randomBytes(4).toString('hex');
    env = {
      ...fake.env,
      AzureWebJobsStorage: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `b${suffix}`,
      SCAN_BATCH_QUEUE: `scan-batches-${suffix}`,
      REPORTS_CONTAINER: `reports-${suffix}`,
      RESOURCE_GRAPH_BATCH_SIZE: '1',
      INLINE_SCAN_MAX_SUBSCRIPTIONS: '0',
      RETRY_BASE_DELAY_MS: '5',
      RETRY_MAX_DELAY_MS: '50',
    };
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name);
    await fake.close();
  });

  it('newest agent version and cross-subscription backups: the same findings as the inline scan', async () => {
    const app = {
      ...(await scanAppFor(new InvocationContext({ functionName: 'scheduledScan' }))),
      clock: () => new Date(AS_OF),
    };
    const started = await startScan(app);
    expect(started.batches).toBe(subscriptions.length);
    const queue = new QueueClient(env.AzureWebJobsStorage ?? '', env.SCAN_BATCH_QUEUE ?? '');
    for (;;) {
      const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
      if (receivedMessageItems.length === 0) break;
      for (const item of receivedMessageItems) {
        const message: unknown = JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8'));
        await scanBatch(message, new InvocationContext());
        // A batch delivered twice: the second delivery changes nothing.
        await scanBatch(message, new InvocationContext());
        await queue.deleteMessage(item.messageId, item.popReceipt);
      }
    }
    const record = await readRun(app.store, started.runId);
    expect(record?.status).toBe('complete');
    const stored = new Map<string, Finding>();
    for await (const { firstSeenFailing: _ignored, ...finding } of readRunFindings(app.store, started.runId))
      stored.set(key(finding), finding);
    const inline = await scan(['--live', '--no-store'], { ...fake.env, RETRY_BASE_DELAY_MS: '5' });
    expect(stored.size).toBe(inline.findings.length);
    for (const finding of inline.findings) expect(stored.get(key(finding)), key(finding)).toEqual(finding);
    // The newest version is far above the rest: the one outlier warning, as the inline scan gives it.
    expect(inline.run.inventoryWarnings.some((w) => w.message.includes(newest))).toBe(true);
    // (Where a row came from names its Resource Graph batch and page, which differ between the paths.)
    const messages = (warnings: Array<{ message: string }> | undefined) => warnings?.map((w) => w.message);
    expect(messages(record?.metadata.inventoryWarnings)).toEqual(messages(inline.run.inventoryWarnings));
    expect(record?.metadata.counts).toEqual(inline.run.counts);
    expect(record?.metadata.inventory).toEqual(inline.run.inventory);

    const ds10 = [...stored.values()].filter((f) => f.controlId === 'DS-10' && f.clusterKind !== 'aks');
    expect(
      ds10.some((f) => f.reason.includes(newest) && !f.clusterId.includes(String(subscriptions.at(-1)))),
    ).toBe(true);
    const ds09 = stored.get(key({ clusterId: protectedCluster, controlId: 'DS-09' }));
    expect(JSON.stringify(ds09?.evidence)).toContain('backupInstances/cross');
  }, 120_000);
});
