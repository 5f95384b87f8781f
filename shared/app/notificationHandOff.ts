import { emailReport, notifyRun, type RunNotifications } from '../fanout/notifyRun.js';
import { runLinks } from '../notifications/index.js';
import type { HistoryStore } from '../storage/historyStore.js';
import { readTrend } from '../storage/runQueries.js';
import type { RunHandOff } from '../publish/publishRun.js';

/**
 * The Functions app's hand-off of a published fleet run: the report e-mail (with the workbook
 * attached, while it is still on disk), then the run's notification events into the outbox with
 * one delivery message each. The run is read from its source part by part. `onQueued` hears how
 * many were planned.
 */
export function notificationHandOff(
  notifications: RunNotifications,
  store: HistoryStore,
  onQueued: (runId: string, sent: { events: number; messages: number }) => void = () => undefined,
): RunHandOff {
  return {
    async withReports({ source, stored, reports }) {
      await emailReport(notifications, {
        metadata: source.run,
        stored,
        htmlPath: reports.html,
        workbookPath: reports.workbook,
        previousScore: stored.previous?.metadata.score ?? null,
      });
    },
    async published({ source, stored }) {
      const trend = await readTrend(store, stored.record.scopeKey, { top: 30 });
      // Absolute when the API's base URL is known (NOTIFICATIONS_LINK_BASE_URL or the host name).
      const reportLinks = runLinks(source.run.id, notifications.settings.linkBaseUrl);
      onQueued(source.run.id, await notifyRun(notifications, { source, stored, trend, reportLinks }));
    },
  };
}
