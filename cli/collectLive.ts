import { createAzureClients, type AzureClients } from '../shared/collection/azureClients.js';
import { emptyStats, type CollectionStats } from '../shared/collection/collectionStats.js';
import { collectLiveInventory } from '../shared/collection/collectLiveInventory.js';
import { collectSingleCluster, validateClusterId } from '../shared/collection/collectSingleCluster.js';
import { liveScopeOf } from '../shared/collection/liveScope.js';
import { graphReadContext } from '../shared/collection/graphContext.js';
import type { Inventory } from '../shared/inventory/inventory.js';
import { ConfigurationError } from '../shared/config/configurationError.js';
import { parseLiveSettings, type LiveSettings } from '../shared/settings/liveSettings.js';
import type { ScanSettings } from '../shared/settings/scanSettings.js';
import { UsageError, type CommandIo } from './commandIo.js';
import type { ScanArguments } from './scanArguments.js';

export type ClientFactory = (settings: LiveSettings) => AzureClients;

/** Builds the live dependencies from the environment and collects the inventory the arguments ask for. */
export async function collectLive(
  args: ScanArguments,
  scanSettings: ScanSettings,
  io: CommandIo,
  env: Readonly<Record<string, string | undefined>>,
  createClients: ClientFactory = createAzureClients,
): Promise<{ inventory: Inventory; stats: CollectionStats }> {
  let settings: LiveSettings;
  let scope;
  try {
    settings = parseLiveSettings(env);
    scope = liveScopeOf(args.subscriptions, args.managementGroups);
  } catch (error) {
    if (error instanceof ConfigurationError || error instanceof RangeError)
      throw new UsageError(error.message);
    throw error;
  }
  const clients = createClients(settings);
  const stats = emptyStats();
  const graph = graphReadContext(clients, settings, stats);
  io.stderr(`Reading Azure through ${settings.armEndpoint}…\n`);
  if (args.cluster !== undefined) {
    let clusterId: string;
    try {
      clusterId = validateClusterId(args.cluster);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const inventory = await collectSingleCluster({
      clusterId,
      graph,
      arm: clients.arm,
      kubernetesConfiguration: clients.kubernetesConfiguration,
      scanSettings,
    });
    return { inventory, stats };
  }
  const inventory = await collectLiveInventory({
    scope,
    graph,
    arm: clients.arm,
    scanSettings,
    batchSize: settings.batchSize,
    graphConcurrency: settings.graphConcurrency,
    armConcurrency: settings.armConcurrency,
    onProgress: (message) => io.stderr(`${message}\n`),
  });
  return { inventory, stats };
}
