/** The benchmark's figures (written as JSON) and their rendering as Markdown tables. */
import { INVOCATION_KINDS, INVOCATION_ROLE_PREFIX } from './invocationKinds.js';
import type { PhaseLoad } from './loadSampler.js';

export interface PhaseFigure {
  path: 'floor' | 'cli' | 'fanout';
  name: string;
  ms: number;
  entities?: number;
  requests?: { graphMade: number; graphNeeded: number; throttled: number; armGets: number };
  /** Load averages (1, 5, 15 minutes) when the phase started and ended; absent in older results. */
  load?: PhaseLoad;
}

/**
 * One process's peak RSS. Roles: `offline CLI`, `CLI end-to-end`, `fetch only`, `store only`,
 * `store a run` (storing a stored run's entities, nothing else), `Functions invocation: KIND` (one
 * process per invocation), and the helpers (`azurite`, `fake Resource Manager`, `per-cluster listing`).
 */
export interface ProcessPeak {
  role: string;
  peakRssMiB: number;
  /** CPU time the process used, user + system, in seconds (absent in older results). */
  cpuSeconds?: number;
}

/** One Functions invocation of the fan-out run: its kind, how long it ran, whether it succeeded. */
export interface InvocationFigure {
  kind: string;
  ms: number;
  ok: boolean;
}

/** One invocation of the benchmark that a report's figures come from. */
export interface BenchInvocation {
  generatedAt: string;
  loadBefore: number[];
  loadAfter: number[];
  /** The phases it measured, `path / name`. */
  phases: string[];
}

export interface BenchReport {
  generatedAt: string;
  clusters: number;
  resources: number;
  findings: number;
  subscriptions: number;
  workers: number;
  /** The V8 old-space limit of each Functions invocation and of storing a run (absent in older results). */
  instanceOldSpaceMiB?: number;
  /** The V8 old-space limit of the CLI's processes, as its npm scripts set it (absent in older results). */
  cliOldSpaceMiB?: number;
  throttleShare: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    loadBefore: number[];
    loadAfter: number[];
  };
  phases: PhaseFigure[];
  peaks: ProcessPeak[];
  /** Absent in results written before each invocation ran in a process of its own. */
  invocations?: InvocationFigure[];
  perClusterListing: { clusters: number; requests: number; ms: number };
  identity: { checked: boolean; identical?: boolean; fanout?: unknown; cli?: unknown };
  totalMs: number;
  /** The invocations of the benchmark whose figures were merged into this report (`--merge`), oldest first. */
  measuredIn?: BenchInvocation[];
}

export interface TargetRow {
  target: string;
  measured: string;
  /** undefined: not measured in this run. */
  met: boolean | undefined;
}

const MIB_PER_GIB = 1024;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const thousands = (n: number): string => n.toLocaleString('en-US');
const loadText = (load: number[] | undefined): string => (load?.[0] === undefined ? '?' : String(load[0]));

export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

const FLOORS = ['fetch only', 'store only', 'write outputs only'] as const;

function floorPhase(report: BenchReport, name: string): PhaseFigure | undefined {
  return report.phases.find((phase) => phase.path === 'floor' && phase.name.startsWith(name));
}

export function floorOf(report: BenchReport, name: string): number {
  return floorPhase(report, name)?.ms ?? 0;
}

/** Sum of the three floors (fetch only + store only + write the outputs only); undefined unless all were measured. */
export function floorSum(report: BenchReport): number | undefined {
  const floors = FLOORS.map((name) => floorPhase(report, name));
  if (floors.some((floor) => floor === undefined)) return undefined;
  return floors.reduce((sum, floor) => sum + (floor?.ms ?? 0), 0);
}

function phaseFloor(phase: PhaseFigure, report: BenchReport): number | undefined {
  if (phase.path === 'floor') return undefined;
  if (phase.name.startsWith('whole run')) return floorSum(report);
  if (phase.name === 'fetch') return floorPhase(report, 'fetch only')?.ms;
  if (phase.name.startsWith('store')) return floorPhase(report, 'store only')?.ms;
  return undefined;
}

/** The whole-run phase of a path: `cli`, `fanout`, or the offline CLI (the write-outputs floor). */
export function wholeRun(report: BenchReport, path: 'cli' | 'fanout' | 'offline'): PhaseFigure | undefined {
  if (path === 'offline') return floorPhase(report, 'write outputs only');
  return report.phases.find((phase) => phase.path === path && phase.name.startsWith('whole run'));
}

export function peakOf(report: BenchReport, role: string): number | undefined {
  const peaks = report.peaks.filter((peak) => peak.role.startsWith(role)).map((peak) => peak.peakRssMiB);
  return peaks.length === 0 ? undefined : Math.max(...peaks);
}

