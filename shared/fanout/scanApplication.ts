import { emptyStats } from '../collection/collectionStats.js';
import { collectLiveInventory, resolveSubscriptions } from '../collection/collectLiveInventory.js';
import { collectSingleCluster } from '../collection/collectSingleCluster.js';
import { graphReadContext } from '../collection/graphContext.js';
import { chunk, type LiveScope } from '../collection/liveScope.js';
import { buildFleet } from '../inventory/buildFleet.js';
import { evaluateInventory } from '../scan/evaluateInventory.js';
import { newRunId } from '../scan/runId.js';
import { memorySource } from '../scan/runSource.js';
import { scopeKeyOf } from '../scan/scopeKey.js';
import { summariseBatch, factsBlobName, type BatchSummary } from './batchFacts.js';
import { batchBlobName, type BatchPayload } from './batchPayload.js';
import { evaluateRunBatch, prepareIfReady } from './evaluationStage.js';
import type { RunCoordinator } from './runCoordinator.js';
import { finalizeIfReady, publishApp } from './runFinalization.js';
import type { FinalizedRun, ScanApp } from './scanApp.js';
import type { BatchMessage } from './workQueue.js';

export type { FinalizedRun, Log, ScanApp, ScanAppSettings } from './scanApp.js';
export { finalizeIfReady } from './runFinalization.js';

/**
 * Starts a scan of the configured (or given) scope: resolves its subscriptions, records the run
 * and its batches, and enqueues one message per batch — or, for a scope no larger than the inline
 * limit, takes every step in this invocation: reads each batch, prepares the run, evaluates each
 * batch and finalizes.
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
    await prepareIfReady(app, runId, 'inline');
  } else {
    for (let index = 0; index < batches.length; index++)
      await app.queue.send({ kind: 'scan-batch', runId, batchIndex: index });
    if (batches.length === 0) await prepareIfReady(app, runId, 'queue');
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

/**
 * The queue-triggered step, safe to run twice. `scan-batch`: reads one batch; the last batch read
 * prepares the run and queues the evaluations. `evaluate-batch`: evaluates one batch read; the last
 * batch evaluated finalizes the run.
 */
export async function processBatch(app: ScanApp, message: BatchMessage): Promise<void> {
  const coordinator = await runOfMessage(app, message, 'batch');
  if (!coordinator || coordinator.status === 'finalized') return;
  if (message.kind === 'scan-batch') {
    await collectBatch(app, message.runId, message.batchIndex);
    await prepareIfReady(app, message.runId, 'queue');
    return;
  }
  // Once the run is being finalized every batch is evaluated or failed: this is a copy delivered late.
  if (coordinator.status === 'finalizing') return;
  // Evaluations are queued only once the run's facts are stored: none is due before.
  if (coordinator.status !== 'preparing' && coordinator.status !== 'evaluating') {
    app.log(
      'warn',
      `evaluation of batch ${message.batchIndex} of run ${message.runId} dropped: the run is ${coordinator.status}`,
      { ...message },
    );
    return;
  }
  await evaluateRunBatch(app, coordinator, message.batchIndex);
  await finalizeIfReady(app, message.runId);
}

/**
 * A message that went to the poison queue: its batch is recorded as failed — not read, or not
 * evaluated — and the run goes on without it, as partial.
 */
export async function failPoisonBatch(
  app: ScanApp,
  message: BatchMessage,
  dequeueCount: number,
): Promise<void> {
  const coordinator = await runOfMessage(app, message, 'poison');
  if (!coordinator || coordinator.status === 'finalized') return;
  const { runId, batchIndex } = message;
  if (message.kind === 'evaluate-batch') {
    await app.coordinator.completeEvaluation(runId, batchIndex, {
      status: 'failed',
      reason: `the batch's evaluation failed ${dequeueCount} time(s) and was moved to the poison queue`,
    });
    app.log('error', `run ${runId} batch ${batchIndex} could not be evaluated`, { ...message, dequeueCount });
    await finalizeIfReady(app, runId);
    return;
  }
  await app.coordinator.complete(runId, batchIndex, {
    status: 'failed',
    reason: `the batch failed ${dequeueCount} time(s) and was moved to the poison queue`,
  });
  app.log('error', `run ${runId} batch ${batchIndex} failed for good`, { ...message, dequeueCount });
  await prepareIfReady(app, runId, 'queue');
}

/**
 * Resumes a run past the timeout in its stage: batches still not read are failed, and — when the
 * run's evaluations were queued that long ago — so are batches still not evaluated; then the run
 * is prepared (its evaluations queued), or finalized. True when this call finalized it.
 */
async function resumeTimedOut(app: ScanApp, run: RunCoordinator): Promise<boolean> {
  const minutes = Math.round(app.settings.runTimeoutMs / 60_000);
  const evaluationsDue = run.status === 'evaluating' || run.status === 'finalizing';
  for (const batch of await app.coordinator.batches(run.runId)) {
    if (batch.status === 'pending')
      await app.coordinator.complete(run.runId, batch.index, {
        status: 'failed',
        reason: `not finished within ${minutes} minutes`,
      });
    else if (batch.status === 'done' && evaluationsDue)
      await app.coordinator.completeEvaluation(run.runId, batch.index, {
        status: 'failed',
        reason: `not evaluated within ${minutes} minutes`,
      });
  }
  const prepared = await prepareIfReady(app, run.runId, 'queue');
  if (prepared.prepared) return prepared.finalized !== undefined;
  return (await finalizeIfReady(app, run.runId)) !== undefined;
}

/**
 * Timer sweep, for runs whose current stage has lasted longer than the run timeout: a run whose
 * batches were not all read goes on with those read (their evaluations queued; a run with none is
 * finalized as partial at once); a run whose evaluations were not all done is finalized without
 * the rest; a preparation or finalization claimed and never completed is taken over. Each run is
 * handled on its own: one that fails is logged and retried by the next sweep, and never keeps the
 * runs after it from being finalized. Gives the runs this sweep finalized.
 */
export async function finalizeStaleRuns(app: ScanApp): Promise<string[]> {
  const finalized: string[] = [];
  for (const run of await app.coordinator.stale(app.clock(), app.settings.runTimeoutMs)) {
    try {
      if (await resumeTimedOut(app, run)) finalized.push(run.runId);
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
  return publishApp(app, memorySource(result), 'cluster', scopeKeyOf({ kind: 'cluster', clusterId }));
}
