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

type Scored = Pick<Finding, 'controlId' | 'subscriptionId' | 'clusterKind' | 'status'>;

/** The frameworks each control is mapped to. */
const FRAMEWORKS_OF = new Map<ControlId, string[]>(
  (Object.entries(BENCHMARK_MAPPINGS) as Array<[ControlId, (typeof BENCHMARK_MAPPINGS)[ControlId]]>).map(
    ([controlId, mappings]) => [controlId, [...new Set(mappings.map((mapping) => mapping.framework))]],
  ),
);

/**
 * A run's score counts, added to as its findings are read (part by part, in run order); `rows()`
 * gives what {@link computeRunScores} gives for the same findings in the same order.
 */
export class RunScoreTally {
  private readonly groups = new Map<
    string,
    { dimension: ScoreDimension; key: string; counts: StatusCounts }
  >();

  /** Counts `findings` in. */
  add(findings: Iterable<Scored>): this {
    for (const finding of findings) {
      this.count('overall', 'all', finding.status);
      this.count('control', finding.controlId, finding.status);
      this.count('subscription', finding.subscriptionId.toLowerCase(), finding.status);
      this.count('kind', finding.clusterKind, finding.status);
      for (const framework of FRAMEWORKS_OF.get(finding.controlId) ?? [])
        this.count('framework', framework, finding.status);
    }
    return this;
  }

  /** The score rows of every finding added so far; every framework has one, if only empty. */
  rows(): ScoreRow[] {
    const groups = new Map(this.groups);
    for (const framework of FRAMEWORKS) {
      if (!groups.has(`framework|${framework.key}`))
        groups.set(`framework|${framework.key}`, {
          dimension: 'framework',
          key: framework.key,
          counts: countStatuses([]),
        });
    }
    return [...groups.values()].map((group) => ({
      ...group,
      counts: { ...group.counts },
      score: complianceScore(group.counts),
    }));
  }

  private count(dimension: ScoreDimension, key: string, status: Finding['status']): void {
    const id = `${dimension}|${key}`;
    let group = this.groups.get(id);
    if (!group) {
      group = { dimension, key, counts: emptyCounts() };
      this.groups.set(id, group);
    }
    group.counts[status]++;
  }
}

/**
 * A run's scores for trend charts: overall, per control, per framework (over the findings of the
 * controls mapped to it), per subscription and per cluster kind.
 */
export function computeRunScores(findings: Iterable<Scored>): ScoreRow[] {
  return new RunScoreTally().add(findings).rows();
}
