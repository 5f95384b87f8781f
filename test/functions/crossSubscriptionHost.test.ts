import { randomBytes } from 'node:crypto';

import { InvocationContext } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { scanBatch } from '../../functions/scanBatch.js';
import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import { startScan } from '../../shared/fanout/scanApplication.js';
import { listRunFindings } from '../../shared/storage/runQueries.js';
import { AS_OF } from '../collection/liveScanHarness.js';
import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { readRun } from '../../shared/storage/runReads.js';

const CLUSTER_SUB = '5a000000-0000-4000-8000-00000000000a';
const SITE_SUB = '5a000000-0000-4000-8000-00000000000b';
const CLUSTER = `/subscriptions/${CLUSTER_SUB}/resourceGroups/plant/providers/Microsoft.Kubernetes/connectedClusters/line-1`;
const SITE = `/subscriptions/${SITE_SUB}/resourceGroups/hci-site/providers`;

/** An AKS Arc cluster whose custom location and Azure Local host live in another subscription. */
const RESOURCES = [
  {
    id: CLUSTER,
    name: 'line-1',
    type: 'Microsoft.Kubernetes/connectedClusters',
    kind: 'ProvisionedCluster',
    location: 'westeurope',
    properties: { agentVersion: '1.31.0', connectivityStatus: 'Connected', distribution: 'AKS' },
  },
  {
    id: `${CLUSTER}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`,
    name: 'default',
    type: 'Microsoft.HybridContainerService/provisionedClusterInstances',
    extendedLocation: {
      type: 'CustomLocation',
      name: `${SITE}/Microsoft.ExtendedLocation/customLocations/site`,
    },
    properties: { provisioningState: 'Succeeded' },
  },
  {
    id: `${SITE}/Microsoft.ExtendedLocation/customLocations/site`,
    name: 'site',
    type: 'Microsoft.ExtendedLocation/customLocations',
    location: 'westeurope',
    properties: { clusterExtensionIds: [] },
  },
  {
    id: `${SITE}/Microsoft.AzureStackHCI/clusters/hci`,
    name: 'hci',
    type: 'Microsoft.AzureStackHCI/clusters',
    location: 'westeurope',
    properties: {},
  },
  {
    id: `${SITE}/Microsoft.AzureStackHCI/clusters/hci/securitySettings/default`,
    name: 'default',
    type: 'Microsoft.AzureStackHCI/clusters/securitySettings',
    properties: {
      securityComplianceStatus: { dataAtRestEncrypted: 'Compliant', dataInTransitProtected: 'NonCompliant' },
    },
  },
];

describe('a fanned-out run links an AKS Arc cluster to its Azure Local host in another batch', () => {
  let fake: FakeArm;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeArm({ resources: RESOURCES });
    const suffix = randomBytes(4).toString('hex');
    env = {
      ...fake.env,
      AzureWebJobsStorage: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `x${suffix}`,
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

  it('reads the host security settings when the run is finalized', async () => {
    const app = {
      ...(await scanAppFor(new InvocationContext({ functionName: 'scheduledScan' }))),
      clock: () => new Date(AS_OF),
    };
    const started = await startScan(app, { kind: 'subscriptions', subscriptionIds: [CLUSTER_SUB, SITE_SUB] });
    expect(started.batches).toBe(2);
    const queue = new QueueClient(env.AzureWebJobsStorage ?? '', env.SCAN_BATCH_QUEUE ?? '');
    for (;;) {
      const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
      if (receivedMessageItems.length === 0) break;
      for (const item of receivedMessageItems) {
        await scanBatch(
          JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')),
          new InvocationContext(),
        );
        await queue.deleteMessage(item.messageId, item.popReceipt);
      }
    }
    expect((await readRun(app.store, started.runId))?.status).toBe('complete');
    const page = await listRunFindings(app.store, started.runId, { clusterId: CLUSTER });
    const status = (controlId: string) =>
      page.items.find((finding) => finding.controlId === controlId)?.status;
    expect(status('DS-06')).toBe('PASS');
    expect(status('DS-07')).toBe('FAIL');
  }, 60_000);
});
