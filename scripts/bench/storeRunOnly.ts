/**
 * Storing a run, alone: a synthetic run of N clusters (ten findings each, shaped like the synthetic
 * tenant's) made part by part into a spool file — never whole in memory — stored twice into Azurite
 * with `storeRun`: a first run, then a next run with some verdicts changed (so the second is
 * compared with the first, finding by finding). Prints one JSON line per stored run and one with
 * the process's peak RSS, which must stay nearly flat whatever N.
 *   node dist/scripts/bench/storeRunOnly.js --clusters N [--subscriptions S]
 * Uses STORAGE_CONNECTION when set, otherwise starts Azurite in a process of its own
 * (dist/scripts/azuriteProcess.js), so the emulator's memory is not counted, and stops it at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import type { Status } from '../../shared/catalog/types.js';
import type { ScanFinding } from '../../shared/governance/records.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { emptyCounts } from '../../shared/runCalculations/summarise.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import { newRunId } from '../../shared/scan/runId.js';
import { PartSpool } from '../../shared/scan/partSpool.js';
import type { RunSource } from '../../shared/scan/runSource.js';
import type { ClusterRow, RunMetadata } from '../../shared/scan/scanResult.js';
import { DEFAULT_SETTINGS } from '../../shared/settings/scanSettings.js';
import { createHistoryStore, type HistoryStore } from '../../shared/storage/historyStore.js';
import { parseStorageSettings } from '../../shared/storage/storageSettings.js';
import { storeRun } from '../../shared/storage/storeRun.js';
import { syntheticFleet } from '../../test/fakes/syntheticFleet.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '2000' },
    subscriptions: { type: 'string' },
  },
});
const clusterCount = Number(values.clusters);
const subscriptionCount = Number(values.subscriptions ?? Math.max(1, Math.ceil(clusterCount / 100)));
const CLUSTERS_PER_PART = 500;
/** Clusters made and appended at a time: small, so making the run adds little to the peak measured. */
const CLUSTERS_PER_APPEND = 50;
const FIRST_AS_OF = new Date('2026-11-19T06:00:00Z');
const NEXT_AS_OF = new Date('2026-11-20T06:00:00Z');

