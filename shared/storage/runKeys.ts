import { isRunId } from '../scan/runId.js';
import { newestFirst } from './tableKeys.js';

export const RUN_PARTITION = 'run';

/** The start time encoded in a run ID (`20261127T224300Z-…`). */
export function runStartedAt(runId: string): Date {
  if (!isRunId(runId)) throw new RangeError(`not a run ID: ${JSON.stringify(runId)}`);
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(runId) ?? [];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

/** Row key of a run: newest first, then the run ID (unique). */
export function runRowKey(runId: string): string {
  return `${newestFirst(runStartedAt(runId))}_${runId}`;
}

/** Partition of a run's findings for one control. */
export function findingPartition(runId: string, controlId: string): string {
  return `${runId}|${controlId}`;
}
