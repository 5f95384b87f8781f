import { getCi } from '../../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../../inventory/clusterFacts.js';
import { compareAgentVersions, parseAgentVersion, readAgentVersion } from '../agentVersion.js';
import { CONNECTIVITY_STATUSES, describeOffline, offlineState } from '../connectivity.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import type { EvaluationContext } from '../evaluationContext.js';
import { missingPropertiesVerdict } from '../readFailures.js';
import { FUTURE_TOLERANCE_MS, readTimestamp, TIMESTAMP_PROBLEMS } from '../timestamps.js';
import { showValue } from '../valueText.js';
import { check, verdict, type Verdict } from '../verdict.js';

const STATUSES = new Set(CONNECTIVITY_STATUSES.map((status) => status.toLowerCase()));

/** Why a present lastConnectivityTime cannot be used; undefined when it can (or is absent or null). */
function heartbeatProblem(raw: unknown, now: Date): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const reading = readTimestamp(raw);
  if (!reading.ok) return `lastConnectivityTime ${showValue(raw)} ${TIMESTAMP_PROBLEMS[reading.problem]}`;
  if (reading.date.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    return `lastConnectivityTime ${showValue(raw)} is in the future (the scan judges as of ${now.toISOString()})`;
  }
  return undefined;
}

function evaluateConnected(cluster: ClusterFacts, context: EvaluationContext): Verdict {
  if (cluster.properties === undefined)
    return missingPropertiesVerdict(cluster, 'connectivityStatus and agentVersion');
  const { thresholds, now } = context;
  const statusRaw = getCi(cluster.properties, 'connectivityStatus');
  const lastRaw = getCi(cluster.properties, 'lastConnectivityTime');
  const versionRaw = getCi(cluster.properties, 'agentVersion');
  const failures: string[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  const checks = [
    check(cluster.id, 'properties.connectivityStatus', statusRaw, 'Connected, or Offline within the limit'),
  ];
  const heartbeat = heartbeatProblem(lastRaw, now);
  if (heartbeat) {
    errors.push(heartbeat);
    checks.push(
      check(
        cluster.id,
        'properties.lastConnectivityTime',
        lastRaw,
        'a time stamp with a zone, not in the future',
      ),
    );
  }

  if (typeof statusRaw !== 'string' || !STATUSES.has(statusRaw.trim().toLowerCase())) {
    errors.push(
      `connectivityStatus is ${statusRaw === undefined ? 'missing' : `malformed (${showValue(statusRaw)})`}`,
    );
  } else if (statusRaw.trim().toLowerCase() === 'agentnotinstalled') {
    failures.push(
      'no Arc agent is installed (connectivityStatus AgentNotInstalled), so the cluster does not report to Azure',
    );
  } else if (!heartbeat) {
    const offline = offlineState(cluster, now);
    if (offline) {
      checks.push(
        check(
          cluster.id,
          'properties.lastConnectivityTime',
          lastRaw,
          `within ${thresholds.maxDaysOffline} days of ${now.toISOString()}`,
        ),
      );
      if (offline.status === 'Expired')
        failures.push(`its Arc identity certificate has expired (${describeOffline(offline)})`);
      else if (offline.ageDays === undefined || offline.ageDays > thresholds.maxDaysOffline) {
        failures.push(`${describeOffline(offline)}, beyond the ${thresholds.maxDaysOffline}-day limit`);
      } else notes.push(`${describeOffline(offline)}, within the ${thresholds.maxDaysOffline}-day limit`);
    } else notes.push(`the cluster is ${statusRaw.trim()}`);
  }

  const reading = readAgentVersion(versionRaw);
  const version = reading.ok ? reading.version : undefined;
  const minimum = parseAgentVersion(thresholds.minimumAgentVersion);
  if (thresholds.minimumAgentVersion !== undefined && !minimum) {
    // A configured minimum that is not a plausible version must not fall back to the fleet's newest.
    errors.push(
      `the configured minimum agent version ${showValue(thresholds.minimumAgentVersion)} is not a plausible version`,
    );
  }
  const reference = minimum ?? context.newestAgentVersion;
  const expected = minimum
    ? `at least ${minimum.text} (configured minimum)`
    : `within ${thresholds.maxAgentMinorVersionsBehind} minor versions of ${reference?.text ?? 'the newest in the fleet'}`;
  checks.push(check(cluster.id, 'properties.agentVersion', versionRaw, expected));
  if (!reading.ok) {
    errors.push(
      versionRaw === undefined
        ? 'agentVersion is missing'
        : `agentVersion ${showValue(versionRaw)} ${reading.problem}`,
    );
  } else if (version && minimum) {
    if (compareAgentVersions(version, minimum) < 0)
      failures.push(`Arc agent ${version.text} is older than the configured minimum ${minimum.text}`);
    else notes.push(`Arc agent ${version.text} meets the minimum ${minimum.text}`);
  } else if (version && reference) {
    const behind =
      reference.major === version.major ? reference.minor - version.minor : Number.POSITIVE_INFINITY;
    if (behind > thresholds.maxAgentMinorVersionsBehind) {
      failures.push(
        `Arc agent ${version.text} is ${Number.isFinite(behind) ? `${behind} minor versions` : 'a major version'} behind the newest in the fleet (${reference.text}); at most ${thresholds.maxAgentMinorVersionsBehind} allowed`,
      );
    } else
      notes.push(
        `Arc agent ${version.text} is within ${thresholds.maxAgentMinorVersionsBehind} minor versions of ${reference.text}`,
      );
  }

  const sentence = (items: string[]): string => `${items.join('; ')}.`.replace(/^./, (c) => c.toUpperCase());
  if (errors.length > 0)
    return verdict('ERROR', `Cannot evaluate: ${[...errors, ...failures].join('; ')}.`, { checks });
  if (failures.length > 0) return verdict('FAIL', sentence(failures), { checks });
  return verdict('PASS', sentence(notes), { checks });
}

export const ds10ConnectedAgents: ControlEvaluator = {
  evaluate(cluster, context) {
    if (cluster.kind === 'aks') {
      return verdict('NOT_APPLICABLE', 'AKS clusters are managed by Azure and run no Arc agents.');
    }
    return evaluateConnected(cluster, context);
  },
  readsClusterExtensions: () => false,
  reads: [
    {
      subject: 'cluster',
      path: ['connectivityStatus'],
      shape: 'enum',
      values: CONNECTIVITY_STATUSES,
      kinds: ['arc', 'aks-arc'],
      whenAbsent: 'error',
      nullIsAbsent: false,
      example: 'Connected',
    },
    {
      subject: 'cluster',
      path: ['lastConnectivityTime'],
      shape: 'timestamp',
      kinds: ['arc', 'aks-arc'],
      whenAbsent: 'allowed',
      absentMeans: 'needed only when the cluster is Offline, which then FAILs for want of it',
      nullIsAbsent: true,
      example: '2026-01-01T00:00:00Z',
    },
    {
      subject: 'cluster',
      path: ['agentVersion'],
      shape: 'agentVersion',
      kinds: ['arc', 'aks-arc'],
      whenAbsent: 'error',
      nullIsAbsent: false,
      example: '1.31.2',
    },
  ],
  agentless: {
    status: 'NOT_APPLICABLE',
    because:
      'running without an agent is its normal state, so there is no agent connection or version to judge',
  },
};
