import { CONTROLS } from '../catalog/controls.js';
import {
  CLUSTER_KINDS,
  type ClusterKind,
  type Finding,
  type Severity,
  type StatusCounts,
} from '../catalog/types.js';
import { emptyCounts } from '../runCalculations/summarise.js';
import { countByKey, scoreOrNull } from './statusBreakdown.js';

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
export function controlRollups(findings: Iterable<Finding>): ControlRollup[] {
  const byControl = countByKey(findings, (finding) => finding.controlId);
  return CONTROLS.map((control) => {
    const counts = byControl.get(control.id) ?? emptyCounts();
    return {
      controlId: control.id,
      title: control.title,
      severity: control.severity,
      counts,
      score: scoreOrNull(counts),
    };
  });
}

/** Counts, cluster numbers and score per cluster kind, for every kind. */
export function kindRollups(findings: readonly Finding[]): KindRollup[] {
  const byKind = countByKey(findings, (finding) => finding.clusterKind);
  const clusters = new Map<ClusterKind, Set<string>>();
  for (const finding of findings) {
    let ids = clusters.get(finding.clusterKind);
    if (!ids) clusters.set(finding.clusterKind, (ids = new Set()));
    ids.add(finding.clusterId.toLowerCase());
  }
  return CLUSTER_KINDS.map((kind) => {
    const counts = byKind.get(kind) ?? emptyCounts();
    return { kind, clusters: clusters.get(kind)?.size ?? 0, counts, score: scoreOrNull(counts) };
  });
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
