import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { checkFindingsDocument, STATUSES, type FindingsDocument } from '../findings/findingsDocument.js';
import { compliantArcRows, daysBefore, mixedFleetRows, NOW } from '../findings/mixedFleet.js';
import { contractColumns, csvObjects, FORMULA_START, parseCsvStrict } from '../findings/rfc4180.js';
import { inventoryArcCluster, azGraphQueryOutput, resourceGraphRow } from '../support/azureRows.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';
import { listDirectory, outputs, readJsonFile, runCli, writeJsonFile } from './cliHarness.js';

let dir = '';

beforeEach(async () => {
  dir = await makeTempDir('arc-dc-cli-');
});

afterEach(async () => {
  await removeTempDir(dir);
});

function at(name: string): string {
  return join(dir, name);
}

async function scanOk(rows: unknown[], extra: string[] = []) {
  const inventory = await writeJsonFile(at('fleet.json'), rows);
  const out = at('out');
  const run = await runCli(['--inventory', inventory, '--out', out, ...extra]);
  return { ...run, out, inventory };
}

async function findingsOf(out: string): Promise<FindingsDocument> {
  return checkFindingsDocument(await readJsonFile(outputs(out).json));
}

function status(doc: FindingsDocument, clusterName: string, controlId: string): string | undefined {
  return doc.findings.find((f) => f.clusterName === clusterName && f.controlId === controlId)?.status;
}

