import { app, type InvocationContext, type Timer } from '@azure/functions';

import {
  deliverOutboxEntry,
  listPendingOutbox,
  parseOutboxMessage,
  pruneDeliveredOutbox,
} from '../shared/notifications/index.js';
import { contextLog, notificationsFor } from '../shared/app/scanAppFactory.js';

/**
 * Queue: one delivery attempt of one outbox entry (an event for a destination). A retry goes back
 * on the queue, invisible for the back-off the attempt asked for; a slow or failing receiver holds
 * up only its own messages.
 */
export async function deliverNotification(message: unknown, context: InvocationContext): Promise<void> {
  const notifications = await notificationsFor();
  const log = contextLog(context);
  let outboxMessage;
  try {
    outboxMessage = parseOutboxMessage(message);
  } catch (error) {
    // Retrying cannot make it readable: dropped now, not after every delivery up to the poison queue.
    log('error', `an unreadable notification message was dropped: ${(error as Error).message}`);
    return;
  }
  const outcome = await deliverOutboxEntry(
    { store: notifications.store, settings: notifications.settings, secrets: notifications.secrets },
    outboxMessage,
  );
  log(
    outcome.outcome === 'dead' ? 'error' : 'info',
    `notification ${outboxMessage.outboxRow} → ${outboxMessage.outboxPartition}: ${outcome.outcome}`,
    {
      attempts: outcome.attempts,
      detail: outcome.detail,
    },
  );
  if (outcome.outcome === 'retry') {
    await notifications.queue.send(outboxMessage, { delaySeconds: (outcome.retryAfterMs ?? 0) / 1000 });
  }
}

/**
 * Timer: puts due outbox entries whose message was lost back on the queue (duplicates are
 * harmless), then deletes a bounded batch of entries delivered longer ago than
 * `NOTIFICATIONS_OUTBOX_RETENTION_DAYS`.
 */
export async function requeueDueNotifications(_timer: Timer, context: InvocationContext): Promise<void> {
  const notifications = await notificationsFor();
  const log = contextLog(context);
  const due = await listPendingOutbox(notifications.store, { dueBy: new Date(), limit: 500 });
  for (const entry of due) await notifications.queue.send(entry.message);
  if (due.length > 0) log('info', `re-queued ${due.length} due notification(s)`);
  const pruned = await pruneDeliveredOutbox(notifications.store, {
    retentionDays: notifications.settings.outboxRetentionDays,
    now: new Date(),
  });
  if (pruned.deleted > 0)
    log('info', `deleted ${pruned.deleted} delivered notification(s) past retention`, { more: pruned.more });
}

app.storageQueue('deliverNotification', {
  queueName: '%NOTIFICATION_QUEUE%',
  connection: 'AzureWebJobsStorage',
  handler: deliverNotification,
});
app.timer('requeueDueNotifications', {
  schedule: '30 */5 * * * *',
  runOnStartup: false,
  handler: requeueDueNotifications,
});
