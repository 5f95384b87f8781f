import type { TableEntity } from '@azure/data-tables';

import { CONTROL_IDS } from '../catalog/types.js';
import {
  comparisonKey,
  countChanges,
  mergePartitionChanges,
  RunComparison,
  type RunChanges,
} from '../runCalculations/runChanges.js';
import { RunScoreTally } from '../runCalculations/runScores.js';
import { ValuePool } from '../runCalculations/valuePool.js';
import type { RunSource } from '../scan/runSource.js';
import type { RunMetadata } from '../scan/scanResult.js';
import { emptyWriteCounters, upsertInBatches, type WriteCounters } from './batchWriter.js';
import { FailingStreaks } from './failingStreaks.js';
import { updateClusterState } from './clusterState.js';
import { toFindingEntity, type StoredFinding } from './findingEntity.js';
import { FindingsByControl } from './findingsByControl.js';
import { historyKeys, historyRange } from './historyKeys.js';
import { StorageUnavailableError, type HistoryStore } from './historyStore.js';
import { readPreviousPartition } from './previousPartition.js';
import { RunClusterIndex, type IndexedCluster } from './runClusterIndex.js';
import { readPreviousCompleteRun } from './runReads.js';
import { toRunEntity, type RunRecord, type RunStatus } from './runRecord.js';
import { encodeKey, newestFirst } from './tableKeys.js';

export interface StoreRunRequest {
  store: HistoryStore;
  /** The run, read part by part: once through, then from temporary files. */
  source: RunSource;
  /** Runs are compared with the previous complete run of the same scope. */
  scopeKey: string;
  findingsJsonSha256?: string;
  concurrency?: number;
  clock?: () => Date;
  onProgress?: (message: string) => void;
}

export interface StoreRunOutcome {
  record: RunRecord;
  previous: RunRecord | undefined;
  changes: RunChanges;
  /**
   * `clusterIdLower|controlId` → asOf of the first run of the current FAIL streak, for the findings
   * that were failing in the previous run too. A newly failing finding's streak starts with this run
   * (it is in `changes.newlyFailing`), so it is not repeated here: on a first run that would be every
   * failing finding of the fleet.
   */
  firstSeenFailing: FailingStreaks;
  counters: WriteCounters;
  stateRowsChanged: number;
}

/** Storage kept failing while a run was written; the run is marked failed with what was written. */
export class StorageWriteError extends Error {
  override readonly name = 'StorageWriteError';
  constructor(
    message: string,
    readonly runId: string,
    readonly findingsWritten: number,
  ) {
    super(message);
  }
}

type Entity = TableEntity<Record<string, unknown>>;

/** Findings (and rows) turned into entities and written at a time: memory stays flat whatever the run's size. */
const STORE_WINDOW = 500;
/** Rows per transaction: windows of a partition's rows are cut at a multiple of it. */
const TRANSACTION_ROWS = 100;

function historyEntity(cluster: IndexedCluster, run: RunMetadata, scopeKey: string): Entity {
  const entity: Entity = {
    ...historyKeys(cluster.clusterId, run.asOf, run.id),
    runId: run.id,
    asOf: run.asOf,
    scopeKey,
    clusterId: cluster.clusterId,
    clusterName: cluster.clusterName,
    clusterKind: cluster.clusterKind,
  };
  for (const [controlId, status] of Object.entries(cluster.statuses))
    entity[`status_${controlId.replace('-', '_')}`] = status;
  return entity;
}

/**
 * The history rows of a run, a window at a time: grouped by partition (subscription) as one write of
 * them all would be, each window cut where a transaction would end, so the transactions are the same.
 */
function* historyWindows(clusters: RunClusterIndex, run: RunMetadata, scopeKey: string): Generator<Entity[]> {
  const byPartition = new Map<string, IndexedCluster[]>();
  for (const cluster of clusters.values()) {
    const { partitionKey } = historyRange(cluster.clusterId);
    const list = byPartition.get(partitionKey);
    if (list) list.push(cluster);
    else byPartition.set(partitionKey, [cluster]);
  }
  let window: Entity[] = [];
  for (const list of byPartition.values()) {
    for (let first = 0; first < list.length; first += TRANSACTION_ROWS) {
      for (const cluster of list.slice(first, first + TRANSACTION_ROWS))
        window.push(historyEntity(cluster, run, scopeKey));
      if (window.length >= STORE_WINDOW) {
        yield window;
        window = [];
      }
    }
  }
  if (window.length > 0) yield window;
}

function scoreEntities(scores: RunScoreTally, run: RunMetadata, scopeKey: string): Entity[] {
  const prefix = `${newestFirst(new Date(run.asOf))}_${run.id}`;
  return scores.rows().map((row) => ({
    partitionKey: `${encodeKey(scopeKey)}|${row.dimension}`,
    rowKey: `${prefix}|${encodeKey(row.key)}`,
    runId: run.id,
    asOf: run.asOf,
    dimension: row.dimension,
    key: row.key,
    score: row.score,
    ...Object.fromEntries(Object.entries(row.counts).map(([status, count]) => [`count_${status}`, count])),
  }));
}

