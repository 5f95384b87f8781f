import type { Status, StatusCounts } from '../catalog/types.js';
import { complianceScore, emptyCounts } from '../runCalculations/summarise.js';

/** Status counts per key, in order of first appearance, added to item by item. */
export class CountsByKey {
  readonly counts = new Map<string, StatusCounts>();

  add(key: string, status: Status): void {
    let entry = this.counts.get(key);
    if (!entry) {
      entry = emptyCounts();
      this.counts.set(key, entry);
    }
    entry[status]++;
  }
}

/** The compliance score, or null when nothing counts (everything NOT_APPLICABLE, or no findings). */
export function scoreOrNull(counts: StatusCounts): number | null {
  return counts.PASS + counts.FAIL + counts.MANUAL + counts.ERROR === 0 ? null : complianceScore(counts);
}

/** Sum of every status. */
export function totalOf(counts: StatusCounts): number {
  return counts.PASS + counts.FAIL + counts.MANUAL + counts.NOT_APPLICABLE + counts.ERROR;
}
