import { readdir } from 'node:fs/promises';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { controlById } from '../../shared/catalog/controls.js';
import { CLUSTER_KINDS, CONTROL_IDS, STATUSES, type ClusterKind } from '../../shared/catalog/types.js';
import { AGENTLESS_KIND_EXPECTATION } from '../../shared/evaluation/agentlessConnection.js';
import { clusterOfFinding } from '../../shared/formats/oscal/oscalParts.js';
import { EFFECTIVE_STATUSES, type ScanFinding } from '../../shared/governance/records.js';
import {
  AttestationQueue,
  attestationItem,
  awaitsAttestation,
  compareAttestationItems,
} from '../../shared/reports/attestationQueue.js';
import { ClusterRollups } from '../../shared/reports/clusterRanking.js';
import type { ClusterRow } from '../../shared/scan/scanResult.js';
import { ControlRollups, KindRollups } from '../../shared/reports/controlSummaries.js';
import { FrameworkComplianceRollup } from '../../shared/reports/frameworkCompliance.js';
import { GovernanceSummaryRollup } from '../../shared/reports/governanceSummary.js';
import type { PartAccumulator } from '../../shared/reports/partAccumulator.js';
import { SortedSpool } from '../../shared/reports/sortedSpool.js';
import type { RunPart } from '../../shared/scan/runSource.js';
import type { RunMetadata } from '../../shared/scan/scanResult.js';
import { governedSampleRun } from '../governance/governedSample.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';
import * as whole from './wholeListRollups.js';

const AS_OF = new Date('2026-11-20T06:00:00Z');
const NAMES = ['alpha', 'Beta', 'beta', 'gamma', 'ärger', 'alpha'];

/** A finding of cluster `cluster` (names repeat across clusters; the ID's case may vary). */
const findingArbitrary = fc
  .record({
    cluster: fc.integer({ min: 0, max: 9 }),
    upper: fc.boolean(),
    controlId: fc.constantFrom(...CONTROL_IDS),
    status: fc.constantFrom(...STATUSES),
    effective: fc.option(fc.constantFrom(...EFFECTIVE_STATUSES), { nil: undefined }),
    exceptionId: fc.option(fc.constantFrom('EXC-1', 'EXC-2', 'EXC-3'), { nil: undefined }),
    agentless: fc.boolean(),
    verification: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
    otherTitle: fc.boolean(),
    reason: fc.string({ maxLength: 8 }),
  })
  .map((draw): ScanFinding => {
    const id = `/subscriptions/s-${draw.cluster % 3}/resourceGroups/rg/providers/x/c-${draw.cluster}`;
    const control = controlById(draw.controlId);
    return {
      clusterId: draw.upper ? id.toUpperCase() : id,
      clusterName: NAMES[draw.cluster % NAMES.length] as string,
      clusterKind: CLUSTER_KINDS[draw.cluster % CLUSTER_KINDS.length] as ClusterKind,
      subscriptionId: `s-${draw.cluster % 3}`,
      resourceGroup: 'rg',
      controlId: draw.controlId,
      controlTitle: draw.otherTitle ? `${control.title} (as judged)` : control.title,
      controlVersion: control.version,
      severity: control.severity,
      status: draw.status,
      reason: draw.reason,
      evidence: {
        checks: draw.agentless
          ? [{ source: id, path: 'kind', observed: 'AWS', expected: AGENTLESS_KIND_EXPECTATION }]
          : [],
        sourceIds: [id],
        stale: false,
        inferred: false,
        ...(draw.verification === undefined ? {} : { verification: draw.verification }),
      },
      benchmarks: [],
      ...(draw.effective === undefined ? {} : { effectiveStatus: draw.effective }),
      ...(draw.exceptionId === undefined ? {} : { governance: { exceptionId: draw.exceptionId } }),
    };
  });

/** Each finding told apart by its reason, so that a sort that does not keep run order on ties shows. */
function numbered(findings: readonly ScanFinding[]): ScanFinding[] {
  return findings.map((finding, index) => ({ ...finding, reason: `${finding.reason}#${index}` }));
}

/** The findings cut into consecutive parts of the given sizes (the last takes the rest). */
function partsOf(findings: readonly ScanFinding[], sizes: readonly number[]): RunPart[] {
  const parts: RunPart[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= findings.length) break;
    parts.push({ clusters: [], findings: findings.slice(at, at + size) });
    at += size;
  }
  parts.push({ clusters: [], findings: findings.slice(at) });
  return parts;
}

/** A cluster row of cluster `cluster` (the same IDs as the findings', in either case). */
const rowArbitrary = fc
  .record({
    cluster: fc.integer({ min: 0, max: 11 }),
    upper: fc.boolean(),
    location: fc.constantFrom('westeurope', 'eastus', '', 'a"b\\n'),
  })
  .map(({ cluster, upper, location }): ClusterRow => {
    const id = `/subscriptions/s-${cluster % 3}/resourceGroups/rg/providers/x/c-${cluster}`;
    const row = clusterOfFinding({
      clusterId: upper ? id.toUpperCase() : id,
      clusterName: `c-${cluster}`,
      clusterKind: CLUSTER_KINDS[cluster % CLUSTER_KINDS.length] as ClusterKind,
      subscriptionId: `s-${cluster % 3}`,
      resourceGroup: 'rg',
    });
    return { ...row, location };
  });

