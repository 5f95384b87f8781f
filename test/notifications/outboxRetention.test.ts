import type { TransactionAction } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';

import { parseNotificationSettings } from '../../shared/notifications/notificationSettings.js';
import { enqueueEvents, fromOutboxEntity, type OutboxStatus } from '../../shared/notifications/outbox.js';
import { pruneDeliveredOutbox } from '../../shared/notifications/outboxRetention.js';
import type { NotificationStore } from '../../shared/notifications/notificationStore.js';
import { sampleRun } from '../storage/scanResults.js';
import { newWebhookSecret } from './fakeReceivers.js';
import { freshNotificationStore, notificationEnv, RunHistory, settingsOf } from './notificationHarness.js';

const NOW = new Date('2026-12-31T06:00:00Z');
const DAY = 86_400_000;

async function allEntries(store: NotificationStore) {
  const entries = [];
  for await (const entity of store.tables.outbox.listEntities<Record<string, unknown>>())
    entries.push(fromOutboxEntity(entity));
  return entries;
}

/** Sets status and delivery time of entries, in transactions per destination. */
async function mark(
  store: NotificationStore,
  keys: Array<{ partitionKey: string; rowKey: string }>,
  status: OutboxStatus,
  deliveredAt: Date | null,
): Promise<void> {
  const byPartition = new Map<string, TransactionAction[]>();
  for (const key of keys) {
    const actions = byPartition.get(key.partitionKey) ?? [];
    actions.push([
      'update',
      { ...key, status, deliveredAt: deliveredAt ? deliveredAt.toISOString() : '' },
      'Merge',
    ]);
    byPartition.set(key.partitionKey, actions);
  }
  for (const actions of byPartition.values())
    for (let i = 0; i < actions.length; i += 100)
      await store.tables.outbox.submitTransaction(actions.slice(i, i + 100));
}

