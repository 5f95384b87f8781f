import { odata } from '@azure/data-tables';

import { isGovernanceEvent, type NotificationEvent } from './events.js';
import { isConflict, type NotificationStore } from './notificationStore.js';
import { noticeKey } from './planGovernanceEvents.js';

/** The partition of the tickets table that remembers which governance notices were sent. */
export const NOTICE_PARTITION = '~governance-notices';

interface NoticeEntity {
  partitionKey: string;
  rowKey: string;
  recordId: string;
  threshold: string;
  expires: string;
  eventType: string;
  runId: string;
}

/**
 * The notices sent by runs other than `runId` (a retry of the same run plans its notices again;
 * their event IDs are stable, so the outbox keeps one entry each).
 */
export async function readGovernanceNotices(store: NotificationStore, runId: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const row of store.tables.tickets.listEntities<NoticeEntity>({
    queryOptions: { filter: odata`PartitionKey eq ${NOTICE_PARTITION}` },
  }))
    if (row.runId !== runId && row.rowKey) keys.add(row.rowKey);
  return keys;
}

/** Records the governance events' notices; a notice already recorded (by any run) is kept as it is. */
export async function recordGovernanceNotices(
  store: NotificationStore,
  events: readonly NotificationEvent[],
): Promise<number> {
  let written = 0;
  for (const event of events) {
    if (!isGovernanceEvent(event)) continue;
    const { data } = event;
    const threshold = event.type === 'governance.expired' ? 'expired' : `${data.noticeDays ?? 0}d`;
    const entity: NoticeEntity = {
      partitionKey: NOTICE_PARTITION,
      rowKey: noticeKey({
        recordId: data.recordId,
        threshold: threshold as `${number}d`,
        expires: data.expires,
      }),
      recordId: data.recordId,
      threshold,
      expires: data.expires,
      eventType: event.type,
      runId: data.run.id,
    };
    try {
      await store.tables.tickets.createEntity(entity);
      written++;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  return written;
}