/** The largest peak RSS of each kind of Functions invocation, in the order of a run. */
export function invocationPeaks(report: BenchReport): Array<{
  kind: string;
  invocations: number;
  peakRssMiB: number;
  longestMs: number | undefined;
  cpuSeconds: number | undefined;
}> {
  const byKind = new Map<string, { invocations: number; peakRssMiB: number }>();
  for (const peak of report.peaks) {
    if (!peak.role.startsWith(INVOCATION_ROLE_PREFIX)) continue;
    const kind = peak.role.slice(INVOCATION_ROLE_PREFIX.length);
    const seen = byKind.get(kind) ?? { invocations: 0, peakRssMiB: 0 };
    byKind.set(kind, {
      invocations: seen.invocations + 1,
      peakRssMiB: Math.max(seen.peakRssMiB, peak.peakRssMiB),
    });
  }
  const order = (kind: string): number => {
    const index = (INVOCATION_KINDS as readonly string[]).indexOf(kind);
    return index === -1 ? INVOCATION_KINDS.length : index;
  };
  const longest = (kind: string): number | undefined => {
    const times = (report.invocations ?? []).filter((run) => run.kind === kind).map((run) => run.ms);
    return times.length === 0 ? undefined : Math.max(...times);
  };
  return [...byKind]
    .map(([kind, figure]) => ({
      kind,
      ...figure,
      longestMs: longest(kind),
      cpuSeconds: cpuOf(report, `${INVOCATION_ROLE_PREFIX}${kind}`),
    }))
    .sort((a, b) => order(a.kind) - order(b.kind) || a.kind.localeCompare(b.kind));
}

const cpuText = (cpuSeconds: number | undefined): string =>
  cpuSeconds === undefined ? '' : seconds(cpuSeconds * 1000);

/**
 * Processes of the run with their peak RSS and CPU time; Functions invocations as the largest peak
 * of each kind, with the CPU time of all invocations of that kind.
 */
export function peakRows(report: BenchReport): string[][] {
  const rows = report.peaks
    .filter((peak) => !peak.role.startsWith(INVOCATION_ROLE_PREFIX))
    .map((peak) => [peak.role, `${thousands(peak.peakRssMiB)} MiB`, cpuText(peak.cpuSeconds)]);
  for (const kind of invocationPeaks(report))
    rows.push([
      `${INVOCATION_ROLE_PREFIX}${kind.kind} (largest of ${thousands(kind.invocations)}${kind.longestMs === undefined ? '' : `; longest ran ${seconds(kind.longestMs)}`})`,
      `${thousands(kind.peakRssMiB)} MiB`,
      kind.cpuSeconds === undefined ? '' : `${cpuText(kind.cpuSeconds)} (all ${thousands(kind.invocations)})`,
    ]);
  return rows;
}

/** CPU time of the processes whose role starts with `role`, summed; undefined when none recorded it. */
export function cpuOf(report: BenchReport, role: string): number | undefined {
  const times = report.peaks.filter((peak) => peak.role.startsWith(role)).map((peak) => peak.cpuSeconds);
  if (times.length === 0 || times.some((time) => time === undefined)) return undefined;
  return times.reduce<number>((sum, time) => sum + (time ?? 0), 0);
}

const NOT_MEASURED = 'not measured';

function peakTarget(report: BenchReport, role: string, target: string, limitMiB: number): TargetRow {
  const peak = peakOf(report, role);
  return peak === undefined
    ? { target, measured: NOT_MEASURED, met: undefined }
    : { target, measured: `${thousands(peak)} MiB`, met: peak < limitMiB };
}

function functionsTarget(report: BenchReport): TargetRow {
  const target = 'every Functions invocation < 1 GiB';
  const kinds = invocationPeaks(report);
  if (kinds.length > 0) {
    const largest = kinds.reduce((a, b) => (b.peakRssMiB > a.peakRssMiB ? b : a));
    return {
      target,
      measured: `${thousands(largest.peakRssMiB)} MiB (${largest.kind}; largest of ${thousands(kinds.reduce((sum, kind) => sum + kind.invocations, 0))} invocations)`,
      met: kinds.every((kind) => kind.peakRssMiB < MIB_PER_GIB),
    };
  }
  // Results written before each invocation ran in a process of its own: worker processes mixed them.
  const legacy = peakOf(report, 'Functions');
  return legacy === undefined
    ? { target, measured: NOT_MEASURED, met: undefined }
    : { target, measured: `${thousands(legacy)} MiB (largest worker process)`, met: legacy < MIB_PER_GIB };
}

