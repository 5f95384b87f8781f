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

/**
 * The result of reading a batch's stored rows back: the payload, or why it cannot be used —
 * `transient` when storage failed to answer (reading again may succeed), else for good.
 */
export type BatchPayloadRead =
  { ok: true; payload: BatchPayload } | { ok: false; reason: string; transient?: boolean };

/** Where every blob a fanned-out run keeps until it is published lives: rows, summaries, facts, parts. */
export const runBlobsPrefix = (runId: string): string => `${runId}/batches/`;

/** A batch's blobs are named `{runId}/batches/{index, six digits}…`. */
export const batchBlobStem = (runId: string, index: number): string =>
  `${runBlobsPrefix(runId)}${String(index).padStart(6, '0')}`;

export const batchBlobName = (runId: string, index: number): string => `${batchBlobStem(runId, index)}.json`;

const GAP_CATEGORIES: readonly GapCategory[] = [
  'clusters',
  'azureLocal',
  'extensions',
  'fluxConfigurations',
  'backupInstances',
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a decoded value is a collected row (`{ value, where }`). */
export function isDocumentRow(value: unknown): value is DocumentRow {
  return isObject(value) && typeof value.where === 'string' && 'value' in value;
}

/** Whether a decoded value is a collection gap as stored. */
export function isCollectionGap(value: unknown): value is CollectionGap {
  if (!isObject(value) || typeof value.reason !== 'string') return false;
  if (value.kind === 'resource') return typeof value.id === 'string';
  return (
    value.kind === 'scope' &&
    typeof value.subscriptionId === 'string' &&
    (GAP_CATEGORIES as readonly unknown[]).includes(value.category)
  );
}

/** Why a decoded value is not a set of collection counters (a counter missing counts as 0), if it is not. */
export function statsProblem(value: unknown, name = 'stats'): string | undefined {
  if (!isObject(value)) return `"${name}" is not an object`;
  const bad = Object.entries(value).find(
    ([, count]) => typeof count !== 'number' || !Number.isFinite(count) || count < 0,
  );
  return bad ? `${name}.${bad[0]} is not a count` : undefined;
}

/** Checks a decoded payload's shape; the first problem found, or undefined when it is usable. */
function payloadProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  if (!Array.isArray(value.rows)) return '"rows" is not an array';
  const badRow = value.rows.findIndex((row) => !isDocumentRow(row));
  if (badRow >= 0) return `row ${badRow} is not a collected row`;
  if (!Array.isArray(value.gaps)) return '"gaps" is not an array';
  const badGap = value.gaps.findIndex((gap) => !isCollectionGap(gap));
  if (badGap >= 0) return `gap ${badGap} is not a collection gap`;
  return statsProblem(value.stats);
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
    return isNotFound(error)
      ? { ok: false, reason: `the batch's stored rows (${blobName}) are missing` }
      : {
          ok: false,
          reason: `the batch's stored rows (${blobName}) could not be read: ${firstLine(error)}`,
          transient: true,
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
