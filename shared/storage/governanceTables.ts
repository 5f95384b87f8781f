import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';

import {
  RecordConflictError,
  type AuditEntry,
  type GovernanceRepository,
  type StoredRecord,
} from '../governance/governanceRepository.js';
import type { ApprovalState, GovernanceRecord } from '../governance/records.js';
import { ensureTables, tableClientFactory } from './historyStore.js';
import { isConflict, isNotFound } from './storageErrors.js';
import type { StorageSettings } from './storageSettings.js';

const RECORD_PARTITION = 'record';

/** The tables of governance records: `{prefix}governance` and the append-only `{prefix}governanceaudit`. */
export interface GovernanceTables {
  records: TableClient;
  audit: TableClient;
}

export function governanceTables(settings: StorageSettings): GovernanceTables {
  const table = tableClientFactory(settings);
  return { records: table('governance'), audit: table('governanceaudit') };
}

export async function ensureGovernanceTables(tables: GovernanceTables): Promise<void> {
  await ensureTables([tables.records, tables.audit]);
}

const rowKeyOf = (id: string): string => id.toLowerCase();

function toEntity(
  stored: StoredRecord,
  version: number,
): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const { record } = stored;
  return {
    version,
    partitionKey: RECORD_PARTITION,
    rowKey: rowKeyOf(record.id),
    id: record.id,
    kind: record.kind,
    approval: stored.approval,
    controlId: record.controlId,
    expires: record.expires,
    createdBy: record.createdBy ?? '',
    approvedBy: record.approvedBy ?? '',
    source: record.source ?? '',
    record: JSON.stringify(record),
  };
}

function fromEntity(entity: Record<string, unknown>): StoredRecord {
  return {
    record: JSON.parse(String(entity.record)) as GovernanceRecord,
    approval: String(entity.approval) as ApprovalState,
    version: Number(entity.version ?? 1),
    ...(typeof entity.etag === 'string' ? { etag: entity.etag } : {}),
  };
}

const withoutEtag = (stored: StoredRecord | null): Omit<StoredRecord, 'etag'> | null =>
  stored ? { record: stored.record, approval: stored.approval } : null;

/** Table Storage implementation of the governance repository. */
export function tableGovernanceRepository(tables: GovernanceTables): GovernanceRepository {
  return {
    async get(id) {
      try {
        return fromEntity(await tables.records.getEntity(RECORD_PARTITION, rowKeyOf(id)));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async list() {
      const records: StoredRecord[] = [];
      for await (const entity of tables.records.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${RECORD_PARTITION}` },
      }))
        records.push(fromEntity(entity));
      return records.sort((a, b) => a.record.id.localeCompare(b.record.id));
    },
    async write(change) {
      const version = (change.before?.version ?? 0) + 1;
      const entity = toEntity(change.after, version);
      let newEtag: string | undefined;
      try {
        if (change.before === null) newEtag = (await tables.records.createEntity(entity)).etag;
        else
          newEtag = (
            await tables.records.updateEntity(entity, 'Replace', {
              etag: change.before.etag ?? '*',
            })
          ).etag;
      } catch (error) {
        if (isConflict(error))
          throw new RecordConflictError(
            change.before === null
              ? `a record with ID ${change.after.record.id} already exists`
              : `record ${change.after.record.id} changed meanwhile; read it again`,
          );
        throw error;
      }
      try {
        await tables.audit.createEntity({
          partitionKey: rowKeyOf(change.recordId),
          rowKey: String(version).padStart(10, '0'),
          recordId: change.recordId,
          action: change.action,
          actor: change.actor,
          at: change.at,
          before: JSON.stringify(withoutEtag(change.before)),
          after: JSON.stringify(withoutEtag(change.after)),
        });
      } catch (error) {
        // No change without its audit entry: put the record back as it was.
        if (change.before === null)
          await tables.records.deleteEntity(RECORD_PARTITION, entity.rowKey, { etag: newEtag ?? '*' });
        else
          await tables.records.updateEntity(toEntity(change.before, version - 1), 'Replace', {
            etag: newEtag ?? '*',
          });
        throw error;
      }
    },
    async audit(id) {
      const entries: AuditEntry[] = [];
      for await (const entity of tables.audit.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${rowKeyOf(id)}` },
      }))
        entries.push({
          recordId: String(entity.recordId),
          action: String(entity.action) as AuditEntry['action'],
          actor: String(entity.actor),
          at: String(entity.at),
          before: JSON.parse(String(entity.before)) as StoredRecord | null,
          after: JSON.parse(String(entity.after)) as StoredRecord,
        });
      return entries;
    },
  };
}
