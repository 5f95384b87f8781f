import type { ClusterKind, ControlId, StatusCounts } from '../catalog/types.js';
import type { RunPart } from '../scan/runSource.js';
import { ClusterLocations, type PartLocation } from './clusterLocations.js';
import { SortedSpool, type SortedSpoolOptions } from './sortedSpool.js';
import { scoreOrNull } from './statusBreakdown.js';

export interface ClusterRollup {
  clusterId: string;
  clusterName: string;
  clusterKind: ClusterKind;
  subscriptionId: string;
  resourceGroup: string;
  counts: StatusCounts;
  score: number | null;
  /** Controls with FAIL or ERROR, in catalog order. */
  troubled: Array<{ controlId: ControlId; status: 'FAIL' | 'ERROR' }>;
}

/** Clusters in the "needing attention" table of the HTML report. */
export const WORST_CLUSTER_LIMIT = 20;

/** JSON characters of tallies held in memory before a spool writes them out. */
const SPOOL_RUN_CHARS = 1024 * 1024;

type CountsTuple = [pass: number, fail: number, manual: number, notApplicable: number, error: number];

/** What one part says about one cluster (its key is its ID in lower case). */
interface PartTally {
  key: string;
  part: number;
  /** Run-wide position of the cluster's first finding in this part; -1 when the part has none. */
  first: number;
  /** From the cluster's first finding in this part. */
  identity?: Pick<
    ClusterRollup,
    'clusterId' | 'clusterName' | 'clusterKind' | 'subscriptionId' | 'resourceGroup'
  >;
  counts: CountsTuple;
  /** FAIL (0) and ERROR (1) findings, in run order. */
  troubled: Array<[ControlId, 0 | 1]>;
  /** The kinds the cluster's findings in this part name. */
  kinds: ClusterKind[];
  /** The location of the cluster's last row in this part. */
  location?: string;
  /** Run-wide positions of the cluster's rows in this part. */
  rows: number[];
}

/** A cluster row's counts, in run order; `counts` is absent for a cluster without findings. */
export interface RowCounts {
  row: number;
  counts?: StatusCounts;
}

const STATUS_INDEX = { PASS: 0, FAIL: 1, MANUAL: 2, NOT_APPLICABLE: 3, ERROR: 4 } as const;

