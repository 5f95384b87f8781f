import { BENCHMARK_MAPPINGS } from '../../catalog/benchmarkMappings.js';
import { CONTROLS } from '../../catalog/controls.js';
import { frameworkByKey } from '../../catalog/frameworks.js';
import type { ClusterKind, Severity } from '../../catalog/types.js';
import { findingGovernance, type EffectiveStatus } from '../findingGovernance.js';
import type { FindingRecord, RunStart } from '../findingsFormatWriter.js';
import { uuidV5 } from '../uuidV5.js';

/** The OCSF schema release the events follow (Compliance Finding, class 2003). */
export const OCSF_VERSION = '1.8.0';
export const PRODUCT = { name: 'arc-data-compliance', vendor_name: 'arc-data-compliance', version: '0.1.0' };

const FINDINGS_CATEGORY = { uid: 2, name: 'Findings' } as const;
const COMPLIANCE_FINDING = { uid: 2003, name: 'Compliance Finding' } as const;
const ACTIVITY_CREATE = { id: 1, name: 'Create' } as const;

const SEVERITY: Record<Severity, { id: number; caption: string }> = {
  high: { id: 4, caption: 'High' },
  medium: { id: 3, caption: 'Medium' },
  low: { id: 2, caption: 'Low' },
};

/** compliance.status_id: 1 Pass, 2 Warning, 3 Fail, 0 Unknown, 99 Other (label in `status`). */
const COMPLIANCE_STATUS: Record<EffectiveStatus, { id: number; caption: string }> = {
  PASS: { id: 1, caption: 'Pass' },
  FAIL: { id: 3, caption: 'Fail' },
  MANUAL: { id: 2, caption: 'Warning' },
  ERROR: { id: 0, caption: 'Unknown' },
  NOT_APPLICABLE: { id: 99, caption: 'Not Applicable' },
  EXCEPTED: { id: 99, caption: 'Excepted' },
};

const RESOURCE_TYPE: Record<ClusterKind, string> = {
  arc: 'Microsoft.Kubernetes/connectedClusters',
  'aks-arc': 'Microsoft.Kubernetes/connectedClusters',
  aks: 'Microsoft.ContainerService/managedClusters',
};

/** Where the cluster is, when its row was added (findings alone do not carry the region). */
export interface ClusterPlace {
  location: string;
  tags?: Record<string, string>;
}

/** The stable identity of a finding across runs: one per cluster (ignoring case) and control. */
export function ocsfFindingUid(clusterId: string, controlId: string): string {
  return uuidV5(`finding|${clusterId.toLowerCase()}|${controlId}`);
}

function tagsOf(place: ClusterPlace | undefined): { name: string; value: string }[] {
  if (!place?.tags) return [];
  return Object.entries(place.tags)
    .filter(([, value]) => typeof value === 'string')
    .map(([name, value]) => ({ name, value }));
}

const epochMs = (iso: string): number => {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new RangeError(`not a time: ${iso}`);
  return value;
};

/** One finding as an OCSF 1.8.0 Compliance Finding event. */
export function ocsfComplianceFinding(
  finding: FindingRecord,
  start: RunStart,
  place: ClusterPlace | undefined,
): Record<string, unknown> {
  const governance = findingGovernance(finding);
  const control = CONTROLS.find((candidate) => candidate.id === finding.controlId);
  const mappings = BENCHMARK_MAPPINGS[finding.controlId] ?? [];
  const standards = [...new Set(mappings.map((m) => frameworkByKey(m.framework)))].map(
    (framework) => `${framework.name} ${framework.version}`,
  );
  const requirements = mappings.map((m) => {
    const framework = frameworkByKey(m.framework);
    return `${framework.name} ${framework.version} ${m.id}`;
  });
  const time = epochMs(start.startedAt);
  const firstSeen = finding.firstSeenFailing ? epochMs(finding.firstSeenFailing) : time;
  const severity = SEVERITY[finding.severity] ?? { id: 0, caption: 'Unknown' };
  const complianceStatus = COMPLIANCE_STATUS[governance.effectiveStatus];
  const suppressed = governance.effectiveStatus === 'EXCEPTED';
  const remediation = control?.remediation[finding.clusterKind] ?? control?.attestation[finding.clusterKind];
  const tags = tagsOf(place);
  const region = place?.location ? { region: place.location } : {};
  const uid = ocsfFindingUid(finding.clusterId, finding.controlId);
  return {
    activity_id: ACTIVITY_CREATE.id,
    activity_name: ACTIVITY_CREATE.name,
    category_uid: FINDINGS_CATEGORY.uid,
    category_name: FINDINGS_CATEGORY.name,
    class_uid: COMPLIANCE_FINDING.uid,
    class_name: COMPLIANCE_FINDING.name,
    type_uid: COMPLIANCE_FINDING.uid * 100 + ACTIVITY_CREATE.id,
    type_name: `${COMPLIANCE_FINDING.name}: ${ACTIVITY_CREATE.name}`,
    time,
    severity_id: severity.id,
    severity: severity.caption,
    status_id: suppressed ? 3 : 1,
    status: suppressed ? 'Suppressed' : 'New',
    status_code: finding.status,
    status_detail: finding.reason,
    message: `${finding.controlId} ${governance.effectiveStatus} on ${finding.clusterName}`,
    finding_info: {
      uid,
      title: `${finding.controlId} ${finding.controlTitle}`,
      desc: finding.reason,
      first_seen_time: Math.min(firstSeen, time),
      last_seen_time: time,
      types: ['Compliance'],
    },
    compliance: {
      control: finding.controlId,
      ...(control ? { desc: control.objective } : {}),
      standards,
      requirements,
      status_id: complianceStatus.id,
      status: complianceStatus.caption,
      status_code: governance.effectiveStatus,
    },
    resources: [
      {
        uid: finding.clusterId,
        name: finding.clusterName,
        type: RESOURCE_TYPE[finding.clusterKind] ?? 'Kubernetes cluster',
        ...region,
        ...(tags.length > 0 ? { tags } : {}),
        labels: [finding.clusterKind],
        role_id: 1,
        role: 'Target',
        data: {
          kind: finding.clusterKind,
          subscriptionId: finding.subscriptionId,
          resourceGroup: finding.resourceGroup,
          ...(governance.exception ? { exceptionId: governance.exception.id } : {}),
          ...(governance.attestation ? { attestationId: governance.attestation.id } : {}),
          evidence: finding.evidence,
        },
      },
    ],
    cloud: {
      provider: 'Azure',
      account: { uid: finding.subscriptionId, type_id: 13, type: 'Azure Subscription' },
      ...region,
    },
    ...(remediation ? { remediation: { desc: remediation } } : {}),
    metadata: {
      product: PRODUCT,
      version: OCSF_VERSION,
      log_name: 'findings',
      uid: uuidV5(`${start.id}|ocsf|${finding.clusterId.toLowerCase()}|${finding.controlId}`),
      correlation_uid: start.id,
      profiles: ['cloud'],
    },
  };
}
