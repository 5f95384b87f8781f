import type { ClusterKind, ControlId, Status, StatusCounts } from '../catalog/types.js';
import type { RunPart } from '../scan/runSource.js';
import { ClusterKeys } from './clusterKeys.js';
import type { PartAccumulator } from './partAccumulator.js';
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

/** What is kept per cluster while a run streams past: its first finding's identity and its counts. */
interface ClusterTally extends Record<Status, number> {
  clusterId: string;
  clusterName: string;
  clusterKind: ClusterKind;
  subscriptionId: string;
  resourceGroup: string;
  /** The FAIL and ERROR findings in run order: the control's number × 2, plus 1 for ERROR. */
  troubled: number[] | undefined;
}

/**
 * Counts per cluster, keyed by the cluster ID in lower case. Each cluster costs a few small
 * fields, whatever its findings; its {@link ClusterRollup} is built when asked for.
 */
export class ClusterRollups implements PartAccumulator<ClusterRollupIndex> {
  private readonly tallies = new Map<string, ClusterTally>();
  private readonly controls: ControlId[] = [];
  private readonly controlNumbers = new Map<ControlId, number>();

  constructor(private readonly keys: ClusterKeys = new ClusterKeys()) {}

  add(part: RunPart): void {
    for (const finding of part.findings) {
      const key = this.keys.of(finding.clusterId);
      let tally = this.tallies.get(key);
      if (!tally) {
        tally = {
          clusterId: finding.clusterId,
          clusterName: finding.clusterName,
          clusterKind: finding.clusterKind,
          subscriptionId: finding.subscriptionId,
          resourceGroup: finding.resourceGroup,
          PASS: 0,
          FAIL: 0,
          MANUAL: 0,
          NOT_APPLICABLE: 0,
          ERROR: 0,
          troubled: undefined,
        };
        this.tallies.set(key, tally);
      }
      tally[finding.status]++;
      if (finding.status === 'FAIL' || finding.status === 'ERROR') {
        (tally.troubled ??= []).push(
          this.controlNumber(finding.controlId) * 2 + (finding.status === 'ERROR' ? 1 : 0),
        );
      }
    }
  }

  result(): ClusterRollupIndex {
    return new ClusterRollupIndex(this.tallies, this.controls);
  }

  private controlNumber(controlId: ControlId): number {
    let number = this.controlNumbers.get(controlId);
    if (number === undefined) {
      number = this.controls.length;
      this.controls.push(controlId);
      this.controlNumbers.set(controlId, number);
    }
    return number;
  }
}

/** The clusters' rollups, keyed by the cluster ID in lower case, each built when asked for. */
export class ClusterRollupIndex {
  constructor(
    private readonly tallies: ReadonlyMap<string, ClusterTally>,
    private readonly controls: readonly ControlId[],
  ) {}

  get size(): number {
    return this.tallies.size;
  }

  /** The rollup of the cluster whose ID in lower case is `key`. */
  get(key: string): ClusterRollup | undefined {
    const tally = this.tallies.get(key);
    return tally && this.rollupOf(tally);
  }

  /** Every rollup, in the order the clusters were first seen. */
  *entries(): Generator<[string, ClusterRollup]> {
    for (const [key, tally] of this.tallies) yield [key, this.rollupOf(tally)];
  }

  /** The clusters with the most FAIL + ERROR findings (none without any), worst first, at most `limit`. */
  worst(limit: number): ClusterRollup[] {
    return [...this.tallies.values()]
      .filter((tally) => tally.FAIL + tally.ERROR > 0)
      .sort(
        (a, b) =>
          b.FAIL + b.ERROR - (a.FAIL + a.ERROR) ||
          b.FAIL - a.FAIL ||
          a.clusterName.localeCompare(b.clusterName) ||
          a.clusterId.localeCompare(b.clusterId),
      )
      .slice(0, limit)
      .map((tally) => this.rollupOf(tally));
  }

  private rollupOf(tally: ClusterTally): ClusterRollup {
    const counts: StatusCounts = {
      PASS: tally.PASS,
      FAIL: tally.FAIL,
      MANUAL: tally.MANUAL,
      NOT_APPLICABLE: tally.NOT_APPLICABLE,
      ERROR: tally.ERROR,
    };
    return {
      clusterId: tally.clusterId,
      clusterName: tally.clusterName,
      clusterKind: tally.clusterKind,
      subscriptionId: tally.subscriptionId,
      resourceGroup: tally.resourceGroup,
      counts,
      score: scoreOrNull(counts),
      troubled: (tally.troubled ?? [])
        .map((code) => ({
          controlId: this.controls[code >> 1] as ControlId,
          status: code % 2 === 1 ? ('ERROR' as const) : ('FAIL' as const),
        }))
        .sort((a, b) => a.controlId.localeCompare(b.controlId)),
    };
  }
}
