import type { OutputFormat } from '../formats/outputFormats.js';
import { writeScanOutputs } from '../output/writeScanOutputs.js';
import { writeReports } from '../reports/writeReports.js';
import type { HistoryStore } from '../storage/historyStore.js';
import { changesBetween, readTrend } from '../storage/runQueries.js';
import type { RunRecord } from '../storage/runRecord.js';
import { openStoredRun, type StoredRunOptions } from './storedRunSource.js';

export interface RegeneratedRun {
  /** findings.json, findings.csv, the interchange formats and report.xlsx, in that order. */
  files: string[];
  html: string;
  /** Set when the stored run is not whole: the files hold what storage had. */
  warning?: string;
}

/** Trend points shown in a report: the last 30 runs of the scope up to the run. */
const TREND_POINTS = 30;

/**
 * Writes a stored run's outputs again, from storage alone, in bounded memory: the run is read once
 * into sorted spools (`openStoredRun`) and every output streams from them part by part.
 */
export async function regenerateRun(
  store: HistoryStore,
  record: RunRecord,
  out: string,
  options: { formats: OutputFormat[]; now: Date; stored?: StoredRunOptions },
): Promise<RegeneratedRun> {
  const stored = await openStoredRun(store, record, options.stored);
  try {
    const whole = record.status === 'complete' || record.status === 'partial';
    const warning =
      whole && stored.findings === record.findingsWritten
        ? undefined
        : `run ${record.runId} is ${record.status} in storage; ${stored.findings} findings were read ` +
          `of the ${record.findingsWritten} it recorded, and the outputs hold what was read`;
    const written = await writeScanOutputs(out, stored.source, { formats: options.formats });
    const trend = (await readTrend(store, record.scopeKey, { top: 1000 }))
      .filter((point) => point.asOf <= record.metadata.asOf)
      .slice(-TREND_POINTS);
    const changes = record.previousRunId
      ? await changesBetween(store, record.previousRunId, record.runId)
      : undefined;
    const reports = await writeReports(out, {
      source: stored.source,
      findingsJsonSha256: written.findingsJsonSha256,
      changes,
      trend,
      generatedAt: options.now,
      firstSeenFailing: stored.firstSeenFailing,
    });
    return {
      files: [written.findingsJson, written.findingsCsv, ...written.formats, reports.workbook],
      html: reports.html,
      ...(warning ? { warning } : {}),
    };
  } finally {
    await stored.dispose();
  }
}
