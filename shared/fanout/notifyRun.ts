import { readFile } from 'node:fs/promises';

import {
  enqueueEvents,
  planRunEvents,
  runPath,
  sendReportEmail,
  type NotificationSettings,
  type NotificationStore,
  type OutboxMessage,
  type Resolver,
} from '../notifications/index.js';
import type { SecretSource } from '../config/secretSource.js';
import type { TrendPoint } from '../runCalculations/runChanges.js';
import type { RunSource } from '../scan/runSource.js';
import type { RunMetadata } from '../scan/scanResult.js';
import type { StoreRunOutcome } from '../storage/storeRun.js';
import type { MessageQueue } from './workQueue.js';

export interface RunNotifications {
  store: NotificationStore;
  settings: NotificationSettings;
  /** Destination and SMTP secrets, by setting name. */
  secrets: SecretSource;
  queue: MessageQueue<OutboxMessage>;
  /**
   * GOVERNANCE_EXPIRY_NOTICE_DAYS: governance records this close to expiry (or expired) get one
   * notice each; without it no governance notice is planned.
   */
  expiryNoticeDays?: number;
}

/**
 * After a run is stored: plans its events (opened, resolved, reopened, run completed or partial;
 * findings of clusters missing from the last `closeRemovedAfterRuns` complete runs of the scope
 * resolved as removed; governance records within GOVERNANCE_EXPIRY_NOTICE_DAYS of expiry, or
 * expired, once each), writes them to the outbox for every destination that wants them, and
 * queues one delivery message per outbox entry. Planning the same run again is idempotent (stable event IDs).
 * The run's findings are read from its source part by part, never held whole.
 */
export async function notifyRun(
  notifications: RunNotifications,
  run: {
    source: RunSource;
    stored: StoreRunOutcome;
    trend: TrendPoint[];
    reportLinks: Record<string, string>;
  },
): Promise<{ events: number; messages: number }> {
  if (notifications.settings.destinations.length === 0) return { events: 0, messages: 0 };
  const events = await planRunEvents(notifications.store, {
    run: run.source.run,
    changes: run.stored.changes,
    trend: run.trend,
    reportLinks: run.reportLinks,
    source: run.source,
    scopeKey: run.stored.record.scopeKey,
    removedAfterRuns: notifications.settings.closeRemovedAfterRuns,
    expiryNoticeDays: notifications.expiryNoticeDays,
  });
  const enqueued = await enqueueEvents(notifications.store, events, notifications.settings.destinations, {
    scopeKey: run.stored.record.scopeKey,
  });
  for (const message of enqueued.messages) await notifications.queue.send(message);
  return { events: events.length, messages: enqueued.messages.length };
}

/**
 * Sends the scheduled report e-mail when SMTP and recipients are configured. A workbook above
 * `REPORT_EMAIL_MAX_ATTACHMENT_MB` is linked instead of attached: `workbookUrl` when given, else
 * the run's workbook in the API (when `NOTIFICATIONS_LINK_BASE_URL` or the App Service host name
 * tells where the API is) — a link that needs the reader's own sign-in, never a storage key.
 */
export async function emailReport(
  notifications: Pick<RunNotifications, 'settings' | 'secrets'>,
  run: {
    /** The run's metadata: its ID and scores (the findings are not needed). */
    metadata: Pick<RunMetadata, 'id' | 'score' | 'effectiveScore' | 'complete'>;
    stored: { changes: Pick<StoreRunOutcome['changes'], 'newlyFailing' | 'resolved'> };
    htmlPath: string;
    workbookPath: string;
    previousScore: number | null;
    workbookUrl?: string;
  },
  options: { resolve?: Resolver } = {},
): Promise<string | undefined> {
  if (!notifications.settings.smtp || !notifications.settings.reportEmail) return undefined;
  const base = notifications.settings.linkBaseUrl;
  const workbookUrl =
    run.workbookUrl ?? (base ? `${base}${runPath(run.metadata.id)}/report.xlsx` : undefined);
  const sent = await sendReportEmail(
    notifications.settings,
    notifications.secrets,
    {
      html: await readFile(run.htmlPath, 'utf8'),
      workbook: { path: run.workbookPath, filename: `compliance-${run.metadata.id}.xlsx` },
      ...(workbookUrl ? { workbookUrl } : {}),
      summary: {
        score: run.metadata.score,
        previousScore: run.previousScore,
        effectiveScore: run.metadata.effectiveScore ?? null,
        newlyFailing: run.stored.changes.newlyFailing.length,
        resolved: run.stored.changes.resolved.length,
        complete: run.metadata.complete,
      },
    },
    options,
  );
  return sent.subject;
}