describe('delivered outbox entries are pruned after the retention period', () => {
  it('reads NOTIFICATIONS_OUTBOX_RETENTION_DAYS (default 30) and refuses nonsense', () => {
    expect(parseNotificationSettings({}).outboxRetentionDays).toBe(30);
    expect(parseNotificationSettings({ NOTIFICATIONS_OUTBOX_RETENTION_DAYS: '7' }).outboxRetentionDays).toBe(
      7,
    );
    for (const bad of ['0', '-1', 'x', '1.5', '99999'])
      expect(() => parseNotificationSettings({ NOTIFICATIONS_OUTBOX_RETENTION_DAYS: bad }), bad).toThrow(
        /NOTIFICATIONS_OUTBOX_RETENTION_DAYS/,
      );
  });

  it('deletes only delivered entries older than the retention, in bounded batches, keeping pending and dead ones', async () => {
    const store = await freshNotificationStore();
    const env = notificationEnv(
      ['alpha', 'beta'].map((name) => ({
        name,
        type: 'webhook',
        url: `https://${name}.example.com/hook`,
        secretSetting: 'HOOK_SECRET',
      })),
      { HOOK_SECRET: newWebhookSecret() },
    );
    const settings = settingsOf(env);
    const events = await new RunHistory().plan(
      store,
      sampleRun('current', new Date(NOW.getTime() - 60 * DAY)),
    );
    expect(events.length).toBeGreaterThan(60);
    await enqueueEvents(store, events, settings.destinations, { now: new Date(NOW.getTime() - 60 * DAY) });
    const entries = await allEntries(store);
    expect(entries).toHaveLength(events.length * 2);
    const keys = entries.map((entry) => ({
      partitionKey: entry.message.outboxPartition,
      rowKey: entry.message.outboxRow,
    }));
    // Per destination: the first half delivered 45 days ago (expired), then a few delivered 29
    // days ago (kept), some dead 45 days ago (kept), the rest pending (kept).
    const expired: typeof keys = [];
    const recent: typeof keys = [];
    const dead: typeof keys = [];
    for (const partition of ['alpha', 'beta']) {
      const own = keys.filter((key) => key.partitionKey === partition);
      const half = Math.floor(own.length / 2);
      expired.push(...own.slice(0, half));
      recent.push(...own.slice(half, half + 5));
      dead.push(...own.slice(half + 5, half + 10));
    }
    await mark(store, expired, 'delivered', new Date(NOW.getTime() - 45 * DAY));
    await mark(store, recent, 'delivered', new Date(NOW.getTime() - 29 * DAY));
    await mark(store, dead, 'dead', null);

    const first = await pruneDeliveredOutbox(store, { retentionDays: 30, now: NOW, limit: 50 });
    expect(first).toEqual({ deleted: 50, more: true });
    let total = first.deleted;
    for (let pass = 0; pass < 20; pass++) {
      const next = await pruneDeliveredOutbox(store, { retentionDays: 30, now: NOW, limit: 50 });
      total += next.deleted;
      if (!next.more) break;
    }
    expect(total).toBe(expired.length);
    const left = await allEntries(store);
    expect(left).toHaveLength(entries.length - expired.length);
    const leftKeys = new Set(left.map((e) => `${e.message.outboxPartition}/${e.message.outboxRow}`));
    for (const key of expired) expect(leftKeys.has(`${key.partitionKey}/${key.rowKey}`)).toBe(false);
    for (const key of [...recent, ...dead])
      expect(leftKeys.has(`${key.partitionKey}/${key.rowKey}`)).toBe(true);
    expect(left.filter((e) => e.status === 'delivered')).toHaveLength(recent.length);
    expect(left.filter((e) => e.status === 'dead')).toHaveLength(dead.length);

    // Nothing more to do; a day later the recent ones expire too.
    expect(await pruneDeliveredOutbox(store, { retentionDays: 30, now: NOW })).toEqual({
      deleted: 0,
      more: false,
    });
    expect(
      await pruneDeliveredOutbox(store, { retentionDays: 30, now: new Date(NOW.getTime() + 2 * DAY) }),
    ).toEqual({ deleted: recent.length, more: false });
    await expect(pruneDeliveredOutbox(store, { retentionDays: -1, now: NOW })).rejects.toThrow(RangeError);
  }, 60_000);
  it('keeps an entry delivered exactly the retention period ago and deletes one delivered a millisecond before', async () => {
    const store = await freshNotificationStore();
    const env = notificationEnv(
      [
        {
          name: 'alpha',
          type: 'webhook',
          url: 'https://alpha.example.com/hook',
          secretSetting: 'HOOK_SECRET',
        },
      ],
      { HOOK_SECRET: newWebhookSecret() },
    );
    const settings = settingsOf(env);
    const events = await new RunHistory().plan(
      store,
      sampleRun('current', new Date(NOW.getTime() - 60 * DAY)),
    );
    await enqueueEvents(store, events.slice(0, 3), settings.destinations, {
      now: new Date(NOW.getTime() - 60 * DAY),
    });
    const [atBoundary, justPast, justInside] = (await allEntries(store)).map((entry) => ({
      partitionKey: entry.message.outboxPartition,
      rowKey: entry.message.outboxRow,
    }));
    if (!atBoundary || !justPast || !justInside) throw new Error('three entries expected');
    const cutoff = NOW.getTime() - 30 * DAY;
    await mark(store, [atBoundary], 'delivered', new Date(cutoff));
    await mark(store, [justPast], 'delivered', new Date(cutoff - 1));
    await mark(store, [justInside], 'delivered', new Date(cutoff + 1));
    expect(await pruneDeliveredOutbox(store, { retentionDays: 30, now: NOW })).toEqual({
      deleted: 1,
      more: false,
    });
    const left = new Set((await allEntries(store)).map((e) => e.message.outboxRow));
    expect(left.has(justPast.rowKey)).toBe(false);
    expect(left.has(atBoundary.rowKey)).toBe(true);
    expect(left.has(justInside.rowKey)).toBe(true);
  }, 60_000);
});
