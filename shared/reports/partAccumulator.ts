import type { RunPart } from '../scan/runSource.js';

/**
 * A rollup built while a run streams past: `add` each part in run order, then read `result()`
 * once. What it keeps is bounded by the catalog or by the clusters, never by the findings, so the
 * reports of a run of any size are drawn from one pass over its parts.
 */
export interface PartAccumulator<T> {
  add(part: RunPart): void;
  result(): T;
}
