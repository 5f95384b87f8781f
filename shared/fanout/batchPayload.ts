import { emptyStats, type CollectionStats } from '../collection/collectionStats.js';
import type { CollectionGap, GapCategory } from '../inventory/inventory.js';
import type { DocumentRow } from '../inventory/parseInventoryDocument.js';
import type { LargeValueStore } from '../storage/historyStore.js';
import { isNotFound } from '../storage/storageErrors.js';

/** What one collected batch keeps until the run is finalized: its rows, gaps and counters. */
export interface BatchPayload {
  rows: DocumentRow[];
  gaps: CollectionGap[];
  stats: CollectionStats;
}

/** The result of reading a batch's stored rows back: the payload, or why it cannot be used. */
export type BatchPayloadRead = { ok: true; payload: BatchPayload } | { ok: false; reason: string };

export const batchBlobName = (runId: string, index: number): string =>
  `${runId}/batches/${String(index).padStart(6, '0')}.json`;

const GAP_CATEGORIES: readonly GapCategory[] = [
  'clusters',
  'azureLocal',
  'extensions',
  'fluxConfigurations',
  'backupInstances',
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isRow(value: unknown): value is DocumentRow {
  return isObject(value) && typeof value.where === 'string' && 'value' in value;
}

function isGap(value: unknown): value is CollectionGap {
  if (!isObject(value) || typeof value.reason !== 'string') return false;
  if (value.kind === 'resource') return typeof value.id === 'string';
  return (
    value.kind === 'scope' &&
    typeof value.subscriptionId === 'string' &&
    (GAP_CATEGORIES as readonly unknown[]).includes(value.category)
  );
}

/** Checks a decoded payload's shape; the first problem found, or undefined when it is usable. */
function payloadProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  if (!Array.isArray(value.rows)) return '"rows" is not an array';
  const badRow = value.rows.findIndex((row) => !isRow(row));
  if (badRow >= 0) return `row ${badRow} is not a collected row`;
  if (!Array.isArray(value.gaps)) return '"gaps" is not an array';
  const badGap = value.gaps.findIndex((gap) => !isGap(gap));
  if (badGap >= 0) return `gap ${badGap} is not a collection gap`;
  if (!isObject(value.stats)) return '"stats" is not an object';
  const badStat = Object.entries(value.stats).find(
    ([, count]) => typeof count !== 'number' || !Number.isFinite(count) || count < 0,
  );
  if (badStat) return `stats.${badStat[0]} is not a count`;
  return undefined;
}

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 300) ?? '';

/**
 * Reads a batch's stored rows. A blob that is missing, cannot be fetched, is not JSON or is not a
 * batch payload is reported as unreadable with the reason; it never throws, so a damaged batch
 * makes the run partial instead of keeping it from being finalized.
 */
export async function readBatchPayload(store: LargeValueStore, blobName: string): Promise<BatchPayloadRead> {
  if (blobName === '') return { ok: false, reason: 'the batch was marked done without stored rows' };
  let text: string;
  try {
    text = await store.get(blobName);
  } catch (error) {
    return {
      ok: false,
      reason: isNotFound(error)
        ? `the batch's stored rows (${blobName}) are missing`
        : `the batch's stored rows (${blobName}) could not be read: ${firstLine(error)}`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, reason: `the batch's stored rows (${blobName}) are not JSON: ${firstLine(error)}` };
  }
  const problem = payloadProblem(value);
  if (problem) return { ok: false, reason: `the batch's stored rows (${blobName}) are damaged: ${problem}` };
  const payload = value as unknown as BatchPayload;
  return { ok: true, payload: { ...payload, stats: { ...emptyStats(), ...payload.stats } } };
}
