/** What a live scan reads: explicit subscriptions, management groups, or the whole tenant. */
export type LiveScope =
  | { kind: 'subscriptions'; subscriptionIds: string[] }
  | { kind: 'managementGroups'; managementGroupIds: string[] }
  | { kind: 'tenant' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MANAGEMENT_GROUP = /^[A-Za-z0-9\-_().]{1,90}$/;

/** Validates scope arguments; throws RangeError naming every bad value. */
export function liveScopeOf(
  subscriptions: readonly string[],
  managementGroups: readonly string[],
): LiveScope {
  const bad = [
    ...subscriptions.filter((id) => !GUID.test(id.trim())).map((id) => `subscription "${id}" is not a GUID`),
    ...managementGroups
      .filter((id) => !MANAGEMENT_GROUP.test(id.trim()))
      .map((id) => `management group "${id}" is not a valid ID`),
  ];
  if (bad.length > 0) throw new RangeError(bad.join('; '));
  if (subscriptions.length > 0 && managementGroups.length > 0) {
    throw new RangeError('give subscriptions or management groups, not both');
  }
  if (subscriptions.length > 0) {
    return {
      kind: 'subscriptions',
      subscriptionIds: [...new Set(subscriptions.map((id) => id.trim().toLowerCase()))],
    };
  }
  if (managementGroups.length > 0) {
    return {
      kind: 'managementGroups',
      managementGroupIds: [...new Set(managementGroups.map((id) => id.trim()))],
    };
  }
  return { kind: 'tenant' };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
