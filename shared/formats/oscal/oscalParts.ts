import { BENCHMARK_MAPPINGS } from '../../catalog/benchmarkMappings.js';
import { CATALOG_VERSION, CONTROLS } from '../../catalog/controls.js';
import { CONTROL_IDS, type ClusterKind, type ControlId, type Finding } from '../../catalog/types.js';
import type { ClusterRow, RunMetadata } from '../../scan/scanResult.js';
import type { FindingGovernance } from '../findingGovernance.js';
import { markdownEscape, singleLine } from '../markdownText.js';
import { uuidV5 } from '../uuidV5.js';

/** The OSCAL version the documents declare; the tests validate against NIST's schema of it. */
export const OSCAL_VERSION = '1.2.1';
/** Namespace of the project's own properties (OSCAL's own names carry no namespace). */
export const OSCAL_NS = 'urn:arc-data-compliance:oscal';

type Json = Record<string, unknown>;

export interface OscalProperty {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

const KIND_LABEL: Record<ClusterKind, string> = {
  arc: 'Arc-enabled Kubernetes cluster',
  'aks-arc': 'AKS cluster on Azure Local',
  aks: 'AKS cluster',
};

/** A property, or nothing when the value is empty once on one line. */
export function prop(name: string, value: string | undefined, own = true, cls?: string): OscalProperty[] {
  const line = singleLine(value);
  if (line === undefined) return [];
  return [{ name, value: line, ...(own ? { ns: OSCAL_NS } : {}), ...(cls ? { class: cls } : {}) }];
}

/** `props` only when there is at least one (OSCAL arrays have at least one item). */
function withProps(properties: OscalProperty[]): { props?: OscalProperty[] } {
  return properties.length > 0 ? { props: properties } : {};
}

const line = (value: string): string => markdownEscape(singleLine(value) ?? '-');
const prose = (value: string): string => markdownEscape(value.trim() === '' ? '-' : value);

/** NIST SP 800-53 identifiers as OSCAL control IDs: `SC-28(1)` → `sc-28.1`. */
export function oscalControlId(nistId: string): string {
  return nistId
    .trim()
    .toLowerCase()
    .replace(/\((\d+)\)/g, '.$1');
}

export function nistControlsOf(controlId: ControlId): { id: string; relation: string }[] {
  return BENCHMARK_MAPPINGS[controlId]
    .filter((mapping) => mapping.framework === 'nist-800-53')
    .map((mapping) => ({ id: oscalControlId(mapping.id), relation: mapping.relation }));
}

/** Every NIST SP 800-53 control the catalog maps to, in catalog order, once each. */
export function reviewedNistControls(): string[] {
  return [...new Set(CONTROL_IDS.flatMap((id) => nistControlsOf(id).map((control) => control.id)))];
}

export const findingKey = (finding: Pick<Finding, 'clusterId' | 'controlId'>): string =>
  `${finding.clusterId.toLowerCase()}|${finding.controlId}`;

/** Deterministic UUIDs: the same run always names the same things the same way. */
export const ids = {
  document: (runId: string) => uuidV5(`${runId}|assessment-results`),
  result: (runId: string) => uuidV5(`${runId}|result`),
  catalog: (runId: string) => uuidV5(`${runId}|catalog`),
  cluster: (runId: string, clusterId: string) => uuidV5(`${runId}|cluster|${clusterId.toLowerCase()}`),
  observation: (runId: string, key: string) => uuidV5(`${runId}|observation|${key}`),
  finding: (runId: string, key: string) => uuidV5(`${runId}|finding|${key}`),
  risk: (runId: string, key: string) => uuidV5(`${runId}|risk|${key}`),
  riskLog: (runId: string, key: string) => uuidV5(`${runId}|risk-log|${key}`),
  party: (runId: string, name: string) => uuidV5(`${runId}|party|${name}`),
};

export function inventoryItem(runId: string, cluster: ClusterRow): Json {
  return {
    uuid: ids.cluster(runId, cluster.id),
    description: line(
      `${KIND_LABEL[cluster.kind] ?? 'Kubernetes cluster'} ${cluster.name} in resource group ${cluster.resourceGroup} of subscription ${cluster.subscriptionId}`,
    ),
    ...withProps([
      ...prop('asset-id', cluster.id, false),
      ...prop('kind', cluster.kind),
      ...prop('subscription-id', cluster.subscriptionId),
      ...prop('resource-group', cluster.resourceGroup),
      ...prop('location', cluster.location),
      ...prop('distribution', cluster.distribution),
      ...prop('kubernetes-version', cluster.kubernetesVersion),
      ...prop('connectivity-status', cluster.connectivityStatus),
    ]),
  };
}

/** The cluster as far as a finding describes it (when its row was never added). */
export function clusterOfFinding(
  finding: Pick<Finding, 'clusterId' | 'clusterName' | 'clusterKind' | 'subscriptionId' | 'resourceGroup'>,
): ClusterRow {
  return {
    id: finding.clusterId,
    name: finding.clusterName,
    kind: finding.clusterKind,
    subscriptionId: finding.subscriptionId,
    resourceGroup: finding.resourceGroup,
    location: '',
    distribution: '',
    kubernetesVersion: '',
    connectivityStatus: '',
    agentVersion: '',
    lastConnectivityTime: '',
    extensionCount: 0,
    fluxConfigurationCount: 0,
    azureLocalClusterId: '',
  };
}

function observedText(value: unknown): string {
  if (value === null || value === undefined) return 'absent';
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}

function relevantEvidence(finding: Finding, governance: FindingGovernance): Json[] {
  const items: Json[] = [];
  const named = new Set<string>();
  for (const check of finding.evidence.checks) {
    named.add(check.source.toLowerCase());
    items.push({
      description: prose(
        `${check.path} of ${check.source}: observed ${observedText(check.observed)}; expected ${check.expected}`,
      ),
      ...withProps([
        ...prop('asset-id', check.source, false),
        ...prop('property-path', check.path),
        ...prop('observed', observedText(check.observed)),
        ...prop('expected', check.expected),
      ]),
    });
  }
  for (const source of finding.evidence.sourceIds) {
    if (named.has(source.toLowerCase())) continue;
    named.add(source.toLowerCase());
    items.push({
      description: prose(`Resource read: ${source}`),
      ...withProps(prop('asset-id', source, false)),
    });
  }
  for (const evidence of governance.attestation?.evidence ?? []) {
    items.push({
      ...(evidence.url ? { href: evidence.url } : {}),
      description: prose(`Attestation evidence: ${evidence.title}`),
      ...withProps(prop('sha256', evidence.sha256)),
    });
  }
  return items;
}

export function observation(
  runId: string,
  finding: Finding,
  governance: FindingGovernance,
  collected: string,
): Json {
  const key = findingKey(finding);
  const evidence = relevantEvidence(finding, governance);
  const remarks = [finding.evidence.verification, ...(finding.evidence.notes ?? [])].filter(
    (text): text is string => typeof text === 'string' && text.trim() !== '',
  );
  return {
    uuid: ids.observation(runId, key),
    title: line(`${finding.controlId} on ${finding.clusterName}: ${governance.effectiveStatus}`),
    description: prose(finding.reason),
    ...withProps([
      ...prop('control-id', finding.controlId),
      ...prop('status', finding.status),
      ...prop('effective-status', governance.effectiveStatus),
      ...prop('severity', finding.severity),
      ...prop('stale', String(finding.evidence.stale)),
      ...prop('inferred', String(finding.evidence.inferred)),
      ...prop('attestation-id', governance.attestation?.id),
    ]),
    methods: [governance.attestation ? 'EXAMINE' : 'TEST'],
    subjects: [
      {
        'subject-uuid': ids.cluster(runId, finding.clusterId),
        type: 'inventory-item',
        title: line(finding.clusterName),
      },
    ],
    ...(evidence.length > 0 ? { 'relevant-evidence': evidence } : {}),
    collected: governance.attestation?.attestedAt ?? collected,
    ...(remarks.length > 0 ? { remarks: prose(remarks.join('\n\n')) } : {}),
  };
}

function targetStatus(governance: FindingGovernance): Json {
  switch (governance.effectiveStatus) {
    case 'PASS':
      return { state: 'satisfied', reason: 'pass' };
    case 'FAIL':
      return { state: 'not-satisfied', reason: 'fail' };
    case 'EXCEPTED':
      return {
        state: 'not-satisfied',
        reason: 'fail',
        remarks: prose(
          `Accepted risk ${governance.exception?.id ?? ''}${governance.exception?.expires ? ` until ${governance.exception.expires}` : ''}.`,
        ),
      };
    case 'MANUAL':
      return {
        state: 'not-satisfied',
        reason: 'other',
        remarks: 'Not observable from Azure: to be attested by a person.',
      };
    default:
      return {
        state: 'not-satisfied',
        reason: 'other',
        remarks: 'The data needed could not be read or was malformed.',
      };
  }
}

export function finding(runId: string, source: Finding, governance: FindingGovernance): Json {
  const key = findingKey(source);
  const control = CONTROLS.find((candidate) => candidate.id === source.controlId);
  return {
    uuid: ids.finding(runId, key),
    title: line(`${source.controlId} ${source.controlTitle}: ${source.clusterName}`),
    description: prose(source.reason),
    ...withProps([
      ...prop('status', source.status),
      ...prop('effective-status', governance.effectiveStatus),
      ...prop('severity', source.severity),
      ...prop('exception-id', governance.exception?.id),
      ...prop('attestation-id', governance.attestation?.id),
    ]),
    target: {
      type: 'objective-id',
      'target-id': source.controlId.toLowerCase(),
      title: line(`${source.controlId} ${source.controlTitle}`),
      ...(control ? { description: prose(control.objective) } : {}),
      ...withProps(
        nistControlsOf(source.controlId).flatMap((control) =>
          prop('nist-800-53-control', control.id, true, control.relation),
        ),
      ),
      status: targetStatus(governance),
    },
    'related-observations': [{ 'observation-uuid': ids.observation(runId, key) }],
    ...(governance.exception ? { 'related-risks': [{ 'risk-uuid': ids.risk(runId, key) }] } : {}),
  };
}

/** An accepted risk: the exception that covers a FAIL or MANUAL finding. */
export function risk(
  runId: string,
  source: Finding,
  governance: FindingGovernance,
  ownerParty: string | undefined,
  collected: string,
): Json | undefined {
  const exception = governance.exception;
  if (!exception) return undefined;
  const key = findingKey(source);
  return {
    uuid: ids.risk(runId, key),
    title: line(`Accepted risk ${exception.id}: ${source.controlId} on ${source.clusterName}`),
    description: prose(exception.justification ?? 'Accepted risk (no justification recorded).'),
    statement: prose(source.reason),
    ...withProps([
      ...prop('exception-id', exception.id),
      ...prop('owner', exception.owner),
      ...prop('ticket', exception.ticket),
    ]),
    status: 'deviation-approved',
    ...(exception.expires ? { deadline: exception.expires } : {}),
    ...(ownerParty
      ? {
          'risk-log': {
            entries: [
              {
                uuid: ids.riskLog(runId, key),
                title: 'Risk accepted',
                start: collected,
                'logged-by': [{ 'party-uuid': ownerParty }],
                'status-change': 'deviation-approved',
              },
            ],
          },
        }
      : {}),
    'related-observations': [{ 'observation-uuid': ids.observation(runId, key) }],
  };
}

/** A person's attestation of a MANUAL finding, with its statement and evidence links. */
export function attestation(
  source: Finding,
  governance: FindingGovernance,
  attesterParty: string | undefined,
): Json | undefined {
  const record = governance.attestation;
  if (!record) return undefined;
  const links = record.evidence
    .filter((evidence) => evidence.url)
    .map((evidence) => ({ href: evidence.url, rel: 'evidence', text: line(evidence.title) }));
  return {
    ...(attesterParty
      ? { 'responsible-parties': [{ 'role-id': 'attester', 'party-uuids': [attesterParty] }] }
      : {}),
    parts: [
      {
        name: 'attestation',
        ns: OSCAL_NS,
        title: line(`${record.id}: ${source.controlId} on ${source.clusterName}`),
        ...withProps([
          ...prop('attestation-id', record.id),
          ...prop('result', record.result),
          ...prop('attested-by', record.attestedBy),
          ...prop('attested-at', record.attestedAt),
          ...prop('expires', record.expires),
          ...prop('asset-id', source.clusterId, false),
          ...record.evidence.flatMap((evidence) => prop('sha256', evidence.sha256)),
        ]),
        prose: prose(record.statement ?? 'Attested.'),
        ...(links.length > 0 ? { links } : {}),
      },
    ],
  };
}

export function reviewedControls(): Json {
  return {
    description:
      'The NIST SP 800-53 Rev. 5 controls the catalog maps to, and the catalog controls (objectives) evaluated.',
    'control-selections': [
      { 'include-controls': reviewedNistControls().map((id) => ({ 'control-id': id })) },
    ],
    'control-objective-selections': [
      { 'include-objectives': CONTROL_IDS.map((id) => ({ 'objective-id': id.toLowerCase() })) },
    ],
  };
}

export interface Party {
  uuid: string;
  name: string;
}

export function metadata(run: RunMetadata, parties: readonly Party[], roles: readonly string[]): Json {
  return {
    title: line(`Data-security compliance of Kubernetes clusters: run ${run.id}`),
    'last-modified': run.finishedAt,
    version: run.id,
    'oscal-version': OSCAL_VERSION,
    ...withProps(prop('catalog-version', CATALOG_VERSION)),
    ...(roles.length > 0
      ? { roles: roles.map((id) => ({ id, title: id === 'attester' ? 'Attester' : 'Risk owner' })) }
      : {}),
    ...(parties.length > 0
      ? { parties: parties.map((party) => ({ uuid: party.uuid, type: 'person', name: line(party.name) })) }
      : {}),
  };
}

export function resultHeader(run: RunMetadata): Json {
  const score = `${(run.score * 100).toFixed(1)}%`;
  return {
    uuid: ids.result(run.id),
    title: line(`Run ${run.id}`),
    description: prose(
      `${run.clusterCount} cluster(s) read from ${run.source === 'snapshot' ? 'inventory files' : 'Azure Resource Graph'}; ` +
        `${run.complete ? 'every part of the scope was read' : 'part of the scope could not be read'}; score ${score}.`,
    ),
    start: run.startedAt,
    end: run.finishedAt,
    ...withProps([
      ...prop('run-id', run.id),
      ...prop('source', run.source),
      ...prop('complete', String(run.complete)),
      ...prop('score', score),
      ...prop('as-of', run.asOf),
    ]),
  };
}

export function backMatter(runId: string): Json {
  return {
    resources: [
      {
        uuid: ids.catalog(runId),
        title: 'arc-data-compliance control catalog (DS-01 to DS-10)',
        description:
          'The data-security controls evaluated, each mapped to NIST SP 800-53 Rev. 5; it serves as the assessment plan.',
        ...withProps(prop('version', CATALOG_VERSION)),
      },
    ],
  };
}
