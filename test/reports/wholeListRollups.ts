/**
 * The report rollups as whole-list functions over every finding at once, kept as the reference the
 * part-by-part accumulators of shared/reports must equal.
 */
import { buildFrameworkIndex } from '../../shared/catalog/frameworkIndex.js';
import { CONTROLS, controlById } from '../../shared/catalog/controls.js';
import {
  CLUSTER_KINDS,
  type ClusterKind,
  type ControlId,
  type Finding,
  type Status,
  type StatusCounts,
} from '../../shared/catalog/types.js';
import {
  effectiveStatusOf,
  type RunGovernanceEntry,
  type ScanFinding,
} from '../../shared/governance/records.js';
import { emptyCounts } from '../../shared/runCalculations/summarise.js';
import type { ClusterRollup } from '../../shared/reports/clusterRanking.js';
import type { ControlRollup, KindRollup } from '../../shared/reports/controlSummaries.js';
import type { FrameworkCompliance } from '../../shared/reports/frameworkCompliance.js';
import {
  EXPIRING_WITHIN_DAYS,
  type AcceptedRisk,
  type GovernanceSummary,
} from '../../shared/reports/governanceSummary.js';
import { scoreOrNull } from '../../shared/reports/statusBreakdown.js';
import type { RunMetadata } from '../../shared/scan/scanResult.js';

function countByKey<T extends { status: Status }>(
  items: Iterable<T>,
  keyOf: (item: T) => string,
): Map<string, StatusCounts> {
  const counts = new Map<string, StatusCounts>();
  for (const item of items) {
    const key = keyOf(item);
    let entry = counts.get(key);
    if (!entry) {
      entry = emptyCounts();
      counts.set(key, entry);
    }
    entry[item.status]++;
  }
  return counts;
}

export function controlRollups(findings: Iterable<Finding>): ControlRollup[] {
  const byControl = countByKey(findings, (finding) => finding.controlId);
  return CONTROLS.map((control) => {
    const counts = byControl.get(control.id) ?? emptyCounts();
    return {
      controlId: control.id,
      title: control.title,
      severity: control.severity,
      counts,
      score: scoreOrNull(counts),
    };
  });
}

export function kindRollups(findings: readonly Finding[]): KindRollup[] {
  const byKind = countByKey(findings, (finding) => finding.clusterKind);
  const clusters = new Map<ClusterKind, Set<string>>();
  for (const finding of findings) {
    let ids = clusters.get(finding.clusterKind);
    if (!ids) clusters.set(finding.clusterKind, (ids = new Set()));
    ids.add(finding.clusterId.toLowerCase());
  }
  return CLUSTER_KINDS.map((kind) => {
    const counts = byKind.get(kind) ?? emptyCounts();
    return { kind, clusters: clusters.get(kind)?.size ?? 0, counts, score: scoreOrNull(counts) };
  });
}

export function frameworkCompliance(findings: Iterable<Finding>): FrameworkCompliance[] {
  const byControl = countByKey(findings, (finding) => finding.controlId);
  return buildFrameworkIndex().map((framework) => ({
    key: framework.key,
    name: framework.name,
    version: framework.version,
    recommendations: framework.recommendations.map((recommendation) => {
      const counts = emptyCounts();
      for (const controlId of new Set(recommendation.controls.map((c) => c.controlId))) {
        const controlCounts = byControl.get(controlId);
        if (!controlCounts) continue;
        for (const status of Object.keys(counts) as Array<keyof StatusCounts>) {
          counts[status] += controlCounts[status];
        }
      }
      const idsOf = (relation: 'direct' | 'related'): ControlId[] =>
        recommendation.controls.filter((c) => c.relation === relation).map((c) => c.controlId);
      return {
        id: recommendation.id,
        title: recommendation.title,
        directControls: idsOf('direct'),
        relatedControls: idsOf('related'),
        counts,
        score: scoreOrNull(counts),
      };
    }),
  }));
}

export function clusterRollups(findings: Iterable<Finding>): Map<string, ClusterRollup> {
  const byCluster = new Map<string, ClusterRollup>();
  for (const finding of findings) {
    const key = finding.clusterId.toLowerCase();
    let entry = byCluster.get(key);
    if (!entry) {
      entry = {
        clusterId: finding.clusterId,
        clusterName: finding.clusterName,
        clusterKind: finding.clusterKind,
        subscriptionId: finding.subscriptionId,
        resourceGroup: finding.resourceGroup,
        counts: emptyCounts(),
        score: null,
        troubled: [],
      };
      byCluster.set(key, entry);
    }
    entry.counts[finding.status]++;
    if (finding.status === 'FAIL' || finding.status === 'ERROR') {
      entry.troubled.push({ controlId: finding.controlId, status: finding.status });
    }
  }
  for (const entry of byCluster.values()) {
    entry.score = scoreOrNull(entry.counts);
    entry.troubled.sort((a, b) => a.controlId.localeCompare(b.controlId));
  }
  return byCluster;
}

const DAY_MS = 86_400_000;
const IN_FORCE = new Set(['applied', 'unused', 'unmatched', 'ignored']);

export function governanceSummary(
  run: Pick<RunMetadata, 'asOf' | 'governance'>,
  findings: Iterable<ScanFinding>,
): GovernanceSummary | undefined {
  const records = run.governance ?? [];
  if (records.length === 0) return undefined;
  const asOf = new Date(run.asOf).getTime();
  const risks = new Map<ControlId, AcceptedRisk>();
  for (const finding of findings) {
    if (effectiveStatusOf(finding) !== 'EXCEPTED') continue;
    let risk = risks.get(finding.controlId);
    if (!risk) {
      risk = {
        controlId: finding.controlId,
        controlTitle: controlById(finding.controlId).title,
        findings: 0,
        exceptionIds: [],
      };
      risks.set(finding.controlId, risk);
    }
    risk.findings++;
    const id = finding.governance?.exceptionId;
    if (id && !risk.exceptionIds.includes(id)) risk.exceptionIds.push(id);
  }
  const byExpiry = (a: RunGovernanceEntry, b: RunGovernanceEntry): number =>
    a.expires.localeCompare(b.expires) || a.id.localeCompare(b.id);
  return {
    records,
    acceptedRisks: [...risks.values()].sort((a, b) => a.controlId.localeCompare(b.controlId)),
    expiringSoon: records
      .filter(
        (entry) =>
          IN_FORCE.has(entry.state) &&
          new Date(entry.expires).getTime() - asOf <= EXPIRING_WITHIN_DAYS * DAY_MS,
      )
      .sort(byExpiry),
    unused: records.filter((entry) => entry.state === 'unused'),
    expired: records.filter((entry) => entry.state === 'expired').sort(byExpiry),
    ignored: records.filter((entry) => entry.state === 'ignored'),
  };
}

export interface WholeAttestationGroup {
  controlId: ControlId;
  controlTitle: string;
  findings: Finding[];
}

export function attestationQueue(findings: Iterable<ScanFinding>): WholeAttestationGroup[] {
  const groups = new Map<ControlId, WholeAttestationGroup>();
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

export function worstClusters(rollups: Iterable<ClusterRollup>, limit: number): ClusterRollup[] {
  return [...rollups]
    .filter((entry) => entry.counts.FAIL + entry.counts.ERROR > 0)
    .sort(
      (a, b) =>
        b.counts.FAIL + b.counts.ERROR - (a.counts.FAIL + a.counts.ERROR) ||
        b.counts.FAIL - a.counts.FAIL ||
        a.clusterName.localeCompare(b.clusterName) ||
        a.clusterId.localeCompare(b.clusterId),
    )
    .slice(0, limit);
}
