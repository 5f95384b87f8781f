import type { Finding } from '../catalog/types.js';
import type { ReportInput } from './reportInput.js';

/** Key of a finding in `ReportInput.firstSeenFailing` and in run comparisons. */
export function findingKey(finding: Pick<Finding, 'clusterId' | 'controlId'>): string {
  return `${finding.clusterId.toLowerCase()}|${finding.controlId}`;
}

/**
 * When a FAIL finding was first seen failing: the history's answer when given; else this run's asOf
 * when it is newly failing (on a first run every FAIL is); else unknown (undefined).
 */
export function firstSeenFailingResolver(input: ReportInput): (finding: Finding) => Date | undefined {
  const asOf = new Date(input.source.run.asOf);
  const newlyFailing = new Set(input.changes?.newlyFailing.map(findingKey));
  const firstRun = input.changes === undefined;
  return (finding) => {
    if (finding.status !== 'FAIL') return undefined;
    const key = findingKey(finding);
    const known = input.firstSeenFailing?.get(key);
    if (known !== undefined) {
      const date = new Date(known);
      if (!Number.isNaN(date.getTime())) return date;
    }
    return firstRun || newlyFailing.has(key) ? asOf : undefined;
  };
}
