import type { ClusterKind } from '../catalog/types.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { EvaluationContext } from './evaluationContext.js';
import type { Verdict } from './verdict.js';

/** A pure function from a cluster's facts to a verdict for one control. */
export interface ControlEvaluator {
  evaluate(cluster: ClusterFacts, context: EvaluationContext): Verdict;
  /** Whether the verdict for this kind comes from the cluster's own extensions (stale when offline). */
  readsClusterExtensions(kind: ClusterKind): boolean;
}
