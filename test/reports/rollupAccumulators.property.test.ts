import { readdir } from 'node:fs/promises';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { controlById } from '../../shared/catalog/controls.js';
import { CLUSTER_KINDS, CONTROL_IDS, STATUSES, type ClusterKind } from '../../shared/catalog/types.js';
import { AGENTLESS_KIND_EXPECTATION } from '../../shared/evaluation/agentlessConnection.js';
import { EFFECTIVE_STATUSES, type ScanFinding } from '../../shared/governance/records.js';
import {
  AttestationQueue,
  attestationItem,
  awaitsAttestation,
  compareAttestationItems,
} from '../../shared/reports/attestationQueue.js';
import { ClusterRollups } from '../../shared/reports/clusterRanking.js';
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
  it('controls, kinds, frameworks, clusters and governance', () => {
    fc.assert(
      fc.property(runArbitrary, fc.boolean(), ({ findings, sizes }, governed) => {
        const parts = partsOf(findings, sizes);
        expect(fed(new ControlRollups(), parts)).toEqual(whole.controlRollups(findings));
        expect(fed(new KindRollups(), parts)).toEqual(whole.kindRollups(findings));
        expect(fed(new FrameworkComplianceRollup(), parts)).toEqual(whole.frameworkCompliance(findings));
        const clusters = fed(new ClusterRollups(), parts);
        const wholeClusters = whole.clusterRollups(findings);
        expect([...clusters.entries()]).toEqual([...wholeClusters]);
        for (const key of wholeClusters.keys()) expect(clusters.get(key)).toEqual(wholeClusters.get(key));
        expect(clusters.get('no such cluster')).toBeUndefined();
        for (const limit of [1, 3, 20])
          expect(clusters.worst(limit)).toEqual(whole.worstClusters(wholeClusters.values(), limit));
        const run = governed ? governedRun : { asOf: AS_OF.toISOString() };
        expect(fed(new GovernanceSummaryRollup(run), parts)).toEqual(whole.governanceSummary(run, findings));
      }),
      { numRuns: 200 },
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
