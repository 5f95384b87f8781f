import type { TableEntity } from '@azure/data-tables';

import { CONTROL_IDS, type Finding } from '../catalog/types.js';
import {
  computeRunChanges,
  countChanges,
  mergePartitionChanges,
  type RunChanges,
} from '../runCalculations/runChanges.js';
import { computeRunScores } from '../runCalculations/runScores.js';
import type { ScanResult } from '../scan/scanResult.js';
import { emptyWriteCounters, upsertInBatches, type WriteCounters } from './batchWriter.js';
import { updateClusterState } from './clusterState.js';
import { toFindingEntity, type StoredFinding } from './findingEntity.js';
import { historyKeys } from './historyKeys.js';
import { StorageUnavailableError, type HistoryStore } from './historyStore.js';
import { readFindingSummaries, readPreviousCompleteRun, type FindingSummary } from './runReads.js';
import { toRunEntity, type RunRecord, type RunStatus } from './runRecord.js';
import { encodeKey, newestFirst } from './tableKeys.js';

export interface StoreRunRequest {
  store: HistoryStore;
  result: ScanResult;
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
  /** `clusterIdLower|controlId` → asOf of the first run of the current FAIL streak. */
  firstSeenFailing: Map<string, string>;
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

/** Findings turned into entities and written at a time: memory stays flat whatever the run's size. */
const STORE_WINDOW = 500;

const key = (finding: Pick<Finding, 'clusterId' | 'controlId'>): string =>
  `${finding.clusterId.toLowerCase()}|${finding.controlId}`;

function historyEntities(result: ScanResult, scopeKey: string): Entity[] {
  const { run } = result;
  const byCluster = new Map<string, Entity>();
  for (const finding of result.findings) {
    const id = finding.clusterId.toLowerCase();
    let entity = byCluster.get(id);
    if (!entity) {
      entity = {
        ...historyKeys(finding.clusterId, run.asOf, run.id),
        runId: run.id,
        asOf: run.asOf,
        scopeKey,
        clusterId: finding.clusterId,
        clusterName: finding.clusterName,
        clusterKind: finding.clusterKind,
      };
      byCluster.set(id, entity);
    }
    entity[`status_${finding.controlId.replace('-', '_')}`] = finding.status;
  }
  return [...byCluster.values()];
}

function scoreEntities(result: ScanResult, scopeKey: string): Entity[] {
  const { run } = result;
  const prefix = `${newestFirst(new Date(run.asOf))}_${run.id}`;
  return computeRunScores(result.findings).map((row) => ({
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

function clusterEntities(result: ScanResult): Entity[] {
  return result.clusters.map((cluster) => ({
    partitionKey: result.run.id,
    rowKey: encodeKey(cluster.id),
    ...cluster,
  }));
}

/**
 * Stores a run: the run record (running), its findings (one partition per control, 100-entity
 * transactions), its clusters, each cluster's history row, its scores, the changes against the
 * previous complete run of the scope, the current state per cluster and control; then marks it
 * complete (or partial) — only after every finding is stored. Every write is an upsert keyed by the
 * run, so retrying or re-running the same run converges to the same state. When storage keeps
 * failing the run is marked failed with what was written, and {@link StorageWriteError} is thrown.
 */
export async function storeRun(request: StoreRunRequest): Promise<StoreRunOutcome> {
  const { store, result, scopeKey } = request;
  const clock = request.clock ?? (() => new Date());
  const concurrency = request.concurrency ?? 4;
  const progress = request.onProgress ?? (() => undefined);
  const counters = emptyWriteCounters();
  const runId = result.run.id;
  const record: RunRecord = {
    runId,
    status: 'running',
    scopeKey,
    metadata: result.run,
    findingsCount: result.findings.length,
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
    const firstSeenFailing = new Map<string, string>();
    const partialChanges: RunChanges[] = [];
    progress(`Storing ${result.findings.length} findings of run ${runId}`);
    for (const controlId of CONTROL_IDS) {
      // One findings partition at a time: the previous run's partition, compared and stored in windows.
      const before = new Map<string, FindingSummary>();
      if (previous)
        for await (const summary of readFindingSummaries(store, previous.runId, controlId))
          before.set(key(summary), summary);
      const current = result.findings.filter((finding) => finding.controlId === controlId);
      for (let first = 0; first < current.length; first += STORE_WINDOW) {
        const window = current.slice(first, first + STORE_WINDOW).map((finding): StoredFinding => {
          if (finding.status !== 'FAIL') return finding;
          const earlier = before.get(key(finding));
          const since =
            earlier?.status === 'FAIL' && earlier.firstSeenFailing
              ? earlier.firstSeenFailing
              : result.run.asOf;
          firstSeenFailing.set(key(finding), since);
          return { ...finding, firstSeenFailing: since };
        });
        const entities = await Promise.all(
          window.map((finding) => toFindingEntity(runId, finding, store.largeValues)),
        );
        await upsertInBatches(store.tables.findings, entities, counters, concurrency);
        record.findingsWritten += entities.length;
      }
      partialChanges.push(
        computeRunChanges(previous ? { runId: previous.runId, findings: before.values() } : null, {
          runId,
          findings: current,
        }),
      );
    }
    const changes = mergePartitionChanges(partialChanges, result.findings);
    progress(`Stored ${record.findingsWritten} findings; storing clusters, scores and history`);
    await upsertInBatches(store.tables.clusters, clusterEntities(result), counters, concurrency);
    await upsertInBatches(store.tables.scores, scoreEntities(result, scopeKey), counters, concurrency);
    await upsertInBatches(store.tables.history, historyEntities(result, scopeKey), counters, concurrency);

    progress('Updating the current state per cluster and control');
    const stateRowsChanged = await updateClusterState(
      store.tables.state,
      result.findings,
      runId,
      result.run.asOf,
    );
    if (record.findingsWritten !== result.findings.length) {
      throw new Error(`stored ${record.findingsWritten} of ${result.findings.length} findings`);
    }
    await saveRecord(result.run.complete ? 'complete' : 'partial', {
      previousRunId: previous?.runId ?? null,
      changeCounts: countChanges(changes),
    });
    return { record, previous, changes, firstSeenFailing, counters, stateRowsChanged };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    try {
      await saveRecord('failed', { error: message });
    } catch {
      // Storage is down for this write too; the run stays "running", never "complete".
    }
    if (error instanceof StorageUnavailableError) throw error;
    throw new StorageWriteError(
      `storing run ${runId} failed after ${record.findingsWritten} of ${result.findings.length} findings: ${message}`,
      runId,
      record.findingsWritten,
    );
  }
}
