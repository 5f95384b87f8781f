import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';

import { CONTROL_IDS, type ControlId, type Finding, type Status } from '../catalog/types.js';
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
const TRANSACTION_ACTIONS = 100;

/** One cluster's verdicts in a run: what its current state rows move forward with. */
export interface ClusterVerdicts {
  clusterId: string;
  clusterName: string;
  subscriptionId: string;
  /** The run's status of each control judged on the cluster. */
  statuses: Readonly<Partial<Record<ControlId, Status>>>;
}

/** The verdicts of some findings, one entry per cluster (ID ignoring case), in order. */
export function clusterVerdictsOf(
  findings: Iterable<Pick<Finding, 'clusterId' | 'clusterName' | 'subscriptionId' | 'controlId' | 'status'>>,
): ClusterVerdicts[] {
  const byCluster = new Map<string, ClusterVerdicts & { statuses: Partial<Record<ControlId, Status>> }>();
  for (const finding of findings) {
    const id = finding.clusterId.toLowerCase();
    let cluster = byCluster.get(id);
    if (!cluster) {
      cluster = {
        clusterId: finding.clusterId,
        clusterName: finding.clusterName,
        subscriptionId: finding.subscriptionId,
        statuses: {},
      };
      byCluster.set(id, cluster);
    }
    cluster.statuses[finding.controlId] = finding.status;
  }
  return [...byCluster.values()];
}

/**
 * Moves the current state of each (cluster, control) of a run forward, partition by partition
 * (one subscription), guarded by ETags: a row is only replaced if nobody changed it since it was
 * read, and never by a run older (by asOf) than the one that last wrote it. On a conflict the
 * partition is read again and recomputed (rows this run already wrote are left alone). A partition
 * is read as a stream and its rows written 100 at a time as they are read, so memory holds the
 * run's clusters, never a partition's rows. Returns how many rows changed.
 */
export async function updateClusterState(
  table: TableClient,
  clusters: Iterable<ClusterVerdicts>,
  runId: string,
  asOf: string,
): Promise<number> {
  const byPartition = new Map<string, ClusterVerdicts[]>();
  for (const cluster of clusters) {
    const { partitionKey } = stateKeys(cluster.clusterId, '');
    const list = byPartition.get(partitionKey);
    if (list) list.push(cluster);
    else byPartition.set(partitionKey, [cluster]);
  }
  let written = 0;
  for (const [partitionKey, partitionClusters] of byPartition) {
    for (let attempt = 1; ; attempt++) {
      try {
        written += await updatePartition(table, partitionKey, partitionClusters, runId, asOf);
        break;
      } catch (error) {
        if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
  return written;
}

/** One pass over a state partition: the rows of `clusters` updated or created. */
async function updatePartition(
  table: TableClient,
  partitionKey: string,
  clusters: readonly ClusterVerdicts[],
  runId: string,
  asOf: string,
): Promise<number> {
  const byKey = new Map<string, number>();
  clusters.forEach((cluster, index) => byKey.set(encodeKey(cluster.clusterId), index));
  // Which (cluster, control) already has a row: one bit per control of each cluster.
  const seen = new Uint32Array(clusters.length);
  const bit = (controlId: string): number => 1 << CONTROL_IDS.indexOf(controlId as ControlId);
  let actions: TransactionAction[] = [];
  let written = 0;
  const submit = async (): Promise<void> => {
    const batch = actions;
    actions = [];
    if (batch.length === 0) return;
    await table.submitTransaction(batch);
    written += batch.length;
  };
  const push = async (action: TransactionAction): Promise<void> => {
    actions.push(action);
    if (actions.length >= TRANSACTION_ACTIONS) await submit();
  };
  for await (const entity of table.listEntities<ClusterControlState>({
    queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` },
  })) {
    const previous = entity as StateEntity;
    const rowKey = previous.rowKey ?? '';
    const split = rowKey.lastIndexOf('|');
    const index = byKey.get(rowKey.slice(0, split));
    const controlId = rowKey.slice(split + 1) as ControlId;
    const cluster = index === undefined ? undefined : clusters[index];
    const status = cluster?.statuses[controlId];
    if (index === undefined || cluster === undefined || status === undefined) continue;
    seen[index] = (seen[index] ?? 0) | bit(controlId);
    if (previous.lastSeenAsOf > asOf || previous.lastSeenRunId === runId) continue;
    const next = nextState(previous, { ...cluster, controlId, status }, runId, asOf);
    await push(['update', { partitionKey, rowKey, ...next }, 'Replace', { etag: previous.etag }]);
  }
  for (const [index, cluster] of clusters.entries()) {
    for (const [controlId, status] of Object.entries(cluster.statuses) as Array<[ControlId, Status]>) {
      if (((seen[index] ?? 0) & bit(controlId)) !== 0) continue;
      const { rowKey } = stateKeys(cluster.clusterId, controlId);
      await push([
        'create',
        { partitionKey, rowKey, ...nextState(undefined, { ...cluster, controlId, status }, runId, asOf) },
      ]);
    }
  }
  await submit();
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
