import type { AzureClients } from '../collection/azureClients.js';
import { emptyStats, type CollectionStats } from '../collection/collectionStats.js';
import {
  collectLiveInventory,
  readHostSecuritySettings,
  resolveSubscriptions,
} from '../collection/collectLiveInventory.js';
import { collectSingleCluster } from '../collection/collectSingleCluster.js';
import { graphReadContext } from '../collection/graphContext.js';
import { chunk, type LiveScope } from '../collection/liveScope.js';
import type { CollectionGap } from '../inventory/inventory.js';
import { buildFleet } from '../inventory/buildFleet.js';
import type { ActiveRecord } from '../governance/records.js';
import { publishRun, type RunHandOff } from '../publish/publishRun.js';
import type { RunKind } from '../publish/runKind.js';
import { assembleScanResult, evaluateInventory, type EvaluatedPart } from '../scan/evaluateInventory.js';
import { newRunId } from '../scan/runId.js';
import { memorySource } from '../scan/runSource.js';
import type { ScanResult } from '../scan/scanResult.js';
import { scopeKeyOf } from '../scan/scopeKey.js';
import type { LiveSettings } from '../settings/liveSettings.js';
import type { ScanSettings } from '../settings/scanSettings.js';
import type { HistoryStore } from '../storage/historyStore.js';
import type { StoreRunOutcome } from '../storage/storeRun.js';
import {
  mergeBatchFacts,
  readBatchSummary,
  summariseBatch,
  factsBlobName,
  type BatchSummary,
} from './batchFacts.js';
import { batchBlobName, readBatchPayload, type BatchPayload } from './batchPayload.js';
import { evaluateBatch, type HostSettingsReader } from './batchEvaluation.js';
import type { ReportStore } from './reportPublisher.js';
import { gapsOfFailedBatch, type RunCoordinator, type RunCoordinatorTable } from './runCoordinator.js';
import type { BatchMessage, WorkQueue } from './workQueue.js';

export type Log = (
  level: 'info' | 'warn' | 'error',
  message: string,
  properties?: Record<string, unknown>,
) => void;

/** A finalized, published run. */
export interface FinalizedRun {
  result: ScanResult;
  stored: StoreRunOutcome;
  reports: string[];
}

/** The settings the scan use cases read; the app's settings loader provides them. */
export interface ScanAppSettings {
  live: LiveSettings;
  scope: LiveScope;
  scanSettings: ScanSettings;
  /** Scopes with at most this many subscriptions are scanned inline, without queues. */
  inlineMaxSubscriptions: number;
  /** A run whose batches have not all finished after this long is finalized as partial. */
  runTimeoutMs: number;
  /** Stored runs older than this many days are deleted after every stored run. */
  retentionDays: number;
}

/** Everything the scan use cases need, built once per invocation by the entry points. */
export interface ScanApp {
  settings: ScanAppSettings;
  store: HistoryStore;
  coordinator: RunCoordinatorTable;
  queue: WorkQueue;
  azure: () => AzureClients;
  reports: ReportStore;
  /** The governance records each run applies (absent: none). */
  governance?: () => Promise<ActiveRecord[]>;
  /** What follows a published fleet run (report e-mail, notification events). */
  handOff?: RunHandOff;
  /** Notification deliveries that gave up so far, shown in the reports. */
  countDeadLetters?: () => Promise<number>;
  clock: () => Date;
  log: Log;
}

function addStats(total: CollectionStats, part: CollectionStats): void {
  for (const key of Object.keys(total) as Array<keyof CollectionStats>) total[key] += part[key] ?? 0;
}

/**
 * Starts a scan of the configured (or given) scope: resolves its subscriptions, records the run
 * and its batches, and enqueues one message per batch — or, for a scope no larger than the inline
 * limit, reads every batch and finalizes in this invocation.
 */
