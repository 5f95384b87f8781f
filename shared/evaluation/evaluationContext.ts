import type { Fleet } from '../inventory/clusterFacts.js';
import type { InventoryWarning } from '../inventory/inventoryResource.js';
import type { Thresholds } from '../settings/scanSettings.js';
import { agentBaseline, type AgentVersion } from './agentVersion.js';

/** Everything an evaluator may read besides the cluster itself. */
export interface EvaluationContext {
  now: Date;
  thresholds: Thresholds;
  /** Newest plausible Arc agent version among the fleet's clusters that run agents (DS-10). */
  newestAgentVersion: AgentVersion | undefined;
  /** Whether the inventory holds any Azure Backup instance (DS-09). */
  backupInstancesPresent: boolean;
  /** What building the context found doubtful in the inventory (e.g. an outlying newest agent version). */
  warnings: InventoryWarning[];
}

export function buildEvaluationContext(fleet: Fleet, thresholds: Thresholds, now: Date): EvaluationContext {
  const baseline = agentBaseline(fleet.clusters);
  return {
    now,
    thresholds,
    newestAgentVersion: baseline.newest,
    backupInstancesPresent: fleet.backupInstancesPresent,
    warnings: baseline.warnings,
  };
}
