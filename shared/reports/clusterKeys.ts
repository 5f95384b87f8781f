/**
 * Cluster IDs in lower case, one string per cluster however many findings and rollups name it,
 * so that every rollup keyed by cluster shares the same keys.
 */
export class ClusterKeys {
  private readonly keys = new Map<string, string>();

  /** The cluster's key: its ID in lower case. */
  of(clusterId: string): string {
    const lower = clusterId.toLowerCase();
    const known = this.keys.get(lower);
    if (known !== undefined) return known;
    this.keys.set(lower, lower);
    return lower;
  }
}
