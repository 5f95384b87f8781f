import type { ClusterKind } from '../catalog/types.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { EvaluationContext } from './evaluationContext.js';
import type { PropertyRead } from './propertyReads.js';
import type { Verdict } from './verdict.js';

/** A pure function from a cluster's facts to a verdict for one control. */
export interface ControlEvaluator {
  evaluate(cluster: ClusterFacts, context: EvaluationContext): Verdict;
  /** Whether the verdict for this kind comes from the cluster's own extensions (stale when offline). */
  readsClusterExtensions(kind: ClusterKind): boolean;
  /**
   * Every property `evaluate` reads. The engine checks these values before `evaluate` runs: a value
   * of the wrong type or an impossible one makes the verdict ERROR. Tests fail on a read not declared.
   */
  reads: readonly PropertyRead[];
  /**
   * The verdict for an Arc agentless connection (kind AWS/GCP, AgentNotInstalled), which runs no
   * Arc agents and so no extensions: its status and why, in words that complete "… because it …".
   */
  agentless: { status: 'MANUAL' | 'NOT_APPLICABLE'; because: string };
}
