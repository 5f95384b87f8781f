import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InvocationContext } from '@azure/functions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { CommandIo } from '../../cli/commandIo.js';
import { runScanCommand } from '../../cli/runScanCommand.js';
import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import { rescanCluster, startScan } from '../../shared/fanout/scanApplication.js';
import { folderDestination, publishRun, type RunHandOff } from '../../shared/publish/publishRun.js';
import { RUN_KINDS } from '../../shared/publish/runKind.js';
import type { HistoryStore } from '../../shared/storage/historyStore.js';
import { readRun } from '../../shared/storage/runReads.js';
import { storeRun } from '../../shared/storage/storeRun.js';
import { buildSampleFleet } from '../../sample/sampleFleet.js';
import { AS_OF } from '../collection/liveScanHarness.js';
import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import { sampleRun } from '../storage/scanResults.js';
import { freshStore } from '../storage/storageHarness.js';
import { memorySource } from '../../shared/scan/runSource.js';

const DAY = 86_400_000;
const NOW = new Date(AS_OF);
const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'publish-'));
  folders.push(path);
  return path;
}

/** Stores a run that started `days` ago under another scope, so only retention can remove it. */
async function expiredRun(store: HistoryStore, days: number): Promise<string> {
  const old = sampleRun('previous', new Date(NOW.getTime() - days * DAY));
  await storeRun({
    store,
    source: memorySource(old),
    scopeKey: `snapshot:expired-${randomBytes(3).toString('hex')}`,
  });
  expect(await readRun(store, old.run.id)).toBeDefined();
  return old.run.id;
}

function recordingHandOff(): RunHandOff & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    withReports: async (run) => {
      calls.push(`withReports:${run.kind}:${(await readdir(join(run.reports.html, '..'))).sort().join(',')}`);
    },
    published: async (run, files) => {
      calls.push(`published:${run.kind}:${files.length}`);
    },
  };
}

