import type { ClusterKind, ControlId } from '../catalog/types.js';
import { STALENESS_READS } from './connectivity.js';
import { CONTROL_EVALUATORS } from './evaluatorRegistry.js';
import type { PropertyRead } from './propertyReads.js';

/**
 * Every property read behind one control's verdict for one kind: the evaluator's own, plus the
 * connectivity the engine reads to mark extension-based verdicts stale.
 */
export function readsOf(controlId: ControlId, kind: ClusterKind): PropertyRead[] {
  const evaluator = CONTROL_EVALUATORS[controlId];
  return [
    ...evaluator.reads.filter((read) => read.kinds.includes(kind)),
    ...(evaluator.readsClusterExtensions(kind)
      ? STALENESS_READS.filter((read) => read.kinds.includes(kind))
      : []),
  ];
}
