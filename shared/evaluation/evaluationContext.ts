import type { Fleet } from '../inventory/clusterFacts.js';
import type { Thresholds } from '../settings/scanSettings.js';
import { newestAgentVersion, type AgentVersion } from './agentVersion.js';

/** Everything an evaluator may read besides the cluster itself. */
export interface EvaluationContext {
  now: Date;
  thresholds: Thresholds;
  /** Newest Arc agent version among the fleet's connected clusters (DS-10). */
  newestAgentVersion: AgentVersion | undefined;
  /** Whether the inventory holds any Azure Backup instance (DS-09). */
  backupInstancesPresent: boolean;
}

export function buildEvaluationContext(fleet: Fleet, thresholds: Thresholds, now: Date): EvaluationContext {
  return {
    now,
    thresholds,
    newestAgentVersion: newestAgentVersion(fleet.clusters),
    backupInstancesPresent: fleet.backupInstancesPresent,
  };
}