describe('scan: a completed scan', () => {
  it('exits 0 whatever the verdicts and writes findings.json and findings.csv', async () => {
    const { code, out } = await scanOk(mixedFleetRows());
    expect(code).toBe(0);
    const doc = await findingsOf(out);
    expect(doc.run.counts.FAIL).toBeGreaterThan(0);
    expect(doc.run.counts.ERROR).toBeGreaterThan(0);
    const listing = (await listDirectory(out)) ?? [];
    expect(listing).toEqual(expect.arrayContaining(['findings.csv', 'findings.json']));
    expect(listing.filter((name) => name.includes('tmp'))).toEqual([]);
  });

  it('writes a findings.json that follows contract §3, with source snapshot and the clock of the run', async () => {
    const { out } = await scanOk(mixedFleetRows());
    const doc = await findingsOf(out);
    expect(doc.run.source).toBe('snapshot');
    expect(doc.run.startedAt).toBe(NOW.toISOString());
    expect(doc.run.complete).toBe(true);
    expect(doc.run.clusterCount).toBe(7);
    expect(doc.findings).toHaveLength(70);
  });

  it('writes a findings.csv with one strict RFC 4180 row per finding of findings.json', async () => {
    const { out } = await scanOk(mixedFleetRows());
    const doc = await findingsOf(out);
    const text = await readFile(outputs(out).csv, 'utf8');
    const { header, rows } = csvObjects(text);
    const col = contractColumns(header);
    expect(rows).toHaveLength(doc.findings.length);
    doc.findings.forEach((finding, index) => {
      expect(rows[index]?.[col.clusterId]).toBe(finding.clusterId);
      expect(rows[index]?.[col.controlId]).toBe(finding.controlId);
      expect(rows[index]?.[col.status]).toBe(finding.status);
    });
  });

  it('prints the summary on stdout: clusters, findings by status and score', async () => {
    const { stdout, out } = await scanOk(mixedFleetRows());
    const doc = await findingsOf(out);
    expect(stdout).toMatch(/clusters\D{0,20}7\b/i);
    const lines = stdout.split('\n');
    for (const s of STATUSES) {
      const names = s === 'NOT_APPLICABLE' ? '(?:NOT_APPLICABLE|NOT APPLICABLE|N/A)' : s;
      const pattern = new RegExp(`\\b${names}[^\\d\\n]{0,10}${doc.run.counts[s]}\\b`);
      expect(
        lines.some((line) => pattern.test(line)),
        `${s} ${doc.run.counts[s]} in the summary`,
      ).toBe(true);
    }
    const percent = doc.run.score * 100;
    const renderings = [
      `${percent.toFixed(0)}%`,
      `${percent.toFixed(1)}%`,
      `${percent.toFixed(2)}%`,
      String(doc.run.score),
    ];
    expect(
      renderings.some((r) => stdout.includes(r)),
      `score ${doc.run.score} in ${stdout}`,
    ).toBe(true);
  });

  it('reports progress on stderr, not on stdout', async () => {
    const { stdout, stderr } = await scanOk(mixedFleetRows());
    expect(stderr).toContain('7/7');
    expect(stdout).not.toContain('7/7');
  });

  it('creates a missing --out directory, including its parents', async () => {
    const inventory = await writeJsonFile(at('fleet.json'), compliantArcRows('a'));
    const out = at('deep/er/out');
    const { code } = await runCli(['--inventory', inventory, '--out', out]);
    expect(code).toBe(0);
    expect(await listDirectory(out)).toEqual(expect.arrayContaining(['findings.csv', 'findings.json']));
  });

  it('replaces the outputs of an earlier run in the same --out', async () => {
    const out = at('out');
    const first = await writeJsonFile(at('first.json'), mixedFleetRows());
    const second = await writeJsonFile(at('second.json'), compliantArcRows('only'));
    expect((await runCli(['--inventory', first, '--out', out])).code).toBe(0);
    expect((await runCli(['--inventory', second, '--out', out])).code).toBe(0);
    const doc = await findingsOf(out);
    expect(doc.clusters.map((c) => c.name)).toEqual(['only']);
    expect(csvObjects(await readFile(outputs(out).csv, 'utf8')).rows).toHaveLength(10);
  });

  it('merges several --inventory files, the same ID in another case counting once', async () => {
    const graph = await writeJsonFile(
      at('graph.json'),
      azGraphQueryOutput([
        resourceGraphRow(inventoryArcCluster({ name: 'Edge-01', set: { distribution: 'k3s' } })),
      ]),
    );
    const later = inventoryArcCluster({ name: 'Edge-01', set: { distribution: 'openshift' } });
    later.id = String(later.id).toUpperCase();
    const arm = await writeJsonFile(at('arm.json'), { value: [later], nextLink: null });
    const out = at('out');
    expect((await runCli(['--inventory', graph, '--inventory', arm, '--out', out])).code).toBe(0);
    const doc = await findingsOf(out);
    expect(doc.run.clusterCount).toBe(1);
    expect(doc.clusters[0]?.distribution).toBe('openshift');
  });

  it('lists skipped rows in run.inventoryWarnings with the file and position', async () => {
    const { out, inventory } = await scanOk([inventoryArcCluster({ name: 'a' }), 42, { id: '/only-an-id' }]);
    const doc = await findingsOf(out);
    expect(doc.run.inventoryWarnings).toHaveLength(2);
    for (const [index, warning] of doc.run.inventoryWarnings.entries()) {
      expect(warning.where).toContain(inventory);
      expect(warning.where).toContain(`[${index + 1}]`);
    }
  });

  it('ignores resources of other types and counts them by type in the run', async () => {
    const disk = {
      id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/disks/d1',
      type: 'microsoft.compute/disks',
    };
    const { code, out } = await scanOk([...compliantArcRows('a'), disk, { ...disk, id: `${disk.id}2` }]);
    expect(code).toBe(0);
    const doc = await findingsOf(out);
    expect(doc.run.clusterCount).toBe(1);
    expect(doc.run.inventoryWarnings).toEqual([]);
    expect(JSON.stringify(doc.run)).toMatch(/"microsoft\.compute\/disks":\s*2/);
  });

  it('reads a UTF-16LE inventory with a BOM', async () => {
    const path = at('utf16.json');
    const text = JSON.stringify(compliantArcRows('wide'));
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const out = at('out');
    expect((await runCli(['--inventory', path, '--out', out])).code).toBe(0);
    expect((await findingsOf(out)).clusters.map((c) => c.name)).toEqual(['wide']);
  });

  it('writes a spreadsheet-safe UTF-8 findings.csv for hostile and non-ASCII names', async () => {
    const names = ['=HYPERLINK("http://x")', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'clúster-東京-🚀'];
    const rows = names.map((name, index) => ({ ...inventoryArcCluster({ name: `c${index}` }), name }));
    const { code, out } = await scanOk(rows);
    expect(code).toBe(0);
    const bytes = await readFile(outputs(out).csv);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const records = parseCsvStrict(text);
    expect(records).toHaveLength(1 + names.length * 10);
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(FORMULA_START);
    const { header, rows: objects } = csvObjects(text);
    const col = contractColumns(header);
    expect(objects.filter((r) => r[col.clusterName] === 'clúster-東京-🚀')).toHaveLength(10);
    const doc = await findingsOf(out);
    // findings.json keeps the names as they are; only the CSV cells are neutralised.
    expect(doc.clusters.map((c) => c.name).sort()).toEqual([...names].sort());
  });
});

