import type { SourceControlConfigurationClient } from '@azure/arm-kubernetesconfiguration';

import { getCi, getStringCi } from '../inventory/caseInsensitive.js';
import type { CollectionGap, GapCategory, Inventory } from '../inventory/inventory.js';
import { mergeResources } from '../inventory/mergeResources.js';
import type { DocumentRow } from '../inventory/parseInventoryDocument.js';
import { idKey, nameOf, resourceGroupOf, subscriptionOf, typeOfId } from '../inventory/resourceId.js';
import { RESOURCE_TYPES } from '../inventory/resourceTypes.js';
import type { ScanSettings } from '../settings/scanSettings.js';
import { API_VERSIONS } from './apiVersions.js';
import { readArmResource, type ArmReader } from './armReader.js';
import { readAllPages, type GraphReadContext } from './resourceGraphReader.js';
import { backupInstancesOfClusterQuery } from './resourceGraphQueries.js';
import { failureReason, withRetry } from './retryPolicy.js';

export interface SingleClusterRequest {
  clusterId: string;
  graph: GraphReadContext;
  arm: ArmReader;
  kubernetesConfiguration: (subscriptionId: string) => SourceControlConfigurationClient;
  scanSettings: ScanSettings;
}

const CLUSTER_PROVIDERS: Record<string, { rp: string; resourceName: string; apiVersion: string }> = {
  [RESOURCE_TYPES.connectedCluster]: {
    rp: 'Microsoft.Kubernetes',
    resourceName: 'connectedClusters',
    apiVersion: API_VERSIONS.connectedCluster,
  },
  [RESOURCE_TYPES.managedCluster]: {
    rp: 'Microsoft.ContainerService',
    resourceName: 'managedClusters',
    apiVersion: API_VERSIONS.managedCluster,
  },
};

/** Validates a cluster resource ID for `--cluster`; throws RangeError otherwise. */
export function validateClusterId(id: string): string {
  const type = typeOfId(id);
  if (!type || !CLUSTER_PROVIDERS[type] || !subscriptionOf(id) || !resourceGroupOf(id)) {
    throw new RangeError(
      `--cluster must be the resource ID of a connectedClusters or managedClusters resource, got ${JSON.stringify(id)}`,
    );
  }
  return id.trim().replace(/\/+$/, '');
}

/**
 * A page as Resource Manager sent it. The SDK's parsed body flattens each item (`provisioningState`
 * at the top level); the inventory keeps the wire shape (`properties.provisioningState`), so that
 * evidence names the path an auditor finds in the REST response, as for the fleet scan.
 */
function wireBody(raw: { parsedBody?: unknown; bodyAsText?: string | null }): unknown {
  if (typeof raw.bodyAsText === 'string' && raw.bodyAsText !== '') {
    try {
      return JSON.parse(raw.bodyAsText) as unknown;
    } catch {
      return raw.parsedBody;
    }
  }
  return raw.parsedBody;
}

/**
 * Re-reads one cluster straight from Resource Manager, without waiting for Resource Graph: the
 * cluster, its extensions and Flux configurations (`@azure/arm-kubernetesconfiguration`, every page,
 * raw bodies kept so fields the SDK model drops survive), and for AKS Arc the instance, custom
 * location, its cluster extensions, Azure Local clusters and security settings.
 */
