import { getCi } from '../inventory/caseInsensitive.js';
import { clusterKindOf } from '../inventory/buildFleet.js';
import type { Inventory } from '../inventory/inventory.js';
import type { DocumentRow } from '../inventory/parseInventoryDocument.js';
import { idKey, parentOfExtensionResource, typeOfId } from '../inventory/resourceId.js';
import { CLUSTER_PARENT_TYPES, RESOURCE_TYPES } from '../inventory/resourceTypes.js';
import { compareAgentVersions, parseAgentVersion, type AgentVersion } from '../evaluation/agentVersion.js';

/**
 * What one batch knows that the evaluation of other batches needs — small, whatever the batch's
 * size: the newest Arc agent version among its clusters (DS-10 judges against the fleet's newest)
 * and the rows that link across subscriptions (Azure Local clusters and their security settings,
 * custom locations and the extensions on them, Azure Backup instances whose data source may be a
 * cluster in another batch).
 */
export interface BatchFacts {
  newestAgentVersion: string | null;
  linkingRows: DocumentRow[];
}

/** The facts of the whole fleet, merged from every batch's. */
export interface MergedFacts {
  newestAgentVersion: AgentVersion | undefined;
  linkingRows: DocumentRow[];
  /** Lower-case IDs of the linking rows. */
  linkingKeys: Set<string>;
}

const LINKING_TYPES = new Set<string>([
  RESOURCE_TYPES.customLocation,
  RESOURCE_TYPES.azureLocalCluster,
  RESOURCE_TYPES.azureLocalSecuritySettings,
  RESOURCE_TYPES.backupInstance,
]);

function isLinking(type: string, id: string): boolean {
  if (LINKING_TYPES.has(type)) return true;
  if (type !== RESOURCE_TYPES.extension) return false;
  // Extensions of a custom location's resource bridge link a cluster to its host; cluster extensions don't.
  const parent = parentOfExtensionResource(id, 'Microsoft.KubernetesConfiguration');
  const parentType = parent === undefined ? undefined : typeOfId(parent);
  return parentType !== undefined && !CLUSTER_PARENT_TYPES.has(parentType);
}

/** The facts of one batch's inventory. */
export function summariseBatch(inventory: Pick<Inventory, 'resources'>): BatchFacts {
  let newest: AgentVersion | undefined;
  const linkingRows: DocumentRow[] = [];
  for (const resource of inventory.resources) {
    if (resource.type === RESOURCE_TYPES.connectedCluster && clusterKindOf(resource) !== 'aks') {
      const version = parseAgentVersion(getCi(resource.properties, 'agentVersion'));
      if (version && (!newest || compareAgentVersions(version, newest) > 0)) newest = version;
    } else if (isLinking(resource.type, resource.id)) {
      linkingRows.push({ value: resource.raw, where: resource.origin });
    }
  }
  return { newestAgentVersion: newest?.text ?? null, linkingRows };
}

/** Merges the facts of every batch (in batch order). */
export function mergeBatchFacts(all: Iterable<BatchFacts>): MergedFacts {
  let newest: AgentVersion | undefined;
  const linkingRows: DocumentRow[] = [];
  const linkingKeys = new Set<string>();
  for (const facts of all) {
    const version = parseAgentVersion(facts.newestAgentVersion);
    if (version && (!newest || compareAgentVersions(version, newest) > 0)) newest = version;
    for (const row of facts.linkingRows) {
      const id = typeof row.value === 'object' && row.value !== null ? getCi(row.value, 'id') : undefined;
      if (typeof id === 'string') linkingKeys.add(idKey(id));
      linkingRows.push(row);
    }
  }
  return { newestAgentVersion: newest, linkingRows, linkingKeys };
}
