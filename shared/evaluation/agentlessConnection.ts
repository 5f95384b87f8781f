import { controlById } from '../catalog/controls.js';
import type { ControlId, Evidence } from '../catalog/types.js';
import { getCi } from '../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { ControlEvaluator } from './controlEvaluator.js';
import { check, verdict, type Verdict } from './verdict.js';

/**
 * The verdict of a control for an Arc agentless connection (a cluster in AWS or GCP connected
 * without Arc agents). Such a cluster cannot run cluster extensions, so nothing an extension-based
 * rule looks for can be there, and its missing agent is its normal state, not a fault.
 */
/** The expectation of the `kind` check that only an agentless verdict carries (reports key on it). */
export const AGENTLESS_KIND_EXPECTATION = 'AWS or GCP for an agentless connection';

/** Whether a finding's evidence is that of an agentless connection. */
export function isAgentlessEvidence(evidence: Evidence): boolean {
  return evidence.checks.some(
    (check) => check.path === 'kind' && check.expected === AGENTLESS_KIND_EXPECTATION,
  );
}

export function agentlessVerdict(
  cluster: ClusterFacts,
  controlId: ControlId,
  decision: ControlEvaluator['agentless'],
): Verdict {
  const kind = cluster.resource.kind ?? '';
  const status = getCi(cluster.properties, 'connectivityStatus');
  const attestation =
    decision.status === 'MANUAL' ? controlById(controlId).attestation['arc-agentless'] : undefined;
  return verdict(
    decision.status,
    `The cluster is an Arc agentless connection (kind ${kind}, connectivityStatus ${String(status)}), which runs no Arc agents and so no cluster extensions: ${decision.because}.`,
    {
      checks: [
        check(cluster.id, 'kind', kind, AGENTLESS_KIND_EXPECTATION),
        check(
          cluster.id,
          'properties.connectivityStatus',
          status,
          'AgentNotInstalled for an agentless connection',
        ),
      ],
      ...(attestation === undefined ? {} : { verification: attestation }),
    },
  );
}