export async function startScan(
  app: ScanApp,
  scope: LiveScope = app.settings.scope,
): Promise<{ runId: string; batches: number; inline: boolean }> {
  const startedAt = app.clock();
  const runId = newRunId(startedAt);
  const stats = emptyStats();
  const graph = graphReadContext(app.azure(), app.settings.live, stats);
  const subscriptions = await resolveSubscriptions({ scope, graph });
  const batches = chunk(subscriptions, app.settings.live.batchSize);
  const scopeKey = scopeKeyOf({ kind: 'live', scope });
  await app.coordinator.create(
    {
      runId,
      scopeKey,
      startedAt: startedAt.toISOString(),
      asOf: startedAt.toISOString(),
      totalBatches: batches.length,
    },
    batches,
    startedAt,
  );
  const inline = subscriptions.length <= app.settings.inlineMaxSubscriptions;
  app.log(
    'info',
    `run ${runId}: ${subscriptions.length} subscription(s) in ${batches.length} batch(es)${inline ? ', inline' : ''}`,
    {
      runId,
      scopeKey,
    },
  );
  if (inline) {
    for (let index = 0; index < batches.length; index++) await collectBatch(app, runId, index);
    await finalizeIfReady(app, runId);
  } else {
    for (let index = 0; index < batches.length; index++)
      await app.queue.send({ kind: 'scan-batch', runId, batchIndex: index });
    if (batches.length === 0) await finalizeIfReady(app, runId);
  }
  return { runId, batches: batches.length, inline };
}

/** Reads one batch from Resource Graph and Resource Manager and keeps its rows; idempotent. */
async function collectBatch(app: ScanApp, runId: string, index: number): Promise<void> {
  const batch = await app.coordinator.batch(runId, index);
  if (!batch) throw new RangeError(`run ${runId} has no batch ${index}`);
  if (batch.status !== 'pending') return;
  const stats = emptyStats();
  const graph = graphReadContext(app.azure(), app.settings.live, stats);
  const inventory = await collectLiveInventory({
    scope: { kind: 'subscriptions', subscriptionIds: batch.subscriptionIds },
    graph,
    arm: app.azure().arm,
    scanSettings: app.settings.scanSettings,
    batchSize: batch.subscriptionIds.length || 1,
    graphConcurrency: 1,
    armConcurrency: app.settings.live.armConcurrency,
  });
  const payload: BatchPayload = {
    rows: inventory.resources.map((resource) => ({ value: resource.raw, where: resource.origin })),
    gaps: inventory.gaps,
    stats,
  };
  const blobName = batchBlobName(runId, index);
  const clusters = buildFleet(inventory, app.settings.scanSettings.azureLocalHosts).clusters;
  const summary: BatchSummary = { facts: summariseBatch(inventory, clusters), gaps: inventory.gaps, stats };
  await app.store.largeValues.put(factsBlobName(blobName), JSON.stringify(summary));
  await app.store.largeValues.put(blobName, JSON.stringify(payload));
  await app.coordinator.complete(runId, index, { status: 'done', blobName });
}

/**
 * The run a message belongs to, or undefined (logged once) when the message names a run that does
 * not exist or a batch the run does not have: such a message can never succeed, so it is dropped
 * instead of being retried until it reaches the poison queue.
 */
async function runOfMessage(
  app: ScanApp,
  message: BatchMessage,
  queue: 'batch' | 'poison',
): Promise<RunCoordinator | undefined> {
  const coordinator = await app.coordinator.read(message.runId);
  const where = queue === 'poison' ? 'poison message' : 'message';
  if (!coordinator) {
    app.log('error', `${where} for unknown run ${message.runId} dropped`, { ...message });
    return undefined;
  }
  const inRange = Number.isInteger(coordinator.totalBatches) && message.batchIndex < coordinator.totalBatches;
  if (!inRange || !(await app.coordinator.batch(message.runId, message.batchIndex))) {
    app.log(
      'error',
      `${where} for batch ${message.batchIndex} of run ${message.runId} dropped: the run has ${coordinator.totalBatches} batch(es)`,
      { ...message },
    );
    return undefined;
  }
  return coordinator;
}

