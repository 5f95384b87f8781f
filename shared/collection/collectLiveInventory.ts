import { getStringCi } from '../inventory/caseInsensitive.js';
import { clusterKindOf } from '../inventory/buildFleet.js';
import { FleetIndex } from '../inventory/fleetIndex.js';
import type { CollectionGap, Inventory } from '../inventory/inventory.js';
import { mergeResources } from '../inventory/mergeResources.js';
import type { DocumentRow } from '../inventory/parseInventoryDocument.js';
import { resolveAzureLocalHost } from '../inventory/resolveAzureLocalHost.js';
import { RESOURCE_TYPES } from '../inventory/resourceTypes.js';
import type { ScanSettings } from '../settings/scanSettings.js';
import { API_VERSIONS } from './apiVersions.js';
import { readArmResource, type ArmReader } from './armReader.js';
import { mapWithConcurrency } from './boundedConcurrency.js';
import { readAllPages, type GraphReadContext } from './resourceGraphReader.js';
import { INVENTORY_QUERIES, SUBSCRIPTIONS_QUERY } from './resourceGraphQueries.js';
import { chunk, type LiveScope } from './liveScope.js';
import { failureReason, RequestFailedError } from './retryPolicy.js';

export interface LiveCollectionRequest {
  scope: LiveScope;
  graph: GraphReadContext;
  arm: ArmReader;
  scanSettings: ScanSettings;
  batchSize: number;
  graphConcurrency: number;
  armConcurrency: number;
  onProgress?: (message: string) => void;
}

/** The scope could not be resolved to subscriptions: nothing can be scanned. */
export class ScopeResolutionError extends Error {
  override readonly name = 'ScopeResolutionError';
}

/** The subscriptions of a scope: as given, or listed from Resource Graph's resourcecontainers. */
export async function resolveSubscriptions(
  request: Pick<LiveCollectionRequest, 'scope' | 'graph'>,
): Promise<string[]> {
  const { scope } = request;
  if (scope.kind === 'subscriptions') return scope.subscriptionIds;
  try {
    const rows = await readAllPages(
      request.graph,
      {
        query: SUBSCRIPTIONS_QUERY,
        managementGroups: scope.kind === 'managementGroups' ? scope.managementGroupIds : undefined,
      },
      'resourcecontainers',
    );
    const ids = rows
      .map((row) => getStringCi(row.value, ['subscriptionId']) ?? '')
      .filter((id) => id !== '')
      .map((id) => id.toLowerCase());
    return [...new Set(ids)].sort();
  } catch (error) {
    if (!(error instanceof RequestFailedError)) throw error;
    throw new ScopeResolutionError(
      `cannot list the subscriptions in scope: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Reads the fleet from Resource Graph, subscription batch by batch (three join-free queries per
 * batch), then reads from Resource Manager what Resource Graph does not index: the AKS Arc
 * instances and the security settings of the Azure Local clusters that host them. A read that
 * fails for good becomes a collection gap, never a pass.
 */
export async function collectLiveInventory(request: LiveCollectionRequest): Promise<Inventory> {
  const { graph } = request;
  const progress = request.onProgress ?? (() => undefined);
  const subscriptions = await resolveSubscriptions(request);
  const batches = chunk(subscriptions, request.batchSize);
  graph.stats.subscriptions = subscriptions.length;
  graph.stats.batches = batches.length;
  progress(`${subscriptions.length} subscription(s) in ${batches.length} batch(es)`);

  const documents: DocumentRow[][] = [];
  const gaps: CollectionGap[] = [];
  let batchesDone = 0;
  await mapWithConcurrency(batches, request.graphConcurrency, async (batch, batchIndex) => {
    let failed = false;
    for (const query of INVENTORY_QUERIES) {
      try {
        documents.push(
          await readAllPages(
            graph,
            { subscriptions: batch, query: query.text },
            `${query.table} batch ${batchIndex + 1}`,
          ),
        );
      } catch (error) {
        const reason = failureReason(error);
        failed = true;
        for (const subscriptionId of batch) {
          for (const category of query.categories)
            gaps.push({ kind: 'scope', subscriptionId, category, reason });
        }
      }
    }
    if (failed) graph.stats.failedBatches++;
    progress(`Resource Graph batches: ${++batchesDone}/${batches.length}`);
  });

  const fromGraph = mergeResources(documents);
  const instances = fromGraph.resources
    .filter(
      (resource) =>
        resource.type === RESOURCE_TYPES.connectedCluster && clusterKindOf(resource) === 'aks-arc',
    )
    .map(
      (cluster) =>
        `${cluster.id}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`,
    );
  const armRows: DocumentRow[] = [];
  const readEach = async (ids: string[], apiVersion: string): Promise<void> => {
    await mapWithConcurrency(ids, request.armConcurrency, async (id) => {
      try {
        const body = await readArmResource(graph, request.arm, id, apiVersion);
        if (body !== undefined) armRows.push({ value: body, where: `GET ${id}` });
      } catch (error) {
        gaps.push({ kind: 'resource', id, reason: failureReason(error) });
      }
    });
  };
  progress(`Reading ${instances.length} AKS Arc instance(s) from Resource Manager`);
  await readEach(instances, API_VERSIONS.provisionedClusterInstance);

  progress('Reading the security settings of the Azure Local clusters that host them');
  armRows.push(
    ...(await readHostSecuritySettings([...documents, armRows], gaps, {
      graph,
      arm: request.arm,
      scanSettings: request.scanSettings,
      armConcurrency: request.armConcurrency,
    })),
  );

  const inventory = mergeResources([...documents, armRows]);
  return { ...inventory, gaps, backupInstancesQueried: true };
}

/**
 * Reads from Resource Manager the security settings of every Azure Local cluster that hosts an AKS
 * Arc cluster in `documents` and whose settings are not there yet (they are not in Resource Graph).
 * A failed read is recorded in `gaps`. Used per batch and again when a fanned-out run is
 * finalized, so hosts linked across subscription batches are read too.
 */
export async function readHostSecuritySettings(
  documents: DocumentRow[][],
  gaps: CollectionGap[],
  context: { graph: GraphReadContext; arm: ArmReader; scanSettings: ScanSettings; armConcurrency: number },
): Promise<DocumentRow[]> {
  const index = new FleetIndex({ ...mergeResources(documents), gaps });
  const wanted = new Set<string>();
  for (const cluster of index.clusters) {
    if (clusterKindOf(cluster) !== 'aks-arc') continue;
    const link = resolveAzureLocalHost(cluster.id, index, context.scanSettings.azureLocalHosts);
    if (
      link.securitySettingsId &&
      !link.securitySettings &&
      !index.failedReads.has(link.securitySettingsId.toLowerCase())
    ) {
      wanted.add(link.securitySettingsId);
    }
  }
  const rows: DocumentRow[] = [];
  await mapWithConcurrency([...wanted], context.armConcurrency, async (id) => {
    try {
      const body = await readArmResource(
        context.graph,
        context.arm,
        id,
        API_VERSIONS.azureLocalSecuritySettings,
      );
      if (body !== undefined) rows.push({ value: body, where: `GET ${id}` });
    } catch (error) {
      gaps.push({ kind: 'resource', id, reason: failureReason(error) });
    }
  });
  return rows;
}
