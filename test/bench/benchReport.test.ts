import { describe, expect, it } from 'vitest';

import {
  cpuOf,
  cpuScaling,
  floorScaling,
  invocationPeaks,
  peakRows,
  renderReport,
  scalingTargets,
  targets,
  type BenchReport,
  type PhaseFigure,
} from '../../scripts/bench/benchReport.js';
import { mergeReports } from '../../scripts/bench/mergeReports.js';

const load = { before: [2, 1, 1], after: [3, 1, 1] };

function report(clusters: number, overrides: Partial<BenchReport> = {}): BenchReport {
  const phases: PhaseFigure[] = [
    { path: 'floor', name: 'fetch only', ms: 10_000, load },
    { path: 'floor', name: 'store only', ms: 20_000, load },
    { path: 'floor', name: 'write outputs only (offline CLI: read file, evaluate, write)', ms: 10_000, load },
    { path: 'fanout', name: 'whole run (10 batches, 3 workers, stored complete)', ms: 30_000, load },
    { path: 'cli', name: 'whole run', ms: 60_000, load },
  ];
  return {
    generatedAt: '2026-12-02T00:00:00.000Z',
    clusters,
    resources: clusters * 9,
    findings: clusters * 10,
    subscriptions: clusters / 100,
    workers: 3,
    throttleShare: 0.3,
    machine: {
      cpus: 2,
      cpuModel: 'x',
      memoryGiB: 8,
      node: 'v22',
      loadBefore: [1, 1, 1],
      loadAfter: [1, 1, 1],
    },
    phases,
    peaks: [
      { role: 'offline CLI', peakRssMiB: 500 },
      { role: 'CLI end-to-end', peakRssMiB: 900 },
      { role: 'Functions invocation: batch read', peakRssMiB: 150 },
      { role: 'Functions invocation: finalisation and publishing', peakRssMiB: 1100 },
      { role: 'Functions invocation: batch read', peakRssMiB: 170 },
      { role: 'Functions invocation: scan start', peakRssMiB: 140 },
    ],
    invocations: [
      { kind: 'batch read', ms: 4000, ok: true },
      { kind: 'batch read', ms: 9000, ok: true },
    ],
    perClusterListing: { clusters: 0, requests: 0, ms: 0 },
    identity: { checked: true, identical: true },
    totalMs: 1,
    ...overrides,
  };
}

const row = (rows: ReturnType<typeof targets>, start: string) => rows.find((r) => r.target.startsWith(start));

