import { createHash } from 'node:crypto';

import type { LiveScope } from '../collection/liveScope.js';

function compact(prefix: string, values: readonly string[]): string {
  const joined = [...values]
    .map((value) => value.toLowerCase())
    .sort()
    .join(',');
  return joined.length <= 200
    ? `${prefix}:${joined}`
    : `${prefix}:sha256:${createHash('sha256').update(joined).digest('hex')}`;
}

/**
 * The scope a run covered, as a stable key: runs are compared with the previous complete run of
 * the same key. Offline scans are keyed by a label (default `default`).
 */
export function scopeKeyOf(
  source:
    | { kind: 'snapshot'; label: string }
    | { kind: 'live'; scope: LiveScope }
    | { kind: 'cluster'; clusterId: string },
): string {
  if (source.kind === 'snapshot') return `snapshot:${source.label}`;
  if (source.kind === 'cluster') return `cluster:${source.clusterId.toLowerCase()}`;
  const { scope } = source;
  if (scope.kind === 'subscriptions') return compact('subscriptions', scope.subscriptionIds);
  if (scope.kind === 'managementGroups') return compact('managementGroups', scope.managementGroupIds);
  return 'tenant';
}
