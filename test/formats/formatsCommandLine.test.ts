import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CommandIo } from '../../cli/commandIo.js';
import { runScanCommand, scanFromArguments } from '../../cli/runScanCommand.js';
import { parseScanArguments } from '../../cli/scanArguments.js';
import {
  startFakeLogsIngestion,
  type FakeLogsIngestion,
  type IngestionFault,
} from '../fakes/fakeLogsIngestion.js';
import { listDirectory, writeJsonFile } from '../cli/cliHarness.js';
import { mixedFleetRows, NOW } from '../findings/mixedFleet.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';
import { oscalDocumentErrors } from './oscalSchema.js';
import { ocsfEventErrors } from './ocsfSchema.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir = '';
beforeEach(async () => {
  dir = await makeTempDir('arc-dc-formats-');
});
afterEach(async () => {
  await removeTempDir(dir);
});

function io(env: Record<string, string> = {}): CommandIo & { err: () => string } {
  let stderr = '';
  return {
    stdout: () => undefined,
    stderr: (text) => {
      stderr += text;
    },
    interactive: false,
    now: () => new Date(NOW.getTime()),
    env,
    err: () => stderr,
  };
}

let outputs = 0;
async function scan(extra: string[], env: Record<string, string> = {}) {
  const inventory = await writeJsonFile(join(dir, 'fleet.json'), mixedFleetRows());
  const out = join(dir, `out-${outputs++}`);
  const console = io(env);
  const code = await runScanCommand(
    ['--inventory', inventory, '--out', out, '--no-store', ...extra],
    console,
  );
  return { code, out, stderr: console.err(), listing: (await listDirectory(out)) ?? [] };
}

describe('scan --formats', () => {
  it('writes both interchange formats by default, valid, beside findings.json', async () => {
    const { code, out, listing } = await scan([]);
    expect(code).toBe(0);
    expect(listing).toEqual(
      expect.arrayContaining(['assessment-results.oscal.json', 'findings.ocsf.json', 'findings.json']),
    );
    expect(
      oscalDocumentErrors(JSON.parse(await readFile(join(out, 'assessment-results.oscal.json'), 'utf8'))),
    ).toEqual([]);
    const events = JSON.parse(await readFile(join(out, 'findings.ocsf.json'), 'utf8')) as unknown[];
    const findings = (
      JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as { findings: unknown[] }
    ).findings;
    expect(events).toHaveLength(findings.length);
    expect(events.flatMap((event) => ocsfEventErrors(event, 'compliance_finding'))).toEqual([]);
    expect(listing.filter((name) => /tmp|spool/.test(name))).toEqual([]);
  });

  it('writes only the formats chosen', async () => {
    expect((await scan(['--formats', 'oscal'])).listing).not.toContain('findings.ocsf.json');
    const only = await scan(['--formats', 'ocsf']);
    expect(only.listing).toContain('findings.ocsf.json');
    expect(only.listing).not.toContain('assessment-results.oscal.json');
    const none = await scan(['--formats', 'none']);
    expect(none.listing.filter((name) => name.includes('oscal') || name.includes('ocsf'))).toEqual([]);
    expect(none.listing).toContain('findings.json');
  });

  it('refuses an unknown format before doing any work', async () => {
    const { code, stderr, listing } = await scan(['--formats', 'oscal,stix']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--formats takes oscal, ocsf, all or none.*"stix"/);
    expect(listing).toEqual([]);
  });
});

