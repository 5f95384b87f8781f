import type { CollectionStats } from '../collection/collectionStats.js';
import type { CollectionGap } from '../inventory/inventory.js';
import { publishRun } from '../publish/publishRun.js';
import type { RunKind } from '../publish/runKind.js';
import type { RunSource } from '../scan/runSource.js';
import { emptyRunTally, mergeRunTally, runMetadataOf } from '../scan/runTally.js';
import { runBlobsPrefix } from './batchPayload.js';
import {
  checkStoredPart,
  readEvaluatedBatch,
  storedPartsSource,
  type EvaluatedBatchRead,
} from './evaluatedBatch.js';
import { gapsOfFailedBatch, type BatchRecord, type RunClaim } from './runCoordinator.js';
import { gatherRunFacts, readRunFacts, type GatheredRunFacts, type RunFacts } from './runFacts.js';
import type { FinalizedRun, ScanApp } from './scanApp.js';

function addStats(total: CollectionStats, part: CollectionStats): void {
  for (const key of Object.keys(total) as Array<keyof CollectionStats>) total[key] += part[key] ?? 0;
}

/** Each resource gap once (the first), in order: batches that link to one host each read it. */
function distinctGaps(gaps: readonly CollectionGap[]): CollectionGap[] {
  const seen = new Set<string>();
  return gaps.filter((gap) => {
    const key = gap.kind === 'resource' ? `resource|${gap.id.toLowerCase()}` : undefined;
    if (key === undefined) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The run's facts as its batches were evaluated with them; if they are missing or damaged (a run
 * taken over before it was prepared), gathered again from the batches' summaries.
 */
export async function factsForRun(
  app: ScanApp,
  runId: string,
  batches: readonly BatchRecord[],
): Promise<{ facts: RunFacts; stored: true } | (GatheredRunFacts & { stored: false })> {
  const read = await readRunFacts(app.store.largeValues, runId);
  if (read.ok) return { facts: read.facts, stored: true };
  if (read.transient) throw new Error(read.reason);
  if (!read.missing) app.log('warn', `run ${runId}: ${read.reason}; gathered again`, { runId });
  const gathered = await gatherRunFacts({
    store: app.store.largeValues,
    batches,
    azureLocalHosts: app.settings.scanSettings.azureLocalHosts,
    governance: (await app.governance?.()) ?? [],
  });
  return { ...gathered, stored: false };
}

/** A batch's stored evaluation, its part checked against its digest. */
async function checkedEvaluation(app: ScanApp, runId: string, index: number): Promise<EvaluatedBatchRead> {
  const read = await readEvaluatedBatch(app.store.largeValues, runId, index);
  if (!read.ok) return read;
  const part = await checkStoredPart(app.store.largeValues, read.evaluated.part);
  return part.ok ? read : part;
}

/** Finalizes the run if every batch is evaluated or failed and this caller wins the claim. */
export async function finalizeIfReady(app: ScanApp, runId: string): Promise<FinalizedRun | undefined> {
  const claimed = await app.coordinator.claimFinalization(runId, app.clock(), app.settings.runTimeoutMs);
  if (!claimed) return undefined;
  return finalizeClaimed(app, claimed);
}

/**
 * Finalizes a claimed run without holding it: merges the small tallies of its evaluated batches in
 * batch order into the run's metadata, then publishes the run from a source that streams each
 * batch's stored part in batch order. A batch whose evaluation or part is missing or damaged counts
 * as failed (its subscriptions are not read; the run is partial). The run's blobs are deleted once
 * it is published and marked finalized, never before: a finalization that fails is taken over and
 * reads them again.
 */
async function finalizeClaimed(app: ScanApp, claim: RunClaim): Promise<FinalizedRun> {
  const { runId } = claim;
  const batches = await app.coordinator.batches(runId);
  const { facts } = await factsForRun(app, runId, batches);
  const notRead = new Set(facts.failedBatches.map((batch) => batch.index));
  const tally = emptyRunTally();
  const stats = { ...facts.stats };
  const hostGaps: CollectionGap[] = [];
  const failed: BatchRecord[] = [];
  const partBlobs: string[] = [];
  for (const batch of batches) {
    if (notRead.has(batch.index)) continue;
    if (batch.status === 'evaluated') {
      const read = await checkedEvaluation(app, runId, batch.index);
      if (read.ok) {
        mergeRunTally(tally, read.evaluated.tally);
        for (const gap of read.evaluated.hostGaps) hostGaps.push(gap);
        addStats(stats, read.evaluated.stats);
        partBlobs.push(read.evaluated.part.blobName);
        continue;
      }
      if (read.transient) throw new Error(`run ${runId} batch ${batch.index}: ${read.reason}`);
      app.log('error', `run ${runId} batch ${batch.index}: ${read.reason}`, { runId, batch: batch.index });
      failed.push({ ...batch, reason: read.reason });
    } else {
      failed.push({ ...batch, reason: batch.reason || 'the batch was not evaluated' });
    }
    stats.failedBatches++;
  }
  stats.batches = batches.length;
  stats.subscriptions = batches.reduce((sum, batch) => sum + batch.subscriptionIds.length, 0);
  const run = runMetadataOf(tally, {
    runId,
    source: 'resource-graph',
    startedAt: new Date(claim.startedAt),
    asOf: new Date(claim.asOf),
    finishedAt: app.clock(),
    settings: app.settings.scanSettings,
    gaps: [...facts.gaps, ...distinctGaps(hostGaps), ...failed.flatMap(gapsOfFailedBatch)],
    factWarnings: facts.merged.fleet.warnings,
    governance: facts.governance,
    stats,
  });
  const published = await publishApp(
    app,
    storedPartsSource(app.store.largeValues, run, partBlobs),
    'fleet',
    claim.scopeKey,
  );
  await app.coordinator.markFinalized(runId, app.clock());
  app.log(
    'info',
    `run ${runId} finalized: ${published.stored.record.status}, score ${(run.score * 100).toFixed(1)}%`,
    { runId, status: published.stored.record.status, findings: tally.findings },
  );
  try {
    await app.store.largeValues.deletePrefix(runBlobsPrefix(runId));
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    app.log('warn', `run ${runId}: its batch blobs were not deleted (retention deletes them): ${reason}`, {
      runId,
    });
  }
  return published;
}

/** Publishes a run of the app through the one publishing use case, into the reports container. */
export async function publishApp(
  app: ScanApp,
  source: RunSource,
  kind: RunKind,
  scopeKey: string,
): Promise<FinalizedRun> {
  const published = await publishRun({
    kind,
    source,
    scopeKey,
    destination: app.reports,
    history: { store: app.store, retentionDays: app.settings.retentionDays },
    ...(app.handOff ? { handOff: app.handOff } : {}),
    ...(app.countDeadLetters ? { countDeadLetters: app.countDeadLetters } : {}),
    clock: app.clock,
  });
  if (!published.stored) throw new Error(`run ${source.run.id} was not stored`);
  if (published.retention && 'error' in published.retention)
    app.log('warn', `retention clean-up after run ${source.run.id} failed: ${published.retention.error}`);
  return { run: source.run, stored: published.stored, reports: published.files };
}
