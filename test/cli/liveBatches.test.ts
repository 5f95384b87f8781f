import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InvocationContext } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CommandIo } from '../../cli/commandIo.js';
import { runScanCommand } from '../../cli/runScanCommand.js';
import type { Finding } from '../../shared/catalog/types.js';
import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import { startScan } from '../../shared/fanout/scanApplication.js';
import type { ClusterRow, RunMetadata } from '../../shared/scan/scanResult.js';
import { AS_OF } from '../collection/liveScanHarness.js';
import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';

type Json = Record<string, unknown>;

interface FindingsDocument {
  run: RunMetadata;
  clusters: ClusterRow[];
  findings: Finding[];
}

const HOST_SUB = '5a000000-0000-4000-8000-0000000000aa';
const LINE_SUB = '5a000000-0000-4000-8000-0000000000ab';

/**
 * A tenant whose batches need each other's facts: the newest Arc agent version only in the last
 * subscription, a backup instance in one subscription protecting an AKS cluster of another, and an
 * AKS Arc cluster whose custom location and Azure Local host (its security settings readable only
 * from Resource Manager) are in another subscription.
 */
function tenant(): { resources: Json[]; subscriptions: number } {
  const fleet = syntheticFleet({ clusters: 30, subscriptions: 4 });
  const [first, , , last] = fleet.subscriptions;
  const arcInLast = fleet.resources.find(
    (r) =>
      r.type === 'Microsoft.Kubernetes/connectedClusters' &&
      String(r.id).includes(String(last)) &&
      r.kind === undefined,
  );
  if (!arcInLast) throw new Error('no Arc cluster in the last subscription');
  (arcInLast.properties as Json).agentVersion = '1.44.7';
  const aksInFirst = fleet.resources.find(
    (r) => r.type === 'Microsoft.ContainerService/managedClusters' && String(r.id).includes(String(first)),
  );
  const line = `/subscriptions/${LINE_SUB}/resourceGroups/plant/providers/Microsoft.Kubernetes/connectedClusters/line-1`;
  const site = `/subscriptions/${HOST_SUB}/resourceGroups/hci-site/providers`;
  fleet.resources.push(
    {
      id: `/subscriptions/${String(last)}/resourceGroups/backup/providers/Microsoft.DataProtection/backupVaults/central/backupInstances/cross`,
      name: 'cross',
      type: 'Microsoft.DataProtection/backupVaults/backupInstances',
      properties: {
        dataSourceInfo: {
          resourceID: String(aksInFirst?.id),
          datasourceType: 'Microsoft.ContainerService/managedClusters',
        },
      },
    },
    {
      id: line,
      name: 'line-1',
      type: 'Microsoft.Kubernetes/connectedClusters',
      kind: 'ProvisionedCluster',
      location: 'westeurope',
      properties: { agentVersion: '1.31.0', connectivityStatus: 'Connected', distribution: 'AKS' },
    },
    {
      id: `${line}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`,
      name: 'default',
      type: 'Microsoft.HybridContainerService/provisionedClusterInstances',
      extendedLocation: {
        type: 'CustomLocation',
        name: `${site}/Microsoft.ExtendedLocation/customLocations/site`,
      },
      properties: { provisioningState: 'Succeeded' },
    },
    {
      id: `${site}/Microsoft.ExtendedLocation/customLocations/site`,
      name: 'site',
      type: 'Microsoft.ExtendedLocation/customLocations',
      location: 'westeurope',
      properties: { clusterExtensionIds: [] },
    },
    {
      id: `${site}/Microsoft.AzureStackHCI/clusters/hci`,
      name: 'hci',
      type: 'Microsoft.AzureStackHCI/clusters',
      location: 'westeurope',
      properties: {},
    },
    {
      id: `${site}/Microsoft.AzureStackHCI/clusters/hci/securitySettings/default`,
      name: 'default',
      type: 'Microsoft.AzureStackHCI/clusters/securitySettings',
      properties: {
        securityComplianceStatus: {
          dataAtRestEncrypted: 'Compliant',
          dataInTransitProtected: 'NonCompliant',
        },
      },
    },
  );
  return { resources: fleet.resources, subscriptions: fleet.subscriptions.length + 2 };
}

