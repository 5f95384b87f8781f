import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

import { joinProperty, splitProperty } from '../storage/propertyCodec.js';
import { assertValidKey } from '../storage/tableKeys.js';
import { destinationAccepts, type DestinationConfig } from './destinationSettings.js';
import { isFindingEvent, type NotificationEvent } from './events.js';
import { recordFindingLedger } from './findingLedger.js';
import { isConflict, isNotFound, type NotificationStore } from './notificationStore.js';

/** The queue message for one outbox entry: small and serialisable. */
export interface OutboxMessage {
  outboxPartition: string;
  outboxRow: string;
}

/** `dead`: failed for good or out of attempts. */
export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** One (event, destination) pair and how its delivery went. */
export interface OutboxEntry {
  message: OutboxMessage;
  eventId: string;
  eventType: string;
  runId: string;
  asOf: string;
  destination: string;
  destinationType: string;
  /** Empty for run events. */
  dedupeKey: string;
  clusterId: string;
  controlId: string;
  status: OutboxStatus;
  attempts: number;
  /** ISO time; an attempt before it is refused. */
  nextAttemptAt: string;
  /** ISO time until which an attempt in progress holds the entry. */
  leaseUntil: string;
  lastAttemptAt: string;
  lastError: string;
  lastStatusCode: number | null;
  deliveredAt: string;
  detail: string;
  createdAt: string;
  updatedAt: string;
  etag?: string;
}

/** What `enqueueEvents` did. */
export interface EnqueueResult {
  /** Every entry of these events still pending: put one queue message each. */
  messages: OutboxMessage[];
  created: number;
  /** Already in the outbox from an earlier call (idempotent on event ID). */
  existing: number;
  ledgerRowsWritten: number;
}

const MAX_EVENT_PARTS = 8;

/** PK = destination name (lower case), RK = event ID. */
export function outboxKeys(destination: string, eventId: string): { partitionKey: string; rowKey: string } {
  return { partitionKey: assertValidKey(destination.toLowerCase()), rowKey: assertValidKey(eventId) };
}

/** Validates a queue message body (an object, or its JSON). */
export function parseOutboxMessage(value: unknown): OutboxMessage {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const object = parsed as Partial<OutboxMessage> | null;
  if (
    typeof object !== 'object' ||
    object === null ||
    typeof object.outboxPartition !== 'string' ||
    typeof object.outboxRow !== 'string'
  ) {
    throw new TypeError('an outbox message is { outboxPartition: string, outboxRow: string }');
  }
  assertValidKey(object.outboxPartition);
  assertValidKey(object.outboxRow);
  return { outboxPartition: object.outboxPartition, outboxRow: object.outboxRow };
}

const text = (entity: Record<string, unknown>, key: string): string =>
  typeof entity[key] === 'string' ? (entity[key] as string) : '';

/** Reads an outbox entity's fields (not the event). */
export function fromOutboxEntity(entity: Record<string, unknown>): OutboxEntry {
  const status = text(entity, 'status');
  const code = entity.lastStatusCode;
  return {
    message: { outboxPartition: String(entity.partitionKey), outboxRow: String(entity.rowKey) },
    eventId: text(entity, 'eventId'),
    eventType: text(entity, 'eventType'),
    runId: text(entity, 'runId'),
    asOf: text(entity, 'asOf'),
    destination: text(entity, 'destination'),
    destinationType: text(entity, 'destinationType'),
    dedupeKey: text(entity, 'dedupeKey'),
    clusterId: text(entity, 'clusterId'),
    controlId: text(entity, 'controlId'),
    status: status === 'delivered' || status === 'dead' ? status : 'pending',
    attempts: Number(entity.attempts ?? 0),
    nextAttemptAt: text(entity, 'nextAttemptAt'),
    leaseUntil: text(entity, 'leaseUntil'),
    lastAttemptAt: text(entity, 'lastAttemptAt'),
    lastError: text(entity, 'lastError'),
    lastStatusCode: typeof code === 'number' && code > 0 ? code : null,
    deliveredAt: text(entity, 'deliveredAt'),
    detail: text(entity, 'detail'),
    createdAt: text(entity, 'createdAt'),
    updatedAt: text(entity, 'updatedAt'),
    ...(typeof entity.etag === 'string' ? { etag: entity.etag } : {}),
  };
}

