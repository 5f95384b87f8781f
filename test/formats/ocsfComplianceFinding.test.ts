import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Finding } from '../../shared/catalog/types.js';
import { ocsfFindingUid, PRODUCT } from '../../shared/formats/ocsf/ocsfComplianceFinding.js';
import { writeFormatOutputs } from '../../shared/formats/writeFormatOutputs.js';
import { memorySource } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { emptyRun, onlyNotApplicableRun, sampleRun, syntheticRun } from './formatFleets.js';
import { ocsfEventErrors, OCSF_SCHEMA_VERSION } from './ocsfSchema.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ocsf-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

let counter = 0;
async function writeOcsf(result: ScanResult): Promise<{ events: Json[]; path: string }> {
  const [path] = await writeFormatOutputs(join(folder, String(counter++)), memorySource(result), ['ocsf']);
  if (!path) throw new Error('nothing written');
  return { events: JSON.parse(await readFile(path, 'utf8')) as Json[], path };
}

function expectValidEvents(events: Json[]): void {
  const errors = events.flatMap((event, index) =>
    ocsfEventErrors(event, 'compliance_finding').map((error) => `#${index} ${error}`),
  );
  expect(errors.slice(0, 10)).toEqual([]);
}

describe('OCSF compliance findings', () => {
  it('the sample fleet gives one valid Compliance Finding (class 2003, category Findings) per finding', async () => {
    const run = sampleRun();
    const { events } = await writeOcsf(run);
    expect(events).toHaveLength(run.findings.length);
    expectValidEvents(events);
    for (const [index, event] of events.entries()) {
      const finding = run.findings[index] as Finding;
      const cluster = run.clusters.find((c) => c.id === finding.clusterId);
      expect(event.class_uid).toBe(2003);
      expect(event.category_uid).toBe(2);
      expect(event.metadata.version).toBe(OCSF_SCHEMA_VERSION);
      expect(event.metadata.product).toEqual(PRODUCT);
      expect(event.finding_info.uid).toBe(ocsfFindingUid(finding.clusterId, finding.controlId));
      expect(event.compliance.control).toBe(finding.controlId);
      expect(event.compliance.standards).toContain('NIST SP 800-53 Rev. 5');
      expect(event.cloud).toMatchObject({ provider: 'Azure', account: { uid: finding.subscriptionId } });
      expect(event.resources[0]).toMatchObject({ uid: finding.clusterId, name: finding.clusterName });
      if (cluster?.location) expect(event.resources[0].region).toBe(cluster.location);
      expect(event.severity_id).toBe({ high: 4, medium: 3, low: 2 }[finding.severity]);
      const complianceStatus = { PASS: 1, FAIL: 3, MANUAL: 2, ERROR: 0, NOT_APPLICABLE: 99 }[finding.status];
      expect(event.compliance.status_id).toBe(complianceStatus);
      expect(event.status_code).toBe(finding.status);
    }
    expect(new Set(events.map((event) => event.finding_info.uid)).size).toBe(events.length);
  });

  it('finding_info.uid is stable across runs and ignores the case of the cluster ID', async () => {
    const run = sampleRun();
    const other = await writeOcsf({ ...run, run: { ...run.run, id: '20261121T060000Z-99999999' } });
    const first = await writeOcsf(run);
    expect(other.events.map((e) => e.finding_info.uid)).toEqual(first.events.map((e) => e.finding_info.uid));
    expect(other.events.map((e) => e.metadata.uid)).not.toEqual(first.events.map((e) => e.metadata.uid));
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (name) => {
        const id = `/subscriptions/0/resourceGroups/g/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
        expect(ocsfFindingUid(id.toUpperCase(), 'DS-01')).toBe(ocsfFindingUid(id.toLowerCase(), 'DS-01'));
        expect(ocsfFindingUid(id, 'DS-01')).not.toBe(ocsfFindingUid(id, 'DS-02'));
      }),
    );
  });

  it('an empty fleet gives an empty array; a fleet of N/A findings gives valid events marked Other', async () => {
    expect((await writeOcsf(emptyRun())).events).toEqual([]);
    const { events } = await writeOcsf(onlyNotApplicableRun());
    expectValidEvents(events);
    expect(
      events.every(
        (event) => event.compliance.status_id === 99 && event.compliance.status === 'Not Applicable',
      ),
    ).toBe(true);
  });

  it('an excepted finding is Suppressed with the exception named; malformed governance changes nothing', async () => {
    const run = sampleRun();
    const failing = run.findings.find((finding) => finding.status === 'FAIL') as Finding;
    const passing = run.findings.find((finding) => finding.status === 'PASS') as Finding;
    const findings = run.findings.map((finding) =>
      finding === failing
        ? {
            ...finding,
            effectiveStatus: 'EXCEPTED',
            governance: { exceptionId: 'EX-1', expires: '2027-01-01T00:00:00Z' },
          }
        : finding === passing
          ? { ...finding, effectiveStatus: 'EXCEPTED', governance: { exceptionId: { $ne: 1 } } }
          : finding,
    );
    const { events } = await writeOcsf({ ...run, findings: findings as Finding[] });
    expectValidEvents(events);
    const excepted = events[run.findings.indexOf(failing)] as Json;
    expect(excepted).toMatchObject({ status_id: 3, status: 'Suppressed', status_code: 'FAIL' });
    expect(excepted.compliance).toMatchObject({ status_id: 99, status: 'Excepted' });
    expect(excepted.resources[0].data.exceptionId).toBe('EX-1');
    const untouched = events[run.findings.indexOf(passing)] as Json;
    expect(untouched).toMatchObject({ status_id: 1, compliance: { status_id: 1 } });
  });

  it('the checker itself rejects a missing required attribute, a wrong enum, a wrong type and an unknown attribute', async () => {
    const [event] = (await writeOcsf(sampleRun())).events as Json[];
    const broken = (change: (copy: Json) => void): string[] => {
      const copy = structuredClone(event) as Json;
      change(copy);
      return ocsfEventErrors(copy, 'compliance_finding');
    };
    expect(broken((e) => delete e.finding_info.uid)).toContain(
      'compliance_finding.finding_info.uid: required',
    );
    expect(broken((e) => delete e.compliance)).toContain('compliance_finding.compliance: required');
    expect(broken((e) => (e.severity_id = 7)).join()).toMatch(/severity_id: 7 is not one of/);
    expect(broken((e) => (e.compliance.status_id = 4)).join()).toMatch(
      /compliance.status_id: 4 is not one of/,
    );
    expect(broken((e) => (e.time = '2026-01-01')).join()).toMatch(/time: not a timestamp_t/);
    expect(broken((e) => (e.cloud.acount = {})).join()).toMatch(/acount: not an attribute of cloud/);
    expect(broken((e) => (e.severity = 'Critical')).join()).toMatch(/severity: "Critical" should be "/);
    expect(broken((e) => (e.class_uid = 2001)).join()).toMatch(/class_uid should be 2003/);
  });

  it('names the product with the package version', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as Json;
    expect(PRODUCT).toEqual({ name: manifest.name, vendor_name: manifest.name, version: manifest.version });
  });

  it(
    'a 10,000-cluster synthetic fleet writes one valid event per finding, streamed',
    { timeout: 300_000 },
    async () => {
      const run = syntheticRun(10_000);
      const [path] = await writeFormatOutputs(join(folder, 'large'), memorySource(run), ['ocsf']);
      let count = 0;
      const errors: string[] = [];
      const uids = new Set<string>();
      for await (const line of createInterface({
        input: createReadStream(path as string),
        crlfDelay: Infinity,
      })) {
        if (line === '[' || line === ']') continue;
        const event = JSON.parse(line.trim().replace(/,$/, '')) as Json;
        if (errors.length < 10) errors.push(...ocsfEventErrors(event, 'compliance_finding'));
        uids.add(event.finding_info.uid);
        count++;
      }
      expect(errors).toEqual([]);
      expect(count).toBe(run.findings.length);
      expect(uids.size).toBe(run.findings.length);
    },
  );
});
