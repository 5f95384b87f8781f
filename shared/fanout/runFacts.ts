import { emptyStats, type CollectionStats } from '../collection/collectionStats.js';
import type { ActiveRecord } from '../governance/records.js';
import type { CollectionGap } from '../inventory/inventory.js';
import type { LargeValueStore } from '../storage/historyStore.js';
import { isNotFound } from '../storage/storageErrors.js';
import { mergeBatchFacts, readBatchSummary, type BatchFacts, type MergedFacts } from './batchFacts.js';
import {
  batchBlobStem,
  isCollectionGap,
  isDocumentRow,
  runBlobsPrefix,
  statsProblem,
} from './batchPayload.js';
import { linkingLender, type LentRows } from './linkedResources.js';
import { mapWithConcurrency } from '../collection/boundedConcurrency.js';
import { gapsOfFailedBatch, type BatchRecord } from './runCoordinator.js';

/**
 * What the evaluation of every batch of a run needs, gathered once when all its batches are read:
 * small whatever the run's size, and the same for every batch, so that each batch is judged in its
 * own invocation, in any order, exactly as it would be in a single pass.
 */
export interface RunFacts {
  /** The fleet's facts and the rows that link across batches, merged from every batch read. */
  merged: MergedFacts;
  /**
   * Every read of the run that failed, in batch order: each batch's own gaps, and every
   * subscription of a batch that was not read (or whose summary could not be read).
   */
  gaps: CollectionGap[];
  /** The batches not read, with why, in batch order: their subscriptions are in `gaps`. */
  failedBatches: Array<{ index: number; reason: string }>;
  /** The read counters summed over the batches read; `failedBatches` counts the batches not read. */
  stats: CollectionStats;
  /** The governance records the run applies, as they were when its batches had all been read. */
  governance: ActiveRecord[];
  /**
   * Whether each batch's share of the linking rows is stored beside it ({@link lentRowsBlobName});
   * `merged.linkingRows` is then stored empty. Facts stored without it hold every linking row.
   */
  lentPerBatch?: boolean;
}

/** Run facts as gathered, with the keys each batch read reaches (absent for a summary without them). */
export interface GatheredRunFacts {
  facts: RunFacts;
  reach: ReadonlyMap<number, readonly string[] | undefined>;
}

export const runFactsBlobName = (runId: string): string => `${runBlobsPrefix(runId)}run-facts.json`;

export const lentRowsBlobName = (runId: string, index: number): string =>
  `${batchBlobStem(runId, index)}.lent.json`;

/** Run facts read back, or why not: `missing` (not stored yet), `transient` (storage did not answer), or damaged. */
export type RunFactsRead =
  { ok: true; facts: RunFacts } | { ok: false; reason: string; missing?: boolean; transient?: boolean };

function addStats(total: CollectionStats, part: CollectionStats): void {
  for (const key of Object.keys(total) as Array<keyof CollectionStats>) total[key] += part[key] ?? 0;
}

/**
 * Gathers a run's facts from its batches, in batch order: the summary of each batch read (a summary
 * that cannot be read makes its batch one not read, with the reason), the gaps of each batch not
 * read, the read counters. Storage that fails to answer is thrown (reading again may succeed).
 */
export async function gatherRunFacts(request: {
  store: LargeValueStore;
  batches: readonly BatchRecord[];
  azureLocalHosts: ReadonlyMap<string, string>;
  governance: readonly ActiveRecord[];
}): Promise<GatheredRunFacts> {
  const facts: BatchFacts[] = [];
  const reach = new Map<number, readonly string[] | undefined>();
  const gaps: CollectionGap[] = [];
  const failedBatches: RunFacts['failedBatches'] = [];
  const stats = emptyStats();
  for (const batch of request.batches) {
    const read =
      batch.status === 'done' || batch.status === 'evaluated'
        ? await readBatchSummary(request.store, batch.blobName, request.azureLocalHosts)
        : undefined;
    if (read?.ok) {
      const { reachKeys, ...summary } = read.summary.facts;
      facts.push(summary);
      reach.set(batch.index, reachKeys);
      for (const gap of read.summary.gaps) gaps.push(gap);
      addStats(stats, read.summary.stats);
      continue;
    }
    if (read?.transient) throw new Error(`run ${batch.runId} batch ${batch.index}: ${read.reason}`);
    const reason = read?.reason ?? (batch.reason || 'the batch was not read');
    failedBatches.push({ index: batch.index, reason });
    for (const gap of gapsOfFailedBatch({ ...batch, reason })) gaps.push(gap);
    stats.failedBatches++;
  }
  const merged = mergeBatchFacts(facts);
  return { facts: { merged, gaps, failedBatches, stats, governance: [...request.governance] }, reach };
}

/** Lent rows written at once while a run's facts are stored. */
const LENT_WRITE_CONCURRENCY = 8;

/**
 * Stores a run's facts. Given the keys each batch reaches, each batch's share of the linking rows
 * is stored first, beside the batch, and the facts after them without the linking rows: a batch
 * evaluation then reads only its share, not every backup instance of the fleet. Facts found stored
 * mean every share is stored.
 */
