/**
 * The store floor of the benchmark: writes as many Table entities as a stored run of N clusters
 * holds (one finding per cluster and control, one cluster row, one history row per cluster and one
 * current-state row per finding), shaped like the real ones, in 100-entity transactions with the
 * same concurrency — and computes nothing. Prints one JSON line.
 *   node dist/scripts/bench/storeOnly.js --clusters N   (reads STORAGE_CONNECTION)
 */
import { parseArgs } from 'node:util';

import type { TableEntity } from '@azure/data-tables';

import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import { DEFAULT_SETTINGS } from '../../shared/settings/scanSettings.js';
import { emptyWriteCounters, upsertInBatches } from '../../shared/storage/batchWriter.js';
import { stateKeys } from '../../shared/storage/clusterState.js';
import { toFindingEntity } from '../../shared/storage/findingEntity.js';
import { historyKeys } from '../../shared/storage/historyKeys.js';
import { createHistoryStore } from '../../shared/storage/historyStore.js';
import { parseStorageSettings } from '../../shared/storage/storageSettings.js';
import { encodeKey } from '../../shared/storage/tableKeys.js';
import { syntheticFleet } from '../../test/fakes/syntheticFleet.js';

type Entity = TableEntity<Record<string, unknown>>;
const { values } = parseArgs({ options: { clusters: { type: 'string', default: '1000' } } });
const clusters = Number(values.clusters);
const settings = parseStorageSettings({ ...process.env, STORAGE_TABLE_PREFIX: 'floor' });
if (!settings) throw new Error('STORAGE_CONNECTION is not set');
const store = createHistoryStore(settings);
await store.ensure();

// Templates: the real entities of a small tenant of the same synthetic kind.
const template = syntheticFleet({ clusters: 50, subscriptions: 5 });
const sample = evaluateInventory({
  inventory: mergeResources([template.resources.map((value, index) => ({ value, where: `t[${index}]` }))]),
  settings: DEFAULT_SETTINGS,
  runId: 'floor',
  source: 'snapshot',
  startedAt: new Date('2026-11-20T06:00:00Z'),
});
const findingTemplates = await Promise.all(
  sample.findings.map((finding) => toFindingEntity('floor', finding, store.largeValues)),
);
const clusterTemplates = sample.clusters;

const counters = emptyWriteCounters();
const started = performance.now();
const WINDOW = 200;
for (let first = 0; first < clusters; first += WINDOW) {
  const findings: Entity[] = [];
  const others: Array<{ table: 'clusters' | 'history' | 'state'; entity: Entity }> = [];
  for (let i = first; i < Math.min(clusters, first + WINDOW); i++) {
    const id = `/subscriptions/floor-${Math.floor(i / 100)}/resourceGroups/g/providers/x/clusters/c${i}`;
    const cluster = clusterTemplates[i % clusterTemplates.length];
    others.push({
      table: 'clusters',
      entity: { ...cluster, partitionKey: 'floor', rowKey: encodeKey(id), id },
    });
    others.push({
      table: 'history',
      entity: { ...historyKeys(id, '2026-11-20T06:00:00Z', 'floor'), clusterId: id },
    });
    for (let c = 0; c < 10; c++) {
      const base = findingTemplates[(i % 50) * 10 + c] ?? findingTemplates[c];
      findings.push({
        ...base,
        partitionKey: String(base?.partitionKey),
        rowKey: encodeKey(id),
        clusterId: id,
      });
      others.push({
        table: 'state',
        entity: { ...stateKeys(id, `DS-${c}`), lastSeenRunId: 'floor', status: String(base?.status) },
      });
    }
  }
  await upsertInBatches(store.tables.findings, findings, counters, 4);
  for (const table of ['clusters', 'history', 'state'] as const)
    await upsertInBatches(
      store.tables[table],
      others.filter((entry) => entry.table === table).map((entry) => entry.entity),
      counters,
      4,
    );
}
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, entities: counters.entities })}\n`);
