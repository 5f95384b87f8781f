import type { ClusterKind, StatusCounts } from '../catalog/types.js';
import type { CollectionGap } from '../inventory/inventory.js';
import type { InventoryWarning } from '../inventory/inventoryResource.js';
import type { Thresholds } from '../settings/scanSettings.js';
import type { CollectionStats } from '../collection/collectionStats.js';
import type { EffectiveCounts, RunGovernanceEntry, ScanFinding } from '../governance/records.js';

export interface ClusterRow {
  id: string;
  name: string;
  kind: ClusterKind;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  distribution: string;
  kubernetesVersion: string;
  connectivityStatus: string;
  agentVersion: string;
  lastConnectivityTime: string;
  extensionCount: number;
  fluxConfigurationCount: number;
  azureLocalClusterId: string;
}

export interface RunMetadata {
  id: string;
  startedAt: string;
  finishedAt: string;
  /** The clock the verdicts were judged against (offline days, agent age). */
  asOf: string;
  source: 'snapshot' | 'resource-graph';
  complete: boolean;
  clusterCount: number;
  counts: StatusCounts;
  score: number;
  inventoryWarnings: InventoryWarning[];
  /** What could not be read; non-empty exactly when `complete` is false. */
  notRead: CollectionGap[];
  inventory: { resources: number; duplicates: number; ignoredByType: Record<string, number> };
  thresholds: Thresholds;
  /** Counts after exceptions and attestations (absent on runs stored before governance existed). */
  effectiveCounts?: EffectiveCounts;
  /** Score after governance: EXCEPTED leaves the denominator, attested findings count as their result. */
  effectiveScore?: number;
  /** Every governance record the run considered, with its state and the record as applied. */
  governance?: RunGovernanceEntry[];
  /** Request, paging and throttling counters of a live collection. */
  stats?: CollectionStats;
}

/** Everything a scan produced: the contents of findings.json. */
export interface ScanResult {
  run: RunMetadata;
  clusters: ClusterRow[];
  findings: ScanFinding[];
}
