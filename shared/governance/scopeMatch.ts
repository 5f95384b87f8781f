import type { ClusterKind } from '../catalog/types.js';
import { idKey, resourceGroupOf, subscriptionOf, typeOfId } from '../inventory/resourceId.js';
import type { GovernanceScope } from './records.js';

/** The parts of a finding a scope is matched against. */
export interface ScopeTarget {
  clusterId: string;
  clusterKind: ClusterKind;
  subscriptionId: string;
  resourceGroup: string;
}

/** How narrow a scope is: 0 cluster, 1 resource group, 2 subscription, 3 kind (lower wins). */
export type ScopeRank = 0 | 1 | 2 | 3;
export const RANK_NAMES = ['cluster', 'resource group', 'subscription', 'kind'] as const;

export function scopeRank(scope: GovernanceScope): ScopeRank {
  if (scope.clusters?.length) return 0;
  if (scope.resourceGroups?.length) return 1;
  if (scope.subscriptions?.length) return 2;
  return 3;
}

const rgKey = (subscriptionId: string, resourceGroup: string): string =>
  `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}`.toLowerCase();

/** True when every dimension the scope names contains the target (IDs compared ignoring case). */
export function scopeMatches(scope: GovernanceScope, target: ScopeTarget): boolean {
  if (scope.clusters?.length && !scope.clusters.some((id) => idKey(id) === idKey(target.clusterId)))
    return false;
  if (
    scope.resourceGroups?.length &&
    !scope.resourceGroups.some((id) => idKey(id) === rgKey(target.subscriptionId, target.resourceGroup))
  )
    return false;
  if (
    scope.subscriptions?.length &&
    !scope.subscriptions.some((id) => id.trim().toLowerCase() === target.subscriptionId.toLowerCase())
  )
    return false;
  if (scope.kinds?.length && !scope.kinds.includes(target.clusterKind)) return false;
  return true;
}

interface Derived {
  clusters?: Set<string>;
  resourceGroups?: Set<string>;
  subscriptions?: Set<string>;
  kinds?: Set<ClusterKind>;
}

const KINDS_OF_TYPE: Record<string, ClusterKind[]> = {
  'microsoft.kubernetes/connectedclusters': ['arc', 'aks-arc'],
  'microsoft.containerservice/managedclusters': ['aks'],
};

/** The narrowest sets of each dimension a scope allows, including those its IDs imply. */
function derive(scope: GovernanceScope): Derived {
  const derived: Derived = {};
  const intersect = <T>(current: Set<T> | undefined, values: T[]): Set<T> =>
    current ? new Set(values.filter((value) => current.has(value))) : new Set(values);
  if (scope.clusters?.length) {
    derived.clusters = new Set(scope.clusters.map(idKey));
    derived.resourceGroups = new Set(
      scope.clusters.map((id) => rgKey(subscriptionOf(id) ?? '', resourceGroupOf(id) ?? '')),
    );
    derived.subscriptions = new Set(scope.clusters.map((id) => (subscriptionOf(id) ?? '').toLowerCase()));
    derived.kinds = new Set(scope.clusters.flatMap((id) => KINDS_OF_TYPE[typeOfId(id) ?? ''] ?? []));
  }
  if (scope.resourceGroups?.length) {
    derived.resourceGroups = intersect(derived.resourceGroups, scope.resourceGroups.map(idKey));
    derived.subscriptions = intersect(
      derived.subscriptions,
      scope.resourceGroups.map((id) => (subscriptionOf(id) ?? '').toLowerCase()),
    );
  }
  if (scope.subscriptions?.length)
    derived.subscriptions = intersect(
      derived.subscriptions,
      scope.subscriptions.map((id) => id.trim().toLowerCase()),
    );
  if (scope.kinds?.length) derived.kinds = intersect(derived.kinds, scope.kinds);
  return derived;
}

function disjoint<T>(a: Set<T> | undefined, b: Set<T> | undefined): boolean {
  if (!a || !b) return false;
  for (const value of a) if (b.has(value)) return false;
  return true;
}

/**
 * True when some cluster could match both scopes. Conservative: it may say yes for scopes no
 * real cluster satisfies together, never no for scopes one cluster does.
 */
export function scopesOverlap(a: GovernanceScope, b: GovernanceScope): boolean {
  const left = derive(a);
  const right = derive(b);
  return !(
    disjoint(left.clusters, right.clusters) ||
    disjoint(left.resourceGroups, right.resourceGroups) ||
    disjoint(left.subscriptions, right.subscriptions) ||
    disjoint(left.kinds, right.kinds) ||
    [left, right].some(
      (side) => side.resourceGroups?.size === 0 || side.subscriptions?.size === 0 || side.kinds?.size === 0,
    )
  );
}
