/** The benchmark's figures (written as JSON) and their rendering as Markdown tables. */
export interface PhaseFigure {
  path: 'floor' | 'cli' | 'fanout';
  name: string;
  ms: number;
  entities?: number;
  requests?: { graphMade: number; graphNeeded: number; throttled: number; armGets: number };
}

export interface ProcessPeak {
  role: string;
  peakRssMiB: number;
}

export interface BenchReport {
  generatedAt: string;
  clusters: number;
  resources: number;
  findings: number;
  subscriptions: number;
  workers: number;
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
  perClusterListing: { clusters: number; requests: number; ms: number };
  identity: { checked: boolean; identical?: boolean; fanout?: unknown; cli?: unknown };
  totalMs: number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const thousands = (n: number): string => n.toLocaleString('en-US');

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function floorOf(report: BenchReport, name: string): number {
  return report.phases.find((phase) => phase.path === 'floor' && phase.name.startsWith(name))?.ms ?? 0;
}

/** Sum of the three floors: fetch only + store only + write the outputs only. */
export function floorSum(report: BenchReport): number {
  return (
    floorOf(report, 'fetch only') + floorOf(report, 'store only') + floorOf(report, 'write outputs only')
  );
}

function phaseFloor(phase: PhaseFigure, report: BenchReport): number | undefined {
  if (phase.path === 'floor') return undefined;
  if (phase.name.startsWith('whole run')) return floorSum(report);
  if (phase.name === 'fetch') return floorOf(report, 'fetch only');
  if (phase.name.startsWith('store')) return floorOf(report, 'store only');
  return undefined;
}

export function peakOf(report: BenchReport, role: string): number | undefined {
  const peaks = report.peaks.filter((peak) => peak.role.startsWith(role)).map((peak) => peak.peakRssMiB);
  return peaks.length === 0 ? undefined : Math.max(...peaks);
}

/** Each target of the scaling work with its measured value, for one run. */
export function targets(
  report: BenchReport,
): Array<{ target: string; measured: string; met: boolean | undefined }> {
  const whole = (path: string): number | undefined =>
    report.phases.find((phase) => phase.path === path && phase.name.startsWith('whole run'))?.ms;
  const rows: Array<{ target: string; measured: string; met: boolean | undefined }> = [];
  const offline = peakOf(report, 'offline CLI');
  if (offline !== undefined)
    rows.push({ target: 'offline CLI peak RSS < 600 MiB', measured: `${offline} MiB`, met: offline < 600 });
  const cli = peakOf(report, 'CLI end-to-end');
  if (cli !== undefined)
    rows.push({ target: 'CLI end-to-end peak RSS < 1 GiB', measured: `${cli} MiB`, met: cli < 1024 });
  const worker = peakOf(report, 'Functions');
  if (worker !== undefined)
    rows.push({
      target: 'every Functions invocation < 1 GiB',
      measured: `${worker} MiB (largest process)`,
      met: worker < 1024,
    });
  for (const path of ['cli', 'fanout']) {
    const ms = whole(path);
    if (ms === undefined) continue;
    const ratio = ms / floorSum(report);
    rows.push({
      target: `${path === 'cli' ? 'CLI' : 'fan-out'} end-to-end ≤ 1.3 × sum of I/O floors`,
      measured: `${ratio.toFixed(2)}×`,
      met: ratio <= 1.3,
    });
  }
  if (report.identity.checked)
    rows.push({
      target: 'fan-out findings.json identical to the CLI scan',
      measured: report.identity.identical ? 'identical' : 'DIFFERENT',
      met: report.identity.identical === true,
    });
  return rows;
}

/** The Markdown for one run: phases with floors and ratios, requests, peak RSS per process, targets. */
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
      requests,
    ];
  });
  const peakRows = report.peaks.map((peak) => [peak.role, `${thousands(peak.peakRssMiB)} MiB`]);
  const targetRows = targets(report).map((row) => [row.target, row.measured, row.met ? 'met' : 'not met']);
  return [
    `### ${thousands(report.clusters)} clusters (${thousands(report.resources)} resources, ${thousands(report.findings)} findings, ${report.subscriptions} subscriptions)`,
    '',
    `Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}; ` +
      `load average before ${report.machine.loadBefore.join(' / ')}, after ${report.machine.loadAfter.join(' / ')}; ` +
      `${Math.round(report.throttleShare * 100)}% of Resource Graph responses throttled, quota 15 queries / 5 s; ` +
      `fan-out with ${report.workers} worker processes. Run ${report.generatedAt}.`,
    '',
    table(
      ['path', 'phase', 'time', 'I/O floor', 'ratio', 'Resource Graph requests made / needed; other'],
      phaseRows,
    ),
    '',
    table(['process', 'peak RSS'], peakRows),
    '',
    table(['target', 'measured', ''], targetRows),
    '',
    report.perClusterListing.clusters === 0
      ? 'Per-cluster listing comparison: not run.'
      : `Per-cluster listing of extensions and Flux configurations (what a loop over \`az k8s-extension list\` does), ` +
        `${thousands(report.perClusterListing.clusters)} clusters: **${thousands(report.perClusterListing.requests)} requests** ` +
        `(${seconds(report.perClusterListing.ms)} against the local fake).`,
    '',
  ].join('\n');
}