/** The parts with the rows dealt out over them in order, `sizes` each (the last part takes the rest). */
function withRows(
  parts: readonly RunPart[],
  rows: readonly ClusterRow[],
  sizes: readonly number[],
): RunPart[] {
  let at = 0;
  return parts.map((part, index) => {
    const take = index === parts.length - 1 ? rows.length - at : (sizes[index] ?? 0);
    const clusters = rows.slice(at, at + take);
    at += clusters.length;
    return { ...part, clusters };
  });
}

function fed<T>(accumulator: PartAccumulator<T>, parts: readonly RunPart[]): T {
  for (const part of parts) accumulator.add(part);
  return accumulator.result();
}

const runArbitrary = fc.record({
  findings: fc.array(findingArbitrary, { maxLength: 60 }),
  sizes: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 20 }),
});

let governedRun: Pick<RunMetadata, 'asOf' | 'governance'>;
let folder: string;
beforeAll(async () => {
  governedRun = governedSampleRun('current', AS_OF).run;
  folder = await makeTempDir('arc-dc-rollups-');
});
afterAll(async () => removeTempDir(folder));

describe('report rollups fed part by part equal the whole-list rollups (property)', () => {
  it('controls, frameworks and governance', () => {
    fc.assert(
      fc.property(runArbitrary, fc.boolean(), ({ findings, sizes }, governed) => {
        const parts = partsOf(findings, sizes);
        expect(fed(new ControlRollups(), parts)).toEqual(whole.controlRollups(findings));
        expect(fed(new FrameworkComplianceRollup(), parts)).toEqual(whole.frameworkCompliance(findings));
        const run = governed ? governedRun : { asOf: AS_OF.toISOString() };
        expect(fed(new GovernanceSummaryRollup(run), parts)).toEqual(whole.governanceSummary(run, findings));
      }),
      { numRuns: 200 },
    );
  });

  it('clusters: the worst, the clusters per kind, the counts of each row and the location of each finding', async () => {
    await fc.assert(
      fc.asyncProperty(
        runArbitrary,
        fc.array(rowArbitrary, { maxLength: 14 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 2_000 }),
        async ({ findings, sizes }, rows, rowSizes, runChars) => {
          const parts = withRows(partsOf(findings, sizes), rows, rowSizes);
          const rollups = new ClusterRollups({ worstLimit: 5, spool: { parent: folder, runChars } });
          try {
            const kinds = new KindRollups();
            for (const part of parts) {
              kinds.add(part);
              await rollups.add(part);
            }
            const index = await rollups.result();
            const wholeClusters = whole.clusterRollups(findings);
            for (const limit of [1, 3, 5])
              expect(index.worst(limit)).toEqual(whole.worstClusters(wholeClusters.values(), limit));
            expect(kinds.result(index.clustersByKind)).toEqual(whole.kindRollups(findings));

            const counted = [];
            for await (const row of index.rowCounts()) counted.push(row);
            const runRows = parts.flatMap((part) => part.clusters);
            expect(counted).toEqual(
              runRows.map((row, at) => {
                const counts = wholeClusters.get(row.id.toLowerCase())?.counts;
                return counts ? { row: at, counts } : { row: at };
              }),
            );

            // The last row of an ID names its location, for the findings of every part.
            const lastLocation = new Map(runRows.map((row) => [row.id.toLowerCase(), row.location]));
            const locations = index.locations();
            for (const [at, part] of parts.entries()) {
              await locations.load(at);
              for (const finding of part.findings) {
                const key = finding.clusterId.toLowerCase();
                expect(locations.get(key)).toBe(lastLocation.get(key));
              }
            }
            await locations.close();
          } finally {
            await rollups.dispose();
          }
          expect(await readdir(folder)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the attestation queue: counts, kinds and the first findings of each control', () => {
    fc.assert(
      fc.property(runArbitrary, fc.integer({ min: 1, max: 8 }), ({ findings: drawn, sizes }, listed) => {
        const findings = numbered(drawn);
        const groups = fed(new AttestationQueue(listed), partsOf(findings, sizes));
        expect(groups).toEqual(
          whole.attestationQueue(findings).map((group) => ({
            controlId: group.controlId,
            controlTitle: group.controlTitle,
            count: group.findings.length,
            kinds: CLUSTER_KINDS.filter((kind) => group.findings.some((f) => f.clusterKind === kind)),
            first: group.findings.slice(0, listed).map(attestationItem),
          })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('the whole queue, sorted through a spool on disk, in the order of the whole-list queue', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(findingArbitrary, { minLength: 10, maxLength: 120 }),
        fc.integer({ min: 1, max: 3_000 }),
        fc.integer({ min: 2, max: 4 }),
        fc.boolean(),
        async (drawn, runChars, maxFanIn, allManual) => {
          // Every finding MANUAL: many share control and cluster, so ties must keep run order.
          const findings = numbered(
            allManual
              ? drawn.map((finding) => ({
                  ...finding,
                  controlId: finding.controlId < 'DS-05' ? 'DS-01' : 'DS-02',
                  status: 'MANUAL',
                  effectiveStatus: 'MANUAL',
                }))
              : drawn,
          );
          const spool = new SortedSpool(compareAttestationItems, { parent: folder, runChars, maxFanIn });
          try {
            for (const finding of findings)
              if (awaitsAttestation(finding)) await spool.add(attestationItem(finding));
            const expected = whole
              .attestationQueue(findings)
              .flatMap((group) => group.findings.map(attestationItem));
            const sorted = [];
            for await (const item of spool.sorted()) sorted.push(item);
            expect(sorted).toEqual(expected);
          } finally {
            await spool.dispose();
          }
          expect(await readdir(folder)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
