import { getCi } from '../../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../../inventory/clusterFacts.js';
import { compareAgentVersions, parseAgentVersion } from '../agentVersion.js';
import { describeOffline, offlineState } from '../connectivity.js';
import type { ControlEvaluator } from '../controlEvaluator.js';
import type { EvaluationContext } from '../evaluationContext.js';
import { missingPropertiesVerdict } from '../readFailures.js';
import { check, verdict, type Verdict } from '../verdict.js';

const STATUSES = new Set(['connecting', 'connected', 'offline', 'expired', 'agentnotinstalled']);

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

  if (typeof statusRaw !== 'string' || !STATUSES.has(statusRaw.trim().toLowerCase())) {
    errors.push(
      `connectivityStatus is ${statusRaw === undefined ? 'missing' : `malformed (${JSON.stringify(statusRaw)})`}`,
    );
  } else {
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
      else if (lastRaw !== undefined && lastRaw !== null && offline.sinceDate === undefined) {
        errors.push(`it is Offline and lastConnectivityTime ${JSON.stringify(lastRaw)} is not a date`);
      } else if (offline.ageDays === undefined || offline.ageDays > thresholds.maxDaysOffline) {
        failures.push(`${describeOffline(offline)}, beyond the ${thresholds.maxDaysOffline}-day limit`);
      } else notes.push(`${describeOffline(offline)}, within the ${thresholds.maxDaysOffline}-day limit`);
    } else notes.push(`the cluster is ${statusRaw.trim()}`);
  }

  const version = parseAgentVersion(versionRaw);
  const minimum = parseAgentVersion(thresholds.minimumAgentVersion);
  const reference = minimum ?? context.newestAgentVersion;
  const expected = minimum
    ? `at least ${minimum.text} (configured minimum)`
    : `within ${thresholds.maxAgentMinorVersionsBehind} minor versions of ${reference?.text ?? 'the newest in the fleet'}`;
  checks.push(check(cluster.id, 'properties.agentVersion', versionRaw, expected));
  if (!version) {
    errors.push(
      `agentVersion is ${versionRaw === undefined ? 'missing' : `malformed (${JSON.stringify(versionRaw)})`}`,
    );
  } else if (minimum) {
    if (compareAgentVersions(version, minimum) < 0)
      failures.push(`Arc agent ${version.text} is older than the configured minimum ${minimum.text}`);
    else notes.push(`Arc agent ${version.text} meets the minimum ${minimum.text}`);
  } else if (reference) {
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
  if (failures.length > 0) return verdict('FAIL', sentence([...failures, ...errors]), { checks });
  if (errors.length > 0) return verdict('ERROR', `Cannot evaluate: ${errors.join('; ')}.`, { checks });
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
};
