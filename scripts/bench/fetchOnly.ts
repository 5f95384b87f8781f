/**
 * The fetch floor of the benchmark: reads the tenant through Resource Graph and Resource Manager
 * exactly as a live scan does (same settings from the environment), and does nothing with it.
 * Prints the collection counters as one JSON line.
 */
import { createAzureClients } from '../../shared/collection/azureClients.js';
import { emptyStats } from '../../shared/collection/collectionStats.js';
import { collectLiveInventory } from '../../shared/collection/collectLiveInventory.js';
import { graphReadContext } from '../../shared/collection/graphContext.js';
import { parseLiveSettings } from '../../shared/settings/liveSettings.js';
import { DEFAULT_SETTINGS } from '../../shared/settings/scanSettings.js';

const settings = parseLiveSettings(process.env);
const clients = createAzureClients(settings);
const stats = emptyStats();
const started = performance.now();
const inventory = await collectLiveInventory({
  scope: { kind: 'tenant' },
  graph: graphReadContext(clients, settings, stats),
  arm: clients.arm,
  scanSettings: DEFAULT_SETTINGS,
  batchSize: settings.batchSize,
  graphConcurrency: settings.graphConcurrency,
  armConcurrency: settings.armConcurrency,
});
process.stdout.write(
  `${JSON.stringify({ ms: performance.now() - started, resources: inventory.resources.length, stats })}\n`,
);
