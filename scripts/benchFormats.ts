/**
 * Interchange-format benchmark: streams a synthetic run of N findings (10 controls per cluster,
 * realistic evidence, some clusters under governance) through the OSCAL and the OCSF writers, one
 * format at a time, from a run source whose parts are generated as they are read, so that nothing
 * but the writers holds the run. Reports, per format, wall time, file size and peak RSS (sampled
 * every 20 ms) over the process baseline.
 *   node dist/scripts/benchFormats.js [--findings N] [--keep DIR]
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

import { CONTROLS } from '../shared/catalog/controls.js';
import { benchmarksOf } from '../shared/catalog/frameworkIndex.js';
import type { ClusterKind, Finding, Status } from '../shared/catalog/types.js';
import { writeFormatOutputs } from '../shared/formats/writeFormatOutputs.js';
import type { OutputFormat } from '../shared/formats/outputFormats.js';
import { CLUSTERS_PER_PART, type RunPart, type RunSource } from '../shared/scan/runSource.js';
import type { ClusterRow, RunMetadata } from '../shared/scan/scanResult.js';
import { DEFAULT_SETTINGS } from '../shared/settings/scanSettings.js';

const { values } = parseArgs({
  options: { findings: { type: 'string', default: '100000' }, keep: { type: 'string' } },
});
const findingCount = Number(values.findings);
if (!Number.isInteger(findingCount) || findingCount < 10)
  throw new RangeError('--findings takes a whole number ≥ 10');
const clusterCount = Math.ceil(findingCount / CONTROLS.length);
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
const RUN_ID = '20261120T060000Z-0bench00';
const STARTED = '2026-11-20T06:00:00.000Z';
const FINISHED = '2026-11-20T06:04:00.000Z';

function clusterRow(i: number): ClusterRow {
  const kind = KINDS[i % KINDS.length] as ClusterKind;
  const subscriptionId = `5e0c${String(i % 400).padStart(4, '0')}-0e14-451d-b793-41f4cb2fd39c`;
  const resourceGroup = `rg-site-${String(i % 250).padStart(3, '0')}`;
  const provider =
    kind === 'aks' ? 'Microsoft.ContainerService/managedClusters' : 'Microsoft.Kubernetes/connectedClusters';
  const name = `site-${String(i).padStart(6, '0')}-${kind}`;
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

function finding(cluster: ClusterRow, index: number, control: number): Finding {
  const definition = CONTROLS[control] as (typeof CONTROLS)[number];
  const status = VERDICTS[(index + control) % VERDICTS.length] as Status;
  const extension = `${cluster.id}/providers/Microsoft.KubernetesConfiguration/extensions/ext-${control}`;
  const governed =
    status === 'FAIL' && index % 50 === 0
      ? {
          effectiveStatus: 'EXCEPTED',
          governance: {
            exceptionId: `EX-${control}`,
            owner: 'Platform team',
            justification: 'Migration planned.',
            expires: '2027-06-30T00:00:00Z',
          },
        }
      : {};
  return {
    clusterId: cluster.id,
    clusterName: cluster.name,
    clusterKind: cluster.kind,
    subscriptionId: cluster.subscriptionId,
    resourceGroup: cluster.resourceGroup,
    controlId: definition.id,
    controlTitle: definition.title,
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
    },
    benchmarks: BENCHMARKS.get(definition.id) ?? [],
    ...governed,
  } as Finding;
}

function runMetadata(): RunMetadata {
  return {
    id: RUN_ID,
    startedAt: STARTED,
    finishedAt: FINISHED,
    asOf: STARTED,
    source: 'resource-graph',
    complete: true,
    clusterCount,
    counts: { PASS: 0, FAIL: 0, MANUAL: 0, NOT_APPLICABLE: 0, ERROR: 0 },
    score: 0.5,
    inventoryWarnings: [],
    notRead: [],
    inventory: { resources: clusterCount * 6, duplicates: 0, ignoredByType: {} },
    thresholds: DEFAULT_SETTINGS.thresholds,
  };
}

/** The synthetic run as a source: each part's clusters and findings are generated when read. */
const source: RunSource = {
  run: runMetadata(),
  parts: async function* (): AsyncGenerator<RunPart> {
    let written = 0;
    for (let first = 0; first < clusterCount; first += CLUSTERS_PER_PART) {
      const clusters: ClusterRow[] = [];
      const findings: Finding[] = [];
      for (let i = first; i < Math.min(clusterCount, first + CLUSTERS_PER_PART); i++) {
        const cluster = clusterRow(i);
        clusters.push(cluster);
        for (let control = 0; control < CONTROLS.length && written < findingCount; control++, written++)
          findings.push(finding(cluster, i, control));
      }
      yield { clusters, findings };
    }
  },
};

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function measure(format: OutputFormat, folder: string): Promise<Record<string, unknown>> {
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  const [path] = await writeFormatOutputs(folder, source, [format]);
  if (!path) throw new Error('no file written');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  const size = (await stat(path)).size;
  return {
    format,
    file: basename(path),
    findings: findingCount,
    seconds: Number(seconds.toFixed(2)),
    findingsPerSecond: Math.round(findingCount / seconds),
    bytes: size,
    size: mib(size),
    baselineRss: mib(baseline),
    peakRss: mib(peak),
    overBaseline: mib(peak - baseline),
  };
}

const folder = values.keep ?? (await mkdtemp(join(tmpdir(), 'bench-formats-')));
await mkdir(folder, { recursive: true });
try {
  const results = [];
  for (const format of ['oscal', 'ocsf'] as const) results.push(await measure(format, folder));
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify(
      { findings: findingCount, clusters: clusterCount, results, processMaxRss: mib(maxRss) },
      null,
      2,
    ),
  );
} finally {
  if (!values.keep) await rm(folder, { recursive: true, force: true });
}
