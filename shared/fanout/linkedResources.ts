import { backupDataSourceId } from '../inventory/buildFleet.js';
import { getCi, getStringCi } from '../inventory/caseInsensitive.js';
import type { Inventory } from '../inventory/inventory.js';
import type { InventoryResource } from '../inventory/inventoryResource.js';
import { idKey, typeOfId } from '../inventory/resourceId.js';
import { CLUSTER_PARENT_TYPES, RESOURCE_TYPES } from '../inventory/resourceTypes.js';

/**
 * The resources of other batches that a batch is judged with: the fleet's linking resources
 * (`linking`) it does not hold itself (`own`), less the Azure Backup instances that can play no part in judging it. Most linking
 * resources of a large fleet are backup instances (one or more per protected cluster); lending each
 * batch only those of its own clusters keeps a batch's judging the same size whatever the fleet's.
 *
 * A backup instance is left out only when nothing in the batch can reach it: it protects a resource
 * that is not one of the batch's clusters, it has an ID of a backup instance (so no ID the linking
 * builds for an AKS Arc instance or security settings names it), and no extended location or custom location
 * of the batch names it. One left out still counts for the fleet having backup instances
 * (`backupInstancesLeftOut`), which DS-09 reads. Judging the batch is thereby the same as judging it
 * with every linking resource (test/functions/linkedResources.property.test.ts).
 */
export function linkedResourcesFor(
  own: readonly InventoryResource[],
  linking: Inventory,
): { linked: Inventory; backupInstancesLeftOut: boolean } {
  const ownKeys = new Set(own.map((resource) => resource.key));
  // Merging every linking row, then leaving out the batch's own, gives the same resources in the
  // same order as merging only the linking rows the batch does not hold (a key's rows go together).
  const lent = linking.resources.filter((resource) => !ownKeys.has(resource.key));
  const all = [...own, ...lent];
  const clusters = new Set(all.filter((r) => CLUSTER_PARENT_TYPES.has(r.type)).map((r) => r.key));
  const named = namedKeys(all);
  let backupInstancesLeftOut = false;
  const resources = lent.filter((resource) => {
    if (resource.type !== RESOURCE_TYPES.backupInstance) return true;
    if (typeOfId(resource.id) !== RESOURCE_TYPES.backupInstance || named.has(resource.key)) return true;
    const source = backupDataSourceId(resource);
    // One without a readable data source is kept: judging reports it.
    if (source === undefined || clusters.has(idKey(source))) return true;
    backupInstancesLeftOut = true;
    return false;
  });
  return { linked: { ...linking, resources }, backupInstancesLeftOut };
}

/**
 * Every resource ID the linking may look up by a name it reads: extended locations, and the cluster
 * extensions a custom location lists (read from any resource, as a custom location is looked up by ID
 * whatever its type).
 */
function namedKeys(resources: readonly InventoryResource[]): Set<string> {
  const keys = new Set<string>();
  for (const resource of resources) {
    const location = getStringCi(resource.extendedLocation, ['name']);
    if (location !== undefined) keys.add(idKey(location));
    const extensionIds = getCi(resource.properties, 'clusterExtensionIds');
    if (Array.isArray(extensionIds))
      for (const id of extensionIds) if (typeof id === 'string') keys.add(idKey(id));
  }
  return keys;
}
