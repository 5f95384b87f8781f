import { controlById } from '../catalog/controls.js';
import type { ClusterKind, ControlId, Finding } from '../catalog/types.js';
import { isAgentlessEvidence } from '../evaluation/agentlessConnection.js';
import { effectiveStatusOf, type ScanFinding } from '../governance/records.js';

export interface AttestationGroup {
  controlId: ControlId;
  controlTitle: string;
  /** MANUAL findings of the control, by cluster name then ID. */
  findings: Finding[];
}

/** What a person must confirm for a MANUAL finding of this control on this kind of cluster. */
export function attestationText(controlId: ControlId, kind: ClusterKind): string {
  return (
    controlById(controlId).attestation[kind] ??
    'Confirm the control by inspecting the cluster; the catalog has no attestation text for this kind.'
  );
}

/** What a person must confirm for one MANUAL finding (an Arc agentless connection has its own text). */
export function attestationFor(finding: Finding): string {
  if (isAgentlessEvidence(finding.evidence)) {
    const text = controlById(finding.controlId).attestation['arc-agentless'];
    if (text !== undefined) return text;
  }
  return attestationText(finding.controlId, finding.clusterKind);
}

/**
 * The findings still awaiting a person, grouped by control, in control order: MANUAL after
 * governance (an attested or excepted finding no longer waits).
 */
export function attestationQueue(findings: Iterable<ScanFinding>): AttestationGroup[] {
  const groups = new Map<ControlId, AttestationGroup>();
  for (const finding of findings) {
    if (effectiveStatusOf(finding) !== 'MANUAL') continue;
    let group = groups.get(finding.controlId);
    if (!group) {
      group = { controlId: finding.controlId, controlTitle: finding.controlTitle, findings: [] };
      groups.set(finding.controlId, group);
    }
    group.findings.push(finding);
  }
  const ordered = [...groups.values()].sort((a, b) => a.controlId.localeCompare(b.controlId));
  for (const group of ordered) {
    group.findings.sort(
      (a, b) => a.clusterName.localeCompare(b.clusterName) || a.clusterId.localeCompare(b.clusterId),
    );
  }
  return ordered;
}
