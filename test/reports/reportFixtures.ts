/** Report inputs for tests: the bundled sample fleet over two days, and cheap synthetic fleets. */
import { createHash } from 'node:crypto';

import { benchmarksOf } from '../../shared/catalog/frameworkIndex.js';
import { controlById } from '../../shared/catalog/controls.js';
import {
  CONTROL_IDS,
  STATUSES,
  type ClusterKind,
  type Finding,
  type Status,
} from '../../shared/catalog/types.js';
import { findingsJsonChunks } from '../../shared/findings/findingsJson.js';
import { complianceScore, countStatuses } from '../../shared/runCalculations/summarise.js';
import { computeRunChanges, type TrendPoint } from '../../shared/runCalculations/runChanges.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { parseInventoryDocument } from '../../shared/inventory/parseInventoryDocument.js';
import type { ReportInput } from '../../shared/reports/reportInput.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import { memorySource } from '../../shared/scan/runSource.js';
import type { ClusterRow, ScanResult } from '../../shared/scan/scanResult.js';
import { DEFAULT_SETTINGS, parseScanSettings } from '../../shared/settings/scanSettings.js';
import { buildSampleFleet, type SampleDay } from '../../sample/sampleFleet.js';

export const AS_OF = new Date('2026-11-20T06:00:00Z');
export const GENERATED_AT = new Date('2026-11-20T06:05:00Z');

/** The sample fleet scanned as of `asOf` (the previous day 24 hours earlier). */
export function scanSampleDay(day: SampleDay, runId: string): ScanResult {
  const asOf = day === 'current' ? AS_OF : new Date(AS_OF.getTime() - 86_400_000);
  const fleet = buildSampleFleet({ asOf: AS_OF, day });
  const documents = fleet.files.map((file) =>
    parseInventoryDocument(file.name, JSON.stringify(file.content)),
  );
  return evaluateInventory({
    inventory: mergeResources(documents),
    settings: parseScanSettings(fleet.settings),
    runId,
    source: 'snapshot',
    startedAt: asOf,
    clock: () => new Date(asOf.getTime() + 2_500),
  });
}

/** SHA-256 of findings.json as the scan writes it. */
export function findingsSha256(result: ScanResult): string {
  const hash = createHash('sha256');
  for (const chunk of findingsJsonChunks(result)) hash.update(chunk, 'utf8');
  return hash.digest('hex');
}

function trendPoint(result: ScanResult): TrendPoint {
  return { runId: result.run.id, asOf: result.run.asOf, score: result.run.score, counts: result.run.counts };
}

/** A report input with the run it reads, so tests can compare what is shown with what was given. */
export type ResultReportInput = ReportInput & { result: ScanResult };

/** The current day of the sample fleet, compared with the previous day, with a week of trend. */
export function sampleReportInput(mutate?: (result: ScanResult) => void): ResultReportInput {
  const previous = scanSampleDay('previous', 'run-previous');
  const current = scanSampleDay('current', 'run-current');
  mutate?.(current);
  const earlier: TrendPoint[] = [0.31, 0.33, 0.32, 0.35, 0.36].map((score, index) => ({
    runId: `run-earlier-${index}`,
    asOf: new Date(AS_OF.getTime() - (7 - index) * 86_400_000).toISOString(),
    score,
    counts: previous.run.counts,
  }));
  return {
    result: current,
    source: memorySource(current),
    findingsJsonSha256: findingsSha256(current),
    changes: computeRunChanges(
      { runId: previous.run.id, findings: previous.findings },
      { runId: current.run.id, findings: current.findings },
    ),
    trend: [...earlier, trendPoint(previous), trendPoint(current)],
    generatedAt: GENERATED_AT,
  };
}

const KINDS: readonly ClusterKind[] = ['arc', 'aks-arc', 'aks'];

/**
 * A cheap synthetic result: `clusterCount` clusters × 10 controls with rotating statuses and one
 * evidence check per finding. Benchmarks are shared per control, as the engine shares nothing less.
 */
export function syntheticResult(clusterCount: number, statusOf?: (index: number) => Status): ScanResult {
  const benchmarks = new Map(CONTROL_IDS.map((id) => [id, benchmarksOf(id)]));
  const clusters: ClusterRow[] = [];
  const findings: Finding[] = [];
  for (let c = 0; c < clusterCount; c++) {
    const kind = KINDS[c % 3] as ClusterKind;
    const subscriptionId = `00000000-0000-0000-0000-${String(c % 50).padStart(12, '0')}`;
    const id = `/subscriptions/${subscriptionId}/resourceGroups/rg-${c % 40}/providers/Microsoft.Kubernetes/connectedClusters/cluster-${c}`;
    clusters.push({
      id,
      name: `cluster-${c}`,
      kind,
      subscriptionId,
      resourceGroup: `rg-${c % 40}`,
      location: 'westeurope',
      distribution: 'k3s',
      kubernetesVersion: '1.31.4',
      connectivityStatus: 'Connected',
      agentVersion: '1.31.2',
      lastConnectivityTime: AS_OF.toISOString(),
      extensionCount: 4,
      fluxConfigurationCount: 1,
      azureLocalClusterId: '',
    });
    CONTROL_IDS.forEach((controlId, k) => {
      const index = c * CONTROL_IDS.length + k;
      const control = controlById(controlId);
      findings.push({
        clusterId: id,
        clusterName: `cluster-${c}`,
        clusterKind: kind,
        subscriptionId,
        resourceGroup: `rg-${c % 40}`,
        controlId,
        controlTitle: control.title,
        controlVersion: control.version,
        severity: control.severity,
        status: statusOf ? statusOf(index) : (STATUSES[(c + k) % STATUSES.length] as Status),
        reason: `Synthetic verdict ${index}.`,
        evidence: {
          checks: [
            {
              source: id,
              path: 'properties.provisioningState',
              observed: 'Succeeded',
              expected: 'Succeeded',
            },
          ],
          sourceIds: [id],
          stale: false,
          inferred: false,
        },
        benchmarks: benchmarks.get(controlId) ?? [],
      });
    });
  }
  const counts = countStatuses(findings);
  return {
    run: {
      id: 'synthetic',
      startedAt: AS_OF.toISOString(),
      finishedAt: AS_OF.toISOString(),
      asOf: AS_OF.toISOString(),
      source: 'snapshot',
      complete: true,
      clusterCount,
      counts,
      score: complianceScore(counts),
      inventoryWarnings: [],
      notRead: [],
      inventory: { resources: clusterCount, duplicates: 0, ignoredByType: {} },
      thresholds: DEFAULT_SETTINGS.thresholds,
    },
    clusters,
    findings,
  };
}

/** A report input around a result, with no history. */
export function inputFor(result: ScanResult): ResultReportInput {
  return {
    result,
    source: memorySource(result),
    findingsJsonSha256: 'a'.repeat(64),
    changes: undefined,
    trend: [
      { runId: result.run.id, asOf: result.run.asOf, score: result.run.score, counts: result.run.counts },
    ],
    generatedAt: GENERATED_AT,
  };
}
