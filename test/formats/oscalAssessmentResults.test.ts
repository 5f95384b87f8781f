import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Finding } from '../../shared/catalog/types.js';
import { ocsfComplianceFinding } from '../../shared/formats/ocsf/ocsfComplianceFinding.js';
import { reviewedNistControls } from '../../shared/formats/oscal/oscalParts.js';
import { writeFormatOutputs } from '../../shared/formats/writeFormatOutputs.js';
import { memorySource } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { emptyRun, onlyNotApplicableRun, sampleRun, syntheticRun } from './formatFleets.js';
import { ocsfEventErrors } from './ocsfSchema.js';
import { oscalDefinitionErrors, oscalDocumentErrors } from './oscalSchema.js';
import { readOscalStreamed } from './oscalStream.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'oscal-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

let counter = 0;
async function writeOscal(result: ScanResult): Promise<{ text: string; document: Json; path: string }> {
  const directory = join(folder, String(counter++));
  const [path] = await writeFormatOutputs(directory, memorySource(result), ['oscal']);
  if (!path) throw new Error('nothing written');
  const text = await readFile(path, 'utf8');
  return { text, document: JSON.parse(text) as Json, path };
}

function expectValid(document: unknown): void {
  expect(oscalDocumentErrors(document)).toEqual([]);
}

const resultOf = (document: Json): Json => document['assessment-results'].results[0];

