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

/** What counting per control reads of a finding. */
export type TalliedFinding = Pick<Finding, 'controlId' | 'controlTitle' | 'severity' | 'status'>;

/**
 * Counts per control, added to as findings arrive (e.g. a run's parts, one at a time); memory
 * holds one entry per control whatever the number of findings.
 */
export class ControlTally {
  private readonly byControl = new Map<string, ControlSummary>();

  add(findings: Iterable<TalliedFinding>): void {
    for (const finding of findings) {
      let entry = this.byControl.get(finding.controlId);
      if (!entry) {
        entry = {
          controlId: finding.controlId,
          controlTitle: finding.controlTitle,
          severity: finding.severity,
          counts: emptyCounts(),
          score: 0,
        };
        this.byControl.set(finding.controlId, entry);
      }
      entry.counts[finding.status]++;
    }
  }

  /** Counts and score per control, in order of first appearance. */
  summaries(): ControlSummary[] {
    return [...this.byControl.values()].map((entry) => ({
      ...entry,
      counts: { ...entry.counts },
      score: complianceScore(entry.counts),
    }));
  }
}

/** Counts and score per control, in catalog order of first appearance. */
export function summariseByControl(findings: Iterable<TalliedFinding>): ControlSummary[] {
  const tally = new ControlTally();
  tally.add(findings);
  return tally.summaries();
}
