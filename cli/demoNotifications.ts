import { settingSecrets } from '../shared/config/secretSource.js';
import { notifyRun } from '../shared/fanout/notifyRun.js';
import { parseGovernanceSettings } from '../shared/governance/governanceSettings.js';
import type { MessageQueue } from '../shared/fanout/workQueue.js';
import type { TrendPoint } from '../shared/runCalculations/runChanges.js';
import {
  createNotificationStore,
  deliverOutboxEntry,
  parseNotificationSettings,
  type OutboxMessage,
} from '../shared/notifications/index.js';
import type { RunSource } from '../shared/scan/runSource.js';
import type { StorageSettings } from '../shared/storage/storageSettings.js';
import type { StoreRunOutcome } from '../shared/storage/storeRun.js';

/**
 * Plans a stored run's events and delivers them at once, the way the queue-triggered function
 * does, with an in-memory queue: each message gets delivery attempts until it is delivered or dead.
 */
export async function deliverRunEventsNow(
  env: Readonly<Record<string, string | undefined>>,
  storage: StorageSettings,
  run: { source: RunSource; stored: StoreRunOutcome; trend: TrendPoint[] },
): Promise<{ events: number; delivered: number; dead: number }> {
  const store = createNotificationStore(storage);
  await store.ensure();
  const secrets = settingSecrets(env);
  const settings = parseNotificationSettings(env, secrets);
  const pending: OutboxMessage[] = [];
  const queue: MessageQueue<OutboxMessage> = { send: async (message) => void pending.push(message) };
  const planned = await notifyRun(
    { store, settings, secrets, queue, expiryNoticeDays: parseGovernanceSettings(env).expiryNoticeDays },
    { ...run, reportLinks: { html: 'report.html', xlsx: 'report.xlsx' } },
  );
  let delivered = 0;
  let dead = 0;
  for (let round = 0; pending.length > 0 && round < 1000; round++) {
    const message = pending.shift() as OutboxMessage;
    const outcome = await deliverOutboxEntry({ store, settings, secrets }, message);
    if (outcome.outcome === 'delivered') delivered++;
    else if (outcome.outcome === 'dead') dead++;
    else {
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, outcome.retryAfterMs ?? 100)));
      pending.push(message);
    }
  }
  return { events: planned.events, delivered, dead };
}
