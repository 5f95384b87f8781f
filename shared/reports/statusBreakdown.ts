import type { Status, StatusCounts } from '../catalog/types.js';
import { complianceScore, emptyCounts } from '../runCalculations/summarise.js';

/** Status counts per key, in order of first appearance. */
export function countByKey<T extends { status: Status }>(
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

/** The compliance score, or null when nothing counts (everything NOT_APPLICABLE, or no findings). */
export function scoreOrNull(counts: StatusCounts): number | null {
  return counts.PASS + counts.FAIL + counts.MANUAL + counts.ERROR === 0 ? null : complianceScore(counts);
}

/** Sum of every status. */
export function totalOf(counts: StatusCounts): number {
  return counts.PASS + counts.FAIL + counts.MANUAL + counts.NOT_APPLICABLE + counts.ERROR;
}