/** Azurite in a child process (its connection string is its first line), unless one is given. */
async function storageConnection(): Promise<{ connectionString: string; child?: ChildProcess }> {
  if (process.env.STORAGE_CONNECTION) return { connectionString: process.env.STORAGE_CONNECTION };
  const child = spawn(process.execPath, ['dist/scripts/azuriteProcess.js'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    lines.close();
    return { connectionString: (JSON.parse(line) as { connectionString: string }).connectionString, child };
  }
  throw new Error('Azurite ended without printing its connection string');
}

// Templates: the findings and cluster rows of a small synthetic tenant, ten findings per cluster.
const template = syntheticFleet({ clusters: 50, subscriptions: 5 });
const sample = evaluateInventory({
  inventory: mergeResources([template.resources.map((value, index) => ({ value, where: `t[${index}]` }))]),
  settings: DEFAULT_SETTINGS,
  runId: 'template',
  source: 'snapshot',
  startedAt: FIRST_AS_OF,
});
const templateFindings = new Map<string, ScanFinding[]>();
for (const finding of sample.findings) {
  const list = templateFindings.get(finding.clusterId.toLowerCase());
  if (list) list.push(finding);
  else templateFindings.set(finding.clusterId.toLowerCase(), [finding]);
}
const templates = sample.clusters.map((cluster) => ({
  cluster,
  findings: templateFindings.get(cluster.id.toLowerCase()) ?? [],
}));

/** The next run turns some verdicts around: every 7th FAIL passes, every 11th PASS fails. */
function statusIn(next: boolean, status: Status, index: number): Status {
  if (!next) return status;
  if (status === 'FAIL' && index % 7 === 0) return 'PASS';
  if (status === 'PASS' && index % 11 === 0) return 'FAIL';
  return status;
}

/** Cluster `index` of the synthetic run: a template cluster under an ID of its own. */
function clusterAt(index: number, next: boolean): { cluster: ClusterRow; findings: ScanFinding[] } {
  const base = templates[index % templates.length] ?? templates[0];
  if (!base) throw new Error('no template clusters');
  const subscriptionId = `5b000000-0000-4000-8000-${String(index % subscriptionCount).padStart(12, '0')}`;
  const resourceGroup = `site-${index % 23}`;
  const name = `${base.cluster.name}-${index}`;
  const id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
  return {
    cluster: { ...base.cluster, id, name, subscriptionId, resourceGroup },
    findings: base.findings.map((finding, control) => ({
      ...finding,
      clusterId: id,
      clusterName: name,
      subscriptionId,
      resourceGroup,
      status: statusIn(next, finding.status, index * 10 + control),
    })),
  };
}

/**
 * The synthetic run in a spool file, as a scan leaves it for publishing: made and appended 50
 * clusters at a time, read back part by part by storeRun.
 */
async function syntheticRun(asOf: Date, next: boolean): Promise<{ source: RunSource; spool: PartSpool }> {
  const spool = await PartSpool.create({ clustersPerPart: CLUSTERS_PER_PART });
  const counts = emptyCounts();
  for (let first = 0; first < clusterCount; first += CLUSTERS_PER_APPEND) {
    const clusters: ClusterRow[] = [];
    const findings: ScanFinding[] = [];
    for (let index = first; index < Math.min(clusterCount, first + CLUSTERS_PER_APPEND); index++) {
      const entry = clusterAt(index, next);
      clusters.push(entry.cluster);
      for (const finding of entry.findings) {
        findings.push(finding);
        counts[finding.status]++;
      }
    }
    await spool.append({ clusters, findings });
  }
  await spool.close();
  const run: RunMetadata = {
    ...sample.run,
    id: newRunId(asOf),
    startedAt: asOf.toISOString(),
    finishedAt: asOf.toISOString(),
    asOf: asOf.toISOString(),
    clusterCount,
    counts,
  };
  return { source: { run, parts: () => spool.parts() }, spool };
}

const peakRssMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
/**
 * Stores one synthetic run and returns its figures. A function of its own, so that nothing of a
 * run's outcome (its changes, its first-seen times) is still referenced while the next is stored:
 * a loop variable of the module's top level stays alive until overwritten, and would add one run's
 * outcome to the peak measured while storing the next.
 */
async function storeOnce(
  store: HistoryStore,
  name: string,
  asOf: Date,
  next: boolean,
): Promise<Record<string, unknown>> {
  const { source, spool } = await syntheticRun(asOf, next);
  try {
    const started = performance.now();
    const outcome = await storeRun({
      store,
      source,
      scopeKey: 'bench:store-run',
      onProgress: (message) =>
        process.stderr.write(
          `${((performance.now() - started) / 1000).toFixed(1)} s, ${Math.round(process.memoryUsage().rss / 1048576)} MiB: ${message}\n`,
        ),
    });
    return {
      run: name,
      clusters: clusterCount,
      subscriptions: subscriptionCount,
      findings: outcome.record.findingsWritten,
      status: outcome.record.status,
      changes: outcome.record.changeCounts,
      stateRowsChanged: outcome.stateRowsChanged,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      peakRssMiB: peakRssMiB(),
    };
  } finally {
    await spool.dispose();
  }
}

const { connectionString, child } = await storageConnection();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    child?.kill('SIGTERM');
    process.exit(1);
  });
try {
  const settings = parseStorageSettings({
    STORAGE_CONNECTION: connectionString,
    STORAGE_TABLE_PREFIX: `storerun${Date.now().toString(36)}`,
  });
  if (!settings) throw new Error('no storage settings');
  const store = createHistoryStore(settings);
  await store.ensure();
  for (const [name, asOf, next] of [
    ['first run', FIRST_AS_OF, false],
    ['next run', NEXT_AS_OF, true],
  ] as const)
    process.stdout.write(`${JSON.stringify(await storeOnce(store, name, asOf, next))}\n`);
  process.stdout.write(`${JSON.stringify({ clusters: clusterCount, peakRssMiB: peakRssMiB() })}\n`);
} finally {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
