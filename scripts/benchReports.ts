/**
 * Report benchmark: writes report.xlsx and report.html for a synthetic run of N clusters (10
 * findings each, realistic evidence, one finding in ten MANUAL, some excepted) whose parts are
 * generated afresh every time the run is read, so that nothing but the report writers holds it.
 * Reports wall time, file sizes, and peak RSS (sampled every 20 ms, and the process's maxRSS) over
 * the baseline taken just before the reports.
 *   node --expose-gc dist/scripts/benchReports.js [--clusters N] [--keep DIR]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { CONTROLS } from '../shared/catalog/controls.js';
import { benchmarksOf } from '../shared/catalog/frameworkIndex.js';
import type { ClusterKind, Status } from '../shared/catalog/types.js';
import type { ScanFinding } from '../shared/governance/records.js';
import { writeReports } from '../shared/reports/writeReports.js';
import { CLUSTERS_PER_PART, type RunPart, type RunSource } from '../shared/scan/runSource.js';
import type { ClusterRow, RunMetadata } from '../shared/scan/scanResult.js';
import { DEFAULT_SETTINGS } from '../shared/settings/scanSettings.js';

const { values } = parseArgs({
  options: { clusters: { type: 'string', default: '20000' }, keep: { type: 'string' } },
});
const clusterCount = Number(values.clusters);
if (!Number.isInteger(clusterCount) || clusterCount < 1)
  throw new RangeError('--clusters takes a whole number ≥ 1');
const KINDS: readonly ClusterKind[] = ['arc', 'aks-arc', 'aks'];
const VERDICTS: readonly Status[] = [
  'PASS',
  'PASS',
  'FAIL',
  'MANUAL',
  'PASS',
  'FAIL',
  'NOT_APPLICABLE',
  'PASS',
  'ERROR',
  'PASS',
];
const BENCHMARKS = new Map(CONTROLS.map((control) => [control.id, benchmarksOf(control.id)]));
const STARTED = '2026-11-20T06:00:00.000Z';

function clusterRow(i: number): ClusterRow {
  const kind = KINDS[i % KINDS.length] as ClusterKind;
  const subscriptionId = `5e0c${String(i % 400).padStart(4, '0')}-0e14-451d-b793-41f4cb2fd39c`;
  const resourceGroup = `rg-site-${String(i % 250).padStart(3, '0')}`;
  const provider =
    kind === 'aks' ? 'Microsoft.ContainerService/managedClusters' : 'Microsoft.Kubernetes/connectedClusters';
  // Names in an order other than the run's, as an inventory gives them.
  const name = `site-${String((i * 7919) % clusterCount).padStart(6, '0')}-${kind}`;
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${provider}/${name}`,
    name,
    kind,
    subscriptionId,
    resourceGroup,
    location: i % 2 === 0 ? 'westeurope' : 'eastus2',
    distribution: kind === 'aks' ? 'aks' : 'k3s',
    kubernetesVersion: '1.31.4',
    connectivityStatus: kind === 'aks' ? '' : 'Connected',
    agentVersion: kind === 'aks' ? '' : '1.21.10',
    lastConnectivityTime: kind === 'aks' ? '' : '2026-11-20T05:58:00Z',
    extensionCount: 5,
    fluxConfigurationCount: 1,
    azureLocalClusterId: '',
  };
}

function finding(cluster: ClusterRow, index: number, control: number): ScanFinding {
  const definition = CONTROLS[control] as (typeof CONTROLS)[number];
  const status = VERDICTS[(index + control) % VERDICTS.length] as Status;
  const extension = `${cluster.id}/providers/Microsoft.KubernetesConfiguration/extensions/ext-${control}`;
  return {
    clusterId: cluster.id,
    clusterName: cluster.name,
    clusterKind: cluster.kind,
    subscriptionId: cluster.subscriptionId,
    resourceGroup: cluster.resourceGroup,
    controlId: definition.id,
    controlTitle: definition.title,
    controlVersion: definition.version,
    severity: definition.severity,
    status,
    reason: `${definition.title}: ${status === 'PASS' ? 'satisfied by' : 'not satisfied by'} the extension ext-${control} (provisioning state ${status === 'PASS' ? 'Succeeded' : 'Failed'}).`,
    evidence: {
      checks: [
        {
          source: extension,
          path: 'properties.provisioningState',
          observed: status === 'PASS' ? 'Succeeded' : 'Failed',
          expected: 'Succeeded',
        },
        {
          source: cluster.id,
          path: 'properties.connectivityStatus',
          observed: 'Connected',
          expected: 'Connected',
        },
      ],
      sourceIds: [cluster.id, extension],
      stale: false,
      inferred: status === 'MANUAL',
      ...(status === 'MANUAL' ? { verification: 'Inspect the cluster and record the outcome.' } : {}),
    },
    benchmarks: BENCHMARKS.get(definition.id) ?? [],
    ...(status === 'FAIL' && index % 50 === 0
      ? { effectiveStatus: 'EXCEPTED' as const, governance: { exceptionId: `EX-${control}` } }
      : {}),
  };
}

function part(first: number): RunPart {
  const clusters: ClusterRow[] = [];
  const findings: ScanFinding[] = [];
  for (let i = first; i < Math.min(clusterCount, first + CLUSTERS_PER_PART); i++) {
    const cluster = clusterRow(i);
    clusters.push(cluster);
    for (let control = 0; control < CONTROLS.length; control++) findings.push(finding(cluster, i, control));
  }
  return { clusters, findings };
}

const counts = { PASS: 0, FAIL: 0, MANUAL: 0, NOT_APPLICABLE: 0, ERROR: 0 };
for (let i = 0; i < clusterCount; i++)
  for (let control = 0; control < CONTROLS.length; control++)
    counts[VERDICTS[(i + control) % VERDICTS.length] as Status]++;
const run: RunMetadata = {
  id: '20261120T060000Z-0bench00',
  startedAt: STARTED,
  finishedAt: '2026-11-20T06:04:00.000Z',
  asOf: STARTED,
  source: 'resource-graph',
  complete: true,
  clusterCount,
  counts,
  score: counts.PASS / (counts.PASS + counts.FAIL + counts.MANUAL + counts.ERROR),
  inventoryWarnings: [],
  notRead: [],
  inventory: { resources: clusterCount * 6, duplicates: 0, ignoredByType: {} },
  thresholds: DEFAULT_SETTINGS.thresholds,
};
/** The run, generated part by part on every read. */
const source: RunSource = {
  run,
  parts: async function* () {
    for (let first = 0; first < clusterCount; first += CLUSTERS_PER_PART) yield part(first);
  },
};

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const folder = values.keep ?? (await mkdtemp(join(tmpdir(), 'bench-reports-')));
try {
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  const written = await writeReports(folder, {
    source,
    findingsJsonSha256: '0'.repeat(64),
    changes: undefined,
    trend: [{ runId: run.id, asOf: run.asOf, score: run.score, counts: run.counts }],
    generatedAt: new Date(STARTED),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify(
      {
        clusters: clusterCount,
        findings: clusterCount * CONTROLS.length,
        seconds: Number(seconds.toFixed(1)),
        workbook: mib((await stat(written.workbook)).size),
        html: mib((await stat(written.html)).size),
        baselineRss: mib(baseline),
        peakRss: mib(peak),
        overBaseline: mib(peak - baseline),
        processMaxRss: mib(maxRss),
        maxRssOverBaseline: mib(maxRss - baseline),
      },
      null,
      2,
    ),
  );
} finally {
  if (!values.keep) await rm(folder, { recursive: true, force: true });
}
