import type { TableEntity } from '@azure/data-tables';

import { controlById } from '../catalog/controls.js';
import { benchmarksOf } from '../catalog/frameworkIndex.js';
import type { ClusterKind, ControlId, Evidence, Finding, Severity, Status } from '../catalog/types.js';
import { EFFECTIVE_STATUSES, type EffectiveStatus, type FindingGovernance } from '../governance/records.js';
import type { LargeValueStore } from './historyStore.js';
import { decodeLargeText, encodeLargeText } from './largeText.js';
import { findingPartition } from './runKeys.js';
import { encodeKey } from './tableKeys.js';

/** A finding as stored, plus how long its status has held. */
export interface StoredFinding extends Finding {
  /** asOf of the first run (of this cluster and control) in the current unbroken FAIL streak. */
  firstSeenFailing?: string;
  /** The verdict after exceptions and attestations (absent on runs stored before governance). */
  effectiveStatus?: EffectiveStatus;
  governance?: FindingGovernance;
}

type Entity = TableEntity<Record<string, unknown>>;

export async function toFindingEntity(
  runId: string,
  finding: StoredFinding,
  store: LargeValueStore,
): Promise<Entity> {
  const rowKey = encodeKey(finding.clusterId);
  const blobBase = `${runId}/${finding.controlId}/${rowKey.slice(0, 120).replace(/[|~]/g, '_')}`;
  return {
    partitionKey: findingPartition(runId, finding.controlId),
    rowKey,
    runId,
    clusterId: finding.clusterId,
    clusterName: finding.clusterName,
    clusterKind: finding.clusterKind,
    subscriptionId: finding.subscriptionId,
    subscriptionKey: finding.subscriptionId.toLowerCase(),
    clusterKey: finding.clusterId.toLowerCase().slice(0, 16_000),
    resourceGroup: finding.resourceGroup,
    controlId: finding.controlId,
    controlVersion: finding.controlVersion,
    severity: finding.severity,
    status: finding.status,
    stale: finding.evidence.stale,
    inferred: finding.evidence.inferred,
    ...(finding.firstSeenFailing ? { firstSeenFailing: finding.firstSeenFailing } : {}),
    effectiveStatus: finding.effectiveStatus ?? finding.status,
    ...(finding.governance ? { governance: JSON.stringify(finding.governance).slice(0, 30_000) } : {}),
    ...(await encodeLargeText('reason', finding.reason, `${blobBase}-reason`, store)),
    ...(await encodeLargeText('evidence', JSON.stringify(finding.evidence), `${blobBase}-evidence`, store)),
  };
}

/** The finding back, with its title and benchmark mappings from the catalog (version 1). */
export async function fromFindingEntity(
  entity: Record<string, unknown>,
  store: LargeValueStore,
): Promise<StoredFinding> {
  const controlId = String(entity.controlId) as ControlId;
  const evidence = JSON.parse((await decodeLargeText(entity, 'evidence', store)) ?? '{}') as Evidence;
  const finding: StoredFinding = {
    clusterId: String(entity.clusterId),
    clusterName: String(entity.clusterName ?? ''),
    clusterKind: String(entity.clusterKind) as ClusterKind,
    subscriptionId: String(entity.subscriptionId ?? ''),
    resourceGroup: String(entity.resourceGroup ?? ''),
    controlId,
    controlTitle: controlById(controlId).title,
    // Runs stored before controls had versions were all evaluated by version 1 of every control.
    controlVersion:
      typeof entity.controlVersion === 'number' && Number.isInteger(entity.controlVersion)
        ? entity.controlVersion
        : 1,
    severity: String(entity.severity) as Severity,
    status: String(entity.status) as Status,
    reason: (await decodeLargeText(entity, 'reason', store)) ?? '',
    evidence,
    benchmarks: benchmarksOf(controlId),
  };
  if (typeof entity.firstSeenFailing === 'string') finding.firstSeenFailing = entity.firstSeenFailing;
  if ((EFFECTIVE_STATUSES as readonly unknown[]).includes(entity.effectiveStatus))
    finding.effectiveStatus = entity.effectiveStatus as EffectiveStatus;
  if (typeof entity.governance === 'string') {
    try {
      finding.governance = JSON.parse(entity.governance) as FindingGovernance;
    } catch {
      // A damaged governance note is left out rather than guessed; effectiveStatus stands.
    }
  }
  return finding;
}