function floorsTarget(report: BenchReport, path: 'cli' | 'fanout'): TargetRow {
  const target = `${path === 'cli' ? 'CLI' : 'fan-out'} end-to-end ≤ 1.3 × sum of the I/O floors`;
  const run = wholeRun(report, path);
  const floors = floorSum(report);
  if (!run || floors === undefined || floors === 0) return { target, measured: NOT_MEASURED, met: undefined };
  const ratio = run.ms / floors;
  const floorLoads = FLOORS.map((name) => floorPhase(report, name)?.load?.before[0]).filter(
    (value): value is number => value !== undefined,
  );
  const loads =
    run.load && floorLoads.length > 0
      ? `; load ${Math.min(...floorLoads)}–${Math.max(...floorLoads)} on the floors, ${loadText(run.load.before)} → ${loadText(run.load.after)} on the run`
      : '';
  return {
    target,
    measured: `${ratio.toFixed(2)}× (${seconds(run.ms)} / ${seconds(floors)}${loads})`,
    met: ratio <= 1.3,
  };
}

function identityTarget(report: BenchReport): TargetRow {
  const target = "fan-out findings.json identical to the CLI's (checked up to 20,000 clusters)";
  if (!report.identity.checked) return { target, measured: 'not checked', met: undefined };
  return {
    target,
    measured: report.identity.identical ? 'identical' : 'DIFFERENT',
    met: report.identity.identical === true,
  };
}

/** Each target of one run with its measured value; the targets across runs are in {@link scalingTargets}. */
export function targets(report: BenchReport): TargetRow[] {
  return [
    peakTarget(report, 'offline CLI', 'offline CLI peak RSS < 600 MiB', 600),
    peakTarget(report, 'CLI end-to-end', 'CLI end-to-end peak RSS < 1 GiB', MIB_PER_GIB),
    functionsTarget(report),
    peakTarget(report, 'store a run', 'storing a run peak RSS < 300 MiB', 300),
    floorsTarget(report, 'cli'),
    floorsTarget(report, 'fanout'),
    identityTarget(report),
  ];
}

export const SCALING_FROM = 10_000;
export const SCALING_TO = 50_000;

/** The targets measured across runs: 10,000 → 50,000 clusters. */
export function scalingTargets(reports: BenchReport[]): TargetRow[] {
  const from = reports.find((report) => report.clusters === SCALING_FROM);
  const to = reports.find((report) => report.clusters === SCALING_TO);
  const span = `${thousands(SCALING_FROM)} → ${thousands(SCALING_TO)} clusters`;
  const rows: TargetRow[] = [];
  const offlineTarget = `offline CLI peak RSS flat within 20% from ${thousands(SCALING_FROM)} to ${thousands(SCALING_TO)} clusters`;
  const [offlineFrom, offlineTo] = [from && peakOf(from, 'offline CLI'), to && peakOf(to, 'offline CLI')];
  rows.push(
    offlineFrom === undefined || offlineTo === undefined
      ? { target: offlineTarget, measured: NOT_MEASURED, met: undefined }
      : {
          target: offlineTarget,
          measured: `${thousands(offlineFrom)} → ${thousands(offlineTo)} MiB (${signedPercent(offlineTo / offlineFrom - 1)})`,
          met: offlineTo <= offlineFrom * 1.2,
        },
  );
  const paths = [
    ['offline', 'offline CLI'],
    ['cli', 'CLI end-to-end'],
    ['fanout', 'fan-out'],
  ] as const;
  for (const [path, label] of paths) {
    const target = `${label}: ${span} within 5.5× the time`;
    const [a, b] = [from && wholeRun(from, path), to && wholeRun(to, path)];
    rows.push(
      !a || !b
        ? { target, measured: NOT_MEASURED, met: undefined }
        : {
            target,
            measured: `${(b.ms / a.ms).toFixed(2)}× (${seconds(a.ms)} → ${seconds(b.ms)})`,
            met: b.ms / a.ms <= 5.5,
          },
    );
  }
  return rows;
}

/**
 * How the I/O floors themselves grow from 10,000 to 50,000 clusters, each and summed: a path's time
 * cannot grow less than the floors it is bounded by, so its scaling target is read against these.
 */
export function floorScaling(reports: BenchReport[]): string[][] {
  const from = reports.find((report) => report.clusters === SCALING_FROM);
  const to = reports.find((report) => report.clusters === SCALING_TO);
  if (!from || !to) return [];
  const row = (label: string, a: number | undefined, b: number | undefined): string[] =>
    a && b
      ? [label, seconds(a), seconds(b), `${(b / a).toFixed(2)}×`]
      : [label, NOT_MEASURED, NOT_MEASURED, ''];
  return [
    ...FLOORS.map((name) => row(name, floorPhase(from, name)?.ms, floorPhase(to, name)?.ms)),
    row('sum of the floors', floorSum(from), floorSum(to)),
  ];
}

