import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { CommandIo } from '../../cli/commandIo.js';
import { runReportCommand } from '../../cli/runReportCommand.js';
import type { Finding } from '../../shared/catalog/types.js';
import { storeRun } from '../../shared/storage/storeRun.js';
import { memorySource } from '../../shared/scan/runSource.js';
import { sampleRun } from './scanResults.js';
import { freshStore } from './storageHarness.js';

function io(env: Record<string, string>): CommandIo & { err: () => string } {
  let stderr = '';
  return {
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
    interactive: false,
    now: () => new Date(),
    env,
    err: () => stderr,
  };
}

describe('npm run report -- --run ID --out DIR', () => {
  it('regenerates the outputs of a stored run from storage alone', async () => {
    const store = await freshStore();
    const yesterday = sampleRun('previous', new Date('2026-11-19T06:00:00Z'));
    const today = sampleRun('current', new Date('2026-11-20T06:00:00Z'));
    await storeRun({ store, source: memorySource(yesterday), scopeKey: 'sample' });
    await storeRun({ store, source: memorySource(today), scopeKey: 'sample' });
    const env = {
      STORAGE_CONNECTION: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: store.tables.runs.tableName.replace(/runs$/, ''),
    };
    const out = await mkdtemp(join(tmpdir(), 'report-'));
    try {
      expect(await runReportCommand(['--run', today.run.id, '--out', out], io(env))).toBe(0);
      const document = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as {
        run: unknown;
        findings: Finding[];
        clusters: unknown[];
      };
      expect(document.run).toEqual(today.run);
      expect(document.clusters).toHaveLength(today.clusters.length);
      const key = (f: Finding): string => `${f.clusterId}|${f.controlId}`;
      expect(new Map(document.findings.map((f) => [key(f), f]))).toEqual(
        new Map(today.findings.map((f) => [key(f), f])),
      );
      expect((await stat(join(out, 'report.xlsx'))).size).toBeGreaterThan(10_000);
      const html = await readFile(join(out, 'report.html'), 'utf8');
      expect(html).toContain('Since the previous run');
      expect(html).toContain('store-0219-k3s');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
    const unknown = io(env);
    expect(await runReportCommand(['--run', '20990101T000000Z-00000000', '--out', out], unknown)).toBe(2);
    expect(unknown.err()).toMatch(/not stored/);
    expect(await runReportCommand(['--run', "x' or 1 eq 1", '--out', out], io(env))).toBe(2);
  }, 60_000);
});
