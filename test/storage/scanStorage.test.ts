import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { CommandIo } from '../../cli/commandIo.js';
import { runScanCommand } from '../../cli/runScanCommand.js';
import { listRuns } from '../../shared/storage/runQueries.js';
import { buildSampleFleet } from '../../sample/sampleFleet.js';
import { freshStore } from './storageHarness.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function sampleInventory(asOf: Date, day: 'previous' | 'current'): Promise<string[]> {
  const folder = await mkdtemp(join(tmpdir(), 'scan-storage-'));
  folders.push(folder);
  const fleet = buildSampleFleet({ asOf, day });
  const files: string[] = [];
  for (const file of fleet.files) {
    const path = join(folder, file.name);
    await writeFile(path, JSON.stringify(file.content));
    files.push(path);
  }
  return files;
}

function io(env: Record<string, string>, now: Date): CommandIo & { out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    interactive: false,
    now: () => now,
    env,
    out: () => stdout,
    err: () => stderr,
  };
}

describe('npm run scan with storage configured', () => {
  it('stores each run and prints the changes since the previous one of the same scope', async () => {
    const store = await freshStore();
    const prefix = store.tables.runs.tableName.replace(/runs$/, '');
    const env = {
      STORAGE_CONNECTION: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: prefix,
    };
    const yesterday = new Date('2026-11-19T06:00:00Z');
    const today = new Date('2026-11-20T06:00:00Z');
    const out = await mkdtemp(join(tmpdir(), 'scan-out-'));
    folders.push(out);
    const first = io(env, yesterday);
    expect(
      await runScanCommand(
        ['--inventory', ...(await sampleInventory(yesterday, 'previous')), '--out', out],
        first,
      ),
    ).toBe(0);
    expect(first.out()).toMatch(/first stored run of this scope/);
    const second = io(env, today);
    expect(
      await runScanCommand(
        ['--inventory', ...(await sampleInventory(today, 'current')), '--out', out],
        second,
      ),
    ).toBe(0);
    expect(second.out()).toMatch(/Changes since run \S+: 6 newly failing, 4 resolved/);
    const runs = await listRuns(store);
    expect(runs.items.map((run) => run.status)).toEqual(['complete', 'complete']);
    expect(runs.items[0]?.scopeKey).toBe('snapshot:default');
    expect(runs.items[0]?.findingsJsonSha256).toMatch(/^[0-9a-f]{64}$/);
    const other = io(env, today);
    expect(
      await runScanCommand(
        ['--inventory', ...(await sampleInventory(today, 'current')), '--out', out, '--scope-label', 'lab'],
        other,
      ),
    ).toBe(0);
    expect(other.out()).toMatch(/first stored run of this scope/);
    const skipped = io(env, today);
    expect(
      await runScanCommand(
        ['--inventory', ...(await sampleInventory(today, 'current')), '--out', out, '--no-store'],
        skipped,
      ),
    ).toBe(0);
    expect((await listRuns(store)).items).toHaveLength(3);
  });

  it('stops with exit 3 before scanning when storage cannot be reached, writing nothing', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'scan-out-')), 'result');
    folders.push(out);
    const unreachable =
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Zm9v;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;';
    const run = io({ STORAGE_CONNECTION: unreachable }, new Date());
    const code = await runScanCommand(
      ['--inventory', ...(await sampleInventory(new Date(), 'current')), '--out', out],
      run,
    );
    expect(code).toBe(3);
    expect(run.err()).toMatch(/storage is not reachable/);
    expect(run.err()).not.toMatch(/Evaluating clusters/);
    await expect(readdir(out)).rejects.toThrow();
  }, 60_000);

  it('names every bad storage setting', async () => {
    const run = io(
      { STORAGE_ACCOUNT_NAME: 'Bad_Name', RETENTION_DAYS: 'forever', STORAGE_TABLE_PREFIX: '9x' },
      new Date(),
    );
    const out = await mkdtemp(join(tmpdir(), 'scan-out-'));
    folders.push(out);
    const code = await runScanCommand(
      ['--inventory', ...(await sampleInventory(new Date(), 'current')), '--out', out],
      run,
    );
    expect(code).toBe(2);
    expect(run.err()).toMatch(/STORAGE_ACCOUNT_NAME/);
    expect(run.err()).toMatch(/RETENTION_DAYS/);
    expect(run.err()).toMatch(/STORAGE_TABLE_PREFIX/);
  });
});