/** Runs the live scan command in-process and reads its whole findings.json back. */
async function cliScan(
  env: Record<string, string>,
): Promise<{ code: number; stderr: string; document: FindingsDocument }> {
  const out = await mkdtemp(join(tmpdir(), 'live-batches-'));
  let stderr = '';
  const io: CommandIo = {
    stdout: () => undefined,
    stderr: (text) => void (stderr += text),
    interactive: false,
    now: () => new Date(),
    env,
  };
  try {
    const code = await runScanCommand(['--live', '--no-store', '--out', out, '--as-of', AS_OF], io);
    const document = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as FindingsDocument;
    return { code, stderr, document };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** What two scans of the same tenant at the same time share: all of findings.json but when and by whom. */
function comparable({ run, clusters, findings }: FindingsDocument): unknown {
  const { id: _id, startedAt: _started, finishedAt: _finished, stats: _stats, ...rest } = run;
  return { run: rest, clusters, findings };
}

const key = (f: Pick<Finding, 'clusterId' | 'controlId'>): string =>
  `${f.clusterId.toLowerCase()}|${f.controlId}`;

describe('a live CLI scan read in several batches', () => {
  const { resources, subscriptions } = tenant();
  let fake: FakeArm;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeArm({ resources });
    const suffix = randomBytes(4).toString('hex');
    env = {
      ...fake.env,
      AzureWebJobsStorage: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `lb${suffix}`,
      SCAN_BATCH_QUEUE: `scan-batches-${suffix}`,
      REPORTS_CONTAINER: `reports-${suffix}`,
      RESOURCE_GRAPH_BATCH_SIZE: '1',
      INLINE_SCAN_MAX_SUBSCRIPTIONS: '50',
      RETRY_BASE_DELAY_MS: '5',
      RETRY_MAX_DELAY_MS: '50',
    };
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name);
    await fake.close();
  });

  it('writes the findings.json of the fan-out run of the same tenant, batch for batch', async () => {
    const app = {
      ...(await scanAppFor(new InvocationContext({ functionName: 'scheduledScan' }))),
      clock: () => new Date(AS_OF),
    };
    const started = await startScan(app);
    expect(started).toMatchObject({ batches: subscriptions, inline: true });
    const blob = BlobServiceClient.fromConnectionString(env.AzureWebJobsStorage ?? '')
      .getContainerClient(env.REPORTS_CONTAINER ?? '')
      .getBlockBlobClient(`${started.runId}/findings.json`);
    const fanout = JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as FindingsDocument;

    const cli = await cliScan({ ...fake.env, RESOURCE_GRAPH_BATCH_SIZE: '1', RETRY_BASE_DELAY_MS: '5' });
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain(`${subscriptions} subscription(s) in ${subscriptions} batch(es)`);
    expect(cli.document.run.stats).toMatchObject({ subscriptions, batches: subscriptions, failedBatches: 0 });
    expect(comparable(cli.document)).toEqual(comparable(fanout));

    // The cross-batch facts were used: the host read from Resource Manager, the newest agent, the backup.
    const line = cli.document.findings.filter((f) => f.clusterId.includes(LINE_SUB));
    expect(line.find((f) => f.controlId === 'DS-06')?.status).toBe('PASS');
    expect(line.find((f) => f.controlId === 'DS-07')?.status).toBe('FAIL');
    expect(cli.document.run.inventoryWarnings.some((w) => w.message.includes('1.44.7'))).toBe(true);
    expect(JSON.stringify(cli.document.findings)).toContain('backupInstances/cross');
  }, 120_000);

  it('judges every cluster as a scan read in one batch does', async () => {
    const batched = await cliScan({ ...fake.env, RESOURCE_GRAPH_BATCH_SIZE: '1', RETRY_BASE_DELAY_MS: '5' });
    const single = await cliScan({ ...fake.env, RETRY_BASE_DELAY_MS: '5' });
    expect(single.document.run.stats?.batches).toBe(1);
    expect(batched.document.run.stats?.batches).toBe(subscriptions);
    const byKey = (document: FindingsDocument) => new Map(document.findings.map((f) => [key(f), f]));
    expect(byKey(batched.document)).toEqual(byKey(single.document));
    const byId = (document: FindingsDocument) => new Map(document.clusters.map((c) => [c.id, c]));
    expect(byId(batched.document)).toEqual(byId(single.document));
    for (const field of ['counts', 'score', 'inventory', 'notRead', 'complete', 'clusterCount'] as const)
      expect(batched.document.run[field]).toEqual(single.document.run[field]);
    const messages = (document: FindingsDocument) =>
      document.run.inventoryWarnings.map((w) => w.message).sort();
    expect(messages(batched.document)).toEqual(messages(single.document));
  }, 120_000);

  it('leaves nothing behind in the temporary folder', async () => {
    const saved = process.env.TMPDIR;
    const temporary = await mkdtemp(join(tmpdir(), 'live-batches-tmp-'));
    process.env.TMPDIR = temporary;
    try {
      const batched = await cliScan({
        ...fake.env,
        RESOURCE_GRAPH_BATCH_SIZE: '2',
        RETRY_BASE_DELAY_MS: '5',
      });
      expect(batched.code).toBe(0);
      expect(await readdir(temporary)).toEqual([]);
    } finally {
      if (saved === undefined) Reflect.deleteProperty(process.env, 'TMPDIR');
      else process.env.TMPDIR = saved;
      await rm(temporary, { recursive: true, force: true });
    }
  }, 60_000);
});
