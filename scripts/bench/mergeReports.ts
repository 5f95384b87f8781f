import type { BenchInvocation, BenchReport } from './benchReport.js';

const phaseKey = (phase: { path: string; name: string }): string => `${phase.path} / ${phase.name}`;

/** The invocations a report's figures come from: those it lists, or itself alone. */
export function invocationsOf(report: BenchReport): BenchInvocation[] {
  return (
    report.measuredIn ?? [
      {
        generatedAt: report.generatedAt,
        loadBefore: report.machine.loadBefore,
        loadAfter: report.machine.loadAfter,
        phases: report.phases.map(phaseKey),
      },
    ]
  );
}

/** The invocations with the phases no later invocation measured again; those left with none are dropped. */
function stillMeasuredBy(
  invocations: BenchInvocation[],
  measuredAgain: ReadonlySet<string>,
): BenchInvocation[] {
  return invocations
    .map((run) => ({ ...run, phases: run.phases.filter((phase) => !measuredAgain.has(phase)) }))
    .filter((run) => run.phases.length > 0);
}

/**
 * The figures of two invocations of the benchmark on the same tenant as one report, for a run too
 * long to measure at once (say the floors and paths in one invocation, storing a run alone in
 * another): a phase, a process's peak, the fan-out invocations, the per-cluster listing and the
 * identity check measured by `later` replace those of `earlier`; everything else of `earlier` is
 * kept. The report lists the invocations whose phases it still holds, each with its time, load and
 * those phases. Throws when the two did not run the same tenant the same way.
 */
export function mergeReports(earlier: BenchReport, later: BenchReport): BenchReport {
  for (const field of ['clusters', 'resources', 'subscriptions', 'workers', 'throttleShare'] as const)
    if (earlier[field] !== later[field])
      throw new Error(
        `cannot merge benchmark runs with a different ${field}: ${earlier[field]} and ${later[field]}`,
      );
  for (const field of ['cpus', 'cpuModel', 'memoryGiB', 'node'] as const)
    if (earlier.machine[field] !== later.machine[field])
      throw new Error(
        `cannot merge benchmark runs of different machines (${field}: ${earlier.machine[field]} and ${later.machine[field]})`,
      );
  const measured = new Set(later.phases.map(phaseKey));
  const roles = new Set(later.peaks.map((peak) => peak.role));
  return {
    ...earlier,
    generatedAt: later.generatedAt,
    machine: { ...earlier.machine, loadAfter: later.machine.loadAfter },
    phases: [...earlier.phases.filter((phase) => !measured.has(phaseKey(phase))), ...later.phases],
    peaks: [...earlier.peaks.filter((peak) => !roles.has(peak.role)), ...later.peaks],
    ...(later.invocations && later.invocations.length > 0 ? { invocations: later.invocations } : {}),
    perClusterListing:
      later.perClusterListing.clusters > 0 ? later.perClusterListing : earlier.perClusterListing,
    identity: later.identity.checked ? later.identity : earlier.identity,
    totalMs: earlier.totalMs + later.totalMs,
    measuredIn: [...stillMeasuredBy(invocationsOf(earlier), measured), ...invocationsOf(later)],
  };
}