describe('benchmark report', () => {
  it('gives the largest peak of each kind of Functions invocation, in the order of a run', () => {
    expect(invocationPeaks(report(2000))).toEqual([
      { kind: 'scan start', invocations: 1, peakRssMiB: 140, longestMs: undefined },
      { kind: 'batch read', invocations: 2, peakRssMiB: 170, longestMs: 9000 },
      { kind: 'finalisation and publishing', invocations: 1, peakRssMiB: 1100, longestMs: undefined },
    ]);
    expect(peakRows(report(2000)).map(([role]) => role)).toEqual([
      'offline CLI',
      'CLI end-to-end',
      'Functions invocation: scan start (largest of 1)',
      'Functions invocation: batch read (largest of 2; longest ran 9.0 s)',
      'Functions invocation: finalisation and publishing (largest of 1)',
    ]);
  });

  it('lists every target of a run, each measured or marked not measured', () => {
    const rows = targets(report(2000));
    expect(rows.map((r) => r.met)).toEqual([true, true, false, undefined, false, true, true]);
    expect(row(rows, 'every Functions invocation')?.measured).toMatch(
      /^1,100 MiB \(finalisation and publishing/,
    );
    expect(row(rows, 'storing a run')?.measured).toBe('not measured');
    expect(row(rows, 'CLI end-to-end ≤ 1.3')?.measured).toMatch(
      /^1\.50× .*load 2–2 on the floors, 2 → 3 on the run/,
    );
  });

  it('takes the peak of the "store a run" process for the storage target', () => {
    const stored = report(2000, {
      peaks: [...report(2000).peaks, { role: 'store a run', peakRssMiB: 280 }],
    });
    expect(row(targets(stored), 'storing a run')).toEqual({
      target: 'storing a run peak RSS < 300 MiB',
      measured: '280 MiB',
      met: true,
    });
  });

  it('marks the floor ratios not measured when a floor is missing, and reads older results', () => {
    const legacy = report(10_000, {
      phases: report(10_000).phases.filter((phase) => phase.name !== 'store only'),
      peaks: [{ role: 'Functions worker 3', peakRssMiB: 985 }],
      invocations: undefined,
      identity: { checked: false },
    });
    const rows = targets(legacy);
    expect(row(rows, 'CLI end-to-end ≤ 1.3')?.met).toBeUndefined();
    expect(row(rows, 'every Functions invocation')?.measured).toBe('985 MiB (largest worker process)');
    expect(row(rows, 'fan-out findings.json')?.measured).toBe('not checked');
    expect(renderReport(legacy)).toContain('| Functions worker 3 | 985 MiB |');
  });

  it('judges flat memory and time across 10,000 → 50,000 clusters', () => {
    const small = report(10_000);
    const large = report(50_000, {
      peaks: [{ role: 'offline CLI', peakRssMiB: 590 }],
      phases: report(50_000).phases.map((phase) => ({
        ...phase,
        ms: phase.ms * (phase.path === 'cli' ? 6 : 5),
      })),
    });
    const rows = scalingTargets([small, large]);
    expect(rows.map((r) => [r.measured.split(' (')[0], r.met])).toEqual([
      ['500 → 590 MiB', true],
      ['5.00×', true],
      ['6.00×', false],
      ['5.00×', true],
    ]);
    expect(scalingTargets([small]).every((r) => r.met === undefined)).toBe(true);
  });
});

describe('benchmark runs measured in pieces', () => {
  const storeRunOnly = (overrides: Partial<BenchReport> = {}): BenchReport =>
    report(50_000, {
      generatedAt: '2026-12-03T00:00:00.000Z',
      machine: { ...report(1).machine, loadBefore: [2, 2, 2], loadAfter: [3, 3, 3] },
      phases: [{ path: 'floor', name: 'store a run (storeRun, from a spool)', ms: 5000, load }],
      peaks: [
        { role: 'store a run', peakRssMiB: 280 },
        { role: 'azurite', peakRssMiB: 4000 },
      ],
      invocations: [],
      identity: { checked: false },
      totalMs: 7,
      ...overrides,
    });

  it('keeps what the earlier run measured, adds what the later one did, and lists both runs', () => {
    const earlier = report(50_000, {
      peaks: [...report(50_000).peaks, { role: 'azurite', peakRssMiB: 6000 }],
    });
    const merged = mergeReports(earlier, storeRunOnly());
    expect(merged.phases.map((phase) => phase.name)).toEqual([
      ...earlier.phases.map((phase) => phase.name),
      'store a run (storeRun, from a spool)',
    ]);
    expect(merged.peaks.filter((peak) => peak.role === 'azurite')).toEqual([
      { role: 'azurite', peakRssMiB: 4000 },
    ]);
    expect(merged.peaks.filter((peak) => peak.role === 'Functions invocation: batch read')).toHaveLength(2);
    expect(merged.invocations).toEqual(earlier.invocations);
    expect(merged.identity).toEqual(earlier.identity);
    expect(merged.totalMs).toBe(8);
    expect(merged.machine.loadBefore).toEqual(earlier.machine.loadBefore);
    expect(merged.machine.loadAfter).toEqual([3, 3, 3]);
    expect(merged.measuredIn?.map((run) => run.generatedAt)).toEqual([
      earlier.generatedAt,
      '2026-12-03T00:00:00.000Z',
    ]);
    expect(merged.measuredIn?.[1]?.phases).toEqual(['floor / store a run (storeRun, from a spool)']);
    expect(row(targets(earlier), 'storing a run')?.met).toBeUndefined();
    expect(row(targets(merged), 'storing a run')).toMatchObject({ measured: '280 MiB', met: true });
    expect(renderReport(merged)).toContain('Measured in 2 invocations of the benchmark on the same tenant');
  });

  it('replaces a phase and the peaks of a process measured again, without duplicates, however often merged', () => {
    const again = storeRunOnly({
      phases: [{ path: 'cli', name: 'whole run', ms: 1234, load }],
      peaks: [{ role: 'CLI end-to-end', peakRssMiB: 700 }],
      invocations: [{ kind: 'batch read', ms: 1, ok: true }],
      identity: { checked: true, identical: false },
    });
    const once = mergeReports(report(50_000), again);
    const twice = mergeReports(once, again);
    for (const merged of [once, twice]) {
      expect(merged.phases.filter((phase) => phase.path === 'cli')).toEqual([again.phases[0]]);
      expect(merged.peaks.filter((peak) => peak.role === 'CLI end-to-end')).toEqual([again.peaks[0]]);
      expect(merged.invocations).toEqual(again.invocations);
      expect(merged.identity).toEqual(again.identity);
    }
    expect(twice.phases).toHaveLength(once.phases.length);
    // The second merge measured nothing the first had not: the first merge's invocation is gone.
    expect(twice.measuredIn?.map((run) => run.phases)).toEqual([
      report(50_000)
        .phases.filter((phase) => phase.path !== 'cli')
        .map((phase) => `${phase.path} / ${phase.name}`),
      ['cli / whole run'],
    ]);
  });

  it('refuses to merge runs of another tenant, another fan-out or another machine', () => {
    expect(() => mergeReports(report(10_000), storeRunOnly())).toThrow(/different clusters/);
    expect(() => mergeReports(report(50_000), storeRunOnly({ workers: 4 }))).toThrow(/different workers/);
    expect(() => mergeReports(report(50_000), storeRunOnly({ throttleShare: 0 }))).toThrow(/throttleShare/);
    expect(() =>
      mergeReports(report(50_000), storeRunOnly({ machine: { ...report(1).machine, node: 'v20' } })),
    ).toThrow(/different machines/);
  });
});

describe('how the floors scale', () => {
  it('gives each floor and their sum at 10,000 and 50,000 clusters with its growth', () => {
    const small = report(10_000);
    const large = report(50_000, {
      phases: small.phases.map((phase) => ({
        ...phase,
        ms: phase.ms * (phase.name === 'store only' ? 9 : 5),
      })),
    });
    expect(floorScaling([large, small])).toEqual([
      ['fetch only', '10.0 s', '50.0 s', '5.00×'],
      ['store only', '20.0 s', '180.0 s', '9.00×'],
      ['write outputs only', '10.0 s', '50.0 s', '5.00×'],
      ['sum of the floors', '40.0 s', '280.0 s', '7.00×'],
    ]);
    const noStore = report(50_000, { phases: small.phases.filter((phase) => phase.name !== 'store only') });
    expect(floorScaling([small, noStore])[1]).toEqual(['store only', 'not measured', 'not measured', '']);
    expect(floorScaling([small])).toEqual([]);
  });
});

describe('CPU time per process', () => {
  const withCpu = (clusters: number, factor: number): BenchReport =>
    report(clusters, {
      peaks: [
        { role: 'offline CLI', peakRssMiB: 500, cpuSeconds: 10 * factor },
        { role: 'CLI end-to-end', peakRssMiB: 900, cpuSeconds: 30 * factor },
        { role: 'Functions invocation: batch read', peakRssMiB: 150, cpuSeconds: 2 * factor },
        { role: 'Functions invocation: batch read', peakRssMiB: 170, cpuSeconds: 3 * factor },
        {
          role: 'Functions invocation: finalisation and publishing',
          peakRssMiB: 400,
          cpuSeconds: 5 * factor,
        },
        { role: 'azurite', peakRssMiB: 4000, cpuSeconds: clusters / 100 },
      ],
    });

  it('sums the CPU time of the processes of a role, and has none when a process did not record it', () => {
    expect(cpuOf(withCpu(10_000, 1), 'Functions invocation: ')).toBe(10);
    expect(cpuOf(withCpu(10_000, 1), 'Functions invocation: batch read')).toBe(5);
    expect(cpuOf(withCpu(10_000, 1), 'fetch only')).toBeUndefined();
    expect(cpuOf(report(10_000), 'offline CLI')).toBeUndefined();
  });

  it('shows it beside the peak, per process and for all invocations of a kind', () => {
    const rows = peakRows(withCpu(10_000, 1));
    expect(rows).toContainEqual(['CLI end-to-end', '900 MiB', '30.0 s']);
    expect(rows).toContainEqual([
      'Functions invocation: batch read (largest of 2; longest ran 9.0 s)',
      '170 MiB',
      '5.0 s (all 2)',
    ]);
    expect(peakRows(report(10_000))).toContainEqual(['offline CLI', '500 MiB', '']);
  });

  it('gives how each process grows from 10,000 to 50,000 clusters, leaving out what is missing at either size', () => {
    const rows = cpuScaling([withCpu(50_000, 5), withCpu(10_000, 1)]);
    expect(rows).toEqual([
      ['offline CLI', '10.0 s', '50.0 s', '5.00×'],
      ['CLI end-to-end', '30.0 s', '150.0 s', '5.00×'],
      ['Functions invocations (all of the fan-out run)', '10.0 s', '50.0 s', '5.00×'],
      ['azurite (every phase that stores)', '100.0 s', '500.0 s', '5.00×'],
    ]);
    const quadratic = withCpu(50_000, 25);
    expect(cpuScaling([withCpu(10_000, 1), quadratic])[0]).toEqual([
      'offline CLI',
      '10.0 s',
      '250.0 s',
      '25.00×',
    ]);
    expect(cpuScaling([withCpu(10_000, 1), report(50_000)])).toEqual([]);
    expect(cpuScaling([withCpu(10_000, 1)])).toEqual([]);
  });
});