describe('publishRun', () => {
  it('writes, stores, applies retention, reports, then hands a fleet run off — in that order', async () => {
    const store = await freshStore();
    const expired = await expiredRun(store, 500);
    const kept = await expiredRun(store, 10);
    const handOff = recordingHandOff();
    const steps: string[] = [];
    const out = await folder();
    const published = await publishRun({
      kind: 'fleet',
      source: memorySource(sampleRun('current', NOW)),
      scopeKey: 'snapshot:default',
      destination: folderDestination(out),
      history: { store, retentionDays: 400 },
      handOff,
      countDeadLetters: async () => 2,
      clock: () => NOW,
      onProgress: (message) => steps.push(message.split(' ')[0] ?? ''),
    });
    expect(published.stored?.record.status).toBe('complete');
    expect(published.retention).toMatchObject({ runsDeleted: [expired] });
    expect(await readRun(store, expired)).toBeUndefined();
    expect(await readRun(store, kept)).toBeDefined();
    expect(steps[0]).toBe('Wrote');
    expect(steps.at(-1)).toBe('Wrote');
    expect(handOff.calls).toEqual([
      'withReports:fleet:assessment-results.oscal.json,findings.csv,findings.json,findings.ocsf.json,report.html,report.xlsx',
      'published:fleet:4',
    ]);
  });

  it('hands a single-cluster check to neither the e-mail nor the notifications', async () => {
    const store = await freshStore();
    const handOff = recordingHandOff();
    const published = await publishRun({
      kind: 'cluster',
      source: memorySource(sampleRun('current', NOW)),
      scopeKey: 'cluster:/subscriptions/x',
      destination: folderDestination(await folder()),
      history: { store, retentionDays: 400 },
      handOff,
      clock: () => NOW,
    });
    expect(published.stored?.record.status).toBe('complete');
    expect(handOff.calls).toEqual([]);
    expect(RUN_KINDS).toEqual(['fleet', 'cluster']);
  });

  it('without history: writes every output, stores nothing and hands nothing off', async () => {
    const handOff = recordingHandOff();
    const out = await folder();
    const published = await publishRun({
      kind: 'fleet',
      source: memorySource(sampleRun('current', NOW)),
      scopeKey: 'snapshot:default',
      destination: folderDestination(out),
      handOff,
      clock: () => NOW,
    });
    expect(published.stored).toBeUndefined();
    expect(published.retention).toBeUndefined();
    expect((await readdir(out)).sort()).toEqual([
      'assessment-results.oscal.json',
      'findings.csv',
      'findings.json',
      'findings.ocsf.json',
      'report.html',
      'report.xlsx',
    ]);
    expect(handOff.calls).toEqual([]);
  });

  it('a failing clean-up is reported and the run stays stored', async () => {
    const store = await freshStore();
    const expired = await expiredRun(store, 500);
    const broken: HistoryStore = {
      ...store,
      tables: {
        ...store.tables,
        clusters: new Proxy(store.tables.clusters, {
          get(target, property, receiver) {
            if (property === 'listEntities')
              return () => {
                throw new Error('table unavailable');
              };
            const value: unknown = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
      },
    };
    const result = sampleRun('current', NOW);
    const published = await publishRun({
      kind: 'fleet',
      source: memorySource(result),
      scopeKey: 'snapshot:default',
      destination: folderDestination(await folder()),
      history: { store: broken, retentionDays: 400 },
      clock: () => NOW,
    });
    expect(published.retention).toEqual({ error: 'table unavailable' });
    expect((await readRun(store, result.run.id))?.status).toBe('complete');
    expect(await readRun(store, expired)).toBeDefined();
  });
});

describe('retention runs on every publishing path', () => {
  const fleet = syntheticFleet({ clusters: 12, subscriptions: 3 });
  let fake: FakeArm;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeArm({ resources: fleet.resources });
    const suffix = randomBytes(4).toString('hex');
    env = {
      ...fake.env,
      AzureWebJobsStorage: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `p${suffix}`,
      SCAN_BATCH_QUEUE: `scan-batches-${suffix}`,
      REPORTS_CONTAINER: `reports-${suffix}`,
      RESOURCE_GRAPH_BATCH_SIZE: '1',
      INLINE_SCAN_MAX_SUBSCRIPTIONS: '50',
      RETENTION_DAYS: '30',
      RETRY_BASE_DELAY_MS: '5',
      RETRY_MAX_DELAY_MS: '50',
    };
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name);
    await fake.close();
  });

  const app = async () => ({
    ...(await scanAppFor(new InvocationContext({ functionName: 'scheduledScan' }))),
    clock: () => NOW,
  });

  it('fan-out finalization', async () => {
    const scanApp = await app();
    const expired = await expiredRun(scanApp.store, 31);
    const started = await startScan(scanApp);
    expect(started.inline).toBe(true);
    expect((await readRun(scanApp.store, started.runId))?.status).toBe('complete');
    expect(await readRun(scanApp.store, expired)).toBeUndefined();
  }, 60_000);

  it('the single-cluster re-check', async () => {
    const scanApp = await app();
    const expired = await expiredRun(scanApp.store, 45);
    const clusterId = String(fleet.resources.find((r) => String(r.type).endsWith('connectedClusters'))?.id);
    const run = await rescanCluster(scanApp, clusterId);
    expect(run.stored.record.scopeKey).toBe(`cluster:${clusterId.toLowerCase()}`);
    expect(await readRun(scanApp.store, expired)).toBeUndefined();
  }, 60_000);

  it('the CLI with storage', async () => {
    const store = await freshStore();
    const expired = await expiredRun(store, 401);
    const inputs = await folder();
    const files: string[] = [];
    for (const file of buildSampleFleet({ asOf: NOW, day: 'current' }).files) {
      files.push(join(inputs, file.name));
      await writeFile(join(inputs, file.name), JSON.stringify(file.content));
    }
    let stderr = '';
    const io: CommandIo = {
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text;
      },
      interactive: false,
      now: () => NOW,
      env: {
        STORAGE_CONNECTION: process.env.STORAGE_TEST_CONNECTION ?? '',
        STORAGE_TABLE_PREFIX: store.tables.runs.tableName.replace(/runs$/, ''),
      },
    };
    expect(await runScanCommand(['--inventory', ...files, '--out', await folder()], io)).toBe(0);
    expect(stderr).toContain('Retention: deleted 1 run(s) older than 400 days');
    expect(await readRun(store, expired)).toBeUndefined();
  }, 60_000);
});
