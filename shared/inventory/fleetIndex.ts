import { getStringCi } from './caseInsensitive.js';
import type { Inventory } from './inventory.js';
import type { InventoryResource } from './inventoryResource.js';
import { RESOURCE_TYPES } from './resourceTypes.js';

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Lookups built in one pass over the inventory, so that linking is linear in its size. */
export class FleetIndex {
  readonly clusters: InventoryResource[] = [];
  readonly extensions: InventoryResource[] = [];
  readonly fluxConfigurations: InventoryResource[] = [];
  readonly backupInstances: InventoryResource[] = [];
  readonly byKey = new Map<string, InventoryResource>();
  /** Azure Local clusters by lower-case `properties.cloudId`. */
  readonly azureLocalByCloudId = new Map<string, InventoryResource>();
  /** Azure Local clusters by lower-case `subscription/resourceGroup`. */
  readonly azureLocalByResourceGroup = new Map<string, InventoryResource[]>();
  /** Resource keys whose read failed during collection, with the reason. */
  readonly failedReads = new Map<string, string>();
  /** `subscription|category` (lower case) → reason, for categories that could not be read. */
  readonly failedScopes = new Map<string, string>();

  constructor(inventory: Inventory) {
    for (const resource of inventory.resources) {
      this.byKey.set(resource.key, resource);
      switch (resource.type) {
        case RESOURCE_TYPES.connectedCluster:
        case RESOURCE_TYPES.managedCluster:
          this.clusters.push(resource);
          break;
        case RESOURCE_TYPES.extension:
          this.extensions.push(resource);
          break;
        case RESOURCE_TYPES.fluxConfiguration:
          this.fluxConfigurations.push(resource);
          break;
        case RESOURCE_TYPES.backupInstance:
          this.backupInstances.push(resource);
          break;
        case RESOURCE_TYPES.azureLocalCluster: {
          const cloudId = getStringCi(resource.properties, ['cloudId']);
          if (cloudId) this.azureLocalByCloudId.set(cloudId.trim().toLowerCase(), resource);
          push(
            this.azureLocalByResourceGroup,
            resourceGroupKey(resource.subscriptionId, resource.resourceGroup),
            resource,
          );
          break;
        }
        default:
          break;
      }
    }
    for (const gap of inventory.gaps) {
      if (gap.kind === 'resource') this.failedReads.set(gap.id.toLowerCase(), gap.reason);
      else this.failedScopes.set(scopeKey(gap.subscriptionId, gap.category), gap.reason);
    }
  }

  scopeFailure(subscriptionId: string, category: string): string | undefined {
    return this.failedScopes.get(scopeKey(subscriptionId, category));
  }
}

export function resourceGroupKey(subscriptionId: string, resourceGroup: string): string {
  return `${subscriptionId}/${resourceGroup}`.toLowerCase();
}

function scopeKey(subscriptionId: string, category: string): string {
  return `${subscriptionId}|${category}`.toLowerCase();
}
