import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { failOnMatches } from '../../cli/failOnGate.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { renderSampleGovernance, SAMPLE_GOVERNANCE_AS_OF } from '../../sample/sampleGovernance.js';
import { listDirectory, readJsonFile, runCli } from '../cli/cliHarness.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GOVERNANCE = join(ROOT, 'sample', 'fleet.governance.yaml');
let dir = '';
let inventories: string[] = [];

beforeEach(async () => {
  dir = await makeTempDir('arc-dc-gov-');
  inventories = (await readdir(join(ROOT, 'sample', 'fleet'))).map((name) =>
    join(ROOT, 'sample', 'fleet', name),
  );
});
afterEach(async () => removeTempDir(dir));

const scanArgs = (out: string, governance: string): string[] => [
  '--inventory',
  ...inventories,
  '--settings',
  join(ROOT, 'sample', 'fleet.settings.json'),
  '--as-of',
  SAMPLE_GOVERNANCE_AS_OF.toISOString(),
  '--out',
  out,
  '--governance',
  governance,
];

describe('scan --governance on the sample fleet', () => {
  it('ships the governance file the sample generator renders', async () => {
    expect(await readFile(GOVERNANCE, 'utf8')).toBe(renderSampleGovernance(SAMPLE_GOVERNANCE_AS_OF));
  });

  it('keeps observed verdicts and adds effective ones, scores and per-record states', async () => {
    const out = join(dir, 'out');
    const run = await runCli(scanArgs(out, GOVERNANCE), SAMPLE_GOVERNANCE_AS_OF);
    expect(run.code).toBe(0);
    const result = (await readJsonFile(join(out, 'findings.json'))) as ScanResult;
    expect(result.run.counts).toEqual({ PASS: 124, FAIL: 82, MANUAL: 118, NOT_APPLICABLE: 41, ERROR: 15 });
    expect(result.run.effectiveCounts).toEqual({
      PASS: 147,
      FAIL: 76,
      MANUAL: 94,
      NOT_APPLICABLE: 41,
      ERROR: 15,
      EXCEPTED: 7,
    });
    expect(result.run.score).toBeCloseTo(124 / 339, 10);
    expect(result.run.effectiveScore).toBeCloseTo(147 / 332, 10);
    expect(Object.fromEntries((result.run.governance ?? []).map((g) => [g.id, g.state]))).toEqual({
      'EXC-2026-014': 'applied',
      'EXC-2026-021': 'applied',
      'EXC-2026-003': 'expired',
      'EXC-2026-030': 'unused',
      'EXC-2026-040': 'ignored',
      'ATT-2026-101': 'applied',
      'ATT-2026-102': 'applied',
      'ATT-2026-103': 'applied',
      'ATT-2026-104': 'applied',
    });
    const excepted = result.findings.find(
      (f) => f.clusterName === 'payments-dr-aks' && f.controlId === 'DS-08',
    );
    expect(excepted).toMatchObject({
      status: 'FAIL',
      effectiveStatus: 'EXCEPTED',
      governance: { exceptionId: 'EXC-2026-021' },
    });
    const error = result.findings.find(
      (f) => f.clusterName === 'finance-reporting-aks' && f.controlId === 'DS-06',
    );
    expect(error).toMatchObject({ status: 'ERROR', effectiveStatus: 'ERROR' });
    expect(error?.governance?.ignored?.[0]?.reason).toMatch(/failed read is fixed, not accepted/);
    expect(run.stdout).toContain('Effective score: 44.3%');
  });

  it('an invalid file is exit 2 naming every bad record and field, and nothing is written', async () => {
    const bad = join(dir, 'governance.json');
    await writeFile(
      bad,
      JSON.stringify({
        exceptions: [{ id: 'E 1', control: 'DS-11', scope: {}, expires: '2026-12-01' }],
        attestations: [
          { id: 'A-1', control: 'DS-04', scope: { kinds: ['arc'] }, result: 'PASS', evidence: [] },
        ],
      }),
    );
    const out = join(dir, 'out');
    const run = await runCli(scanArgs(out, bad), SAMPLE_GOVERNANCE_AS_OF);
    expect(run.code).toBe(2);
    for (const text of [
      'exceptions[0]: id must be',
      'exceptions[0]: control must be one of',
      'exceptions[0]: scope must name at least one',
      'exceptions[0]: owner is required',
      'exceptions[0]: justification is required',
      'attestations[0] (A-1): attestedBy is required',
      'attestations[0] (A-1): evidence must be a non-empty list',
      'attestations[0] (A-1): attestedAt is required',
    ])
      expect(run.stderr).toContain(text);
    expect(run.stderr).toContain('Nothing was written.');
    expect(await listDirectory(out)).toBeUndefined();
  });

  it('a missing governance file is exit 2', async () => {
    const run = await runCli(scanArgs(join(dir, 'out'), join(dir, 'nope.yaml')), SAMPLE_GOVERNANCE_AS_OF);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nope\.yaml: cannot be read \(ENOENT\)/);
  });
});