describe('scan: --fail-on', () => {
  it('exits 1 when a finding has the status, and still writes the outputs', async () => {
    const { code, out, stderr } = await scanOk(mixedFleetRows(), ['--fail-on', 'FAIL']);
    expect(code).toBe(1);
    expect((await findingsOf(out)).run.counts.FAIL).toBeGreaterThan(0);
    expect(stderr).toContain('FAIL');
  });

  it('exits 0 when no finding has the status', async () => {
    const { code, out } = await scanOk(compliantArcRows('clean'), ['--fail-on', 'FAIL']);
    const doc = await findingsOf(out);
    expect(doc.run.counts.FAIL).toBe(0);
    expect(code).toBe(0);
  });

  it('applies to the other statuses too (MANUAL present → 1, ERROR absent → 0)', async () => {
    const manual = await scanOk(compliantArcRows('clean'), ['--fail-on', 'MANUAL']);
    expect(manual.code).toBe(1);
    const error = await scanOk(compliantArcRows('clean'), ['--fail-on', 'ERROR']);
    expect(error.code).toBe(0);
  });

  it('exits 0 for an empty inventory', async () => {
    const { code, out } = await scanOk([], ['--fail-on', 'FAIL']);
    expect(code).toBe(0);
    expect((await findingsOf(out)).findings).toEqual([]);
  });
});

describe('scan: usage errors exit 2 and write nothing', () => {
  async function usage(argv: (inventory: string, out: string) => string[]) {
    const inventory = await writeJsonFile(at('fleet.json'), mixedFleetRows());
    const out = at('out');
    const run = await runCli(argv(inventory, out));
    expect(run.code).toBe(2);
    expect(run.stderr.length).toBeGreaterThan(0);
    expect(await listDirectory(out)).toBeUndefined();
    return run;
  }

  it('no arguments', async () => {
    await usage(() => []);
  });

  it('no --out', async () => {
    await usage((inventory) => ['--inventory', inventory]);
  });

  it('no --inventory', async () => {
    await usage((_inventory, out) => ['--out', out]);
  });

  it('a bad --fail-on value', async () => {
    const { stderr } = await usage((inventory, out) => [
      '--inventory',
      inventory,
      '--out',
      out,
      '--fail-on',
      'BROKEN',
    ]);
    expect(stderr).toContain('--fail-on');
  });

  it('an unknown flag', async () => {
    const { stderr } = await usage((inventory, out) => [
      '--inventory',
      inventory,
      '--out',
      out,
      '--frobnicate',
    ]);
    expect(stderr).toContain('frobnicate');
  });

  it('--live combined with --inventory', async () => {
    await usage((inventory, out) => ['--live', '--inventory', inventory, '--out', out]);
  });

  it('a bad --as-of value', async () => {
    await usage((inventory, out) => ['--inventory', inventory, '--out', out, '--as-of', 'yesterday']);
  });
});