/**
 * How the CPU time of each process grows from 10,000 to 50,000 clusters. Wall time mixes a process's
 * own work with waiting for the others (and for the machine); CPU time is the process's own work, so
 * this shows which process grows faster than the tenant. Rows with no figure at either size are left out.
 */
export function cpuScaling(reports: BenchReport[]): string[][] {
  const from = reports.find((report) => report.clusters === SCALING_FROM);
  const to = reports.find((report) => report.clusters === SCALING_TO);
  if (!from || !to) return [];
  const roles: Array<[label: string, role: string]> = [
    ['offline CLI', 'offline CLI'],
    ['CLI end-to-end', 'CLI end-to-end'],
    ['Functions invocations (all of the fan-out run)', INVOCATION_ROLE_PREFIX],
    ['fetch only', 'fetch only'],
    ['store only', 'store only'],
    ['azurite (every phase that stores)', 'azurite'],
    ['fake Resource Manager (every phase that reads)', 'fake Resource Manager'],
  ];
  return roles.flatMap(([label, role]) => {
    const [a, b] = [cpuOf(from, role), cpuOf(to, role)];
    return a && b ? [[label, cpuText(a), cpuText(b), `${(b / a).toFixed(2)}×`]] : [];
  });
}

const signedPercent = (fraction: number): string =>
  `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(0)}%`;

export function targetTable(rows: TargetRow[]): string {
  return table(
    ['target', 'measured', ''],
    rows.map((row) => [row.target, row.measured, row.met === undefined ? '—' : row.met ? 'met' : 'not met']),
  );
}

/** The Markdown for one run: phases with floors, ratios and load, requests, peak RSS per process, targets. */
export function renderReport(report: BenchReport): string {
  const phaseRows = report.phases.map((phase) => {
    const floor = phaseFloor(phase, report);
    const requests = phase.requests
      ? `${thousands(phase.requests.graphMade)} / ${thousands(phase.requests.graphNeeded)} (${thousands(phase.requests.throttled)} throttled); ${thousands(phase.requests.armGets)} ARM GETs`
      : phase.entities
        ? `${thousands(phase.entities)} entities`
        : '';
    return [
      phase.path,
      phase.name,
      seconds(phase.ms),
      floor ? seconds(floor) : '',
      floor ? `${(phase.ms / floor).toFixed(2)}×` : '',
      phase.load ? `${loadText(phase.load.before)} → ${loadText(phase.load.after)}` : '',
      requests,
    ];
  });
  return [
    `### ${thousands(report.clusters)} clusters (${thousands(report.resources)} resources, ${thousands(report.findings)} findings, ${report.subscriptions} subscriptions)`,
    '',
    `Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}; ` +
      `load average before ${report.machine.loadBefore.join(' / ')}, after ${report.machine.loadAfter.join(' / ')}; ` +
      `${Math.round(report.throttleShare * 100)}% of Resource Graph responses throttled, quota 15 queries / 5 s; ` +
      `fan-out with ${report.workers} worker processes` +
      (report.instanceOldSpaceMiB
        ? `, each Functions invocation (and storing a run alone) with a ${report.instanceOldSpaceMiB} MiB V8 old space, as on a 2,048 MB instance`
        : '') +
      (report.cliOldSpaceMiB
        ? `; the CLI with a ${report.cliOldSpaceMiB} MiB V8 old space, as its npm scripts set it`
        : '') +
      `. Run ${report.generatedAt}.`,
    ...(report.measuredIn && report.measuredIn.length > 1
      ? [
          '',
          `Measured in ${report.measuredIn.length} invocations of the benchmark on the same tenant:`,
          ...report.measuredIn.map(
            (run) =>
              `- ${run.generatedAt} (load ${loadText(run.loadBefore)} → ${loadText(run.loadAfter)}): ${run.phases.join('; ')}`,
          ),
        ]
      : []),
    '',
    table(
      [
        'path',
        'phase',
        'time',
        'I/O floor',
        'ratio',
        'load (1 min) before → after',
        'Resource Graph requests made / needed; other',
      ],
      phaseRows,
    ),
    '',
    table(['process', 'peak RSS', 'CPU time (user + system)'], peakRows(report)),
    '',
    targetTable(targets(report)),
    '',
    report.perClusterListing.clusters === 0
      ? 'Per-cluster listing comparison: not run.'
      : `Per-cluster listing of extensions and Flux configurations (what a loop over \`az k8s-extension list\` does), ` +
        `${thousands(report.perClusterListing.clusters)} clusters: **${thousands(report.perClusterListing.requests)} requests** ` +
        `(${seconds(report.perClusterListing.ms)} against the local fake).`,
    '',
  ].join('\n');
}
