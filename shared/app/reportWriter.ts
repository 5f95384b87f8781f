import { join } from 'node:path';

import { emailReport, type RunNotifications } from '../fanout/notifyRun.js';
import { reportInputFor } from '../reports/reportContext.js';
import { listDeadLetters } from '../notifications/index.js';
import { writeReports } from '../reports/writeReports.js';
import type { ScanResult } from '../scan/scanResult.js';
import type { HistoryStore } from '../storage/historyStore.js';
import type { StoreRunOutcome } from '../storage/storeRun.js';

/**
 * Writes report.xlsx and report.html beside findings.json, with the run's changes, trend and the
 * notification dead letters so far, and
 * e-mails the report to the configured recipients after fleet runs (not single-cluster checks).
 */
export function reportWriter(
  store: HistoryStore,
  notifications: RunNotifications,
): (folder: string, result: ScanResult, stored: StoreRunOutcome, sha256: string) => Promise<void> {
  return async (folder, result, stored, sha256) => {
    const input = await reportInputFor(result, sha256, { outcome: stored, store }, new Date());
    const deadLetters = await listDeadLetters(notifications.store, { limit: 1000 });
    const written = await writeReports(folder, { ...input, notificationDeadLetters: deadLetters.length });
    if (stored.record.scopeKey.startsWith('cluster:')) return;
    await emailReport(notifications, {
      result,
      stored,
      htmlPath: written.html,
      workbookPath: join(folder, 'report.xlsx'),
      previousScore: stored.previous?.metadata.score ?? null,
    });
  };
}
