import { reportInputFor } from '../shared/history/reportContext.js';
import { writeReports } from '../shared/reports/writeReports.js';
import type { ScanResult } from '../shared/scan/scanResult.js';
import type { HistoryStore } from '../shared/storage/historyStore.js';
import type { StoreRunOutcome } from '../shared/storage/storeRun.js';

/** Writes report.xlsx and report.html beside findings.json, with the run's changes and trend. */
export function reportWriter(
  store: HistoryStore,
): (folder: string, result: ScanResult, stored: StoreRunOutcome, sha256: string) => Promise<void> {
  return async (folder, result, stored, sha256) => {
    await writeReports(folder, await reportInputFor(result, sha256, { outcome: stored, store }, new Date()));
  };
}
