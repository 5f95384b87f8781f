/**
 * Workbook benchmark: synthesises a ScanResult of 10,000 clusters × 10 controls (100,000 findings
 * with realistic evidence; about a third of the clusters changed since the previous run), writes
 * report.xlsx with the streaming writer to a temporary folder, and reports wall time, file size and
 * peak memory (RSS sampled every 20 ms, and the process's maxRSS, both over the whole process).
 *   node dist/scripts/benchWorkbook.js [--clusters N]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { CONTROLS } from '../shared/catalog/controls.js';
import { benchmarksOf } from '../shared/catalog/frameworkIndex.js';
import type { ClusterKind, Evidence, Finding, Status } from '../shared/catalog/types.js';
import { complianceScore, countStatuses } from '../shared/runCalculations/summarise.js';
import { computeRunChanges } from '../shared/runCalculations/runChanges.js';
import type { ReportInput } from '../shared/reports/reportInput.js';
import { writeWorkbook } from '../shared/reports/writeWorkbook.js';
import type { ClusterRow, ScanResult } from '../shared/scan/scanResult.js';
import { DEFAULT_SETTINGS } from '../shared/settings/scanSettings.js';

const { values } = parseArgs({ options: { clusters: { type: 'string', default: '10000' } } });
const clusterCount = Number(values.clusters);
const NOW = new Date('2026-11-20T06:00:00Z');
type Day = 'previous' | 'current';
const KINDS: readonly ClusterKind[] = ['arc', 'aks-arc', 'aks'];
/** Shared per control, as the engine shares them (evaluateFleet). */
const BENCHMARKS = new Map(CONTROLS.map((control) => [control.id, benchmarksOf(control.id)]));
const VERDICTS: readonly Status[] = [
  'PASS',
  'PASS',
  'PASS',
  'FAIL',
  'MANUAL',
  'PASS',
  'FAIL',
  'NOT_APPLICABLE',
  'PASS',
  'ERROR',
];

