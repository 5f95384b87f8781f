import type { ClusterKind } from '../catalog/types.js';
import { conflictingValues, equalsCi, getCi, getStringCi, isJsonObject } from './caseInsensitive.js';
import type { ClusterFacts, ExtensionFact, Fleet, FluxConfigurationFact } from './clusterFacts.js';
import { toExtensionFact, toFluxConfigurationFact } from './extensionFacts.js';
import { FleetIndex } from './fleetIndex.js';
import type { Inventory } from './inventory.js';
import type { InventoryResource, InventoryWarning } from './inventoryResource.js';
import { resolveAzureLocalHost } from './resolveAzureLocalHost.js';
import { idKey, parentOfExtensionResource, typeOfId } from './resourceId.js';
import { CLUSTER_PARENT_TYPES, RESOURCE_TYPES } from './resourceTypes.js';

const KUBERNETES_CONFIGURATION = 'Microsoft.KubernetesConfiguration';

export function clusterKindOf(resource: InventoryResource): ClusterKind {
  if (resource.type === RESOURCE_TYPES.managedCluster) return 'aks';
  return equalsCi(resource.kind, 'ProvisionedCluster') ? 'aks-arc' : 'arc';
}

const AGENTLESS_KINDS = ['aws', 'gcp'];

/** Arc's agentless connections of clusters in other clouds (kind AWS or GCP, no agent installed). */
export function isAgentlessConnection(resource: InventoryResource): boolean {
  if (resource.type !== RESOURCE_TYPES.connectedCluster) return false;
  const kind = resource.kind?.trim().toLowerCase();
  if (kind === undefined || !AGENTLESS_KINDS.includes(kind)) return false;
  // A row that names its kind or status twice, in different letter case and with different values,
  // is not taken as agentless: it is judged as any Arc cluster, whose reads then report the conflict.
  if (conflictingValues(resource.raw, 'kind') || conflictingValues(resource.properties, 'connectivityStatus'))
    return false;
  return equalsCi(getCi(resource.properties, 'connectivityStatus'), 'AgentNotInstalled');
}

function describeProperties(value: unknown): string | undefined {
  if (isJsonObject(value)) return undefined;
  if (value === undefined) return 'properties is missing';
  if (value === null) return 'properties is null';
  return `properties is ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not an object`;
}

/**
 * Groups child resources (extensions, Flux configurations) under their cluster. Children of
 * clusters absent from the inventory are reported; children of other parents (e.g. the Arc resource
 * bridge extensions a custom location lists) are kept only for linking and are not warnings.
 */
function groupChildren<T>(
  children: InventoryResource[],
  clusterKeys: ReadonlySet<string>,
  label: string,
  toFact: (resource: InventoryResource) => T,
  warnings: InventoryWarning[],
): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const child of children) {
    const parent = parentOfExtensionResource(child.id, KUBERNETES_CONFIGURATION);
    const parentKey = parent === undefined ? undefined : idKey(parent);
    if (parentKey === undefined || !clusterKeys.has(parentKey)) {
      const parentType = parent === undefined ? undefined : typeOfId(parent);
      if (parentType === undefined || CLUSTER_PARENT_TYPES.has(parentType)) {
        warnings.push({
          where: child.origin,
          message: `${label} ${child.id} belongs to cluster ${parent ?? '(unparseable ID)'}, which is not in the inventory`,
        });
      }
      continue;
    }
    const list = grouped.get(parentKey);
    if (list) list.push(toFact(child));
    else grouped.set(parentKey, [toFact(child)]);
  }
  return grouped;
}

function describeRead(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 60)}…` : json;
}

/** The resource an Azure Backup instance protects, as its properties name it. */
export function backupDataSourceId(instance: InventoryResource): string | undefined {
  for (const holder of ['dataSourceInfo', 'dataSourceSetInfo']) {
    const id = getStringCi(getCi(instance.properties, holder), ['resourceID']);
    if (id) return id;
  }
  return undefined;
}

/**
 * Links the inventory into per-cluster facts in one pass over each resource list.
 * `azureLocalHosts` maps custom location ID keys (lower case) to Azure Local cluster IDs.
 */
export function buildFleet(inventory: Inventory, azureLocalHosts: ReadonlyMap<string, string>): Fleet {
  const index = new FleetIndex(inventory);
  const warnings: InventoryWarning[] = [...inventory.warnings];
  const clusterKeys = new Set(index.clusters.map((cluster) => cluster.key));
  const extensions = groupChildren<ExtensionFact>(
    index.extensions,
    clusterKeys,
    'extension',
    toExtensionFact,
    warnings,
  );
  const fluxConfigurations = groupChildren<FluxConfigurationFact>(
    index.fluxConfigurations,
    clusterKeys,
    'Flux configuration',
    toFluxConfigurationFact,
    warnings,
  );
  const backups = new Map<string, InventoryResource[]>();
  for (const instance of index.backupInstances) {
    const source = backupDataSourceId(instance);
    if (source === undefined) {
      // Linked to no cluster: DS-09 of a cluster it might protect cannot PASS on it, but say why.
      warnings.push({
        where: instance.origin,
        message: `Azure Backup instance ${instance.id} has no readable data source (properties.dataSourceInfo.resourceID is ${describeRead(getCi(getCi(instance.properties, 'dataSourceInfo'), 'resourceID'))}), so it protects no cluster in this scan`,
      });
      continue;
    }
    const key = idKey(source);
    backups.set(key, [...(backups.get(key) ?? []), instance]);
  }

  const clusters = index.clusters.map((resource): ClusterFacts => {
    const kind = clusterKindOf(resource);
    const failure = (category: string): string | undefined =>
      index.scopeFailure(resource.subscriptionId, category);
    return {
      resource,
      id: resource.id,
      key: resource.key,
      name: resource.name,
      kind,
      subscriptionId: resource.subscriptionId,
      resourceGroup: resource.resourceGroup,
      location: resource.location,
      properties: isJsonObject(resource.properties) ? resource.properties : undefined,
      propertiesProblem: describeProperties(resource.properties),
      extensions: extensions.get(resource.key) ?? [],
      fluxConfigurations: fluxConfigurations.get(resource.key) ?? [],
      backupInstances: backups.get(resource.key) ?? [],
      readFailures: {
        extensions: failure('extensions'),
        fluxConfigurations: failure('fluxConfigurations'),
        backupInstances: failure('backupInstances'),
      },
      azureLocal: kind === 'aks-arc' ? resolveAzureLocalHost(resource.id, index, azureLocalHosts) : undefined,
      agentless: kind === 'arc' && isAgentlessConnection(resource),
    };
  });

  return {
    clusters,
    warnings,
    backupInstancesPresent: index.backupInstances.length > 0 || inventory.backupInstancesQueried === true,
  };
}