describe('--fail-on (observed; EXCEPTED) and --fail-on-effective', () => {
  it('gates on EXCEPTED and on effective statuses; --fail-on keeps checking what Azure showed', async () => {
    const excepted = await runCli(
      [...scanArgs(join(dir, 'a'), GOVERNANCE), '--fail-on', 'excepted'],
      SAMPLE_GOVERNANCE_AS_OF,
    );
    expect(excepted.code).toBe(1);
    expect(excepted.stderr).toContain('--fail-on: found 7 EXCEPTED');
    const effective = await runCli(
      [...scanArgs(join(dir, 'b'), GOVERNANCE), '--fail-on-effective', 'FAIL,EXCEPTED'],
      SAMPLE_GOVERNANCE_AS_OF,
    );
    expect(effective.code).toBe(1);
    expect(effective.stderr).toContain('--fail-on-effective: found 76 FAIL, 7 EXCEPTED (effective)');
    const observed = await runCli(
      [...scanArgs(join(dir, 'c'), GOVERNANCE), '--fail-on', 'FAIL'],
      SAMPLE_GOVERNANCE_AS_OF,
    );
    expect(observed.code).toBe(1);
    expect(observed.stderr).toContain('--fail-on: found 82 FAIL');
  });

  it('without governance nothing is EXCEPTED; an unknown status is exit 2', async () => {
    const args = scanArgs(join(dir, 'd'), GOVERNANCE).slice(0, -2);
    const none = await runCli(
      [...args, '--fail-on', 'EXCEPTED', '--fail-on-effective', 'EXCEPTED'],
      SAMPLE_GOVERNANCE_AS_OF,
    );
    expect(none.code).toBe(0);
    const bad = await runCli(
      [...scanArgs(join(dir, 'e'), GOVERNANCE), '--fail-on-effective', 'WAIVED'],
      SAMPLE_GOVERNANCE_AS_OF,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--fail-on-effective takes one of PASS, FAIL, MANUAL, NOT_APPLICABLE, ERROR, EXCEPTED',
    );
    expect(await listDirectory(join(dir, 'e'))).toBeUndefined();
  });

  it('an excepted FAIL still trips --fail-on FAIL but not --fail-on-effective FAIL', () => {
    const run = {
      counts: { PASS: 3, FAIL: 1, MANUAL: 0, NOT_APPLICABLE: 0, ERROR: 0 },
      effectiveCounts: { PASS: 3, FAIL: 0, MANUAL: 0, NOT_APPLICABLE: 0, ERROR: 0, EXCEPTED: 1 },
    };
    expect(failOnMatches(run, ['FAIL'], [])).toEqual(['--fail-on: found 1 FAIL']);
    expect(failOnMatches(run, [], ['FAIL'])).toEqual([]);
    expect(failOnMatches(run, [], ['EXCEPTED', 'PASS'])).toEqual([
      '--fail-on-effective: found 1 EXCEPTED, 3 PASS (effective)',
    ]);
    // A run stored before governance: effective equals observed, nothing excepted.
    expect(failOnMatches({ counts: run.counts }, ['EXCEPTED'], ['FAIL'])).toEqual([
      '--fail-on-effective: found 1 FAIL (effective)',
    ]);
  });
});