describe('scan with Azure Monitor Logs configured', () => {
  let fake: FakeLogsIngestion | undefined;
  const saved = new Map<string, string | undefined>();
  async function destination(faults?: (count: number, stream: string) => IngestionFault) {
    fake = await startFakeLogsIngestion({ ruleId: 'dcr-0123456789abcdef0123456789abcdef', faults });
    for (const key of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) {
      saved.set(key, process.env[key]);
      process.env[key] = fake.env[key];
    }
    return { ...fake.env, MONITOR_MAX_RETRIES: '1' };
  }
  afterEach(async () => {
    await fake?.close();
    for (const [key, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  });

  it('uploads the run and says so', async () => {
    const env = await destination();
    const { code, stderr } = await scan([], env);
    expect(code).toBe(0);
    expect(stderr).toMatch(/Azure Monitor Logs: uploaded \d+ finding row\(s\) and the run summary/);
    expect(fake?.rows.get('Custom-ArcDataComplianceRuns_CL')).toHaveLength(1);
  });

  it('a failed upload is reported and does not change the outcome of the scan', async () => {
    const env = await destination(() => ({ status: 503 }));
    const inventory = await writeJsonFile(join(dir, 'fleet.json'), mixedFleetRows());
    const args = parseScanArguments(['--inventory', inventory, '--out', join(dir, 'out'), '--no-store']);
    if (args === 'help') throw new Error('help');
    const console = io(env);
    const outcome = await scanFromArguments(args, console);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.logsUpload).toMatchObject({ status: 'failed' });
    expect(outcome.logsUpload?.error).toMatch(/503/);
    expect(console.err()).toMatch(/warning: Azure Monitor Logs upload failed/);
  });

  it('a half-configured destination is a usage error before anything is written', async () => {
    const { code, stderr, listing } = await scan([], { MONITOR_INGESTION_ENDPOINT: 'https://dce.example' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/MONITOR_DCR_IMMUTABLE_ID/);
    expect(listing).toEqual([]);
  });
});

describe('scan with the sample governance file', () => {
  it('turns the applied exceptions into accepted risks and the attestations into OSCAL attestations', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const { readdir } = await import('node:fs/promises');
    const inventories = (await readdir(join(root, 'sample', 'fleet'))).map((name) =>
      join(root, 'sample', 'fleet', name),
    );
    const out = join(dir, 'governed');
    const console = io();
    const code = await runScanCommand(
      [
        ...inventories.flatMap((file) => ['--inventory', file]),
        '--settings',
        join(root, 'sample', 'fleet.settings.json'),
        '--governance',
        join(root, 'sample', 'fleet.governance.yaml'),
        '--as-of',
        '2026-11-20T06:00:00.000Z',
        '--out',
        out,
        '--no-store',
      ],
      console,
    );
    expect(code, console.err()).toBe(0);
    const findings = (
      JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as {
        findings: { effectiveStatus?: string; status: string; governance?: { attestationId?: string } }[];
      }
    ).findings;
    const excepted = findings.filter((finding) => finding.effectiveStatus === 'EXCEPTED').length;
    const attested = findings.filter(
      (finding) => finding.governance?.attestationId && finding.status === 'MANUAL',
    ).length;
    expect(excepted).toBeGreaterThan(0);
    expect(attested).toBeGreaterThan(0);
    const document = JSON.parse(await readFile(join(out, 'assessment-results.oscal.json'), 'utf8')) as Json;
    expect(oscalDocumentErrors(document)).toEqual([]);
    const result = document['assessment-results'].results[0];
    expect(result.risks).toHaveLength(excepted);
    for (const risk of result.risks) {
      expect(risk.status).toBe('deviation-approved');
      expect(risk.deadline).toMatch(/^20\d\d-/);
      expect(risk.props.find((p: { name: string }) => p.name === 'owner')?.value).toBeTruthy();
      expect(risk.description).not.toContain('no justification recorded');
    }
    expect(result.attestations).toHaveLength(attested);
    expect(result.observations.filter((o: { methods: string[] }) => o.methods[0] === 'EXAMINE')).toHaveLength(
      attested,
    );
    const events = JSON.parse(await readFile(join(out, 'findings.ocsf.json'), 'utf8')) as {
      status: string;
    }[];
    expect(events.filter((event) => event.status === 'Suppressed')).toHaveLength(excepted);
  });
});