describe('OSCAL assessment results', () => {
  it('the sample fleet gives a schema-valid document with one observation per applicable finding', async () => {
    const run = sampleRun();
    const { document } = await writeOscal(run);
    expectValid(document);
    const ar = document['assessment-results'];
    expect(ar.metadata['oscal-version']).toBe('1.2.1');
    expect(ar.metadata['last-modified']).toBe(run.run.finishedAt);
    expect(ar.results).toHaveLength(1);
    const result = resultOf(document);
    expect(result.start).toBe(run.run.startedAt);
    expect(result.end).toBe(run.run.finishedAt);
    const applicable = run.findings.filter((finding) => finding.status !== 'NOT_APPLICABLE');
    expect(result.observations).toHaveLength(applicable.length);
    expect(result.findings).toHaveLength(applicable.length);
    expect(result['local-definitions']['inventory-items']).toHaveLength(run.clusters.length);
    expect(result.observations.every((o: Json) => o.methods[0] === 'TEST')).toBe(true);
    expect(result.risks).toBeUndefined();
    expect(result.attestations).toBeUndefined();
    const selected = result['reviewed-controls']['control-selections'][0]['include-controls'].map(
      (c: Json) => c['control-id'],
    );
    expect(selected).toEqual(reviewedNistControls());
    expect(selected).toEqual(expect.arrayContaining(['ia-5', 'sc-28', 'sc-28.1', 'sc-8.1', 'cp-9', 'si-2']));
  });

  it('links every finding to its observation, every observation to its cluster, and evidence to its paths', async () => {
    const run = sampleRun();
    const result = resultOf((await writeOscal(run)).document);
    const items = new Map<string, Json>(
      result['local-definitions']['inventory-items'].map((item: Json) => [item.uuid, item]),
    );
    const observations = new Map<string, Json>(result.observations.map((o: Json) => [o.uuid, o]));
    for (const [index, oscalFinding] of (result.findings as Json[]).entries()) {
      const source = run.findings.filter((finding) => finding.status !== 'NOT_APPLICABLE')[index] as Finding;
      const observation = observations.get(oscalFinding['related-observations'][0]['observation-uuid']);
      expect(observation).toBeDefined();
      const cluster = items.get(observation?.subjects[0]['subject-uuid']);
      const assetId = cluster?.props.find((p: Json) => p.name === 'asset-id')?.value;
      expect(assetId).toBe(source.clusterId);
      expect(cluster?.props.find((p: Json) => p.name === 'kind')?.value).toBe(source.clusterKind);
      expect(oscalFinding.target['target-id']).toBe(source.controlId.toLowerCase());
      const expectedState = source.status === 'PASS' ? 'satisfied' : 'not-satisfied';
      expect(oscalFinding.target.status.state).toBe(expectedState);
      const evidence = (observation?.['relevant-evidence'] ?? []) as Json[];
      for (const check of source.evidence.checks) {
        expect(
          evidence.some(
            (item) =>
              item.props?.some((p: Json) => p.name === 'property-path' && p.value === check.path) &&
              item.props?.some((p: Json) => p.name === 'asset-id' && p.value === check.source),
          ),
          `${source.controlId} ${source.clusterName} ${check.path}`,
        ).toBe(true);
      }
    }
  });

  it('is the same document, byte for byte, when the same run is written again; another run ID changes every UUID', async () => {
    const run = sampleRun();
    const first = await writeOscal(run);
    const second = await writeOscal(run);
    expect(second.text).toBe(first.text);
    const other = await writeOscal({ ...run, run: { ...run.run, id: '20261120T060000Z-ffffffff' } });
    const uuids = (text: string) =>
      new Set(text.match(/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g));
    const fromInventory = uuids(JSON.stringify(run).toLowerCase());
    const ours = [...uuids(first.text)].filter((uuid) => !fromInventory.has(uuid));
    const theirs = uuids(other.text);
    expect(ours.length).toBeGreaterThan(run.findings.length);
    expect(ours.filter((uuid) => theirs.has(uuid))).toEqual([]);
  });

  it('an empty fleet gives a valid document with no observations, findings or inventory', async () => {
    const { document } = await writeOscal(emptyRun());
    expectValid(document);
    const result = resultOf(document);
    expect(result.observations).toBeUndefined();
    expect(result.findings).toBeUndefined();
    expect(result['local-definitions']).toBeUndefined();
    expect(result['reviewed-controls']).toBeDefined();
  });

  it('a fleet with only NOT_APPLICABLE findings lists its clusters and observes nothing', async () => {
    const run = onlyNotApplicableRun();
    const { document } = await writeOscal(run);
    expectValid(document);
    const result = resultOf(document);
    expect(result['local-definitions']['inventory-items']).toHaveLength(run.clusters.length);
    expect(result.observations).toBeUndefined();
    expect(result.findings).toBeUndefined();
  });

  it('hostile text (Markdown, HTML, newlines, any Unicode) stays valid and is shown, never interpreted', async () => {
    const base = sampleRun();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.string({ maxLength: 60 }),
        async (name, reason) => {
          const findings = base.findings.slice(0, 3).map((finding) => ({
            ...finding,
            clusterName: name,
            reason,
            evidence: {
              ...finding.evidence,
              checks: [
                { source: finding.clusterId, path: `properties.${name}`, observed: reason, expected: name },
              ],
            },
          }));
          const clusters = base.clusters.map((cluster) => ({ ...cluster, name, distribution: reason }));
          const { document } = await writeOscal({ ...base, clusters, findings });
          expect(oscalDocumentErrors(document)).toEqual([]);
          const text = JSON.stringify(document);
          expect(text).not.toMatch(/<script/i);
        },
      ),
      { numRuns: 25 },
    );
    const { text } = await writeOscal({
      ...base,
      findings: base.findings
        .slice(0, 1)
        .map((finding) => ({ ...finding, reason: '<img src=x onerror=alert(1)> **bold**' })),
    });
    expect(text).toContain('\\\\<img src=x onerror=alert(1)\\\\> \\\\*\\\\*bold\\\\*\\\\*');
  });

  it('exceptions become accepted risks and attestations appear with their evidence; malformed governance gives none', async () => {
    const base = sampleRun();
    const failing = base.findings.find((finding) => finding.status === 'FAIL') as Finding;
    const manual = base.findings.find((finding) => finding.status === 'MANUAL') as Finding;
    const erroring = base.findings.find((finding) => finding.status === 'PASS') as Finding;
    const governed = [
      {
        ...failing,
        effectiveStatus: 'EXCEPTED',
        governance: {
          exceptionId: 'EX-7',
          expires: '2027-03-31T00:00:00Z',
          owner: 'Dana Ruiz',
          justification: 'Vault migration planned in Q1.',
          ticket: 'SEC-42',
        },
      },
      {
        ...manual,
        effectiveStatus: 'PASS',
        governance: {
          attestation: {
            id: 'AT-3',
            result: 'PASS',
            attestedBy: 'Kim Lee',
            attestedAt: '2026-11-01T09:00:00Z',
            statement: 'etcd peer TLS verified on every node.',
            expires: '2027-11-01T00:00:00Z',
            evidence: [
              { title: 'Runbook output', url: 'https://evidence.example/at-3' },
              { title: 'Config dump', sha256: 'a'.repeat(64) },
              { title: 'bad', url: 'javascript:alert(1)' },
            ],
          },
        },
      },
      // Wrong types and impossible combinations: an exception on a PASS, an ID that is a number.
      { ...erroring, effectiveStatus: 'EXCEPTED', governance: { exceptionId: 42, owner: ['x'] } },
    ];
    const findings = base.findings.map(
      (finding) =>
        governed.find((g) => g.clusterId === finding.clusterId && g.controlId === finding.controlId) ??
        finding,
    );
    const { document, text } = await writeOscal({ ...base, findings: findings as Finding[] });
    expectValid(document);
    const result = resultOf(document);
    expect(result.risks).toHaveLength(1);
    const [risk] = result.risks as Json[];
    expect(risk?.status).toBe('deviation-approved');
    expect(risk?.deadline).toBe('2027-03-31T00:00:00.000Z');
    expect(risk?.description).toContain('Vault migration planned in Q1.');
    expect(risk?.props).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'owner', value: 'Dana Ruiz' }),
        expect.objectContaining({ name: 'exception-id', value: 'EX-7' }),
      ]),
    );
    const owner = document['assessment-results'].metadata.parties.find((p: Json) => p.name === 'Dana Ruiz');
    expect(risk?.['risk-log'].entries[0]['logged-by'][0]['party-uuid']).toBe(owner.uuid);
    const excepted = (result.findings as Json[]).find((f) => f['related-risks']);
    expect(excepted?.['related-risks'][0]['risk-uuid']).toBe(risk?.uuid);
    expect(result.attestations).toHaveLength(1);
    const part = result.attestations[0].parts[0];
    expect(part.prose).toBe('etcd peer TLS verified on every node.');
    expect(part.links).toEqual([
      { href: 'https://evidence.example/at-3', rel: 'evidence', text: 'Runbook output' },
    ]);
    const attested = (result.observations as Json[]).filter((o) => o.methods[0] === 'EXAMINE');
    expect(attested).toHaveLength(1);
    expect(attested[0]?.collected).toBe('2026-11-01T09:00:00.000Z');
    const attestedFinding = (result.findings as Json[]).find(
      (f) => f['related-observations'][0]['observation-uuid'] === attested[0]?.uuid,
    );
    expect(attestedFinding?.target.status.state).toBe('satisfied');
    expect(text).not.toContain('javascript:');
    // The PASS finding with an "exception" keeps its observed verdict and no risk.
    expect(text.match(/"exception-id"/g)).toHaveLength(2);
  });

  it(
    'a 10,000-cluster synthetic fleet is written streamed and every part validates',
    { timeout: 300_000 },
    async () => {
      const run = syntheticRun(10_000);
      expect(run.clusters).toHaveLength(10_000);
      const directory = join(folder, 'large');
      const [path] = await writeFormatOutputs(directory, memorySource(run), ['oscal']);
      const definitions: Record<string, string> = {
        'inventory-items': 'oscal-ar-oscal-implementation-common:inventory-item',
        observations: 'oscal-ar-oscal-assessment-common:observation',
        findings: 'oscal-ar-oscal-assessment-common:finding',
        risks: 'oscal-ar-oscal-assessment-common:risk',
      };
      const observationIds = new Set<string>();
      const referenced: string[] = [];
      const errors: string[] = [];
      const { skeleton, counts } = await readOscalStreamed(path as string, (section, item) => {
        const definition = definitions[section];
        if (!definition) throw new Error(`unexpected section ${section}`);
        errors.push(...oscalDefinitionErrors(definition, item));
        if (section === 'observations') observationIds.add(item.uuid as string);
        if (section === 'findings')
          referenced.push(
            ...(item['related-observations'] as Json[]).map((r) => r['observation-uuid'] as string),
          );
      });
      expect(errors.slice(0, 3)).toEqual([]);
      expectValid(skeleton);
      const applicable = run.findings.filter((finding) => finding.status !== 'NOT_APPLICABLE').length;
      expect(counts).toEqual({ 'inventory-items': 10_000, observations: applicable, findings: applicable });
      expect(referenced.every((uuid) => observationIds.has(uuid))).toBe(true);
    },
  );
});