/**
 * Stores a run: the run record (running), its findings (one partition per control, 100-entity
 * transactions), its clusters, each cluster's history row, its scores, the changes against the
 * previous complete run of the scope, the current state per cluster and control; then marks it
 * complete (or partial) — only after every finding is stored. Every write is an upsert keyed by the
 * run, so retrying or re-running the same run converges to the same state. When storage keeps
 * failing the run is marked failed with what was written, and {@link StorageWriteError} is thrown.
 *
 * The run is read once, before anything is written: its findings are sorted by control into
 * temporary files (removed at the end), its clusters indexed (one small entry each) and its scores
 * counted. Then each findings partition is written from its file in windows of 500, compared with
 * the same partition of the previous run (its verdicts by cluster, `PartitionVerdicts`);
 * memory holds the run's clusters, its changes and the failing streaks it carries over (per
 * cluster, {@link FailingStreaks}), never its findings.
 */
export async function storeRun(request: StoreRunRequest): Promise<StoreRunOutcome> {
  const { store, source, scopeKey } = request;
  const clock = request.clock ?? (() => new Date());
  const concurrency = request.concurrency ?? 4;
  const progress = request.onProgress ?? (() => undefined);
  const counters = emptyWriteCounters();
  const { run } = source;
  const runId = run.id;
  const byControl = await FindingsByControl.create();
  try {
    const pool = new ValuePool();
    const clusters = new RunClusterIndex(pool);
    const scores = new RunScoreTally();
    for await (const part of source.parts()) {
      clusters.add(part.findings);
      scores.add(part.findings);
      await byControl.append(part.clusters, part.findings);
    }
    await byControl.close();
    const findingsCount = byControl.findingCount;

    const record: RunRecord = {
      runId,
      status: 'running',
      scopeKey,
      metadata: run,
      findingsCount,
      findingsWritten: 0,
      previousRunId: null,
      changeCounts: null,
      findingsJsonSha256: request.findingsJsonSha256 ?? null,
      error: null,
      updatedAt: clock().toISOString(),
    };
    const saveRecord = async (status: RunStatus, extra: Partial<RunRecord> = {}): Promise<void> => {
      Object.assign(record, extra, { status, updatedAt: clock().toISOString() });
      await store.tables.runs.upsertEntity(await toRunEntity(record, store.largeValues), 'Replace');
    };
    try {
      await saveRecord('running');
      const previous = await readPreviousCompleteRun(store, scopeKey, runId);
      const firstSeenFailing = new FailingStreaks(pool);
      const partialChanges: RunChanges[] = [];
      progress(`Storing ${findingsCount} findings of run ${runId}`);
      for (const controlId of CONTROL_IDS) {
        // One findings partition at a time: the previous run's partition, compared and stored in windows.
        const before = previous
          ? await readPreviousPartition(store, previous.runId, controlId, pool)
          : undefined;
        const comparison = new RunComparison(
          previous && before ? { runId: previous.runId, findings: before } : null,
          runId,
          pool,
        );
        for await (const window of byControl.findings(controlId, STORE_WINDOW)) {
          const stored = window.map((finding): StoredFinding => {
            comparison.add(finding);
            if (finding.status !== 'FAIL') return finding;
            const earlier = before?.get(comparisonKey(finding));
            if (earlier?.status !== 'FAIL') return { ...finding, firstSeenFailing: run.asOf };
            const since = earlier.firstSeenFailing ? earlier.firstSeenFailing : run.asOf;
            firstSeenFailing.set(finding, since);
            return { ...finding, firstSeenFailing: since };
          });
          const entities = await Promise.all(
            stored.map((finding) => toFindingEntity(runId, finding, store.largeValues)),
          );
          await upsertInBatches(store.tables.findings, entities, counters, concurrency);
          record.findingsWritten += entities.length;
        }
        partialChanges.push(comparison.finish());
      }
      const changes = mergePartitionChanges(partialChanges, clusters);
      progress(`Stored ${record.findingsWritten} findings; storing clusters, scores and history`);
      for await (const rows of byControl.clusterRows(STORE_WINDOW))
        await upsertInBatches(
          store.tables.clusters,
          rows.map((cluster) => ({ partitionKey: runId, rowKey: encodeKey(cluster.id), ...cluster })),
          counters,
          concurrency,
        );
      await upsertInBatches(store.tables.scores, scoreEntities(scores, run, scopeKey), counters, concurrency);
      for (const window of historyWindows(clusters, run, scopeKey))
        await upsertInBatches(store.tables.history, window, counters, concurrency);

      progress('Updating the current state per cluster and control');
      const stateRowsChanged = await updateClusterState(
        store.tables.state,
        clusters.values(),
        runId,
        run.asOf,
      );
      if (record.findingsWritten !== findingsCount) {
        throw new Error(`stored ${record.findingsWritten} of ${findingsCount} findings`);
      }
      await saveRecord(run.complete ? 'complete' : 'partial', {
        previousRunId: previous?.runId ?? null,
        changeCounts: countChanges(changes),
      });
      return {
        record,
        previous,
        changes,
        firstSeenFailing: firstSeenFailing.release(),
        counters,
        stateRowsChanged,
      };
    } catch (error) {
      const message =
        error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      try {
        await saveRecord('failed', { error: message });
      } catch {
        // Storage is down for this write too; the run stays "running", never "complete".
      }
      if (error instanceof StorageUnavailableError) throw error;
      throw new StorageWriteError(
        `storing run ${runId} failed after ${record.findingsWritten} of ${findingsCount} findings: ${message}`,
        runId,
        record.findingsWritten,
      );
    }
  } finally {
    await byControl.dispose();
  }
}
