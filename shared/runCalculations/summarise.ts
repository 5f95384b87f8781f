import { STATUSES, type Finding, type Status, type StatusCounts } from '../catalog/types.js';

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(STATUSES.map((status) => [status, 0])) as StatusCounts;
}

export function countStatuses(findings: Iterable<{ status: Status }>): StatusCounts {
  const counts = emptyCounts();
  for (const finding of findings) counts[finding.status]++;
  return counts;
}

/**
 * PASS / (PASS + FAIL + MANUAL + ERROR), unrounded (displays round it); NOT_APPLICABLE excluded;
 * 0 when nothing counts.
 */
export function complianceScore(counts: StatusCounts): number {
  const denominator = counts.PASS + counts.FAIL + counts.MANUAL + counts.ERROR;
  return denominator === 0 ? 0 : counts.PASS / denominator;
}

export interface ControlSummary {
  controlId: string;
  controlTitle: string;
  severity: Finding['severity'];
  counts: StatusCounts;
  score: number;
}

/** Counts and score per control, in catalog order of first appearance. */
export function summariseByControl(findings: readonly Finding[]): ControlSummary[] {
  const byControl = new Map<string, ControlSummary>();
  for (const finding of findings) {
    let entry = byControl.get(finding.controlId);
    if (!entry) {
      entry = {
        controlId: finding.controlId,
        controlTitle: finding.controlTitle,
        severity: finding.severity,
        counts: emptyCounts(),
        score: 0,
      };
      byControl.set(finding.controlId, entry);
    }
    entry.counts[finding.status]++;
  }
  return [...byControl.values()].map((entry) => ({ ...entry, score: complianceScore(entry.counts) }));
}