export async function collectSingleCluster(request: SingleClusterRequest): Promise<Inventory> {
  const clusterId = validateClusterId(request.clusterId);
  const subscriptionId = subscriptionOf(clusterId) ?? '';
  const resourceGroup = resourceGroupOf(clusterId) ?? '';
  const provider = CLUSTER_PROVIDERS[typeOfId(clusterId) ?? ''];
  if (!provider) throw new RangeError('unsupported cluster type');
  const rows: DocumentRow[] = [];
  const gaps: CollectionGap[] = [];
  const ctx = request.graph;
  const scopeGap = (categories: GapCategory[], reason: string): void => {
    for (const category of categories) gaps.push({ kind: 'scope', subscriptionId, category, reason });
  };
  const get = async (id: string, apiVersion: string): Promise<unknown> => {
    try {
      const body = await readArmResource(ctx, request.arm, id, apiVersion);
      if (body !== undefined) rows.push({ value: body, where: `GET ${id}` });
      return body;
    } catch (error) {
      gaps.push({ kind: 'resource', id, reason: failureReason(error) });
      return undefined;
    }
  };

  const cluster = await get(clusterId, provider.apiVersion);
  if (cluster === undefined) {
    const failed = gaps.find((gap) => gap.kind === 'resource' && idKey(gap.id) === idKey(clusterId));
    if (failed) scopeGap(['clusters'], failed.reason);
    return { ...mergeResources([rows]), gaps };
  }

  const client = request.kubernetesConfiguration(subscriptionId);
  const listAll = async (kind: 'extensions' | 'fluxConfigurations'): Promise<void> => {
    try {
      const items = await withRetry(
        ctx,
        async (signal) => {
          const collected: unknown[] = [];
          const options = {
            abortSignal: signal,
            onResponse: (raw: { parsedBody?: unknown; bodyAsText?: string | null }) => {
              ctx.stats.armRequests++;
              const value = getCi(wireBody(raw), 'value');
              if (Array.isArray(value)) collected.push(...value);
            },
          };
          const pages =
            kind === 'extensions'
              ? client.extensions.list(
                  resourceGroup,
                  provider.rp,
                  provider.resourceName,
                  nameOf(clusterId),
                  options,
                )
              : client.fluxConfigurations.list(
                  resourceGroup,
                  provider.rp,
                  provider.resourceName,
                  nameOf(clusterId),
                  options,
                );
          for await (const page of pages.byPage()) void page;
          return collected;
        },
        `list ${kind} of ${clusterId}`,
      );
      items.forEach((value, index) => rows.push({ value, where: `list ${kind} [${index}]` }));
    } catch (error) {
      scopeGap([kind], failureReason(error));
    }
  };
  await listAll('extensions');
  await listAll('fluxConfigurations');

  let backupInstancesQueried = false;
  try {
    const backups = await readAllPages(
      ctx,
      { subscriptions: [subscriptionId], query: backupInstancesOfClusterQuery(clusterId) },
      'recoveryservicesresources',
    );
    rows.push(...backups);
    backupInstancesQueried = true;
  } catch (error) {
    scopeGap(['backupInstances'], failureReason(error));
  }

  if (
    provider.resourceName === 'connectedClusters' &&
    /^provisionedcluster$/i.test(String(getCi(cluster, 'kind') ?? ''))
  ) {
    await collectAzureLocalLink(clusterId, get, request, rows, gaps);
  }
  return { ...mergeResources([rows]), gaps, backupInstancesQueried };
}

async function collectAzureLocalLink(
  clusterId: string,
  get: (id: string, apiVersion: string) => Promise<unknown>,
  request: SingleClusterRequest,
  rows: DocumentRow[],
  gaps: CollectionGap[],
): Promise<void> {
  const instance = await get(
    `${clusterId}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`,
    API_VERSIONS.provisionedClusterInstance,
  );
  const customLocationId = getStringCi(getCi(instance, 'extendedLocation'), ['name']);
  if (!customLocationId) return;
  const configured = request.scanSettings.azureLocalHosts.get(idKey(customLocationId));
  const hosts = new Set<string>();
  if (configured) hosts.add(configured);
  else {
    const customLocation = await get(customLocationId, API_VERSIONS.customLocation);
    const extensionIds = getCi(getCi(customLocation, 'properties'), 'clusterExtensionIds');
    for (const extensionId of Array.isArray(extensionIds) ? extensionIds : []) {
      if (typeof extensionId !== 'string') continue;
      const extension = await get(extensionId, API_VERSIONS.extension);
      const hci = getStringCi(getCi(getCi(extension, 'properties'), 'configurationSettings'), [
        'HCIClusterID',
      ]);
      if (hci && typeOfId(hci) === RESOURCE_TYPES.azureLocalCluster) hosts.add(hci);
    }
    const subscription = subscriptionOf(customLocationId);
    const group = resourceGroupOf(customLocationId);
    if (subscription && group) {
      const path = `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.AzureStackHCI/clusters`;
      try {
        const clusters = await readList(request, path, API_VERSIONS.azureLocalCluster);
        clusters.forEach((value, index) => rows.push({ value, where: `list ${path} [${index}]` }));
        for (const hciCluster of clusters) {
          const id = getStringCi(hciCluster, ['id']);
          const cloudId = getStringCi(getCi(hciCluster, 'properties'), ['cloudId']);
          if (
            id &&
            (hosts.size === 0 ||
              (cloudId && [...hosts].some((h) => h.toLowerCase() === cloudId.toLowerCase())))
          ) {
            hosts.add(id);
          }
        }
      } catch (error) {
        gaps.push({
          kind: 'scope',
          subscriptionId: subscription,
          category: 'azureLocal',
          reason: failureReason(error),
        });
      }
    }
  }
  for (const host of hosts) {
    if (typeOfId(host) === RESOURCE_TYPES.azureLocalCluster) {
      await get(`${host}/securitySettings/default`, API_VERSIONS.azureLocalSecuritySettings);
    }
  }
}

async function readList(request: SingleClusterRequest, path: string, apiVersion: string): Promise<unknown[]> {
  const ctx = request.graph;
  return withRetry(
    ctx,
    async (signal) => {
      ctx.stats.armRequests++;
      return request.arm.list(path, apiVersion, signal);
    },
    `list ${path}`,
  );
}
