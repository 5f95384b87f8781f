/** ARM resource IDs: comparison keys and the parent of a provider child resource. */

/** The key under which a resource ID is compared: lower case, no trailing slash, trimmed. */
export function idKey(id: string): string {
  return id.trim().replace(/\/+$/, '').toLowerCase();
}

const SUBSCRIPTION = /^\/subscriptions\/([^/]+)/i;
const RESOURCE_GROUP = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)/i;

export function subscriptionOf(id: string): string | undefined {
  return SUBSCRIPTION.exec(id.trim())?.[1];
}

export function resourceGroupOf(id: string): string | undefined {
  return RESOURCE_GROUP.exec(id.trim())?.[1];
}

/** The last segment of an ID, i.e. the resource's own name. */
export function nameOf(id: string): string {
  const parts = id.trim().replace(/\/+$/, '').split('/');
  return parts[parts.length - 1] ?? '';
}

/**
 * The resource that owns an extension resource: for
 * `{parent}/providers/Microsoft.KubernetesConfiguration/extensions/x` and namespace
 * `Microsoft.KubernetesConfiguration`, returns `{parent}` (with its original casing).
 */
export function parentOfExtensionResource(id: string, providerNamespace: string): string | undefined {
  const marker = `/providers/${providerNamespace.toLowerCase()}/`;
  const at = id.toLowerCase().lastIndexOf(marker);
  if (at <= 0) return undefined;
  return id.slice(0, at);
}

/** The parent of a nested child (`{parent}/securitySettings/default` → `{parent}`). */
export function parentOfChild(id: string, levels = 1): string {
  const parts = id.trim().replace(/\/+$/, '').split('/');
  return parts.slice(0, Math.max(0, parts.length - 2 * levels)).join('/');
}

/** The lower-case resource type of the resource an ID names, e.g. `microsoft.kubernetes/connectedclusters`. */
export function typeOfId(id: string): string | undefined {
  const parts = id.trim().replace(/\/+$/, '').split('/');
  const providersAt = parts.map((p) => p.toLowerCase()).lastIndexOf('providers');
  if (providersAt < 0) return undefined;
  const namespace = parts[providersAt + 1];
  const rest = parts.slice(providersAt + 2);
  if (!namespace || rest.length < 2) return undefined;
  const types: string[] = [];
  for (let i = 0; i < rest.length; i += 2) types.push(rest[i] ?? '');
  return [namespace, ...types].join('/').toLowerCase();
}
