import { controlById } from '../catalog/controls.js';
import {
  CLUSTER_KINDS,
  type ClusterKind,
  type ControlId,
  type Finding,
  type Severity,
} from '../catalog/types.js';
import { isAgentlessEvidence } from '../evaluation/agentlessConnection.js';
import { effectiveStatusOf, type ScanFinding } from '../governance/records.js';
import type { RunPart } from '../scan/runSource.js';
import type { PartAccumulator } from './partAccumulator.js';

/** What the reports show of a finding awaiting attestation. */
export interface AttestationItem {
  controlId: ControlId;
  controlTitle: string;
  severity: Severity;
  clusterName: string;
  clusterId: string;
  clusterKind: ClusterKind;
  subscriptionId: string;
  resourceGroup: string;
  /** What a person must confirm ({@link attestationFor}). */
  confirm: string;
  reason: string;
  verification: string;
}

export interface AttestationGroup {
  controlId: ControlId;
  /** As the control's first MANUAL finding in run order has it. */
  controlTitle: string;
  /** MANUAL findings of the control. */
  count: number;
  /** The kinds of their clusters, in catalog order. */
  kinds: ClusterKind[];
  /** The first of them by cluster name then ID, at most the queue's `listed`. */
  first: AttestationItem[];
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

/** A finding still awaits a person when it is MANUAL after governance (attested or excepted: no). */
export function awaitsAttestation(finding: ScanFinding): boolean {
  return effectiveStatusOf(finding) === 'MANUAL';
}

export function attestationItem(finding: ScanFinding): AttestationItem {
  return {
    controlId: finding.controlId,
    controlTitle: finding.controlTitle,
    severity: finding.severity,
    clusterName: finding.clusterName,
    clusterId: finding.clusterId,
    clusterKind: finding.clusterKind,
    subscriptionId: finding.subscriptionId,
    resourceGroup: finding.resourceGroup,
    confirm: attestationFor(finding),
    reason: finding.reason,
    verification: finding.evidence.verification ?? '',
  };
}

type ClusterKey = Pick<AttestationItem, 'clusterName' | 'clusterId'>;

function byCluster(a: ClusterKey, b: ClusterKey): number {
  return a.clusterName.localeCompare(b.clusterName) || a.clusterId.localeCompare(b.clusterId);
}

/**
 * The order of the queue: by control, then cluster name, then cluster ID; items that compare equal
 * keep their run order.
 */
export function compareAttestationItems(a: AttestationItem, b: AttestationItem): number {
  return a.controlId.localeCompare(b.controlId) || byCluster(a, b);
}

interface GroupBuilder {
  controlId: ControlId;
  controlTitle: string;
  count: number;
  kinds: Set<ClusterKind>;
  first: AttestationItem[];
}

/**
 * The findings still awaiting a person, grouped by control in control order: each group's count,
 * cluster kinds and its first `listed` findings by cluster name then ID (the HTML report's list).
 */
export class AttestationQueue implements PartAccumulator<AttestationGroup[]> {
  private readonly groups = new Map<ControlId, GroupBuilder>();

  constructor(private readonly listed: number) {}

  add(part: RunPart): void {
    for (const finding of part.findings) {
      if (!awaitsAttestation(finding)) continue;
      let group = this.groups.get(finding.controlId);
      if (!group) {
        group = {
          controlId: finding.controlId,
          controlTitle: finding.controlTitle,
          count: 0,
          kinds: new Set(),
          first: [],
        };
        this.groups.set(finding.controlId, group);
      }
      group.count++;
      group.kinds.add(finding.clusterKind);
      this.keepIfAmongFirst(group.first, finding);
    }
  }

  result(): AttestationGroup[] {
    return [...this.groups.values()]
      .sort((a, b) => a.controlId.localeCompare(b.controlId))
      .map((group) => ({
        controlId: group.controlId,
        controlTitle: group.controlTitle,
        count: group.count,
        kinds: CLUSTER_KINDS.filter((kind) => group.kinds.has(kind)),
        first: group.first,
      }));
  }

  /** Inserts after every equal item already kept (so ties keep run order), then drops the last. */
  private keepIfAmongFirst(first: AttestationItem[], finding: ScanFinding): void {
    let low = 0;
    let high = first.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (byCluster(first[middle] as AttestationItem, finding) <= 0) low = middle + 1;
      else high = middle;
    }
    if (low >= this.listed) return;
    first.splice(low, 0, attestationItem(finding));
    if (first.length > this.listed) first.pop();
  }
}
