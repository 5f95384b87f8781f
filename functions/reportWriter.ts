import type { ScanResult } from '../shared/scan/scanResult.js';
import type { HistoryStore } from '../shared/storage/historyStore.js';
import type { StoreRunOutcome } from '../shared/storage/storeRun.js';

/** Writes report.xlsx and report.html beside findings.json once the report library is wired in. */
export function reportWriter(
  _store: HistoryStore,
):
  | ((folder: string, result: ScanResult, stored: StoreRunOutcome, sha256: string) => Promise<void>)
  | undefined {
  return undefined;
}
