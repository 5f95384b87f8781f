import { mapWithConcurrency } from '../collection/boundedConcurrency.js';
import { emptyStats, type CollectionStats } from '../collection/collectionStats.js';
import { readHostSecuritySettings } from '../collection/collectLiveInventory.js';
import { graphReadContext } from '../collection/graphContext.js';
import type { CollectionGap } from '../inventory/inventory.js';
import type { EvaluatedPart } from '../scan/evaluateInventory.js';
import type { RunPart } from '../scan/runSource.js';
import { emptyRunTally, tallyPart } from '../scan/runTally.js';
import { evaluateBatch } from './batchEvaluation.js';
import { readBatchPayload } from './batchPayload.js';
import { storeEvaluatedBatch, type EvaluatedBatch } from './evaluatedBatch.js';
import type { RunCoordinator } from './runCoordinator.js';
import type { LentRows } from './linkedResources.js';
import { readLentRows, readRunFacts, writeRunFacts, type RunFacts } from './runFacts.js';
import { factsForRun, finalizeIfReady } from './runFinalization.js';
import type { FinalizedRun, ScanApp } from './scanApp.js';

/** How a prepared run's batches are evaluated: a queue message each, or one after another here. */
export type EvaluationDispatch = 'queue' | 'inline';

/** Evaluation messages sent at once while a run is prepared. */
const SEND_CONCURRENCY = 8;

/**
 * Prepares the run if every batch is read (done or failed) and this caller wins the claim: the
 * batches' summaries merged once, in batch order, with the governance records of the moment, into
 * the run's facts (kept as they are if a preparation taken over already stored them), the batches
 * whose summary cannot be read failed, then one evaluation per batch read — queued, or run here
 * one after another. A run with nothing to evaluate is finalized at once.
 */
export async function prepareIfReady(
  app: ScanApp,
  runId: string,
  dispatch: EvaluationDispatch,
): Promise<{ prepared: boolean; finalized?: FinalizedRun }> {
  const claim = await app.coordinator.claimPreparation(runId, app.clock(), app.settings.runTimeoutMs);
  if (!claim) return { prepared: false };
  const batches = await app.coordinator.batches(runId);
  const found = await factsForRun(app, runId, batches);
  const { facts } = found;
  if (!found.stored) await writeRunFacts(app.store.largeValues, runId, facts, found.reach);
  const notRead = new Set<number>();
  const statusOf = new Map(batches.map((batch) => [batch.index, batch.status]));
  for (const { index, reason } of facts.failedBatches) {
    notRead.add(index);
    if (statusOf.get(index) === 'done') {
      app.log('error', `run ${runId} batch ${index}: ${reason}`, { runId, batch: index });
      await app.coordinator.completeEvaluation(runId, index, { status: 'failed', reason });
    }
  }
  const toEvaluate = batches.filter((batch) => batch.status === 'done' && !notRead.has(batch.index));
  if (dispatch === 'queue')
    await mapWithConcurrency(toEvaluate, SEND_CONCURRENCY, (batch) =>
      app.queue.send({ kind: 'evaluate-batch', runId, batchIndex: batch.index }),
    );
  if (!(await app.coordinator.markEvaluating(claim, app.clock()))) return { prepared: true };
  app.log('info', `run ${runId}: ${toEvaluate.length} batch(es) to evaluate`, {
    runId,
    batches: toEvaluate.length,
  });
  if (dispatch === 'inline') for (const batch of toEvaluate) await evaluateRunBatch(app, claim, batch.index);
  const finalized = await finalizeIfReady(app, runId);
  return finalized ? { prepared: true, finalized } : { prepared: true };
}

/**
 * Judges one batch read in its own right: reads the batch's rows, the run's facts and the batch's
 * share of the linking rows, reads the settings of hosts it links to that no batch holds, governs
 * and tallies its part, and stores the part and its tally. Only its rows and its part are held. The
 * part is named for its content, so a batch evaluated again (a duplicated message, a crash before it
 * was marked) writes the same blobs and is counted once. Rows, facts or a share that can never be
 * read fail the batch at once, with the reason; storage that does not answer is thrown, so the
 * message is delivered again.
 */
export async function evaluateRunBatch(
  app: ScanApp,
  run: Pick<RunCoordinator, 'runId' | 'asOf'>,
  index: number,
): Promise<void> {
  const { runId } = run;
  const batch = await app.coordinator.batch(runId, index);
  if (batch?.status !== 'done') return;
  const facts = await readRunFacts(app.store.largeValues, runId);
  const lent =
    facts.ok && facts.facts.lentPerBatch
      ? await readLentRows(app.store.largeValues, runId, index)
      : undefined;
  const judged = !facts.ok
    ? facts
    : lent?.ok === false
      ? lent
      : await judgeBatch(app, batch.blobName, facts.facts, lent?.lent, new Date(run.asOf));
  if (!judged.ok) {
    if (judged.transient) throw new Error(`run ${runId} batch ${index}: ${judged.reason}`);
    app.log('error', `run ${runId} batch ${index}: ${judged.reason}`, { runId, batch: index });
    await app.coordinator.completeEvaluation(runId, index, { status: 'failed', reason: judged.reason });
    return;
  }
  await storeEvaluatedBatch(app.store.largeValues, runId, index, judged.part, judged.rest);
  await app.coordinator.completeEvaluation(runId, index, { status: 'evaluated' });
}

/**
 * The batch judged, governed and tallied. Each step runs in a function of its own, so that what it
 * no longer needs is released before the next: the rows once the part is evaluated, the evaluated
 * findings once they are governed.
 */
async function judgeBatch(
  app: ScanApp,
  rowsBlobName: string,
  facts: RunFacts,
  lent: LentRows | undefined,
  asOf: Date,
): Promise<
  | { ok: true; part: RunPart; rest: Omit<EvaluatedBatch, 'part'> }
  | { ok: false; reason: string; transient?: boolean }
> {
  const stats = emptyStats();
  const gaps = [...facts.gaps];
  const evaluated = await evaluateStoredRows(app, rowsBlobName, { facts, lent, asOf, gaps, stats });
  if (!evaluated.ok) return evaluated;
  const tally = emptyRunTally();
  return {
    ok: true,
    part: tallyPart(evaluated.part, { records: facts.governance, asOf }, tally),
    rest: { tally, hostGaps: gaps.slice(facts.gaps.length), stats },
  };
}

/** A batch's stored rows judged against the run's facts; host reads add to `gaps` and `stats`. */
async function evaluateStoredRows(
  app: ScanApp,
  rowsBlobName: string,
  context: {
    facts: RunFacts;
    lent: LentRows | undefined;
    asOf: Date;
    gaps: CollectionGap[];
    stats: CollectionStats;
  },
): Promise<{ ok: true; part: EvaluatedPart } | { ok: false; reason: string; transient?: boolean }> {
  const read = await readBatchPayload(app.store.largeValues, rowsBlobName);
  if (!read.ok) return read;
  const graph = graphReadContext(app.azure(), app.settings.live, context.stats);
  const part = await evaluateBatch({
    rows: read.payload.rows,
    merged: context.facts.merged,
    ...(context.lent ? { lent: context.lent } : {}),
    gaps: context.gaps,
    settings: app.settings.scanSettings,
    asOf: context.asOf,
    readHosts: (documents, runGaps) =>
      readHostSecuritySettings(documents, runGaps, {
        graph,
        arm: app.azure().arm,
        scanSettings: app.settings.scanSettings,
        armConcurrency: app.settings.live.armConcurrency,
      }),
  });
  return { ok: true, part };
}
