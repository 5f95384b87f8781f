import type { StatusCounts } from '../catalog/types.js';
import type { CollectionStats } from '../collection/collectionStats.js';
import {
  effectiveScoreOf,
  emptyGovernanceTally,
  governanceEntries,
  governFindings,
  mergeGovernanceTally,
  type GovernanceTally,
} from '../governance/applyGovernance.js';
import type { ActiveRecord, ScanFinding } from '../governance/records.js';
import type { CollectionGap } from '../inventory/inventory.js';
import type { InventoryWarning } from '../inventory/inventoryResource.js';
import { complianceScore, emptyCounts } from '../runCalculations/summarise.js';
import type { ScanSettings } from '../settings/scanSettings.js';
import type { EvaluatedPart } from './evaluateInventory.js';
import type { RunPart } from './runSource.js';
import type { RunMetadata } from './scanResult.js';

/**
 * Everything a run's metadata sums over its parts, small whatever the run's size: counts of
 * clusters, findings and verdicts, what governance did, the parts' inventory figures and warnings.
 * Tallies of different parts merge, so parts judged apart (batches in other processes) make the
 * same run as parts judged in one.
 */
export interface RunTally {
  clusters: number;
  findings: number;
  counts: StatusCounts;
  governance: GovernanceTally;
  warnings: InventoryWarning[];
  resources: number;
  duplicates: number;
  ignoredByType: Record<string, number>;
}

export function emptyRunTally(): RunTally {
  return {
    clusters: 0,
    findings: 0,
    counts: emptyCounts(),
    governance: emptyGovernanceTally(),
    warnings: [],
    resources: 0,
    duplicates: 0,
    ignoredByType: Object.create(null) as Record<string, number>,
  };
}

/** Adds `from` (a later part of the same run) into `into`. */
export function mergeRunTally(into: RunTally, from: RunTally): void {
  into.clusters += from.clusters;
  into.findings += from.findings;
  for (const status of Object.keys(into.counts) as Array<keyof StatusCounts>)
    into.counts[status] += from.counts[status];
  mergeGovernanceTally(into.governance, from.governance);
  for (const warning of from.warnings) into.warnings.push(warning);
  into.resources += from.resources;
  into.duplicates += from.duplicates;
  for (const [type, count] of Object.entries(from.ignoredByType))
    into.ignoredByType[type] = (into.ignoredByType[type] ?? 0) + count;
}

/**
 * Governs an evaluated part (its findings gain their effective verdicts), adds it to `tally`
 * and returns it as a part of the run.
 */
export function tallyPart(
  part: EvaluatedPart,
  governance: { records: readonly ActiveRecord[]; asOf: Date },
  tally: RunTally,
): RunPart & { findings: ScanFinding[] } {
  const findings = governFindings(part.findings, governance.records, governance.asOf, tally.governance);
  tally.clusters += part.clusters.length;
  tally.findings += findings.length;
  for (const finding of findings) tally.counts[finding.status]++;
  for (const warning of part.warnings) tally.warnings.push(warning);
  tally.resources += part.resources;
  tally.duplicates += part.duplicates;
  for (const [type, count] of Object.entries(part.ignoredByType))
    tally.ignoredByType[type] = (tally.ignoredByType[type] ?? 0) + count;
  return { clusters: part.clusters, findings };
}

export interface RunMetadataRequest {
  runId: string;
  source: RunMetadata['source'];
  startedAt: Date;
  asOf: Date;
  finishedAt: Date;
  settings: ScanSettings;
  gaps: CollectionGap[];
  /** The fleet-wide facts' warnings, after every part's. */
  factWarnings?: InventoryWarning[];
  governance?: readonly ActiveRecord[];
  stats?: CollectionStats;
}

/** The run's metadata from the tally of all its parts. */
export function runMetadataOf(tally: RunTally, request: RunMetadataRequest): RunMetadata {
  const complete = request.gaps.length === 0;
  const ignoredByType: Record<string, number> = {};
  for (const [type, count] of Object.entries(tally.ignoredByType)) ignoredByType[type] = count;
  return {
    id: request.runId,
    startedAt: request.startedAt.toISOString(),
    finishedAt: request.finishedAt.toISOString(),
    asOf: request.asOf.toISOString(),
    source: request.source,
    complete,
    clusterCount: tally.clusters,
    counts: { ...tally.counts },
    score: complianceScore(tally.counts),
    effectiveCounts: { ...tally.governance.effectiveCounts },
    effectiveScore: effectiveScoreOf(tally.governance.effectiveCounts),
    governance: governanceEntries(request.governance ?? [], tally.governance, {
      asOf: request.asOf,
      complete,
    }),
    inventoryWarnings: [...tally.warnings, ...(request.factWarnings ?? [])],
    notRead: request.gaps,
    inventory: { resources: tally.resources, duplicates: tally.duplicates, ignoredByType },
    thresholds: request.settings.thresholds,
    ...(request.stats ? { stats: request.stats } : {}),
  };
}
