import { backupDataSourceId } from '../inventory/buildFleet.js';
import { getCi, getStringCi } from '../inventory/caseInsensitive.js';
import type { Inventory } from '../inventory/inventory.js';
import type { InventoryResource } from '../inventory/inventoryResource.js';
import { mergeResources } from '../inventory/mergeResources.js';
import { isWarning, normaliseRow } from '../inventory/normaliseRow.js';
import type { DocumentRow } from '../inventory/parseInventoryDocument.js';
import { idKey, typeOfId } from '../inventory/resourceId.js';
import { CLUSTER_PARENT_TYPES, RESOURCE_TYPES } from '../inventory/resourceTypes.js';

/**
 * The resources of other batches that a batch is judged with: the fleet's linking resources
 * (`linking`) it does not hold itself (`own`), less the Azure Backup instances that can play no part
 * in judging it. Most linking resources of a large fleet are backup instances (one or more per
 * protected cluster); lending each batch only those of its own clusters keeps what a batch is judged
 * with growing with the fleet's sites alone.
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

/**
 * The keys by which a batch's own resources can reach a backup instance of another batch: its
 * clusters (a backup instance's data source), the backup instances it holds, and every backup
 * instance ID it names (an extended location, a custom location's cluster extension).
 */
export function reachKeysOf(own: readonly InventoryResource[]): string[] {
  const keys = new Set<string>();
  for (const resource of own)
    if (CLUSTER_PARENT_TYPES.has(resource.type) || resource.type === RESOURCE_TYPES.backupInstance)
      keys.add(resource.key);
  for (const key of namedKeys(own)) if (typeOfId(key) === RESOURCE_TYPES.backupInstance) keys.add(key);
  return [...keys];
}

/** A batch's share of the fleet's linking rows, in their order, and whether backup instances were left out. */
export interface LentRows {
  rows: DocumentRow[];
  backupInstancesLeftOut: boolean;
}

/**
 * Lends the fleet's linking rows to batches by what each batch can reach, decided once for the
 * fleet: every row goes to every batch except the rows of a backup instance that only a batch
 * reaching its data source or its ID can use (as {@link linkedResourcesFor} decides it, with the
 * names and clusters of every linking resource counted for every batch). A batch is lent a superset
 * of what {@link linkedResourcesFor} keeps for it, in the same order, so judging it is the same;
 * whatever else it is lent protects none of its clusters.
 */
export function linkingLender(linkingRows: readonly DocumentRow[]): (reach: ReadonlySet<string>) => LentRows {
  const linking = mergeResources([linkingRows]);
  const named = namedKeys(linking.resources);
  const clusters = new Set(
    linking.resources.filter((r) => CLUSTER_PARENT_TYPES.has(r.type)).map((r) => r.key),
  );
  const targetsByKey = new Map<string, readonly string[]>();
  for (const resource of linking.resources) {
    if (resource.type !== RESOURCE_TYPES.backupInstance) continue;
    if (typeOfId(resource.id) !== RESOURCE_TYPES.backupInstance || named.has(resource.key)) continue;
    const source = backupDataSourceId(resource);
    if (source === undefined || clusters.has(idKey(source))) continue;
    targetsByKey.set(resource.key, [resource.key, idKey(source)]);
  }
  // Every row of a resource goes with it (a later row of the same ID replaces an earlier one).
  const targets = linkingRows.map((row) => {
    const normalised = normaliseRow(row);
    return isWarning(normalised) ? undefined : targetsByKey.get(normalised.key);
  });
  return (reach) => {
    const rows: DocumentRow[] = [];
    let backupInstancesLeftOut = false;
    linkingRows.forEach((row, index) => {
      const keys = targets[index];
      if (keys === undefined || keys.some((key) => reach.has(key))) rows.push(row);
      else backupInstancesLeftOut = true;
    });
    return { rows, backupInstancesLeftOut };
  };
}

/** A batch's lent rows as the resources it is judged with: those it does not hold itself. */
export function lentResourcesFor(
  own: readonly InventoryResource[],
  lent: LentRows,
): { linked: Inventory; backupInstancesLeftOut: boolean } {
  const ownKeys = new Set(own.map((resource) => resource.key));
  const linking = mergeResources([lent.rows]);
  const resources = linking.resources.filter((resource) => !ownKeys.has(resource.key));
  return { linked: { ...linking, resources }, backupInstancesLeftOut: lent.backupInstancesLeftOut };
}
