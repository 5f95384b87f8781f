/**
 * Storage benchmark: stores a 100,000-finding run (10,000 synthetic clusters × 10 controls) in
 * Azurite (in memory, in a process of its own), then reads every finding back. Reports this
 * process's peak memory, without Azurite's.
 *   npm run bench:storage -- [--clusters 10000]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import { mergeResources } from '../shared/inventory/mergeResources.js';
import { evaluateInventory } from '../shared/scan/evaluateInventory.js';
import { newRunId } from '../shared/scan/runId.js';
import { DEFAULT_SETTINGS } from '../shared/settings/scanSettings.js';
import { createHistoryStore } from '../shared/storage/historyStore.js';
import { readRunFindings } from '../shared/storage/runQueries.js';
import { parseStorageSettings } from '../shared/storage/storageSettings.js';
import { storeRun } from '../shared/storage/storeRun.js';
import { syntheticFleet } from '../test/fakes/syntheticFleet.js';

const { values } = parseArgs({ options: { clusters: { type: 'string', default: '10000' } } });
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const azuriteProcess = spawn(process.execPath, ['dist/scripts/azuriteProcess.js'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [firstLine] = (await once(createInterface({ input: azuriteProcess.stdout }), 'line')) as [string];
const azurite = JSON.parse(firstLine) as { connectionString: string };
try {
  const fleet = syntheticFleet({ clusters: Number(values.clusters), subscriptions: 40 });
  const startedAt = new Date('2026-11-20T06:00:00Z');
  const result = evaluateInventory({
    inventory: mergeResources([
      fleet.resources.map((value, index) => ({ value, where: `synthetic[${index}]` })),
    ]),
    settings: DEFAULT_SETTINGS,
    runId: newRunId(startedAt),
    source: 'snapshot',
    startedAt,
  });
  const settings = parseStorageSettings({
    STORAGE_CONNECTION: azurite.connectionString,
    STORAGE_TABLE_PREFIX: 'bench',
  });
  if (!settings) throw new Error('no settings');
  const store = createHistoryStore(settings);
  await store.ensure();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const phases: string[] = [];
  const outcome = await storeRun({
    store,
    result,
    scopeKey: 'bench',
    concurrency: 8,
    onProgress: (message) => phases.push(`  ${((performance.now() - t0) / 1000).toFixed(1)} s  ${message}`),
  });
  const t1 = performance.now();
  let read = 0;
  for await (const finding of readRunFindings(store, result.run.id)) if (finding) read++;
  const t2 = performance.now();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const { counters } = outcome;
  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  process.stdout.write(
    [
      `Node ${process.version}; Azurite in memory, separate process; ${result.findings.length} findings, ${result.clusters.length} clusters`,
      `store run:      ${((t1 - t0) / 1000).toFixed(1)} s; ${counters.entities} entities (findings, clusters, scores, history) ` +
        `+ ${outcome.stateRowsChanged} state rows`,
      `  batched entities per second: ${Math.round(counters.entities / ((t1 - t0) / 1000))}`,
      `  transactions: ${counters.batches}; full 100-entity transactions: ${counters.fullBatches}; ` +
        `share of entities written in full batches: ${((counters.entitiesInFullBatches / Math.max(1, counters.entities)) * 100).toFixed(1)}%`,
      ...phases,
      `read back:      ${read} findings in ${((t2 - t1) / 1000).toFixed(1)} s (${Math.round(read / ((t2 - t1) / 1000))} per second)`,
      `RSS before storing: ${mib(rssBefore)}; peak RSS of this process: ${mib(peakRss)}`,
      '',
    ].join('\n'),
  );
} finally {
  azuriteProcess.kill('SIGTERM');
  await once(azuriteProcess, 'exit');
}