describe('OSCAL and OCSF with governance fields of any shape', () => {
  it('stay valid whatever a finding carries as effectiveStatus and governance', async () => {
    const base = sampleRun();
    const picked = base.findings
      .filter((f) => ['FAIL', 'MANUAL', 'PASS', 'ERROR'].includes(f.status))
      .slice(0, 8);
    const record = fc.record(
      {
        exceptionId: fc.oneof(fc.string(), fc.integer()),
        attestationId: fc.string(),
        owner: fc.oneof(fc.string(), fc.constant(null)),
        justification: fc.string(),
        expires: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        attestedAt: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        attestedBy: fc.string(),
        result: fc.constantFrom('PASS', 'FAIL', 'MAYBE'),
        statement: fc.string(),
        evidence: fc.array(
          fc.record(
            { title: fc.string(), url: fc.oneof(fc.webUrl(), fc.string()), sha256: fc.string() },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            effectiveStatus: fc.constantFrom('PASS', 'FAIL', 'MANUAL', 'EXCEPTED', 'ERROR', 'bogus', 7),
            governance: fc.oneof(
              record,
              fc.record({ exception: record, attestation: record }),
              fc.anything(),
            ),
          }),
          { minLength: picked.length, maxLength: picked.length },
        ),
        async (governance) => {
          const findings = picked.map((finding, index) => ({
            ...finding,
            ...governance[index],
          })) as Finding[];
          const { document } = await writeOscal({ ...base, findings });
          expect(oscalDocumentErrors(document)).toEqual([]);
          for (const finding of findings) {
            const event = ocsfComplianceFinding(finding, base.run, { location: 'westeurope' });
            expect(ocsfEventErrors(event, 'compliance_finding')).toEqual([]);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
