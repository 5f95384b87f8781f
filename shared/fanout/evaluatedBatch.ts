import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';

import { emptyStats, type CollectionStats } from '../collection/collectionStats.js';
import type { CollectionGap } from '../inventory/inventory.js';
import { splitPart } from '../scan/partSpool.js';
import { CLUSTERS_PER_PART, type RunPart, type RunSource } from '../scan/runSource.js';
import { emptyRunTally, type RunTally } from '../scan/runTally.js';
import type { RunMetadata } from '../scan/scanResult.js';
import type { LargeValueStore } from '../storage/historyStore.js';
import { isNotFound } from '../storage/storageErrors.js';
import { batchBlobStem, isCollectionGap, statsProblem } from './batchPayload.js';

/**
 * What a batch's evaluation keeps beside its part, small whatever the batch's size: where the part
 * is and its digest, the part's tally, the reads of Azure Local host settings that failed while it
 * was judged, and the requests those reads made.
 */
export interface EvaluatedBatch {
  /** NDJSON, one run part of at most CLUSTERS_PER_PART clusters per line, named for its digest. */
  part: { blobName: string; sha256: string; bytes: number; lines: number };
  tally: RunTally;
  hostGaps: CollectionGap[];
  stats: CollectionStats;
}

export type EvaluatedBatchRead =
  { ok: true; evaluated: EvaluatedBatch } | { ok: false; reason: string; transient?: boolean };

/** The small blob of a batch's evaluation; its part's blob is named in it. */
export const evaluatedBlobName = (runId: string, index: number): string =>
  `${batchBlobStem(runId, index)}.evaluated.json`;

const partBlobName = (runId: string, index: number, sha256: string): string =>
  `${batchBlobStem(runId, index)}.part-${sha256.slice(0, 16)}.ndjson`;

/** A part's NDJSON lines, at most `clustersPerPart` clusters each, made one at a time as they are read. */
function* partLines(part: RunPart, clustersPerPart: number): Generator<string> {
  for (const piece of splitPart(part, clustersPerPart))
    if (piece.clusters.length > 0 || piece.findings.length > 0) yield `${JSON.stringify(piece)}\n`;
}

/** The digest, size and line count of a part's NDJSON, without holding its text. */
export function digestPart(
  part: RunPart,
  clustersPerPart = CLUSTERS_PER_PART,
): { sha256: string; bytes: number; lines: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  for (const line of partLines(part, clustersPerPart)) {
    hash.update(line, 'utf8');
    bytes += Buffer.byteLength(line, 'utf8');
    lines++;
  }
  return { sha256: hash.digest('hex'), bytes, lines };
}

/**
 * Stores a batch's evaluation: its part, under a name drawn from its content (a batch evaluated
 * twice to the same part writes the same blob, once), then the small blob that names it. Two
 * evaluations of one batch that differ (a host read that failed once) each store a whole part; the
 * small blob written last names its own, so a part and its tally always belong together. The part's
 * text is made twice, a line at a time (once for its digest, once to upload), never held whole.
 */
export async function storeEvaluatedBatch(
  store: LargeValueStore,
  runId: string,
  index: number,
  part: RunPart,
  rest: Omit<EvaluatedBatch, 'part'>,
  clustersPerPart = CLUSTERS_PER_PART,
): Promise<EvaluatedBatch> {
  const digest = digestPart(part, clustersPerPart);
  const blobName = partBlobName(runId, index, digest.sha256);
  await store.putStream(blobName, partLines(part, clustersPerPart), { ifAbsent: true });
  const evaluated: EvaluatedBatch = { part: { blobName, ...digest }, ...rest };
  await store.put(evaluatedBlobName(runId, index), JSON.stringify(evaluated));
  return evaluated;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Whether every key of `template` is a count in `value`, and `value` holds nothing but counts. */
function isCounts(value: unknown, template?: object): boolean {
  if (!isObject(value) || !Object.values(value).every(isCount)) return false;
  return template === undefined || Object.keys(template).every((key) => key in value);
}

function tallyProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'the tally is not an object';
  const template = emptyRunTally();
  for (const key of ['clusters', 'findings', 'resources', 'duplicates'] as const)
    if (!isCount(value[key])) return `tally.${key} is not a count`;
  if (!isCounts(value.counts, template.counts)) return 'tally.counts are not the verdict counts';
  const governance = value.governance;
  if (
    !isObject(governance) ||
    !isCounts(governance.effectiveCounts, template.governance.effectiveCounts) ||
    !isCounts(governance.applied) ||
    !isCounts(governance.ignored)
  )
    return 'tally.governance is not a governance tally';
  if (
    !Array.isArray(value.warnings) ||
    !value.warnings.every((w) => isObject(w) && typeof w.where === 'string' && typeof w.message === 'string')
  )
    return 'tally.warnings are not warnings';
  if (!isCounts(value.ignoredByType)) return 'tally.ignoredByType is not counts by type';
  return undefined;
}

function evaluatedProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  const { part } = value;
  if (
    !isObject(part) ||
    typeof part.blobName !== 'string' ||
    typeof part.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(part.sha256) ||
    !isCount(part.bytes) ||
    !isCount(part.lines)
  )
    return '"part" does not name a stored part';
  const tally = tallyProblem(value.tally);
  if (tally) return tally;
  if (!Array.isArray(value.hostGaps) || !value.hostGaps.every(isCollectionGap))
    return '"hostGaps" are not collection gaps';
  return statsProblem(value.stats);
}

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 300) ?? '';

/**
 * A batch's evaluation as stored (the small blob, not the part). Never throws: missing, unreadable
 * or damaged is told with the reason, `transient` when storage failed to answer.
 */
export async function readEvaluatedBatch(
  store: LargeValueStore,
  runId: string,
  index: number,
): Promise<EvaluatedBatchRead> {
  const name = evaluatedBlobName(runId, index);
  let text: string;
  try {
    text = await store.get(name);
  } catch (error) {
    return isNotFound(error)
      ? { ok: false, reason: `the batch's evaluation (${name}) is missing` }
      : {
          ok: false,
          reason: `the batch's evaluation (${name}) could not be read: ${firstLine(error)}`,
          transient: true,
        };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, reason: `the batch's evaluation (${name}) is not JSON: ${firstLine(error)}` };
  }
  const problem = evaluatedProblem(value);
  if (problem) return { ok: false, reason: `the batch's evaluation (${name}) is damaged: ${problem}` };
  const evaluated = value as EvaluatedBatch;
  return { ok: true, evaluated: { ...evaluated, stats: { ...emptyStats(), ...evaluated.stats } } };
}

/** Ends the download behind a stream that is left before its end. */
function release(stream: NodeJS.ReadableStream): void {
  (stream as { destroy?: () => void }).destroy?.();
}

/**
 * Checks a stored part against its digest by streaming it once (never held whole): a part that is
 * missing, cut short or changed is told with the reason, `transient` when storage failed to answer.
 */
export async function checkStoredPart(
  store: LargeValueStore,
  part: EvaluatedBatch['part'],
): Promise<{ ok: true } | { ok: false; reason: string; transient?: boolean }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let stream: NodeJS.ReadableStream | undefined;
  try {
    stream = await store.openRead(part.blobName);
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      hash.update(buffer);
      bytes += buffer.length;
    }
  } catch (error) {
    if (stream) release(stream);
    return isNotFound(error)
      ? { ok: false, reason: `the batch's evaluated part (${part.blobName}) is missing` }
      : {
          ok: false,
          reason: `the batch's evaluated part (${part.blobName}) could not be read: ${firstLine(error)}`,
          transient: true,
        };
  }
  if (bytes !== part.bytes || hash.digest('hex') !== part.sha256)
    return {
      ok: false,
      reason: `the batch's evaluated part (${part.blobName}) is damaged: it is not the part that was stored (${bytes} of ${part.bytes} bytes)`,
    };
  return { ok: true };
}

/**
 * A stored part's run parts, line by line as the blob downloads: the download waits while a line
 * is being used, so only one line (and one chunk) is held, never the whole blob.
 */
export async function* readStoredPart(store: LargeValueStore, blobName: string): AsyncGenerator<RunPart> {
  const stream = await store.openRead(blobName);
  const decoder = new StringDecoder('utf8');
  // The current line's text so far, in pieces: only each new chunk is searched for its end.
  let pieces: string[] = [];
  try {
    for await (const chunk of stream) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        pieces.push(text.slice(start, end));
        const line = pieces.join('');
        pieces = [];
        start = end + 1;
        if (line !== '') yield JSON.parse(line) as RunPart;
      }
      if (start < text.length) pieces.push(text.slice(start));
    }
    const last = pieces.join('') + decoder.end();
    if (last !== '') yield JSON.parse(last) as RunPart;
  } finally {
    release(stream);
  }
}

/** A run whose parts are stored blobs: streamed again, in the order given, at every `parts()` call. */
export function storedPartsSource(
  store: LargeValueStore,
  run: RunMetadata,
  partBlobNames: readonly string[],
): RunSource {
  return {
    run,
    parts: async function* () {
      for (const blobName of partBlobNames) yield* readStoredPart(store, blobName);
    },
  };
}
