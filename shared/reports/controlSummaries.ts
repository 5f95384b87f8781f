import { CONTROLS } from '../catalog/controls.js';
import { CLUSTER_KINDS, type ClusterKind, type Severity, type StatusCounts } from '../catalog/types.js';
import { emptyCounts } from '../runCalculations/summarise.js';
import type { RunPart } from '../scan/runSource.js';
import type { PartAccumulator } from './partAccumulator.js';
import { CountsByKey, scoreOrNull } from './statusBreakdown.js';

export interface ControlRollup {
  controlId: string;
  title: string;
  severity: Severity;
  counts: StatusCounts;
  score: number | null;
}

export interface KindRollup {
  kind: ClusterKind;
  clusters: number;
  counts: StatusCounts;
  score: number | null;
}

/** Counts and score for every catalog control, in catalog order (controls without findings too). */
export class ControlRollups implements PartAccumulator<ControlRollup[]> {
  private readonly byControl = new CountsByKey();

  add(part: RunPart): void {
    for (const finding of part.findings) this.byControl.add(finding.controlId, finding.status);
  }

  result(): ControlRollup[] {
    return CONTROLS.map((control) => {
      const counts = this.byControl.counts.get(control.id) ?? emptyCounts();
      return {
        controlId: control.id,
        title: control.title,
        severity: control.severity,
        counts,
        score: scoreOrNull(counts),
      };
    });
  }
}

/**
 * Counts and score per cluster kind, for every kind. The clusters of each kind are counted by the
 * per-cluster rollups, which see every cluster once, and given to `result`.
 */
export class KindRollups implements PartAccumulator<KindRollup[]> {
  private readonly byKind = new CountsByKey();

  add(part: RunPart): void {
    for (const finding of part.findings) this.byKind.add(finding.clusterKind, finding.status);
  }

  result(clustersByKind: ReadonlyMap<ClusterKind, number> = new Map()): KindRollup[] {
    return CLUSTER_KINDS.map((kind) => {
      const counts = this.byKind.counts.get(kind) ?? emptyCounts();
      return { kind, clusters: clustersByKind.get(kind) ?? 0, counts, score: scoreOrNull(counts) };
    });
  }
}

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

/** Controls with the most FAIL first, then ERROR, then severity, then ID. */
export function rankControlsByFailures(rollups: readonly ControlRollup[]): ControlRollup[] {
  return [...rollups].sort(
    (a, b) =>
      b.counts.FAIL - a.counts.FAIL ||
      b.counts.ERROR - a.counts.ERROR ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.controlId.localeCompare(b.controlId),
  );
}