function countsOf(tuple: CountsTuple): StatusCounts {
  return { PASS: tuple[0], FAIL: tuple[1], MANUAL: tuple[2], NOT_APPLICABLE: tuple[3], ERROR: tuple[4] };
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Ranked {
  rollup: ClusterRollup;
  first: number;
}

/** Most FAIL + ERROR first, then most FAIL, then name and ID, then the cluster seen first. */
function compareWorst(a: Ranked, b: Ranked): number {
  const x = a.rollup;
  const y = b.rollup;
  return (
    y.counts.FAIL + y.counts.ERROR - (x.counts.FAIL + x.counts.ERROR) ||
    y.counts.FAIL - x.counts.FAIL ||
    x.clusterName.localeCompare(y.clusterName) ||
    x.clusterId.localeCompare(y.clusterId) ||
    a.first - b.first
  );
}

/**
 * Per-cluster rollups of a run in bounded memory. Each part's clusters are tallied on their own and
 * spooled (to temporary files past a megabyte); `result()` merges the tallies of each cluster — a
 * cluster whose findings or rows span parts is counted once — and keeps only the worst clusters,
 * the clusters per kind, and two spools read back in run order: each cluster row's counts and the
 * location of each part's clusters. `dispose()` removes the files.
 */
export class ClusterRollups {
  private readonly tallies: SortedSpool<PartTally>;
  private readonly rows: SortedSpool<RowCounts>;
  private readonly locations: SortedSpool<PartLocation>;
  private readonly worstLimit: number;
  private part = 0;
  private rowCount = 0;
  private findingCount = 0;

  constructor(options: { worstLimit?: number; spool?: SortedSpoolOptions } = {}) {
    const spool = { runChars: SPOOL_RUN_CHARS, ...options.spool };
    this.tallies = new SortedSpool<PartTally>((a, b) => byText(a.key, b.key), spool);
    this.rows = new SortedSpool<RowCounts>((a, b) => a.row - b.row, spool);
    this.locations = new SortedSpool<PartLocation>((a, b) => a.part - b.part, spool);
    this.worstLimit = options.worstLimit ?? WORST_CLUSTER_LIMIT;
  }

  async add(part: RunPart): Promise<void> {
    const own = new Map<string, PartTally>();
    const tallyOf = (clusterId: string): PartTally => {
      const key = clusterId.toLowerCase();
      let tally = own.get(key);
      if (!tally) {
        tally = {
          key,
          part: this.part,
          first: -1,
          counts: [0, 0, 0, 0, 0],
          troubled: [],
          kinds: [],
          rows: [],
        };
        own.set(key, tally);
      }
      return tally;
    };
    for (const cluster of part.clusters) {
      const tally = tallyOf(cluster.id);
      tally.location = cluster.location;
      tally.rows.push(this.rowCount++);
    }
    for (const finding of part.findings) {
      const tally = tallyOf(finding.clusterId);
      if (tally.identity === undefined) {
        tally.first = this.findingCount;
        tally.identity = {
          clusterId: finding.clusterId,
          clusterName: finding.clusterName,
          clusterKind: finding.clusterKind,
          subscriptionId: finding.subscriptionId,
          resourceGroup: finding.resourceGroup,
        };
      }
      this.findingCount++;
      tally.counts[STATUS_INDEX[finding.status]]++;
      if (finding.status === 'FAIL' || finding.status === 'ERROR')
        tally.troubled.push([finding.controlId, finding.status === 'ERROR' ? 1 : 0]);
      if (!tally.kinds.includes(finding.clusterKind)) tally.kinds.push(finding.clusterKind);
    }
    for (const tally of own.values()) await this.tallies.add(tally);
    this.part++;
  }

  /** Merges the tallies; call once, after the last part. */
  async result(): Promise<ClusterRollupIndex> {
    const worst: Ranked[] = [];
    const kinds = new Map<ClusterKind, number>();
    let group: PartTally[] = [];
    const close = async (): Promise<void> => {
      if (group.length === 0) return;
      await this.merge(group, worst, kinds);
      group = [];
    };
    for await (const tally of this.tallies.sorted()) {
      if (group.length > 0 && group[0]?.key !== tally.key) await close();
      group.push(tally);
    }
    await close();
    await this.tallies.dispose();
    return new ClusterRollupIndex(
      worst.map((ranked) => ranked.rollup),
      kinds,
      this.rows,
      this.locations,
    );
  }

  /** Removes the spools' files. */
  async dispose(): Promise<void> {
    await Promise.all([this.tallies.dispose(), this.rows.dispose(), this.locations.dispose()]);
  }

  private async merge(
    group: readonly PartTally[],
    worst: Ranked[],
    kinds: Map<ClusterKind, number>,
  ): Promise<void> {
    const withFindings = group.filter((tally) => tally.identity !== undefined);
    const firstTally = withFindings[0];
    const counts: CountsTuple = [0, 0, 0, 0, 0];
    const clusterKinds = new Set<ClusterKind>();
    const troubled: Array<[ControlId, 0 | 1]> = [];
    let location: string | undefined;
    for (const tally of group) {
      tally.counts.forEach((count, index) => (counts[index] = (counts[index] ?? 0) + count));
      for (const entry of tally.troubled) troubled.push(entry);
      for (const kind of tally.kinds) clusterKinds.add(kind);
      if (tally.location !== undefined) location = tally.location;
    }
    for (const kind of clusterKinds) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const statusCounts = countsOf(counts);
    for (const tally of group)
      for (const row of tally.rows) await this.rows.add(firstTally ? { row, counts: statusCounts } : { row });
    if (location !== undefined)
      for (const tally of withFindings)
        await this.locations.add({ part: tally.part, key: tally.key, location });
    if (!firstTally?.identity || statusCounts.FAIL + statusCounts.ERROR === 0) return;
    const ranked: Ranked = {
      first: firstTally.first,
      rollup: {
        ...firstTally.identity,
        counts: statusCounts,
        score: scoreOrNull(statusCounts),
        troubled: [],
      },
    };
    if (worst.length >= this.worstLimit && compareWorst(ranked, worst[worst.length - 1] as Ranked) >= 0)
      return;
    // Only a cluster that ranks gets its troubled controls listed.
    ranked.rollup.troubled = troubled
      .map(([controlId, error]) => ({
        controlId,
        status: error === 1 ? ('ERROR' as const) : ('FAIL' as const),
      }))
      .sort((a, b) => a.controlId.localeCompare(b.controlId));
    let at = worst.length;
    while (at > 0 && compareWorst(ranked, worst[at - 1] as Ranked) < 0) at--;
    worst.splice(at, 0, ranked);
    if (worst.length > this.worstLimit) worst.pop();
  }
}

/** The merged cluster rollups of a run: what the reports show per cluster. */
export class ClusterRollupIndex {
  constructor(
    private readonly worstClusters: readonly ClusterRollup[],
    /** Clusters per kind: a cluster counts under every kind its findings name. */
    readonly clustersByKind: ReadonlyMap<ClusterKind, number>,
    private readonly rowSpool: SortedSpool<RowCounts>,
    private readonly locationSpool: SortedSpool<PartLocation>,
  ) {}

  /**
   * The clusters with the most FAIL + ERROR findings (none without any), worst first, at most
   * `limit` (and at most the limit the rollups were built with).
   */
  worst(limit: number): ClusterRollup[] {
    return this.worstClusters.slice(0, Math.max(0, limit));
  }

  /** Every cluster row's counts, one per row of the run's parts, in run order. */
  rowCounts(): AsyncGenerator<RowCounts> {
    return this.rowSpool.sorted();
  }

  /** The locations of the clusters with findings, loaded part by part (see {@link ClusterLocations}). */
  locations(): ClusterLocations {
    return new ClusterLocations(this.locationSpool.sorted());
  }
}
