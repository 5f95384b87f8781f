import { liveScopeOf, type LiveScope } from '../collection/liveScope.js';
import { validateClusterId } from '../collection/collectSingleCluster.js';

/** A request body, or why it is refused (the API answers 400 with the reason). */
export type BodyRead<T> = { ok: true; value: T } | { ok: false; detail: string };

const MAX_SCOPE_ENTRIES = 1000;

export const SCAN_BODY_SHAPES =
  'the body must be {} (the configured scope), {"subscriptions":["<id>", …]} or {"managementGroups":["<id>", …]}';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function nonEmptyStrings(value: unknown, key: string): string[] | string {
  if (!Array.isArray(value) || value.length === 0)
    return `"${key}" must be a non-empty array of strings (an empty scope is {})`;
  if (value.length > MAX_SCOPE_ENTRIES) return `"${key}" may hold at most ${MAX_SCOPE_ENTRIES} entries`;
  if (!value.every((item) => typeof item === 'string')) return `every entry of "${key}" must be a string`;
  return value as string[];
}

/**
 * The body of `POST /api/scans`, accepted only in one of its documented shapes: `{}` (the
 * configured scope), `{"subscriptions":[…]}` or `{"managementGroups":[…]}` with at least one valid
 * ID. Anything else — null, an array, a number, a string, a misspelt or extra key, both keys, an
 * empty list — is refused, so a malformed request can never widen a scan to everything readable.
 */
export function readScanBody(body: unknown): BodyRead<LiveScope | undefined> {
  if (!isPlainObject(body)) return { ok: false, detail: SCAN_BODY_SHAPES };
  const keys = Object.keys(body);
  if (keys.length === 0) return { ok: true, value: undefined };
  const [key] = keys;
  if (keys.length > 1 || (key !== 'subscriptions' && key !== 'managementGroups'))
    return {
      ok: false,
      detail: `${SCAN_BODY_SHAPES}; got the key(s) ${keys
        .slice(0, 5)
        .map((k) => JSON.stringify(k.slice(0, 60)))
        .join(', ')}`,
    };
  const ids = nonEmptyStrings(body[key], key);
  if (typeof ids === 'string') return { ok: false, detail: ids };
  try {
    return {
      ok: true,
      value: key === 'subscriptions' ? liveScopeOf(ids, []) : liveScopeOf([], ids),
    };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message.slice(0, 2000) : 'invalid scope' };
  }
}

/** The body of `POST /api/clusters/rescan`: exactly `{"clusterId":"/subscriptions/…"}`. */
export function readRescanBody(body: unknown): BodyRead<string> {
  const shape = 'the body must be {"clusterId":"/subscriptions/…"}';
  if (!isPlainObject(body)) return { ok: false, detail: shape };
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'clusterId' || typeof body.clusterId !== 'string')
    return { ok: false, detail: shape };
  try {
    return { ok: true, value: validateClusterId(body.clusterId) };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message.slice(0, 2000) : 'invalid clusterId' };
  }
}
