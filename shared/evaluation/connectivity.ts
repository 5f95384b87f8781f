import { getCi } from '../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { PropertyRead } from './propertyReads.js';
import { readTimestamp } from './timestamps.js';
import type { Verdict } from './verdict.js';

export interface OfflineState {
  status: 'Offline' | 'Expired';
  /** lastConnectivityTime as found, when it reads as a time stamp. */
  since: string | undefined;
  /** lastConnectivityTime is absent (`missing`) or null. */
  unknownBecause: 'missing' | 'null';
  sinceDate: Date | undefined;
  /** Whole days since the last heartbeat; undefined when the time is unknown. */
  days: number | undefined;
  /** Exact days since the last heartbeat (fractional, never negative), for threshold comparisons. */
  ageDays: number | undefined;
}

const DAY_MS = 86_400_000;

/** The `connectivityStatus` values of connectedClusters (2024-12-01-preview and later). */
export const CONNECTIVITY_STATUSES = ['Connecting', 'Connected', 'Offline', 'Expired', 'AgentNotInstalled'];

/**
 * What the engine reads to mark a verdict drawn from cluster extensions as stale. A status that is
 * absent is not taken as offline (the verdict is not marked stale); a malformed status or heartbeat
 * makes the verdict ERROR, since it cannot be told whether the extension data is current.
 */
export const STALENESS_READS: readonly PropertyRead[] = [
  {
    subject: 'cluster',
    path: ['connectivityStatus'],
    shape: 'enum',
    values: CONNECTIVITY_STATUSES,
    kinds: ['arc', 'aks-arc'],
    whenAbsent: 'allowed',
    absentMeans: 'the cluster is not known to be offline, so the verdict is not marked stale',
    nullIsAbsent: true,
    example: 'Connected',
  },
  {
    subject: 'cluster',
    path: ['lastConnectivityTime'],
    shape: 'timestamp',
    kinds: ['arc', 'aks-arc'],
    whenAbsent: 'allowed',
    absentMeans: 'an offline verdict says the offline time is unknown',
    nullIsAbsent: true,
    example: '2026-01-01T00:00:00Z',
  },
];

/** Parses an ISO-8601 time stamp with a zone; undefined for anything else (see timestamps.ts). */
export function parseTimestamp(value: unknown): Date | undefined {
  const reading = readTimestamp(value);
  return reading.ok ? reading.date : undefined;
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
  // A heartbeat read a little after the as-of time (collection lag) is an age of zero.
  const ageDays = sinceDate ? Math.max(0, (now.getTime() - sinceDate.getTime()) / DAY_MS) : undefined;
  return {
    status: normalised === 'offline' ? 'Offline' : 'Expired',
    since: sinceDate ? (raw as string).trim() : undefined,
    unknownBecause: raw === null ? 'null' : 'missing',
    sinceDate,
    days: ageDays === undefined ? undefined : Math.floor(ageDays),
    ageDays,
  };
}

export function describeOffline(state: OfflineState): string {
  const when =
    state.since === undefined
      ? `an unknown time (lastConnectivityTime ${state.unknownBecause})`
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