function clusterRow(i: number): ClusterRow {
  const kind = KINDS[i % KINDS.length] as ClusterKind;
  const subscriptionId = `5e0c${String(i % 400).padStart(4, '0')}-0e14-551d-b793-41f4cb2fd39c`;
  const resourceGroup = `rg-site-${String(i % 250).padStart(3, '0')}`;
  const provider =
    kind === 'aks' ? 'Microsoft.ContainerService/managedClusters' : 'Microsoft.Kubernetes/connectedClusters';
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${provider}/site-${String(i).padStart(5, '0')}-${kind}`,
    name: `site-${String(i).padStart(5, '0')}-${kind}`,
    kind,
    subscriptionId,
    resourceGroup,
    location: i % 2 === 0 ? 'westeurope' : 'eastus2',
    distribution: kind === 'aks' ? 'aks' : 'k3s',
    kubernetesVersion: '1.31.4',
    connectivityStatus: kind === 'aks' ? '' : i % 17 === 0 ? 'Offline' : 'Connected',
    agentVersion: kind === 'aks' ? '' : `1.${29 + (i % 3)}.2`,
    lastConnectivityTime: kind === 'aks' ? '' : new Date(NOW.getTime() - (i % 40) * 3_600_000).toISOString(),
    extensionCount: 5,
    fluxConfigurationCount: 1,
    azureLocalClusterId: '',
  };
}

function evidenceFor(cluster: ClusterRow, control: number, status: Status, stale: boolean): Evidence {
  const extension = `${cluster.id}/providers/Microsoft.KubernetesConfiguration/extensions/ext-${control}`;
  const checks = [
    {
      source: extension,
      path: 'properties.extensionType',
      observed: 'microsoft.azure.secretstore',
      expected: 'microsoft.azure.secretstore',
    },
    {
      source: extension,
      path: 'properties.provisioningState',
      observed: status === 'FAIL' ? 'Failed' : 'Succeeded',
      expected: 'Succeeded',
    },
    {
      source: cluster.id,
      path: 'properties.configurationSettings.rotationPollIntervalInSeconds',
      observed: control % 2 === 0 ? null : 3600,
      expected: '≤ 3600',
    },
  ].slice(0, 1 + (control % 3));
  return {
    checks,
    sourceIds: [cluster.id, extension],
    stale,
    staleSince: stale ? cluster.lastConnectivityTime : null,
    inferred: control === 4 && cluster.kind === 'aks-arc',
    ...(status === 'MANUAL'
      ? { verification: 'Check the API server EncryptionConfiguration for a kms provider.' }
      : {}),
    ...(control === 6
      ? { notes: ['Azure Container Storage extension acstor (provisioning state Succeeded) is present'] }
      : {}),
  };
}

function statusOf(cluster: number, control: number, day: Day): Status {
  const shift = day === 'previous' && cluster % 3 === 0 ? 1 : 0;
  return VERDICTS[(cluster + control + shift) % VERDICTS.length] as Status;
}

function reasonOf(cluster: ClusterRow, control: number, status: Status): string {
  const offline =
    cluster.connectivityStatus === 'Offline' ? `; offline since ${cluster.lastConnectivityTime}` : '';
  const state = status === 'FAIL' ? 'Failed' : 'Succeeded';
  return `${CONTROLS[control]?.title}: the extension ext-${control} of ${cluster.name} reports provisioning state ${state}${offline}.`;
}

/** The previous run as stored history gives it back: the compared fields only, produced lazily. */
function* previousFindings(): Generator<
  Parameters<typeof computeRunChanges>[1]['findings'] extends Iterable<infer T> ? T : never
> {
  for (let i = 0; i < clusterCount; i++) {
    const cluster = clusterRow(i);
    for (const [c, control] of CONTROLS.entries()) {
      const status = statusOf(i, c, 'previous');
      yield {
        clusterId: cluster.id,
        clusterName: cluster.name,
        clusterKind: cluster.kind,
        subscriptionId: cluster.subscriptionId,
        controlId: control.id,
        controlTitle: control.title,
        severity: control.severity,
        status,
        reason: reasonOf(cluster, c, status),
      };
    }
  }
}

function synthesise(): ScanResult {
  const clusters: ClusterRow[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < clusterCount; i++) {
    const cluster = clusterRow(i);
    clusters.push(cluster);
    const stale = cluster.connectivityStatus === 'Offline';
    CONTROLS.forEach((control, c) => {
      const status = statusOf(i, c, 'current');
      findings.push({
        clusterId: cluster.id,
        clusterName: cluster.name,
        clusterKind: cluster.kind,
        subscriptionId: cluster.subscriptionId,
        resourceGroup: cluster.resourceGroup,
        controlId: control.id,
        controlTitle: control.title,
        controlVersion: control.version,
        severity: control.severity,
        status,
        reason: reasonOf(cluster, c, status),
        evidence: evidenceFor(cluster, c, status, stale),
        benchmarks: BENCHMARKS.get(control.id) ?? [],
      });
    });
  }
  const counts = countStatuses(findings);
  return {
    run: {
      id: 'bench-current',
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      asOf: NOW.toISOString(),
      source: 'resource-graph',
      complete: true,
      clusterCount,
      counts,
      score: complianceScore(counts),
      inventoryWarnings: [],
      notRead: [],
      inventory: { resources: clusterCount * 7, duplicates: 0, ignoredByType: {} },
      thresholds: DEFAULT_SETTINGS.thresholds,
    },
    clusters,
    findings,
  };
}

/**
 * A full garbage collection without command-line flags, so the synthesis's garbage is not counted
 * against the writer (the measured phase starts from the input's live data only).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

const result = synthesise();
const changes = computeRunChanges(
  { runId: 'bench-previous', findings: previousFindings() },
  { runId: result.run.id, findings: result.findings },
);
const previousCounts = countStatuses(previousFindings());
const input: ReportInput = {
  result,
  findingsJsonSha256: '0'.repeat(64),
  changes,
  trend: [
    {
      runId: 'bench-previous',
      asOf: new Date(NOW.getTime() - 86_400_000).toISOString(),
      score: complianceScore(previousCounts),
      counts: previousCounts,
    },
    { runId: result.run.id, asOf: result.run.asOf, score: result.run.score, counts: result.run.counts },
  ],
  generatedAt: NOW,
};
collectGarbage();
const baselineRss = process.memoryUsage().rss;
const baselineHeap = process.memoryUsage().heapUsed;
const directory = await mkdtemp(join(tmpdir(), 'bench-workbook-'));
const file = join(directory, 'report.xlsx');
const started = performance.now();
const written = await writeWorkbook(file, input);
const elapsed = performance.now() - started;
const bytes = (await stat(file)).size;
await rm(directory, { recursive: true, force: true });
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const maxRss = process.resourceUsage().maxRSS * 1024;

process.stdout.write(
  [
    `Node ${process.version}, ${clusterCount} clusters × ${CONTROLS.length} controls = ${result.findings.length} findings`,
    `  changes vs previous:    ${changes.newlyFailing.length} newly failing, ${changes.resolved.length} resolved, ${changes.stillFailing.length} still failing, ${changes.otherChanges.length} other`,
    `  sheets:                 ${written.sheets.length} (${written.sheets.join(', ')})`,
    `  rows written:           ${written.rows}`,
    `  write report.xlsx:      ${(elapsed / 1000).toFixed(2)} s`,
    `  file size:              ${(bytes / 1024 / 1024).toFixed(1)} MiB`,
    `  before writing:         RSS ${mib(baselineRss)}, live heap ${mib(baselineHeap)} (the input, after a full GC)`,
    `  peak RSS (20 ms sample): ${mib(peakRss)}`,
    `  maxRSS (resourceUsage): ${mib(maxRss)}`,
    '',
  ].join('\n'),
);
