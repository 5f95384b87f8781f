import type { ReportInput } from './reportInput.js';
import type { RunSource } from '../scan/runSource.js';
import type { HistoryStore } from '../storage/historyStore.js';
import { readTrend } from '../storage/runQueries.js';
import type { StoreRunOutcome } from '../storage/storeRun.js';
import type { TrendPoint } from '../runCalculations/runChanges.js';

/**
 * The report input for a scan: changes and first-seen-failing from the stored run when there is
 * one, and the score trend of the scope's last 30 runs (or just this run).
 */
export async function reportInputFor(
  source: RunSource,
  findingsJsonSha256: string,
  stored: { outcome: StoreRunOutcome; store: HistoryStore } | undefined,
  generatedAt: Date,
): Promise<ReportInput> {
  const { run } = source;
  const self: TrendPoint = { runId: run.id, asOf: run.asOf, score: run.score, counts: run.counts };
  let trend: TrendPoint[] = [self];
  if (stored) {
    const points = await readTrend(stored.store, stored.outcome.record.scopeKey, { top: 30 });
    trend = points.some((point) => point.runId === self.runId) ? points : [...points, self];
  }
  return {
    source,
    findingsJsonSha256,
    changes: stored?.outcome.changes,
    trend,
    generatedAt,
    ...(stored ? { firstSeenFailing: stored.outcome.firstSeenFailing } : {}),
  };
}
