import { CONTROLS } from '../catalog/controls.js';
import { benchmarksOf } from '../catalog/frameworkIndex.js';
import type { BenchmarkRef, ControlId, Finding } from '../catalog/types.js';
import type { ClusterFacts, Fleet } from '../inventory/clusterFacts.js';
import { agentlessVerdict } from './agentlessConnection.js';
import { markStale, offlineState } from './connectivity.js';
import { readsOf } from './controlReads.js';
import { CONTROL_EVALUATORS } from './evaluatorRegistry.js';
import type { EvaluationContext } from './evaluationContext.js';
import { invalidReadsVerdict } from './readValidation.js';
import { verdict, type Verdict } from './verdict.js';

const BENCHMARKS = new Map<ControlId, BenchmarkRef[]>(
  CONTROLS.map((control) => [control.id, benchmarksOf(control.id)]),
);

function safeEvaluate(controlId: ControlId, cluster: ClusterFacts, context: EvaluationContext): Verdict {
  const evaluator = CONTROL_EVALUATORS[controlId];
  try {
    if (cluster.agentless)
      return withClusterSource(agentlessVerdict(cluster, controlId, evaluator.agentless), cluster.id);
    const invalid = invalidReadsVerdict(cluster, readsOf(controlId, cluster.kind), context.now);
    if (invalid) return withClusterSource(invalid, cluster.id);
    const result = withClusterSource(evaluator.evaluate(cluster, context), cluster.id);
    if (!evaluator.readsClusterExtensions(cluster.kind)) return result;
    const offline = offlineState(cluster, context.now);
    return offline ? markStale(result, offline) : result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return verdict('ERROR', `The evaluator failed on this cluster's data: ${message}.`, {
      extraSourceIds: [cluster.id],
    });
  }
}

/** Every verdict names the cluster it was decided for among its source IDs. */
function withClusterSource(result: Verdict, clusterId: string): Verdict {
  if (result.evidence.sourceIds.includes(clusterId)) return result;
  return {
    ...result,
    evidence: { ...result.evidence, sourceIds: [clusterId, ...result.evidence.sourceIds] },
  };
}

/** One finding per control for one cluster. */
export function evaluateCluster(cluster: ClusterFacts, context: EvaluationContext): Finding[] {
  return CONTROLS.map((control) => {
    const result = safeEvaluate(control.id, cluster, context);
    return {
      clusterId: cluster.id,
      clusterName: cluster.name,
      clusterKind: cluster.kind,
      subscriptionId: cluster.subscriptionId,
      resourceGroup: cluster.resourceGroup,
      controlId: control.id,
      controlTitle: control.title,
      controlVersion: control.version,
      severity: control.severity,
      status: result.status,
      reason: result.reason,
      evidence: result.evidence,
      benchmarks: BENCHMARKS.get(control.id) ?? [],
    };
  });
}

/** Evaluates every cluster against every control; `onProgress` is told after each cluster. */
export function evaluateFleet(
  fleet: Fleet,
  context: EvaluationContext,
  onProgress?: (done: number, total: number) => void,
): Finding[] {
  const findings: Finding[] = [];
  fleet.clusters.forEach((cluster, index) => {
    for (const finding of evaluateCluster(cluster, context)) findings.push(finding);
    onProgress?.(index + 1, fleet.clusters.length);
  });
  return findings;
}