/** The queue-triggered step: one batch, then finalization if it was the last. Safe to run twice. */
export async function processBatch(app: ScanApp, message: BatchMessage): Promise<void> {
  const coordinator = await runOfMessage(app, message, 'batch');
  if (!coordinator || coordinator.status === 'finalized') return;
  await collectBatch(app, message.runId, message.batchIndex);
  await finalizeIfReady(app, message.runId);
}

/** A batch whose message went to the poison queue: recorded as failed, the run becomes partial. */
export async function failPoisonBatch(
  app: ScanApp,
  message: BatchMessage,
  dequeueCount: number,
): Promise<void> {
  const coordinator = await runOfMessage(app, message, 'poison');
  if (!coordinator || coordinator.status === 'finalized') return;
  await app.coordinator.complete(message.runId, message.batchIndex, {
    status: 'failed',
    reason: `the batch failed ${dequeueCount} time(s) and was moved to the poison queue`,
  });
  app.log('error', `run ${message.runId} batch ${message.batchIndex} failed for good`, {
    ...message,
    dequeueCount,
  });
  await finalizeIfReady(app, message.runId);
}

/** Finalizes the run if every batch is done or failed and this caller wins the claim. */
export async function finalizeIfReady(app: ScanApp, runId: string): Promise<FinalizedRun | undefined> {
  const claimed = await app.coordinator.claimFinalization(runId, app.clock(), app.settings.runTimeoutMs);
  if (!claimed) return undefined;
  return finalizeClaimed(app, runId, claimed.scopeKey, claimed.startedAt, claimed.asOf);
}

async function finalizeClaimed(
  app: ScanApp,
  runId: string,
  scopeKey: string,
  startedAt: string,
  asOf: string,
): Promise<FinalizedRun> {
  const batches = await app.coordinator.batches(runId);
  const gaps: CollectionGap[] = [];
  const stats = emptyStats();
  const failBatch = (batch: (typeof batches)[number], reason?: string): void => {
    // Never read, or its stored rows are missing or damaged: its subscriptions were not read.
    if (reason)
      app.log('error', `run ${runId} batch ${batch.index}: ${reason}`, { runId, batch: batch.index });
    gaps.push(...gapsOfFailedBatch(reason ? { ...batch, reason } : batch));
    stats.failedBatches++;
  };
  // First the small summaries: fleet-wide facts, the rows that link across batches, gaps, counters.
  const done: Array<{ batch: (typeof batches)[number]; blobName: string; summary: BatchSummary }> = [];
  for (const batch of batches) {
    const read =
      batch.status === 'done'
        ? await readBatchSummary(
            app.store.largeValues,
            batch.blobName,
            app.settings.scanSettings.azureLocalHosts,
          )
        : undefined;
    if (read?.ok)
      done.push({ batch, blobName: batch.status === 'done' ? batch.blobName : '', summary: read.summary });
    else failBatch(batch, read?.reason);
  }
  const merged = mergeBatchFacts(done.map((entry) => entry.summary.facts));
  for (const { summary } of done) {
    gaps.push(...summary.gaps);
    addStats(stats, summary.stats);
  }
  const graph = graphReadContext(app.azure(), app.settings.live, stats);
  const readHosts: HostSettingsReader = (documents, runGaps) =>
    readHostSecuritySettings(documents, runGaps, {
      graph,
      arm: app.azure().arm,
      scanSettings: app.settings.scanSettings,
      armConcurrency: app.settings.live.armConcurrency,
    });
  // Then one batch at a time, against the merged facts: only its rows are held while it is judged.
  const parts: EvaluatedPart[] = [];
  for (const { batch, blobName } of done) {
    const read = await readBatchPayload(app.store.largeValues, blobName);
    if (!read.ok) {
      failBatch(batch, read.reason);
      continue;
    }
    parts.push(
      await evaluateBatch({
        rows: read.payload.rows,
        merged,
        gaps,
        settings: app.settings.scanSettings,
        asOf: new Date(asOf),
        readHosts,
      }),
    );
  }
  stats.batches = batches.length;
  stats.subscriptions = batches.reduce((sum, batch) => sum + batch.subscriptionIds.length, 0);
  const result = assembleScanResult(parts, {
    runId,
    source: 'resource-graph',
    startedAt: new Date(startedAt),
    asOf: new Date(asOf),
    settings: app.settings.scanSettings,
    gaps,
    factWarnings: merged.fleet.warnings,
    stats,
    clock: app.clock,
    governance: await app.governance?.(),
  });
  const published = await publishApp(app, result, 'fleet', scopeKey);
  await app.coordinator.markFinalized(runId, app.clock());
  app.log(
    'info',
    `run ${runId} finalized: ${published.stored.record.status}, score ${(result.run.score * 100).toFixed(1)}%`,
    {
      runId,
      status: published.stored.record.status,
      findings: result.findings.length,
    },
  );
  return published;
}

