import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';

import type { Finding } from '../catalog/types.js';
import { isConflict } from './storageErrors.js';
import { encodeKey } from './tableKeys.js';

/** The current state of one cluster and control, across runs and scopes. */
export interface ClusterControlState {
  clusterId: string;
  clusterName: string;
  subscriptionId: string;
  controlId: string;
  status: string;
  /** asOf since which the status has held. */
  since: string;
  sinceRunId: string;
  /** asOf of the first run in the current FAIL streak; empty when not failing. */
  firstSeenFailing: string;
  lastChangedRunId: string;
  lastSeenRunId: string;
  lastSeenAsOf: string;
}

type StateEntity = TableEntity<ClusterControlState> & { etag?: string };

export function stateKeys(clusterId: string, controlId: string): { partitionKey: string; rowKey: string } {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(clusterId)?.[1] ?? 'unknown';
  return { partitionKey: encodeKey(subscription), rowKey: `${encodeKey(clusterId)}|${controlId}` };
}

function nextState(
  previous: ClusterControlState | undefined,
  finding: Pick<Finding, 'clusterId' | 'clusterName' | 'subscriptionId' | 'controlId' | 'status'>,
  runId: string,
  asOf: string,
): ClusterControlState {
  const unchanged = previous?.status === finding.status;
  return {
    clusterId: finding.clusterId,
    clusterName: finding.clusterName,
    subscriptionId: finding.subscriptionId,
    controlId: finding.controlId,
    status: finding.status,
    since: unchanged && previous ? previous.since : asOf,
    sinceRunId: unchanged && previous ? previous.sinceRunId : runId,
    firstSeenFailing: finding.status === 'FAIL' ? (unchanged && previous?.firstSeenFailing) || asOf : '',
    lastChangedRunId: unchanged && previous ? previous.lastChangedRunId : runId,
    lastSeenRunId: runId,
    lastSeenAsOf: asOf,
  };
}

const MAX_ATTEMPTS = 6;

/**
 * Moves the current state of each (cluster, control) of a run forward, partition by partition
 * (one subscription), guarded by ETags: a row is only replaced if nobody changed it since it was
 * read, and never by a run older (by asOf) than the one that last wrote it. On a conflict the
 * partition is read again and recomputed. Returns how many rows changed.
 */
export async function updateClusterState(
  table: TableClient,
  findings: ReadonlyArray<
    Pick<Finding, 'clusterId' | 'clusterName' | 'subscriptionId' | 'controlId' | 'status'>
  >,
  runId: string,
  asOf: string,
): Promise<number> {
  const byPartition = new Map<string, (typeof findings)[number][]>();
  for (const finding of findings) {
    const { partitionKey } = stateKeys(finding.clusterId, finding.controlId);
    const list = byPartition.get(partitionKey);
    if (list) list.push(finding);
    else byPartition.set(partitionKey, [finding]);
  }
  let written = 0;
  for (const [partitionKey, partitionFindings] of byPartition) {
    for (let attempt = 1; ; attempt++) {
      const existing = new Map<string, StateEntity>();
      for await (const entity of table.listEntities<ClusterControlState>({
        queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` },
      })) {
        existing.set(entity.rowKey ?? '', entity as StateEntity);
      }
      const actions: TransactionAction[] = [];
      for (const finding of partitionFindings) {
        const { rowKey } = stateKeys(finding.clusterId, finding.controlId);
        const previous = existing.get(rowKey);
        if (previous && previous.lastSeenAsOf > asOf) continue;
        if (previous?.lastSeenRunId === runId) continue;
        const entity = { partitionKey, rowKey, ...nextState(previous, finding, runId, asOf) };
        actions.push(previous ? ['update', entity, 'Replace', { etag: previous.etag }] : ['create', entity]);
      }
      try {
        for (let i = 0; i < actions.length; i += 100)
          await table.submitTransaction(actions.slice(i, i + 100));
        written += actions.length;
        break;
      } catch (error) {
        if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
  return written;
}

/** The current state rows of one cluster. */
export async function readClusterState(
  table: TableClient,
  clusterId: string,
): Promise<ClusterControlState[]> {
  const { partitionKey } = stateKeys(clusterId, '');
  const prefix = `${encodeKey(clusterId)}|`;
  const rows: ClusterControlState[] = [];
  for await (const entity of table.listEntities<ClusterControlState>({
    queryOptions: {
      filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`,
    },
  })) {
    rows.push(entity);
  }
  return rows;
}
