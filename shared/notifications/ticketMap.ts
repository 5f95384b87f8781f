import { odata, type TableClient } from '@azure/data-tables';

import { encodeKey } from '../storage/tableKeys.js';
import { dedupeKey } from './events.js';
import { isConflict, isNotFound } from './notificationStore.js';

/** `creating`: a delivery holds the key while it creates the ticket; `resolved` may lack a ticket. */
export type TicketState = 'creating' | 'open' | 'resolved';

/** The external ticket of one destination, cluster and control. */
export interface TicketRecord {
  destination: string;
  dedupeKey: string;
  clusterId: string;
  controlId: string;
  state: TicketState;
  /** The system's ID (Jira issue ID, ServiceNow sys_id); empty when no ticket exists. */
  externalId: string;
  /** What people read (Jira key, incident number). */
  externalKey: string;
  url: string;
  /** The last event applied, and its run's as-of: older events are superseded. */
  lastEventId: string;
  lastAsOf: string;
  claimId: string;
  claimUntil: string;
  updatedAt: string;
  etag?: string;
}

/** The key a claim is for. */
export interface TicketKey {
  clusterId: string;
  controlId: string;
}

/** Whether the key was claimed, or how long to wait for the other claim. */
export type ClaimResult =
  | { claimed: true; record: TicketRecord; recovering: boolean }
  | { claimed: false; retryAfterMs: number; reason: string };

/** Someone else changed the record since it was read. */
export class TicketConflictError extends Error {
  override readonly name = 'TicketConflictError';
}

/** One destination's ticket map in the tickets table. */
export interface TicketMap {
  readonly destination: string;
  get(key: TicketKey): Promise<TicketRecord | undefined>;
  /**
   * Takes the key for creating a ticket, guarded by ETags so two deliveries can never both create
   * one: fails while another delivery's unexpired claim holds it. `recovering` says an earlier
   * claim (this delivery's own earlier attempt, or an expired one) may have created a ticket
   * already: look it up before creating another.
   */
  claim(
    key: TicketKey,
    current: TicketRecord | undefined,
    claimId: string,
    now: Date,
    leaseMs: number,
  ): Promise<ClaimResult>;
  /** Writes a record: replaces it only if unchanged since read (its ETag), else creates it. */
  save(record: TicketRecord): Promise<TicketRecord>;
  list(): Promise<TicketRecord[]>;
}

/** PK = destination name (lower case); RK = encoded cluster ID + `|` + control ID. */
export function ticketKeys(destination: string, key: TicketKey): { partitionKey: string; rowKey: string } {
  return { partitionKey: destination.toLowerCase(), rowKey: `${encodeKey(key.clusterId)}|${key.controlId}` };
}

const FIELDS = [
  'destination',
  'dedupeKey',
  'clusterId',
  'controlId',
  'state',
  'externalId',
  'externalKey',
  'url',
  'lastEventId',
  'lastAsOf',
  'claimId',
  'claimUntil',
  'updatedAt',
] as const;

function fromEntity(entity: Record<string, unknown>): TicketRecord {
  const record = Object.fromEntries(FIELDS.map((field) => [field, String(entity[field] ?? '')])) as Omit<
    TicketRecord,
    'etag'
  >;
  return typeof entity.etag === 'string' ? { ...record, etag: entity.etag } : record;
}

function toEntity(record: TicketRecord): Record<string, string> & { partitionKey: string; rowKey: string } {
  const keys = ticketKeys(record.destination, record);
  const { etag: _etag, ...fields } = record;
  return { ...keys, ...fields };
}

/** The ticket map of one destination. */
export function createTicketMap(table: TableClient, destination: string): TicketMap {
  const map: TicketMap = {
    destination,
    async get(key) {
      const { partitionKey, rowKey } = ticketKeys(destination, key);
      try {
        return fromEntity(await table.getEntity<Record<string, unknown>>(partitionKey, rowKey));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async claim(key, current, claimId, now, leaseMs) {
      if (
        current?.state === 'creating' &&
        current.claimId !== claimId &&
        Date.parse(current.claimUntil) > now.getTime()
      ) {
        return {
          claimed: false,
          retryAfterMs: Math.max(1000, Date.parse(current.claimUntil) - now.getTime()),
          reason: `another delivery (${current.claimId}) is creating the ticket`,
        };
      }
      const record: TicketRecord = {
        destination,
        dedupeKey: dedupeKey(key.clusterId, key.controlId),
        clusterId: key.clusterId,
        controlId: key.controlId,
        externalId: current?.externalId ?? '',
        externalKey: current?.externalKey ?? '',
        url: current?.url ?? '',
        lastEventId: current?.lastEventId ?? '',
        lastAsOf: current?.lastAsOf ?? '',
        state: 'creating',
        claimId,
        claimUntil: new Date(now.getTime() + leaseMs).toISOString(),
        updatedAt: now.toISOString(),
        ...(current?.etag ? { etag: current.etag } : {}),
      };
      try {
        return { claimed: true, record: await map.save(record), recovering: current?.state === 'creating' };
      } catch (error) {
        if (!(error instanceof TicketConflictError)) throw error;
        return {
          claimed: false,
          retryAfterMs: 1000,
          reason: 'another delivery claimed the ticket key first',
        };
      }
    },
    async save(record) {
      const entity = toEntity(record);
      try {
        const response = record.etag
          ? await table.updateEntity(entity, 'Replace', { etag: record.etag })
          : await table.createEntity(entity);
        return { ...record, ...(response.etag ? { etag: response.etag } : {}) };
      } catch (error) {
        if (isConflict(error))
          throw new TicketConflictError(`the ticket record ${record.dedupeKey} changed since it was read`);
        throw error;
      }
    },
    async list() {
      const records: TicketRecord[] = [];
      for await (const entity of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${destination.toLowerCase()}` },
      }))
        records.push(fromEntity(entity));
      return records;
    },
  };
  return map;
}
