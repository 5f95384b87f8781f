import { getCi } from '../inventory/caseInsensitive.js';
import { buildFleet } from '../inventory/buildFleet.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { Inventory } from '../inventory/inventory.js';
import { buildEvaluationContext } from '../evaluation/evaluationContext.js';
import { evaluateFleet } from '../evaluation/evaluateFleet.js';
import { complianceScore, countStatuses } from '../runCalculations/summarise.js';
import type { ScanSettings } from '../settings/scanSettings.js';
import type { ClusterRow, RunMetadata, ScanResult } from './scanResult.js';
import type { CollectionStats } from '../collection/collectionStats.js';
import { applyGovernance } from '../governance/applyGovernance.js';
import type { ActiveRecord } from '../governance/records.js';

export interface EvaluateInventoryRequest {
  inventory: Inventory;
  settings: ScanSettings;
  runId: string;
  source: RunMetadata['source'];
  startedAt: Date;
  /** The evaluation clock; defaults to startedAt. */
  asOf?: Date;
  onProgress?: (done: number, total: number) => void;
  clock?: () => Date;
  stats?: CollectionStats;
  /** Exceptions and attestations to apply (none: every effective verdict is the observed one). */
  governance?: readonly ActiveRecord[];
}

function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : JSON.stringify(value);
}

function toClusterRow(cluster: ClusterFacts): ClusterRow {
  const read = (key: string): string => text(getCi(cluster.properties, key));
  return {
    id: cluster.id,
    name: cluster.name,
    kind: cluster.kind,
    subscriptionId: cluster.subscriptionId,
    resourceGroup: cluster.resourceGroup,
    location: cluster.location,
    distribution: cluster.kind === 'aks' ? 'aks' : read('distribution'),
    kubernetesVersion: read('kubernetesVersion'),
    connectivityStatus: cluster.kind === 'aks' ? '' : read('connectivityStatus'),
    agentVersion: cluster.kind === 'aks' ? '' : read('agentVersion'),
    lastConnectivityTime: cluster.kind === 'aks' ? '' : read('lastConnectivityTime'),
    extensionCount: cluster.extensions.length,
    fluxConfigurationCount: cluster.fluxConfigurations.length,
    azureLocalClusterId: cluster.azureLocal?.azureLocalClusterId ?? '',
  };
}

/** The scan use case after collection: link, evaluate, count. Pure apart from the clock. */
export function evaluateInventory(request: EvaluateInventoryRequest): ScanResult {
  const { inventory, settings } = request;
  const asOf = request.asOf ?? request.startedAt;
  const fleet = buildFleet(inventory, settings.azureLocalHosts);
  const context = buildEvaluationContext(fleet, settings.thresholds, asOf);
  const observed = evaluateFleet(fleet, context, request.onProgress);
  const counts = countStatuses(observed);
  const complete = inventory.gaps.length === 0;
  const governed = applyGovernance(observed, request.governance ?? [], { asOf, complete });
  const finishedAt = (request.clock ?? (() => new Date()))();
  return {
    run: {
      id: request.runId,
      startedAt: request.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      asOf: asOf.toISOString(),
      source: request.source,
      complete,
      clusterCount: fleet.clusters.length,
      counts,
      score: complianceScore(counts),
      effectiveCounts: governed.effectiveCounts,
      effectiveScore: governed.effectiveScore,
      governance: governed.governance,
      inventoryWarnings: [...fleet.warnings, ...context.warnings],
      notRead: inventory.gaps,
      inventory: {
        resources: inventory.resources.length,
        duplicates: inventory.duplicateCount,
        ignoredByType: inventory.ignoredByType,
      },
      thresholds: settings.thresholds,
      ...(request.stats ? { stats: request.stats } : {}),
    },
    clusters: fleet.clusters.map(toClusterRow),
    findings: governed.findings,
  };
}
