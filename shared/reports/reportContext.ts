import type { ReportInput } from './reportInput.js';
import type { ScanResult } from '../scan/scanResult.js';
import type { HistoryStore } from '../storage/historyStore.js';
import { readTrend } from '../storage/runQueries.js';
import type { StoreRunOutcome } from '../storage/storeRun.js';
import type { TrendPoint } from '../runCalculations/runChanges.js';

/**
 * The report input for a scan: changes and first-seen-failing from the stored run when there is
 * one, and the score trend of the scope's last 30 runs (or just this run).
 */
export async function reportInputFor(
  result: ScanResult,
  findingsJsonSha256: string,
  stored: { outcome: StoreRunOutcome; store: HistoryStore } | undefined,
  generatedAt: Date,
): Promise<ReportInput> {
  const self: TrendPoint = {
    runId: result.run.id,
    asOf: result.run.asOf,
    score: result.run.score,
    counts: result.run.counts,
  };
  let trend: TrendPoint[] = [self];
  if (stored) {
    const points = await readTrend(stored.store, stored.outcome.record.scopeKey, { top: 30 });
    trend = points.some((point) => point.runId === self.runId) ? points : [...points, self];
  }
  return {
    result,
    findingsJsonSha256,
    changes: stored?.outcome.changes,
    trend,
    generatedAt,
    ...(stored ? { firstSeenFailing: stored.outcome.firstSeenFailing } : {}),
  };
}