/** Publishes a run of the app through the one publishing use case, into the reports container. */
async function publishApp(
  app: ScanApp,
  result: ScanResult,
  kind: RunKind,
  scopeKey: string,
): Promise<FinalizedRun> {
  const published = await publishRun({
    kind,
    source: memorySource(result),
    scopeKey,
    destination: app.reports,
    history: { store: app.store, retentionDays: app.settings.retentionDays },
    ...(app.handOff ? { handOff: app.handOff } : {}),
    ...(app.countDeadLetters ? { countDeadLetters: app.countDeadLetters } : {}),
    clock: app.clock,
  });
  if (!published.stored) throw new Error(`run ${result.run.id} was not stored`);
  if (published.retention && 'error' in published.retention)
    app.log('warn', `retention clean-up after run ${result.run.id} failed: ${published.retention.error}`);
  return { result, stored: published.stored, reports: published.files };
}

/** Fails every batch still pending after the timeout, then finalizes the run if this caller wins. */
async function finalizeTimedOut(app: ScanApp, runId: string): Promise<boolean> {
  for (const batch of await app.coordinator.batches(runId)) {
    if (batch.status === 'pending') {
      await app.coordinator.complete(runId, batch.index, {
        status: 'failed',
        reason: `not finished within ${Math.round(app.settings.runTimeoutMs / 60_000)} minutes`,
      });
    }
  }
  return (await finalizeIfReady(app, runId)) !== undefined;
}

/**
 * Timer sweep: runs whose batches never all finished, or whose finalization was claimed and never
 * completed, are finalized (as partial when batches are missing) after the run timeout. Each run is
 * handled on its own: one that fails is logged and retried by the next sweep, and never keeps the
 * runs after it from being finalized.
 */
export async function finalizeStaleRuns(app: ScanApp): Promise<string[]> {
  const finalized: string[] = [];
  for (const run of await app.coordinator.stale(app.clock(), app.settings.runTimeoutMs)) {
    try {
      if (await finalizeTimedOut(app, run.runId)) finalized.push(run.runId);
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      app.log('error', `run ${run.runId} could not be finalized; the next sweep tries again: ${reason}`, {
        runId: run.runId,
      });
    }
  }
  return finalized;
}

/** The single-cluster live check as a stored run of scope `cluster:{id}`. */
export async function rescanCluster(app: ScanApp, clusterId: string): Promise<FinalizedRun> {
  const startedAt = app.clock();
  const stats = emptyStats();
  const clients = app.azure();
  const graph = graphReadContext(clients, app.settings.live, stats);
  const inventory = await collectSingleCluster({
    clusterId,
    graph,
    arm: clients.arm,
    kubernetesConfiguration: clients.kubernetesConfiguration,
    scanSettings: app.settings.scanSettings,
  });
  const result = evaluateInventory({
    inventory,
    settings: app.settings.scanSettings,
    runId: newRunId(startedAt),
    source: 'resource-graph',
    startedAt,
    stats,
    clock: app.clock,
    governance: await app.governance?.(),
  });
  return publishApp(app, result, 'cluster', scopeKeyOf({ kind: 'cluster', clusterId }));
}
