import type { ControlId, Finding } from '../catalog/types.js';
import { splitComparisonKey } from '../runCalculations/runChanges.js';
import { ValuePool } from '../runCalculations/valuePool.js';

/**
 * When failing findings started failing: for each, the asOf of the first run of its current FAIL
 * streak, read with {@link get} by `clusterId (lower case)|controlId`, the key reports use. Storing
 * a run gives the streaks it carries over from the previous run; a stored run read back gives every
 * failing finding's.
 *
 * Held per cluster rather than per finding: one entry per cluster (its ID in lower case, held once
 * in `pool`, which a run's other indexes may share) with one field per control, each value a pooled
 * asOf. A run of 50,000 clusters has about 100,000 failing findings; kept as one string key each,
 * they were the largest thing storing a run held after the changes themselves.
 */
export class FailingStreaks implements Iterable<[string, string]> {
  private readonly byCluster = new Map<string, Partial<Record<ControlId, string>>>();
  private count = 0;

  private pool: ValuePool;

  constructor(pool: ValuePool) {
    this.pool = pool;
  }

  /**
   * Lets go of the pool given (which may hold every value of a run, far more than the streaks);
   * values set from now on are pooled apart. Returns the streaks.
   */
  release(): this {
    this.pool = new ValuePool();
    return this;
  }

  /** Records that `finding` has been failing since `since` (an ISO-8601 asOf). */
  set(finding: Pick<Finding, 'clusterId' | 'controlId'>, since: string): void {
    const cluster = this.pool.hold(finding.clusterId.toLowerCase());
    let controls = this.byCluster.get(cluster);
    if (!controls) {
      controls = {};
      this.byCluster.set(cluster, controls);
    }
    if (controls[finding.controlId] === undefined) this.count++;
    controls[finding.controlId] = this.pool.hold(since);
  }

  /** The start of the streak of the finding keyed `clusterId (lower case)|controlId`. */
  get(key: string): string | undefined {
    const parts = splitComparisonKey(key);
    return parts && this.byCluster.get(parts.clusterIdLower)?.[parts.controlId as ControlId];
  }

  get size(): number {
    return this.count;
  }

  /** The keys, cluster by cluster in the order first recorded. */
  *keys(): IterableIterator<string> {
    for (const [key] of this) yield key;
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [cluster, controls] of this.byCluster)
      for (const [controlId, since] of Object.entries(controls))
        if (since !== undefined) yield [`${cluster}|${controlId}`, since];
  }
}
