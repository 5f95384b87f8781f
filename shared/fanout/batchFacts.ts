import { emptyStats, type CollectionStats } from '../collection/collectionStats.js';
import { getCi } from '../inventory/caseInsensitive.js';
import { mergeResources } from '../inventory/mergeResources.js';
import type { CollectionGap, Inventory } from '../inventory/inventory.js';
import type { LargeValueStore } from '../storage/historyStore.js';
import { readBatchPayload } from './batchPayload.js';
import type { DocumentRow } from '../inventory/parseInventoryDocument.js';
import { parentOfExtensionResource, typeOfId } from '../inventory/resourceId.js';
import { CLUSTER_PARENT_TYPES, RESOURCE_TYPES } from '../inventory/resourceTypes.js';
import {
  agentBaseline,
  compareAgentVersions,
  agentVersionOf,
  type AgentHolder,
  type AgentVersion,
} from '../evaluation/agentVersion.js';
import { buildFleet } from '../inventory/buildFleet.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { FleetFacts } from '../scan/evaluateInventory.js';
import { reachKeysOf } from './linkedResources.js';

/**
 * What one batch knows that the evaluation of other batches needs — small, whatever the batch's
 * size: the clusters that may decide the fleet's Arc agent baseline (those holding its newest and
 * next newest plausible version; DS-10 judges every cluster against the fleet's newest), and the
 * rows that link across subscriptions (Azure Local clusters and their security settings, custom
 * locations and the extensions on them, Azure Backup instances whose data source may be a cluster
 * in another batch).
 */
export interface BatchFacts {
  agentCandidates: Array<{ name: string; origin: string; agentVersion: string }>;
  linkingRows: DocumentRow[];
  /**
   * The keys by which the batch reaches a backup instance of another batch ({@link reachKeysOf}),
   * so that it is lent only the linking rows it can use. Absent from a summary stored before they
   * were kept: such a batch is lent every linking row.
   */
  reachKeys?: string[];
}

/** The facts of the whole fleet, merged from every batch's. */
export interface MergedFacts {
  fleet: FleetFacts;
  linkingRows: DocumentRow[];
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

/** The facts of one batch: its inventory and the clusters linked from it. */
export function summariseBatch(inventory: Inventory, clusters: readonly ClusterFacts[]): BatchFacts {
  const versions = clusters
    .filter((cluster) => cluster.kind !== 'aks' && !cluster.agentless)
    .map((cluster) => ({ cluster, version: agentVersionOf(cluster) }));
  // The newest and next newest versions decide the baseline and its outlier warning; keep their holders.
  const distinct: AgentVersion[] = [];
  for (const { version } of versions) {
    if (!version || distinct.some((seen) => compareAgentVersions(seen, version) === 0)) continue;
    distinct.push(version);
    distinct.sort((a, b) => compareAgentVersions(b, a));
    distinct.length = Math.min(distinct.length, 2);
  }
  const agentCandidates = versions
    .filter(
      ({ version }) =>
        version !== undefined && distinct.some((kept) => compareAgentVersions(kept, version) === 0),
    )
    .map(({ cluster }) => ({
      name: cluster.name,
      origin: cluster.resource.origin,
      agentVersion: String(getCi(cluster.properties, 'agentVersion')),
    }));
  const linkingRows: DocumentRow[] = [];
  for (const resource of inventory.resources)
    if (isLinking(resource.type, resource.id))
      linkingRows.push({ value: resource.raw, where: resource.origin });
  return { agentCandidates, linkingRows, reachKeys: reachKeysOf(inventory.resources) };
}

/** Merges the facts of every batch (in batch order): the fleet's agent baseline and linking rows. */
export function mergeBatchFacts(all: Iterable<BatchFacts>): MergedFacts {
  const holders: AgentHolder[] = [];
  const linkingRows: DocumentRow[] = [];
  for (const facts of all) {
    for (const candidate of facts.agentCandidates)
      holders.push({
        kind: 'arc',
        agentless: false,
        name: candidate.name,
        properties: { agentVersion: candidate.agentVersion },
        resource: { origin: candidate.origin },
      });
    for (const row of facts.linkingRows) linkingRows.push(row);
  }
  const baseline = agentBaseline(holders);
  return { fleet: { newestAgentVersion: baseline.newest, warnings: baseline.warnings }, linkingRows };
}

/** Everything of a collected batch except its rows, stored beside them. */
export interface BatchSummary {
  facts: BatchFacts;
  gaps: CollectionGap[];
  stats: CollectionStats;
}

/** The summary blob of a batch whose rows are in `rowsBlobName`. */
export const factsBlobName = (rowsBlobName: string): string =>
  rowsBlobName.replace(/\.json$/, '') + '.facts.json';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isSummary(value: unknown): value is BatchSummary {
  if (!isObject(value) || !isObject(value.facts) || !Array.isArray(value.gaps) || !isObject(value.stats))
    return false;
  const { agentCandidates, linkingRows, reachKeys } = value.facts;
  return (
    (reachKeys === undefined ||
      (Array.isArray(reachKeys) && reachKeys.every((key) => typeof key === 'string'))) &&
    Array.isArray(agentCandidates) &&
    agentCandidates.every(
      (c) =>
        isObject(c) &&
        typeof c.name === 'string' &&
        typeof c.origin === 'string' &&
        typeof c.agentVersion === 'string',
    ) &&
    Array.isArray(linkingRows) &&
    linkingRows.every((row) => isObject(row) && typeof row.where === 'string' && 'value' in row)
  );
}

/**
 * A batch's summary: its own small blob, or — when that is missing or damaged (a batch stored
 * before summaries existed) — summarised again from its rows, which are then checked as any
 * batch's rows are. Never throws: an unusable batch is reported with the reason.
 */
export async function readBatchSummary(
  store: LargeValueStore,
  rowsBlobName: string,
  azureLocalHosts: ReadonlyMap<string, string>,
): Promise<{ ok: true; summary: BatchSummary } | { ok: false; reason: string; transient?: boolean }> {
  if (rowsBlobName !== '') {
    try {
      const value: unknown = JSON.parse(await store.get(factsBlobName(rowsBlobName)));
      if (isSummary(value))
        return { ok: true, summary: { ...value, stats: { ...emptyStats(), ...value.stats } } };
    } catch {
      // Missing or not JSON: summarise from the rows below.
    }
  }
  const read = await readBatchPayload(store, rowsBlobName);
  if (!read.ok) return read;
  const { rows, gaps, stats } = read.payload;
  const inventory = { ...mergeResources([rows]), gaps };
  return {
    ok: true,
    summary: {
      facts: summariseBatch(inventory, buildFleet(inventory, azureLocalHosts).clusters),
      gaps,
      stats,
    },
  };
}
