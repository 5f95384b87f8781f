import type { CollectionStats } from '../collection/collectionStats.js';
import type { ActiveRecord } from '../governance/records.js';
import { buildFleet } from '../inventory/buildFleet.js';
import type { CollectionGap } from '../inventory/inventory.js';
import { mergeResources } from '../inventory/mergeResources.js';
import type { DocumentRow } from '../inventory/parseInventoryDocument.js';
import { RunAssembler, type SpooledRun } from '../scan/runAssembler.js';
import type { RunMetadata } from '../scan/scanResult.js';
import type { ScanSettings } from '../settings/scanSettings.js';
import { mergeBatchFacts, summariseBatch, type BatchFacts, type MergedFacts } from './batchFacts.js';
import { evaluateBatch, linkingResourcesOf, type HostSettingsReader } from './batchEvaluation.js';

/** The rows of a run, batch by batch, read back one batch at a time (from disk, typically). */
export interface RowBatches {
  readonly count: number;
  read(index: number): Promise<DocumentRow[]>;
}

/** What one batch tells the others, and how many clusters it holds. */
export interface SummarisedBatch {
  facts: BatchFacts;
  clusters: number;
}

/** The facts of a batch from its rows (what its collection gives, or a batch of inventory files). */
export function summariseRows(rows: DocumentRow[], settings: ScanSettings): SummarisedBatch {
  const inventory = mergeResources([rows]);
  const clusters = buildFleet(inventory, settings.azureLocalHosts).clusters;
  return { facts: summariseBatch(inventory, clusters), clusters: clusters.length };
}

/**
 * The first pass over stored batches: each batch read and summarised in turn, the facts merged.
 * Only one batch is held at a time; a run of one batch keeps it for the second pass instead of
 * reading it again.
 */
export async function summariseBatches(
  batches: RowBatches,
  settings: ScanSettings,
): Promise<{ merged: MergedFacts; clusters: number; batches: RowBatches }> {
  const facts: BatchFacts[] = [];
  let clusters = 0;
  let only: DocumentRow[] | undefined;
  for (let index = 0; index < batches.count; index++) {
    const rows = await batches.read(index);
    const summary = summariseRows(rows, settings);
    // Batches judged in this process are lent every linking row; their reach is not kept.
    facts.push({ agentCandidates: summary.facts.agentCandidates, linkingRows: summary.facts.linkingRows });
    clusters += summary.clusters;
    if (batches.count === 1) only = rows;
  }
  const kept = only;
  return {
    merged: mergeBatchFacts(facts),
    clusters,
    batches:
      kept === undefined
        ? batches
        : { count: 1, read: (index) => (index === 0 ? Promise.resolve(kept) : batches.read(index)) },
  };
}

export interface JudgeBatchesRequest {
  batches: RowBatches;
  /** The facts merged from every batch, in batch order. */
  merged: MergedFacts;
  /** Every read of the run that failed, in batch order; host settings that fail to read are added. */
  gaps: CollectionGap[];
  settings: ScanSettings;
  runId: string;
  source: RunMetadata['source'];
  startedAt: Date;
  asOf: Date;
  stats?: CollectionStats;
  governance?: readonly ActiveRecord[];
  /** Live runs: reads the settings of hosts linked from a batch that no batch holds. */
  readHosts?: HostSettingsReader;
  /** False offline: the inventory covers backup instances only when it holds some. */
  backupInstancesQueried?: boolean;
  /** Clusters of the whole run (from the first pass), for progress. */
  clusters?: number;
  onProgress?: (done: number, total: number) => void;
  clock: () => Date;
  /** Where the run's spool goes (the system's temporary folder by default). */
  spoolParent?: string;
  /** Clusters per spooled part (default {@link SPOOLED_CLUSTERS_PER_PART}). */
  clustersPerPart?: number;
}

/**
 * Clusters per part of a run spooled by {@link judgeBatches}: about a megabyte of JSON, so that no
 * string written to or read from the spool is large enough to linger until a full collection.
 */
export const SPOOLED_CLUSTERS_PER_PART = 50;

/**
 * The second pass: every batch judged in turn against the fleet's merged facts — as the fan-out's
 * finalisation judges them — and added to a run spooled on disk. Holds one batch's rows and
 * findings at a time. The caller disposes of the run once it is published.
 */
export async function judgeBatches(request: JudgeBatchesRequest): Promise<SpooledRun> {
  const { batches, merged, gaps, settings, asOf } = request;
  const assembler = await RunAssembler.create({
    asOf,
    ...(request.governance ? { governance: request.governance } : {}),
    ...(request.spoolParent ? { spoolParent: request.spoolParent } : {}),
    clustersPerPart: request.clustersPerPart ?? SPOOLED_CLUSTERS_PER_PART,
  });
  try {
    const progress = request.onProgress;
    const linking = linkingResourcesOf(merged);
    for (let index = 0; index < batches.count; index++) {
      const before = assembler.clusterCount;
      const part = await evaluateBatch({
        rows: await batches.read(index),
        merged,
        linking,
        gaps,
        settings,
        asOf,
        ...(request.readHosts ? { readHosts: request.readHosts } : {}),
        ...(request.backupInstancesQueried === undefined
          ? {}
          : { backupInstancesQueried: request.backupInstancesQueried }),
        ...(progress
          ? {
              onProgress: (done: number, total: number) =>
                progress(before + done, Math.max(request.clusters ?? 0, before + total)),
            }
          : {}),
      });
      await assembler.add(part);
    }
    return await assembler.finish({
      runId: request.runId,
      source: request.source,
      startedAt: request.startedAt,
      finishedAt: request.clock(),
      settings,
      gaps,
      factWarnings: merged.fleet.warnings,
      ...(request.stats ? { stats: request.stats } : {}),
    });
  } catch (error) {
    await assembler.abandon();
    throw error;
  }
}
