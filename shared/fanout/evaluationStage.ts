import { mapWithConcurrency } from '../collection/boundedConcurrency.js';
import { emptyStats } from '../collection/collectionStats.js';
import { readHostSecuritySettings } from '../collection/collectLiveInventory.js';
import { graphReadContext } from '../collection/graphContext.js';
import { emptyRunTally, tallyPart } from '../scan/runTally.js';
import { evaluateBatch } from './batchEvaluation.js';
import { readBatchPayload } from './batchPayload.js';
import { serialisePart, storeEvaluatedBatch, type EvaluatedBatch } from './evaluatedBatch.js';
import type { RunCoordinator } from './runCoordinator.js';
import { readRunFacts, writeRunFacts, type RunFacts } from './runFacts.js';
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
  const { facts, stored } = await factsForRun(app, runId, batches);
  if (!stored) await writeRunFacts(app.store.largeValues, runId, facts);
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
 * Judges one batch read in its own right: reads the batch's rows and the run's facts, reads the
 * settings of hosts it links to that no batch holds, governs and tallies its part, and stores the
 * part and its tally. Only its rows and its part are held. The part is named for its content, so a
 * batch evaluated again (a duplicated message, a crash before it was marked) writes the same blobs
 * and is counted once. Rows or facts that can never be read fail the batch at once, with the reason;
 * storage that does not answer is thrown, so the message is delivered again.
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
  const judged = facts.ok ? await judgeBatch(app, batch.blobName, facts.facts, new Date(run.asOf)) : facts;
  if (!judged.ok) {
    if (judged.transient) throw new Error(`run ${runId} batch ${index}: ${judged.reason}`);
    app.log('error', `run ${runId} batch ${index}: ${judged.reason}`, { runId, batch: index });
    await app.coordinator.completeEvaluation(runId, index, { status: 'failed', reason: judged.reason });
    return;
  }
  await storeEvaluatedBatch(app.store.largeValues, runId, index, judged.serialised, judged.rest);
  await app.coordinator.completeEvaluation(runId, index, { status: 'evaluated' });
}

/** The batch judged and serialised; its rows and findings are released when this returns. */
async function judgeBatch(
  app: ScanApp,
  rowsBlobName: string,
  facts: RunFacts,
  asOf: Date,
): Promise<
  | { ok: true; serialised: ReturnType<typeof serialisePart>; rest: Omit<EvaluatedBatch, 'part'> }
  | { ok: false; reason: string; transient?: boolean }
> {
  const read = await readBatchPayload(app.store.largeValues, rowsBlobName);
  if (!read.ok) return read;
  const stats = emptyStats();
  const graph = graphReadContext(app.azure(), app.settings.live, stats);
  const gaps = [...facts.gaps];
  const part = await evaluateBatch({
    rows: read.payload.rows,
    merged: facts.merged,
    gaps,
    settings: app.settings.scanSettings,
    asOf,
    readHosts: (documents, runGaps) =>
      readHostSecuritySettings(documents, runGaps, {
        graph,
        arm: app.azure().arm,
        scanSettings: app.settings.scanSettings,
        armConcurrency: app.settings.live.armConcurrency,
      }),
  });
  const tally = emptyRunTally();
  const governed = tallyPart(part, { records: facts.governance, asOf }, tally);
  return {
    ok: true,
    serialised: serialisePart(governed),
    rest: { tally, hostGaps: gaps.slice(facts.gaps.length), stats },
  };
}
