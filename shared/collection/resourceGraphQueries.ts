import { RESOURCE_TYPES } from '../inventory/resourceTypes.js';
import { kqlIdentifier, kqlString, kqlStringList } from './kql.js';
import type { GapCategory } from '../inventory/inventory.js';

/** The standard Resource Graph columns every query returns (always including `id`, so paging works). */
export const STANDARD_COLUMNS = [
  'id',
  'name',
  'type',
  'kind',
  'location',
  'resourceGroup',
  'subscriptionId',
  'tags',
  'identity',
  'properties',
  'extendedLocation',
] as const;

export interface InventoryQuery {
  /** What a failure of this query leaves unread. */
  categories: readonly GapCategory[];
  table: string;
  types: readonly string[];
  text: string;
}

function tableQuery(
  categories: readonly GapCategory[],
  table: string,
  types: readonly string[],
): InventoryQuery {
  const text = [
    kqlIdentifier(table),
    `| where type in~ ${kqlStringList(types)}`,
    `| project ${STANDARD_COLUMNS.map(kqlIdentifier).join(', ')}`,
  ].join('\n');
  return { categories, table, types, text };
}

/**
 * One join-free query per Resource Graph table — three requests per subscription batch plus
 * paging. Rows come back whole and are interpreted in TypeScript by the same normaliser as offline
 * inventory files.
 */
export const INVENTORY_QUERIES: readonly InventoryQuery[] = [
  tableQuery(['clusters', 'azureLocal'], 'resources', [
    RESOURCE_TYPES.connectedCluster,
    RESOURCE_TYPES.managedCluster,
    RESOURCE_TYPES.customLocation,
    RESOURCE_TYPES.azureLocalCluster,
  ]),
  tableQuery(['extensions', 'fluxConfigurations'], 'kubernetesconfigurationresources', [
    RESOURCE_TYPES.extension,
    RESOURCE_TYPES.fluxConfiguration,
  ]),
  tableQuery(['backupInstances'], 'recoveryservicesresources', [RESOURCE_TYPES.backupInstance]),
];

export const SUBSCRIPTION_TYPE = 'microsoft.resources/subscriptions';

/** Subscriptions visible in a scope (tenant, or the management groups given with the request). */
export const SUBSCRIPTIONS_QUERY = [
  'resourcecontainers',
  `| where type =~ ${kqlString(SUBSCRIPTION_TYPE)}`,
  '| project id, name, subscriptionId, properties',
].join('\n');

/** Backup instances whose data source is one cluster (single-cluster check). */
export function backupInstancesOfClusterQuery(clusterId: string): string {
  return [
    'recoveryservicesresources',
    `| where type =~ ${kqlString(RESOURCE_TYPES.backupInstance)}`,
    `| where tolower(tostring(properties.dataSourceInfo.resourceID)) == ${kqlString(clusterId.toLowerCase())}`,
    `| project ${STANDARD_COLUMNS.join(', ')}`,
  ].join('\n');
}
