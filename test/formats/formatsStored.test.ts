import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import { beforeAll, describe, expect, it } from 'vitest';

import type { CommandIo } from '../../cli/commandIo.js';
import { runReportCommand } from '../../cli/runReportCommand.js';
import { handleGetRun, handleRunResource, type ApiDependencies } from '../../shared/api/complianceApi.js';
import { blobReportStore } from '../../shared/fanout/reportPublisher.js';
import { writeScanOutputs } from '../../shared/output/writeScanOutputs.js';
import { storeRun } from '../../shared/storage/storeRun.js';
import { memorySource } from '../../shared/scan/runSource.js';
import { apiRequest, principalHeader } from '../functions/apiRequests.js';
import { sampleRun } from '../storage/scanResults.js';
import { freshStore } from '../storage/storageHarness.js';
import { ocsfEventErrors } from './ocsfSchema.js';
import { oscalDocumentErrors } from './oscalSchema.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const READER = principalHeader(['Compliance.Reader']);

async function text(stream: unknown): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream as Readable) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

const observationIds = (document: Json): string[] =>
  ((document['assessment-results'].results[0].observations ?? []) as Json[])
    .map((o) => o.uuid as string)
    .sort();

describe('interchange formats of a stored run', () => {
  const result = sampleRun('current', new Date('2026-11-20T06:00:00Z'));
  const runId = result.run.id;
  let deps: ApiDependencies;
  let env: Record<string, string>;

  beforeAll(async () => {
    const store = await freshStore();
    const reports = blobReportStore(
      { kind: 'connectionString', connectionString: process.env.STORAGE_TEST_CONNECTION ?? '' },
      `reports-${randomBytes(4).toString('hex')}`,
    );
    const uploaded = await reports.publish(runId, async (folder) => {
      await writeScanOutputs(folder, result);
    });
    expect(uploaded).toEqual(
      expect.arrayContaining([`${runId}/assessment-results.oscal.json`, `${runId}/findings.ocsf.json`]),
    );
    await storeRun({ store, source: memorySource(result), scopeKey: 'sample' });
    env = {
      STORAGE_CONNECTION: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: store.tables.runs.tableName.replace(/runs$/, ''),
    };
    deps = {
      store,
      reports,
      startScan: async () => ({ runId, batches: 0, inline: true }),
      rescan: async () => ({ runId, status: 'complete', score: 0 }),
      deadLetters: async () => [],
    };
  });

  it('the API serves both files from Blob Storage, linked from the run', async () => {
    const run = await handleGetRun(apiRequest({ principal: READER, params: { runId } }), deps);
    const links = (run.jsonBody as Json).links as Record<string, string>;
    expect(links.oscal).toBe(`/api/runs/${runId}/assessment-results.oscal.json`);
    expect(links.ocsf).toBe(`/api/runs/${runId}/findings.ocsf.json`);
    expect(links.json).toBe(`/api/runs/${runId}/report.json`);

    const oscal = await handleRunResource(
      apiRequest({ principal: READER, params: { runId, resource: 'assessment-results.oscal.json' } }),
      deps,
    );
    expect(oscal.status).toBe(200);
    expect(oscal.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(oscal.headers['content-disposition']).toBe(
      `attachment; filename="compliance-${runId}-assessment-results.oscal.json"`,
    );
    const document = JSON.parse(await text(oscal.body)) as Json;
    expect(oscalDocumentErrors(document)).toEqual([]);

    const ocsf = await handleRunResource(
      apiRequest({ principal: READER, params: { runId, resource: 'findings.ocsf.json' } }),
      deps,
    );
    expect(ocsf.status).toBe(200);
    const events = JSON.parse(await text(ocsf.body)) as Json[];
    expect(events).toHaveLength(result.findings.length);
    expect(events.flatMap((event) => ocsfEventErrors(event, 'compliance_finding'))).toEqual([]);
  });

  it('names that only look like the files are not served; readers only', async () => {
    for (const resource of [
      'assessment-results.oscal.json.bak',
      'report.oscal',
      'report.ocsf',
      '../findings.ocsf.json',
    ]) {
      const response = await handleRunResource(
        apiRequest({ principal: READER, params: { runId, resource } }),
        deps,
      );
      expect(response.status, resource).toBe(404);
    }
    const anonymous = await handleRunResource(
      apiRequest({ params: { runId, resource: 'findings.ocsf.json' } }),
      deps,
    );
    expect(anonymous.status).toBe(401);
  });

  it('npm run report regenerates them from storage, equivalent to the ones of the scan', async () => {
    const out = await mkdtemp(join(tmpdir(), 'report-formats-'));
    const scanned = await mkdtemp(join(tmpdir(), 'scan-formats-'));
    let stderr = '';
    const io: CommandIo = {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
      interactive: false,
      now: () => new Date(),
      env,
    };
    try {
      expect(await runReportCommand(['--run', runId, '--out', out], io), stderr).toBe(0);
      await writeScanOutputs(scanned, result);
      const regenerated = JSON.parse(
        await readFile(join(out, 'assessment-results.oscal.json'), 'utf8'),
      ) as Json;
      const original = JSON.parse(
        await readFile(join(scanned, 'assessment-results.oscal.json'), 'utf8'),
      ) as Json;
      expect(oscalDocumentErrors(regenerated)).toEqual([]);
      expect(regenerated['assessment-results'].uuid).toBe(original['assessment-results'].uuid);
      expect(regenerated['assessment-results'].metadata).toEqual(original['assessment-results'].metadata);
      expect(observationIds(regenerated)).toEqual(observationIds(original));
      const events = JSON.parse(await readFile(join(out, 'findings.ocsf.json'), 'utf8')) as Json[];
      const originalEvents = JSON.parse(
        await readFile(join(scanned, 'findings.ocsf.json'), 'utf8'),
      ) as Json[];
      expect(events.map((e) => e.finding_info.uid).sort()).toEqual(
        originalEvents.map((e) => e.finding_info.uid).sort(),
      );
      expect(await runReportCommand(['--run', runId, '--out', out, '--formats', 'xml'], io)).toBe(2);
    } finally {
      await rm(out, { recursive: true, force: true });
      await rm(scanned, { recursive: true, force: true });
    }
  });
});
