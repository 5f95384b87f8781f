import { getPathCi } from '../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { PropertyRead } from './propertyReads.js';
import { showValue } from './valueText.js';
import { check, verdict, type Verdict } from './verdict.js';

type Field = 'dataAtRestEncrypted' | 'dataInTransitProtected';

const WHAT: Record<Field, string> = {
  dataAtRestEncrypted: 'data-at-rest encryption (BitLocker) of its volumes',
  dataInTransitProtected: 'data-in-transit protection',
};

/** What an AKS Arc verdict reads from the hosting Azure Local cluster's security settings. */
export function azureLocalComplianceReads(field: Field): PropertyRead[] {
  return [
    {
      subject: 'securitySettings',
      path: ['securityComplianceStatus', field],
      shape: 'enum',
      kinds: ['aks-arc'],
      whenAbsent: 'not-pass',
      nullIsAbsent: true,
      example: 'Compliant',
    },
    {
      subject: 'securitySettings',
      path: ['securityComplianceStatus', 'lastUpdated'],
      shape: 'timestamp',
      kinds: ['aks-arc'],
      whenAbsent: 'allowed',
      absentMeans: 'information only: the evidence notes when the status was last updated',
      nullIsAbsent: true,
      example: '2026-01-01T00:00:00Z',
    },
  ];
}

/**
 * Verdict from the hosting Azure Local cluster's security settings: Compliant → PASS,
 * NonCompliant → FAIL, anything else (Pending, absent, unresolved host) → MANUAL; a failed read → ERROR.
 */
export function azureLocalComplianceVerdict(cluster: ClusterFacts, field: Field): Verdict {
  const link = cluster.azureLocal;
  const trail = link?.trail ?? [];
  const linkIds = [link?.instanceId, link?.customLocationId, link?.azureLocalClusterId].filter(
    (id): id is string => id !== undefined,
  );
  if (!link || link.outcome === 'read-failed') {
    return verdict(
      'ERROR',
      `Cannot evaluate: ${link?.problem ?? 'the Azure Local link was not collected'}.`,
      {
        extraSourceIds: [cluster.id, ...linkIds],
        notes: trail,
      },
    );
  }
  if (link.outcome === 'unresolved') {
    return verdict('MANUAL', `The hosting Azure Local cluster could not be determined: ${link.problem}.`, {
      extraSourceIds: [cluster.id, ...linkIds],
      notes: trail,
    });
  }
  if (!link.securitySettings) {
    return verdict(
      'MANUAL',
      `The hosting Azure Local cluster is ${link.azureLocalClusterId}, but ${link.problem}.`,
      {
        extraSourceIds: [cluster.id, ...linkIds],
        notes: trail,
      },
    );
  }
  const settings = link.securitySettings;
  const raw = getPathCi(settings.properties, ['securityComplianceStatus', field]);
  const lastUpdated = getPathCi(settings.properties, ['securityComplianceStatus', 'lastUpdated']);
  const parts = {
    checks: [check(settings.id, `properties.securityComplianceStatus.${field}`, raw, 'Compliant')],
    extraSourceIds: [cluster.id, ...linkIds],
    notes: [
      ...trail,
      `hosting cluster found via ${link.via}`,
      ...(lastUpdated ? [`status last updated ${String(lastUpdated)}`] : []),
    ],
  };
  const host = link.azureLocalClusterId;
  const state = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (state === 'compliant')
    return verdict(
      'PASS',
      `The hosting Azure Local cluster ${host} reports ${WHAT[field]} as Compliant.`,
      parts,
    );
  if (state === 'noncompliant') {
    return verdict(
      'FAIL',
      `The hosting Azure Local cluster ${host} reports ${WHAT[field]} as NonCompliant.`,
      parts,
    );
  }
  if (state === 'pending') {
    return verdict(
      'MANUAL',
      `Azure Local has not finished evaluating ${WHAT[field]} on ${host} (Pending).`,
      parts,
    );
  }
  return verdict(
    'MANUAL',
    `The hosting Azure Local cluster ${host} reports no usable ${field} status (${showValue(raw)}).`,
    parts,
  );
}
