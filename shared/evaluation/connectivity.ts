import { getCi } from '../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { Verdict } from './verdict.js';

export interface OfflineState {
  status: 'Offline' | 'Expired';
  /** lastConnectivityTime as found, when it parses as a date. */
  since: string | undefined;
  sinceDate: Date | undefined;
  /** Whole days since the last heartbeat; undefined when the time is unknown. */
  days: number | undefined;
  /** Exact days since the last heartbeat (fractional), for threshold comparisons. */
  ageDays: number | undefined;
}

const DAY_MS = 86_400_000;

/** Parses an ISO-8601 timestamp strictly; undefined for anything else. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value.trim())) return undefined;
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Offline or Expired state of an Arc or AKS Arc cluster; undefined when connected or unknown. */
export function offlineState(cluster: ClusterFacts, now: Date): OfflineState | undefined {
  if (cluster.kind === 'aks') return undefined;
  const status = getCi(cluster.properties, 'connectivityStatus');
  if (typeof status !== 'string') return undefined;
  const normalised = status.trim().toLowerCase();
  if (normalised !== 'offline' && normalised !== 'expired') return undefined;
  const raw = getCi(cluster.properties, 'lastConnectivityTime');
  const sinceDate = parseTimestamp(raw);
  return {
    status: normalised === 'offline' ? 'Offline' : 'Expired',
    since: sinceDate ? (raw as string).trim() : undefined,
    sinceDate,
    days: sinceDate ? Math.floor((now.getTime() - sinceDate.getTime()) / DAY_MS) : undefined,
    ageDays: sinceDate ? (now.getTime() - sinceDate.getTime()) / DAY_MS : undefined,
  };
}

export function describeOffline(state: OfflineState): string {
  const when =
    state.since === undefined
      ? 'an unknown time (no lastConnectivityTime)'
      : `${state.since} (${state.days ?? 0} day${state.days === 1 ? '' : 's'})`;
  return `the cluster is ${state.status} and has not reported since ${when}`;
}

/**
 * Marks a verdict drawn from an offline cluster's last known state: evidence.stale and a reason
 * that says since when the cluster has been offline.
 */
export function markStale(result: Verdict, state: OfflineState): Verdict {
  return {
    ...result,
    reason: `${result.reason.replace(/\.$/, '')} — last known state: ${describeOffline(state)}.`,
    evidence: { ...result.evidence, stale: true, staleSince: state.since ?? null },
  };
}
