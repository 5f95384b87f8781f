import { createAzureClients, type AzureClients } from '../shared/collection/azureClients.js';
import { mapWithConcurrency } from '../shared/collection/boundedConcurrency.js';
import { emptyStats, type CollectionStats } from '../shared/collection/collectionStats.js';
import {
  collectLiveInventory,
  readHostSecuritySettings,
  resolveSubscriptions,
} from '../shared/collection/collectLiveInventory.js';
import { collectSingleCluster, validateClusterId } from '../shared/collection/collectSingleCluster.js';
import { chunk, liveScopeOf, type LiveScope } from '../shared/collection/liveScope.js';
import { graphReadContext } from '../shared/collection/graphContext.js';
import { summariseBatch, mergeBatchFacts, type MergedFacts } from '../shared/fanout/batchFacts.js';
import type { HostSettingsReader } from '../shared/fanout/batchEvaluation.js';
import { buildFleet } from '../shared/inventory/buildFleet.js';
import { CollectedBatches } from '../shared/inventory/collectedBatches.js';
import type { CollectionGap, Inventory } from '../shared/inventory/inventory.js';
import { ConfigurationError } from '../shared/config/configurationError.js';
import { parseLiveSettings, type LiveSettings } from '../shared/settings/liveSettings.js';
import type { ScanSettings } from '../shared/settings/scanSettings.js';
import { UsageError, type CommandIo } from './commandIo.js';
import type { ScanArguments } from './scanArguments.js';

export type ClientFactory = (settings: LiveSettings) => AzureClients;

/** The live settings and scope of the arguments, validated before anything is read. */
function liveInputs(
  args: ScanArguments,
  env: Readonly<Record<string, string | undefined>>,
): { settings: LiveSettings; scope: LiveScope } {
  try {
    return {
      settings: parseLiveSettings(env),
      scope: liveScopeOf(args.subscriptions, args.managementGroups),
    };
  } catch (error) {
    if (error instanceof ConfigurationError || error instanceof RangeError)
      throw new UsageError(error.message);
    throw error;
  }
}

/** `--live --cluster ID`: the one cluster and what links to it, read into memory. */
export async function collectLiveCluster(
  args: ScanArguments & { cluster: string },
  scanSettings: ScanSettings,
  io: CommandIo,
  env: Readonly<Record<string, string | undefined>>,
  createClients: ClientFactory = createAzureClients,
): Promise<{ inventory: Inventory; stats: CollectionStats }> {
  const { settings } = liveInputs(args, env);
  let clusterId: string;
  try {
    clusterId = validateClusterId(args.cluster);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const clients = createClients(settings);
  const stats = emptyStats();
  io.stderr(`Reading Azure through ${settings.armEndpoint}…\n`);
  const inventory = await collectSingleCluster({
    clusterId,
    graph: graphReadContext(clients, settings, stats),
    arm: clients.arm,
    kubernetesConfiguration: clients.kubernetesConfiguration,
    scanSettings,
  });
  return { inventory, stats };
}

/** A live fleet read batch by batch: the rows on disk, what every batch needs of the others in memory. */
export interface CollectedFleet {
  /** Each batch's rows, in batch order; disposed of by the caller. */
  batches: CollectedBatches;
  /** The fleet's facts, merged from every batch's in batch order. */
  merged: MergedFacts;
  /** Clusters in the fleet. */
  clusters: number;
  /** Every read that failed, in batch order. */
  gaps: CollectionGap[];
  stats: CollectionStats;
  /** Reads the settings of Azure Local hosts linked from a batch that no batch holds. */
  readHosts: HostSettingsReader;
}

/**
 * Reads the fleet of the scope the way the fan-out does: its subscriptions resolved, then split into
 * batches of `RESOURCE_GRAPH_BATCH_SIZE` subscriptions, each read on its own (Resource Graph, then
 * Resource Manager for what Resource Graph does not index), written to disk and summarised before
 * it is released. `RESOURCE_GRAPH_CONCURRENCY` batches are read at a time.
 */
export async function collectLiveFleet(
  args: ScanArguments,
  scanSettings: ScanSettings,
  io: CommandIo,
  env: Readonly<Record<string, string | undefined>>,
  createClients: ClientFactory = createAzureClients,
): Promise<CollectedFleet> {
  const { settings, scope } = liveInputs(args, env);
  const clients = createClients(settings);
  const stats = emptyStats();
  const graph = graphReadContext(clients, settings, stats);
  io.stderr(`Reading Azure through ${settings.armEndpoint}…\n`);
  const subscriptions = await resolveSubscriptions({ scope, graph });
  const batchIds = chunk(subscriptions, settings.batchSize);
  io.stderr(`${subscriptions.length} subscription(s) in ${batchIds.length} batch(es)\n`);
  const batches = await CollectedBatches.create(batchIds.length);
  try {
    let read = 0;
    const summaries = await mapWithConcurrency(batchIds, settings.graphConcurrency, async (ids, index) => {
      const inventory = await collectLiveInventory({
        scope: { kind: 'subscriptions', subscriptionIds: ids },
        graph,
        arm: clients.arm,
        scanSettings,
        batchSize: ids.length || 1,
        graphConcurrency: 1,
        armConcurrency: settings.armConcurrency,
      });
      await batches.write(
        index,
        inventory.resources.map((resource) => ({ value: resource.raw, where: resource.origin })),
      );
      const clusters = buildFleet(inventory, scanSettings.azureLocalHosts).clusters;
      io.stderr(`Batches read: ${++read}/${batchIds.length}\n`);
      return { facts: summariseBatch(inventory, clusters), clusters: clusters.length, gaps: inventory.gaps };
    });
    // Reading a batch counts it as a run of its own: the run's figures are set once every batch is read.
    stats.subscriptions = subscriptions.length;
    stats.batches = batchIds.length;
    // Hosts linked across batches are read while the batches are judged, in a context of their own.
    const hostGraph = graphReadContext(clients, settings, stats);
    return {
      batches,
      merged: mergeBatchFacts(summaries.map((summary) => summary.facts)),
      clusters: summaries.reduce((sum, summary) => sum + summary.clusters, 0),
      gaps: summaries.flatMap((summary) => summary.gaps),
      stats,
      readHosts: (documents, runGaps) =>
        readHostSecuritySettings(documents, runGaps, {
          graph: hostGraph,
          arm: clients.arm,
          scanSettings,
          armConcurrency: settings.armConcurrency,
        }),
    };
  } catch (error) {
    await batches.dispose();
    throw error;
  }
}