/** The fields of an entry as entity properties (keys included, event excluded). */
export function toOutboxProperties(entry: OutboxEntry): Record<string, string | number> {
  return {
    partitionKey: entry.message.outboxPartition,
    rowKey: entry.message.outboxRow,
    eventId: entry.eventId,
    eventType: entry.eventType,
    runId: entry.runId,
    asOf: entry.asOf,
    destination: entry.destination,
    destinationType: entry.destinationType,
    dedupeKey: entry.dedupeKey,
    clusterId: entry.clusterId,
    controlId: entry.controlId,
    status: entry.status,
    attempts: entry.attempts,
    nextAttemptAt: entry.nextAttemptAt,
    leaseUntil: entry.leaseUntil,
    lastAttemptAt: entry.lastAttemptAt,
    lastError: entry.lastError.slice(0, 8000),
    lastStatusCode: entry.lastStatusCode ?? 0,
    deliveredAt: entry.deliveredAt,
    detail: entry.detail.slice(0, 2000),
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

function newEntity(
  event: NotificationEvent,
  destination: DestinationConfig,
  now: string,
): Record<string, unknown> {
  const { partitionKey, rowKey } = outboxKeys(destination.name, event.id);
  const finding = isFindingEvent(event) ? event.data : undefined;
  const json = JSON.stringify(event);
  const parts = splitProperty('event', json, MAX_EVENT_PARTS);
  if (!parts)
    throw new RangeError(`event ${event.id} is too large for the outbox (${json.length} characters)`);
  return {
    ...toOutboxProperties({
      message: { outboxPartition: partitionKey, outboxRow: rowKey },
      eventId: event.id,
      eventType: event.type,
      runId: event.data.run.id,
      asOf: event.data.run.asOf,
      destination: destination.name,
      destinationType: destination.type,
      dedupeKey: finding?.dedupeKey ?? '',
      clusterId: finding?.clusterId ?? '',
      controlId: finding?.controlId ?? '',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: '',
      lastAttemptAt: '',
      lastError: '',
      lastStatusCode: null,
      deliveredAt: '',
      detail: '',
      createdAt: now,
      updatedAt: now,
    }),
    ...parts,
  };
}

async function createOne(
  table: TableClient,
  entity: Record<string, unknown>,
): Promise<'created' | OutboxStatus> {
  try {
    await table.createEntity(entity as { partitionKey: string; rowKey: string });
    return 'created';
  } catch (error) {
    if (!isConflict(error)) throw error;
    const existing = await table.getEntity<Record<string, unknown>>(
      String(entity.partitionKey),
      String(entity.rowKey),
      { queryOptions: { select: ['status'] } },
    );
    return fromOutboxEntity({ ...existing, partitionKey: entity.partitionKey, rowKey: entity.rowKey }).status;
  }
}

/**
 * Records the finding events in the ledger (stamped with the run's `scopeKey` when given), then writes one outbox entry per (event,
 * destination) the destination takes (type, minimum severity, scope), in transactions of up to
 * 100 per destination. Idempotent on event ID: an entry that exists is left as it is. Returns the
 * messages to queue — every entry of these events still pending, new or not.
 */
export async function enqueueEvents(
  store: NotificationStore,
  events: readonly NotificationEvent[],
  destinations: readonly DestinationConfig[],
  options: { now?: Date; scopeKey?: string } = {},
): Promise<EnqueueResult> {
  const now = (options.now ?? new Date()).toISOString();
  const ledgerRowsWritten = await recordFindingLedger(store, events, options.scopeKey);
  const table = store.tables.outbox;
  const result: EnqueueResult = { messages: [], created: 0, existing: 0, ledgerRowsWritten };
  for (const destination of destinations) {
    const entities = events
      .filter((event) => destinationAccepts(destination, event))
      .map((event) => newEntity(event, destination, now));
    for (let i = 0; i < entities.length; i += 100) {
      const chunk = entities.slice(i, i + 100);
      let outcomes: Array<'created' | OutboxStatus>;
      try {
        await table.submitTransaction(
          chunk.map((entity): TransactionAction => [
            'create',
            entity as { partitionKey: string; rowKey: string },
          ]),
        );
        outcomes = chunk.map(() => 'created');
      } catch (error) {
        if (!isConflict(error)) throw error;
        outcomes = [];
        for (const entity of chunk) outcomes.push(await createOne(table, entity));
      }
      chunk.forEach((entity, index) => {
        const outcome = outcomes[index];
        if (outcome === 'created') result.created++;
        else result.existing++;
        if (outcome === 'created' || outcome === 'pending')
          result.messages.push({
            outboxPartition: String(entity.partitionKey),
            outboxRow: String(entity.rowKey),
          });
      });
    }
  }
  return result;
}

/** One entry with its event, or undefined when it does not exist. */
export async function readOutboxEntry(
  store: NotificationStore,
  message: OutboxMessage,
): Promise<{ entry: OutboxEntry; event: NotificationEvent } | undefined> {
  try {
    const entity = await store.tables.outbox.getEntity<Record<string, unknown>>(
      message.outboxPartition,
      message.outboxRow,
    );
    const json = joinProperty(entity, 'event');
    if (json === undefined) throw new Error(`outbox entry ${message.outboxRow} has no event`);
    return { entry: fromOutboxEntity(entity), event: JSON.parse(json) as NotificationEvent };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const SUMMARY_FIELDS = [
  'PartitionKey',
  'RowKey',
  'eventId',
  'eventType',
  'runId',
  'asOf',
  'destination',
  'destinationType',
  'dedupeKey',
  'clusterId',
  'controlId',
  'status',
  'attempts',
  'nextAttemptAt',
  'leaseUntil',
  'lastAttemptAt',
  'lastError',
  'lastStatusCode',
  'deliveredAt',
  'detail',
  'createdAt',
  'updatedAt',
];

async function listByStatus(
  store: NotificationStore,
  status: OutboxStatus,
  options: { destination?: string; dueBy?: Date; limit?: number },
): Promise<OutboxEntry[]> {
  let filter = odata`status eq ${status}`;
  if (options.destination) filter += ` and ${odata`PartitionKey eq ${options.destination.toLowerCase()}`}`;
  if (options.dueBy) filter += ` and ${odata`nextAttemptAt le ${options.dueBy.toISOString()}`}`;
  const limit = options.limit ?? 1000;
  const entries: OutboxEntry[] = [];
  for await (const entity of store.tables.outbox.listEntities<Record<string, unknown>>({
    queryOptions: { filter, select: SUMMARY_FIELDS },
  })) {
    entries.push(fromOutboxEntity(entity));
    if (entries.length >= limit) break;
  }
  return entries;
}

/**
 * Pending entries (optionally of one destination, or due by a time), oldest event first within
 * a destination: for a sweeper that re-queues messages that were lost.
 */
export function listPendingOutbox(
  store: NotificationStore,
  options: { destination?: string; dueBy?: Date; limit?: number } = {},
): Promise<OutboxEntry[]> {
  return listByStatus(store, 'pending', options);
}

/** Entries that exhausted their attempts or failed for good, with their last error. */
export function listDeadLetters(
  store: NotificationStore,
  options: { destination?: string; limit?: number } = {},
): Promise<OutboxEntry[]> {
  return listByStatus(store, 'dead', options);
}

/** Puts a dead entry back to pending with a fresh attempt budget; false when it was not dead. */
export async function requeueDeadLetter(
  store: NotificationStore,
  message: OutboxMessage,
  now: Date = new Date(),
): Promise<boolean> {
  const found = await readOutboxEntry(store, message);
  if (!found || found.entry.status !== 'dead') return false;
  const entry: OutboxEntry = {
    ...found.entry,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now.toISOString(),
    leaseUntil: '',
    updatedAt: now.toISOString(),
  };
  try {
    await store.tables.outbox.updateEntity(
      toOutboxProperties(entry) as { partitionKey: string; rowKey: string },
      'Merge',
      {
        etag: found.entry.etag ?? '*',
      },
    );
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}
