import { getCi } from '../inventory/caseInsensitive.js';
import { buildFleet } from '../inventory/buildFleet.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { CollectionGap, Inventory } from '../inventory/inventory.js';
import { buildEvaluationContext } from '../evaluation/evaluationContext.js';
import { evaluateFleet } from '../evaluation/evaluateFleet.js';
import type { Finding } from '../catalog/types.js';
import type { AgentVersion } from '../evaluation/agentVersion.js';
import type { InventoryWarning } from '../inventory/inventoryResource.js';
import type { ScanSettings } from '../settings/scanSettings.js';
import type { ClusterRow, RunMetadata, ScanResult } from './scanResult.js';
import type { CollectionStats } from '../collection/collectionStats.js';
import type { ActiveRecord, ScanFinding } from '../governance/records.js';
import { emptyRunTally, runMetadataOf, tallyPart } from './runTally.js';

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

/** Facts about the whole fleet an evaluation of part of it needs (merged from every batch). */
export interface FleetFacts {
  /** Newest plausible Arc agent version among the fleet's clusters that run agents (DS-10). */
  newestAgentVersion: AgentVersion | undefined;
  /** What the fleet-wide facts found doubtful (reported once per run). */
  warnings: InventoryWarning[];
}

/** One part of a run (a batch of subscriptions, or the whole inventory), evaluated. */
export interface EvaluatedPart {
  clusters: ClusterRow[];
  findings: Finding[];
  warnings: InventoryWarning[];
  resources: number;
  duplicates: number;
  ignoredByType: Record<string, number>;
}

export interface EvaluatePartRequest {
  /** What this part holds: counted in the run's inventory figures. */
  own: Inventory;
  /** Resources of other parts that link to this one (hosts, backup instances); only read. */
  linked?: Inventory;
  settings: ScanSettings;
  asOf: Date;
  /** The whole fleet's facts; without them, the part is taken as the whole fleet. */
  facts?: FleetFacts;
  onProgress?: (done: number, total: number) => void;
}

/** Links and evaluates one part of a run. Pure. */
export function evaluatePart(request: EvaluatePartRequest): EvaluatedPart {
  const { own, linked, settings } = request;
  const inventory: Inventory = linked
    ? {
        ...own,
        resources: [...own.resources, ...linked.resources],
        warnings: [...own.warnings, ...linked.warnings],
      }
    : own;
  const fleet = buildFleet(inventory, settings.azureLocalHosts);
  const context = buildEvaluationContext(fleet, settings.thresholds, request.asOf);
  if (request.facts) {
    context.newestAgentVersion = request.facts.newestAgentVersion;
    context.warnings = [];
  }
  const findings = evaluateFleet(fleet, context, request.onProgress);
  return {
    clusters: fleet.clusters.map(toClusterRow),
    findings,
    // The linked part's own warnings are reported with the part that holds it.
    warnings: [...own.warnings, ...fleet.warnings.slice(inventory.warnings.length), ...context.warnings],
    resources: own.resources.length,
    duplicates: own.duplicateCount,
    ignoredByType: own.ignoredByType,
  };
}

export interface AssembleRequest {
  runId: string;
  source: RunMetadata['source'];
  startedAt: Date;
  asOf: Date;
  settings: ScanSettings;
  gaps: CollectionGap[];
  /** The fleet-wide facts' warnings, after every part's. */
  factWarnings?: InventoryWarning[];
  /** Exceptions and attestations to apply (none: every effective verdict is the observed one). */
  governance?: readonly ActiveRecord[];
  clock?: () => Date;
  stats?: CollectionStats;
}

/** The run's result from its evaluated parts, in order: counts, score and inventory figures summed. */
export function assembleScanResult(parts: readonly EvaluatedPart[], request: AssembleRequest): ScanResult {
  const tally = emptyRunTally();
  const governance = { records: request.governance ?? [], asOf: request.asOf };
  const clusters: ClusterRow[] = [];
  const findings: ScanFinding[] = [];
  for (const part of parts) {
    const governed = tallyPart(part, governance, tally);
    for (const cluster of governed.clusters) clusters.push(cluster);
    for (const finding of governed.findings) findings.push(finding);
  }
  const run = runMetadataOf(tally, {
    ...request,
    finishedAt: (request.clock ?? (() => new Date()))(),
  });
  return { run, clusters, findings };
}

/** The scan use case after collection: link, evaluate, count. Pure apart from the clock. */
export function evaluateInventory(request: EvaluateInventoryRequest): ScanResult {
  const { inventory, settings } = request;
  const asOf = request.asOf ?? request.startedAt;
  const part = evaluatePart({
    own: inventory,
    settings,
    asOf,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  return assembleScanResult([part], {
    runId: request.runId,
    source: request.source,
    startedAt: request.startedAt,
    asOf,
    settings,
    gaps: inventory.gaps,
    ...(request.governance ? { governance: request.governance } : {}),
    ...(request.clock ? { clock: request.clock } : {}),
    ...(request.stats ? { stats: request.stats } : {}),
  });
}
