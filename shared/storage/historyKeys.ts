import { encodeKey, newestFirst } from './tableKeys.js';

/**
 * Keys of a cluster's history row for one run: partition by subscription (so a run's rows go out
 * in 100-entity transactions), row key = cluster, then newest first — one cluster's history is a
 * single range scan.
 */
export function historyKeys(
  clusterId: string,
  asOf: string,
  runId: string,
): { partitionKey: string; rowKey: string } {
  return {
    ...historyRange(clusterId),
    rowKey: `${encodeKey(clusterId)}|${newestFirst(new Date(asOf))}_${runId}`,
  };
}

/** The partition and row-key prefix of one cluster's history rows. */
export function historyRange(clusterId: string): { partitionKey: string; prefix: string } {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(clusterId)?.[1] ?? 'unknown';
  return { partitionKey: encodeKey(subscription), prefix: `${encodeKey(clusterId)}|` };
}