export async function writeRunFacts(
  store: LargeValueStore,
  runId: string,
  facts: RunFacts,
  reach?: GatheredRunFacts['reach'],
): Promise<void> {
  if (reach === undefined) {
    await store.put(runFactsBlobName(runId), JSON.stringify(facts));
    return;
  }
  const { linkingRows } = facts.merged;
  const lend = linkingLender(linkingRows);
  await mapWithConcurrency([...reach], LENT_WRITE_CONCURRENCY, async ([index, keys]) => {
    const lent: LentRows =
      keys === undefined ? { rows: linkingRows, backupInstancesLeftOut: false } : lend(new Set(keys));
    await store.put(lentRowsBlobName(runId, index), JSON.stringify(lent));
  });
  const stored: RunFacts = { ...facts, merged: { ...facts.merged, linkingRows: [] }, lentPerBatch: true };
  await store.put(runFactsBlobName(runId), JSON.stringify(stored));
}

/** A batch's share of the linking rows as stored, or why not (`transient`: storage did not answer). */
export async function readLentRows(
  store: LargeValueStore,
  runId: string,
  index: number,
): Promise<{ ok: true; lent: LentRows } | { ok: false; reason: string; transient?: boolean }> {
  const name = lentRowsBlobName(runId, index);
  let value: unknown;
  try {
    value = JSON.parse(await store.get(name)) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError)
      return { ok: false, reason: `the batch's linking rows (${name}) are not JSON: ${firstLine(error)}` };
    return isNotFound(error)
      ? { ok: false, reason: `the batch's linking rows (${name}) are missing` }
      : {
          ok: false,
          reason: `the batch's linking rows (${name}) could not be read: ${firstLine(error)}`,
          transient: true,
        };
  }
  if (
    !isObject(value) ||
    !Array.isArray(value.rows) ||
    !value.rows.every(isDocumentRow) ||
    typeof value.backupInstancesLeftOut !== 'boolean'
  )
    return { ok: false, reason: `the batch's linking rows (${name}) are damaged` };
  return { ok: true, lent: { rows: value.rows, backupInstancesLeftOut: value.backupInstancesLeftOut } };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isWarning = (value: unknown): boolean =>
  isObject(value) && typeof value.where === 'string' && typeof value.message === 'string';

function isAgentVersion(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.text === 'string' &&
    ['major', 'minor', 'patch'].every((part) => typeof value[part] === 'number')
  );
}

/** Checks decoded run facts; the first problem found, or undefined when they are usable. */
function factsProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'they are not a JSON object';
  const { merged } = value;
  if (!isObject(merged) || !isObject(merged.fleet)) return '"merged" is not merged facts';
  if (merged.fleet.newestAgentVersion !== undefined && !isAgentVersion(merged.fleet.newestAgentVersion))
    return 'the newest agent version is not a version';
  if (!Array.isArray(merged.fleet.warnings) || !merged.fleet.warnings.every(isWarning))
    return 'the fleet warnings are not warnings';
  if (!Array.isArray(merged.linkingRows) || !merged.linkingRows.every(isDocumentRow))
    return 'the linking rows are not collected rows';
  if (value.lentPerBatch !== undefined && typeof value.lentPerBatch !== 'boolean')
    return '"lentPerBatch" is not true or false';
  if (!Array.isArray(value.gaps) || !value.gaps.every(isCollectionGap))
    return '"gaps" are not collection gaps';
  const failed = value.failedBatches;
  if (
    !Array.isArray(failed) ||
    !failed.every(
      (entry) => isObject(entry) && Number.isSafeInteger(entry.index) && typeof entry.reason === 'string',
    )
  )
    return '"failedBatches" is not a list of batches';
  const stats = statsProblem(value.stats);
  if (stats) return stats;
  if (
    !Array.isArray(value.governance) ||
    !value.governance.every(
      (entry) => isObject(entry) && isObject(entry.record) && typeof entry.approval === 'string',
    )
  )
    return '"governance" is not a list of records';
  return undefined;
}

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 300) ?? '';

/** A run's facts as stored; never throws: missing, unreadable or damaged facts are told with the reason. */
export async function readRunFacts(store: LargeValueStore, runId: string): Promise<RunFactsRead> {
  const name = runFactsBlobName(runId);
  let text: string;
  try {
    text = await store.get(name);
  } catch (error) {
    return isNotFound(error)
      ? { ok: false, reason: `the run's facts (${name}) are missing`, missing: true }
      : {
          ok: false,
          reason: `the run's facts (${name}) could not be read: ${firstLine(error)}`,
          transient: true,
        };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, reason: `the run's facts (${name}) are not JSON: ${firstLine(error)}` };
  }
  const problem = factsProblem(value);
  if (problem) return { ok: false, reason: `the run's facts (${name}) are damaged: ${problem}` };
  const facts = value as RunFacts;
  return { ok: true, facts: { ...facts, stats: { ...emptyStats(), ...facts.stats } } };
}
