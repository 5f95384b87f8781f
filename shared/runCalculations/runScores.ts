import { BENCHMARK_MAPPINGS } from '../catalog/benchmarkMappings.js';
import { FRAMEWORKS } from '../catalog/frameworks.js';
import type { ControlId, Finding, StatusCounts } from '../catalog/types.js';
import { complianceScore, countStatuses, emptyCounts } from './summarise.js';

export type ScoreDimension = 'overall' | 'control' | 'framework' | 'subscription' | 'kind';

export interface ScoreRow {
  dimension: ScoreDimension;
  key: string;
  counts: StatusCounts;
  score: number;
}

/**
 * A run's scores for trend charts: overall, per control, per framework (over the findings of the
 * controls mapped to it), per subscription and per cluster kind.
 */
export function computeRunScores(
  findings: readonly Pick<Finding, 'controlId' | 'subscriptionId' | 'clusterKind' | 'status'>[],
): ScoreRow[] {
  const groups = new Map<string, { dimension: ScoreDimension; key: string; counts: StatusCounts }>();
  const add = (dimension: ScoreDimension, key: string, status: Finding['status']): void => {
    const id = `${dimension}|${key}`;
    let group = groups.get(id);
    if (!group) {
      group = { dimension, key, counts: emptyCounts() };
      groups.set(id, group);
    }
    group.counts[status]++;
  };
  const frameworksOf = new Map<ControlId, string[]>();
  for (const [controlId, mappings] of Object.entries(BENCHMARK_MAPPINGS) as Array<
    [ControlId, (typeof BENCHMARK_MAPPINGS)[ControlId]]
  >) {
    frameworksOf.set(controlId, [...new Set(mappings.map((mapping) => mapping.framework))]);
  }
  for (const finding of findings) {
    add('overall', 'all', finding.status);
    add('control', finding.controlId, finding.status);
    add('subscription', finding.subscriptionId.toLowerCase(), finding.status);
    add('kind', finding.clusterKind, finding.status);
    for (const framework of frameworksOf.get(finding.controlId) ?? [])
      add('framework', framework, finding.status);
  }
  for (const framework of FRAMEWORKS) {
    if (!groups.has(`framework|${framework.key}`))
      groups.set(`framework|${framework.key}`, {
        dimension: 'framework',
        key: framework.key,
        counts: countStatuses([]),
      });
  }
  return [...groups.values()].map((group) => ({ ...group, score: complianceScore(group.counts) }));
}