describe('scan: input errors exit 2, name the file and write nothing', () => {
  it('invalid JSON: stderr names the file and line:column, --out is not created', async () => {
    const bad = at('broken.json');
    await writeFile(bad, '[\n  {"id": "/x", "type": "t"}\n  {"id": "/y", "type": "t"}\n]\n', 'utf8');
    const out = at('out');
    const { code, stderr, stdout } = await runCli(['--inventory', bad, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(bad);
    expect(stderr).toContain(`${bad}:3:3`);
    expect(stdout).toBe('');
    expect(await listDirectory(out)).toBeUndefined();
  });

  it('invalid JSON after a good file: an existing --out folder gets no findings files', async () => {
    const good = await writeJsonFile(at('good.json'), mixedFleetRows());
    const bad = at('bad.json');
    await writeFile(bad, '{"data": [', 'utf8');
    const out = at('out');
    await mkdir(out);
    const { code, stderr } = await runCli(['--inventory', good, '--inventory', bad, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(bad);
    expect(stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`));
    expect(await listDirectory(out)).toEqual([]);
  });

  it('a missing inventory file', async () => {
    const missing = at('nope.json');
    const out = at('out');
    const { code, stderr } = await runCli(['--inventory', missing, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(missing);
    expect(await listDirectory(out)).toBeUndefined();
  });

  it('an empty inventory file', async () => {
    const empty = at('empty.json');
    await writeFile(empty, '');
    const out = at('out');
    const { code, stderr } = await runCli(['--inventory', empty, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(empty);
    expect(await listDirectory(out)).toBeUndefined();
  });

  it('an --out that is an existing file: exit 2 naming it, and the file is left alone', async () => {
    const inventory = await writeJsonFile(at('fleet.json'), compliantArcRows('a'));
    const file = at('not-a-directory');
    await writeFile(file, 'keep me', 'utf8');
    const run = await runCli(['--inventory', inventory, '--out', file]).catch((error: unknown) => ({
      code: `threw ${String(error)}`,
      stdout: '',
      stderr: '',
    }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(file);
    expect(await readFile(file, 'utf8')).toBe('keep me');
  });

  it('JSON that is not an inventory', async () => {
    const odd = await writeJsonFile(at('odd.json'), { hello: 'world' });
    const out = at('out');
    const { code, stderr } = await runCli(['--inventory', odd, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(odd);
    expect(await listDirectory(out)).toBeUndefined();
  });
});

describe('scan: --settings', () => {
  const offlineRows = () =>
    compliantArcRows('offline', { connectivityStatus: 'Offline', lastConnectivityTime: daysBefore(NOW, 3) });

  it.each([
    ['not JSON', '{ thresholds: '],
    ['nothing in it', ''],
    ['an array', '[]'],
    ['a threshold of the wrong type', JSON.stringify({ thresholds: { maxDaysOffline: 'thirty' } })],
    ['a negative threshold', JSON.stringify({ thresholds: { maxRotationPollIntervalSeconds: -1 } })],
    ['thresholds that are not an object', JSON.stringify({ thresholds: 5 })],
    ['a bad minimum agent version', JSON.stringify({ thresholds: { minimumAgentVersion: 'latest' } })],
    ['a bad Azure Local host mapping', JSON.stringify({ azureLocalHosts: { 'not-an-id': 'also-not' } })],
  ])('a settings file with %s exits 2 and writes nothing', async (_label, content) => {
    const settings = at('settings.json');
    await writeFile(settings, content, 'utf8');
    const inventory = await writeJsonFile(at('fleet.json'), offlineRows());
    const out = at('out');
    const { code, stderr } = await runCli(['--inventory', inventory, '--out', out, '--settings', settings]);
    expect(code).toBe(2);
    expect(stderr).toContain(settings);
    expect(await listDirectory(out)).toBeUndefined();
  });

  it('a missing settings file exits 2', async () => {
    const inventory = await writeJsonFile(at('fleet.json'), offlineRows());
    const { code } = await runCli([
      '--inventory',
      inventory,
      '--out',
      at('out'),
      '--settings',
      at('none.json'),
    ]);
    expect(code).toBe(2);
    expect(await listDirectory(at('out'))).toBeUndefined();
  });

  it('valid settings change the thresholds the verdicts use', async () => {
    const settings = await writeJsonFile(at('settings.json'), { thresholds: { maxDaysOffline: 2 } });
    const strict = await scanOk(offlineRows(), ['--settings', settings]);
    expect(strict.code).toBe(0);
    expect(status(await findingsOf(strict.out), 'offline', 'DS-10')).toBe('FAIL');
    const lenient = await scanOk(offlineRows());
    expect(status(await findingsOf(lenient.out), 'offline', 'DS-10')).toBe('PASS');
  });
});

describe('scan: --as-of', () => {
  const rows = () =>
    compliantArcRows('offline', { connectivityStatus: 'Offline', lastConnectivityTime: daysBefore(NOW, 3) });

  it('judges days offline as of the clock by default (3 days → within 30)', async () => {
    const { out } = await scanOk(rows());
    const doc = await findingsOf(out);
    expect(status(doc, 'offline', 'DS-10')).toBe('PASS');
  });

  it('judges days offline as of --as-of (60 days later → beyond 30)', async () => {
    const later = new Date(NOW.getTime() + 60 * 86_400_000).toISOString();
    const { code, out } = await scanOk(rows(), ['--as-of', later]);
    expect(code).toBe(0);
    const doc = await findingsOf(out);
    expect(status(doc, 'offline', 'DS-10')).toBe('FAIL');
    expect(doc.findings.find((f) => f.clusterName === 'offline' && f.controlId === 'DS-10')?.reason).toMatch(
      /63 days/,
    );
  });

  it('--as-of before the outage keeps the cluster within the limit even when the clock is late', async () => {
    const inventory = await writeJsonFile(at('fleet.json'), rows());
    const out = at('out');
    const lateClock = new Date(NOW.getTime() + 90 * 86_400_000);
    const { code } = await runCli(
      ['--inventory', inventory, '--out', out, '--as-of', NOW.toISOString()],
      lateClock,
    );
    expect(code).toBe(0);
    expect(status(await findingsOf(out), 'offline', 'DS-10')).toBe('PASS');
    const { code: code2 } = await runCli(['--inventory', inventory, '--out', out], lateClock);
    expect(code2).toBe(0);
    expect(status(await findingsOf(out), 'offline', 'DS-10')).toBe('FAIL');
  });
});
