import { clusterPortalUrl } from '../portalLink.js';
import type { CountedClusterRow } from '../runStreams.js';
import { scoreOrNull } from '../statusBreakdown.js';
import { TableSheet, type TableColumn } from './tableSheet.js';
import type { WorkbookSession } from './workbookSession.js';

export const CLUSTERS_COLUMNS: readonly TableColumn[] = [
  { header: 'Cluster', width: 28 },
  { header: 'Cluster ID', width: 48 },
  { header: 'Kind', width: 9 },
  { header: 'Subscription', width: 38 },
  { header: 'Resource group', width: 22 },
  { header: 'Location', width: 14 },
  { header: 'Distribution', width: 12 },
  { header: 'Kubernetes version', width: 12 },
  { header: 'Connectivity', width: 12 },
  { header: 'Agent version', width: 12 },
  { header: 'Last connectivity (UTC)', width: 20, kind: 'date' },
  { header: 'Extensions', width: 10, kind: 'integer' },
  { header: 'Flux configurations', width: 12, kind: 'integer' },
  { header: 'Azure Local cluster ID', width: 48 },
  { header: 'PASS', width: 8, kind: 'integer' },
  { header: 'FAIL', width: 8, kind: 'integer' },
  { header: 'MANUAL', width: 9, kind: 'integer' },
  { header: 'NOT_APPLICABLE', width: 9, kind: 'integer' },
  { header: 'ERROR', width: 8, kind: 'integer' },
  { header: 'Compliance', width: 11, kind: 'percent' },
  { header: 'Azure portal', width: 16, kind: 'link' },
];

function timeOrText(value: string): Date | string {
  const date = value === '' ? undefined : new Date(value);
  return date === undefined || Number.isNaN(date.getTime()) ? value : date;
}

/** The inventory as scanned, one row per cluster, with its findings' counts and compliance. */
export async function writeClustersSheet(
  session: WorkbookSession,
  clusters: AsyncIterable<CountedClusterRow> | Iterable<CountedClusterRow>,
  portalBase: string,
): Promise<void> {
  const table = new TableSheet(session, 'Clusters', CLUSTERS_COLUMNS, { frozenColumns: 1 });
  for await (const { cluster, counts } of clusters) {
    await table.add([
      cluster.name,
      cluster.id,
      cluster.kind,
      cluster.subscriptionId,
      cluster.resourceGroup,
      cluster.location,
      cluster.distribution,
      cluster.kubernetesVersion,
      cluster.connectivityStatus,
      cluster.agentVersion,
      timeOrText(cluster.lastConnectivityTime),
      cluster.extensionCount,
      cluster.fluxConfigurationCount,
      cluster.azureLocalClusterId,
      counts?.PASS ?? 0,
      counts?.FAIL ?? 0,
      counts?.MANUAL ?? 0,
      counts?.NOT_APPLICABLE ?? 0,
      counts?.ERROR ?? 0,
      (counts && scoreOrNull(counts)) ?? 'n/a',
      { url: clusterPortalUrl(portalBase, cluster.id), label: 'Open in portal' },
    ]);
  }
  table.close();
}
