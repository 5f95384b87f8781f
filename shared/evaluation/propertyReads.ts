import type { ClusterKind } from '../catalog/types.js';
import { conflictingValues, getCi, isJsonObject } from '../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import { EXTENSION_TYPES, type ExtensionCapability } from './clusterExtensions.js';

/**
 * Every property an evaluator reads is declared as data: where it is, what a well-formed value
 * looks like and what its absence means. The engine checks each declared value before the
 * evaluator runs (readValidation.ts), and the mutation tests derive their cases from these lists.
 */

/** Whose property bag a read starts from. */
export type ReadSubject =
  /** The cluster's `properties`. */
  | 'cluster'
  /** Each element of the AKS cluster's `properties.agentPoolProfiles`. */
  | 'agentPool'
  /** Each extension of `capability` (or every extension): `properties`, or the top level. */
  | 'extension'
  /** Each Flux configuration of the cluster: `properties`, or the top level. */
  | 'fluxConfiguration'
  /** The hosting Azure Local cluster's security settings `properties` (AKS Arc). */
  | 'securitySettings';

/** What a well-formed value is. */
export type ValueShape =
  /** A non-empty string (one of `values` when given, compared ignoring case). */
  | 'enum'
  /** A JSON boolean, or a string (a string other than true/false is judged by the control). */
  | 'boolean'
  /** A positive number, or a string (a numeric one must be positive; other strings are judged by the control). */
  | 'seconds'
  /** An ISO-8601 time stamp with a zone, not later than the scan's as-of time plus a day. */
  | 'timestamp'
  /** A plausible Arc agent version (major.minor[.patch], each part at most five digits). */
  | 'agentVersion'
  | 'object'
  | 'list'
  | 'text';

export interface PropertyRead {
  subject: ReadSubject;
  /** For extension reads: whose extensions are read. */
  capability?: ExtensionCapability | 'any';
  /** Keys below the subject's property bag, each matched ignoring case (a key may contain dots). */
  path: readonly string[];
  shape: ValueShape;
  /** The cluster kinds for which the control reads it. */
  kinds: readonly ClusterKind[];
  /** For `enum`: the values Azure documents; any other string is malformed. */
  values?: readonly string[];
  /**
   * What absence means: `error` → the verdict is ERROR; `not-pass` → the control's rule for a
   * missing value applies and never gives PASS; `allowed` → documented (a default, another read
   * that decides, or information only) and said in `absentMeans`.
   */
  whenAbsent: 'error' | 'not-pass' | 'allowed';
  absentMeans?: string;
  /** When absence gives a documented default, a word the reason then contains (e.g. "default"). */
  absentReasonMentions?: string;
  /** ARM writes an unset property as null: read null as absent. Otherwise null is malformed. */
  nullIsAbsent: boolean;
  /**
   * Reads of one control that share a `group` but name different `option`s are alternatives: any
   * one option can satisfy the control (e.g. Key Vault KMS or infrastructure encryption).
   */
  alternative?: { group: string; option: string };
  /** A well-formed value that satisfies the control (used to build test clusters). */
  example: unknown;
}

/** Azure's provisioning states of a cluster extension. */
export const PROVISIONING_STATES = ['Succeeded', 'Failed', 'Canceled', 'Creating', 'Updating', 'Deleting'];

/** One place a declared read looked, and what it found there. */
export interface ReadLocation {
  read: PropertyRead;
  /** Resource the value was read from. */
  source: string;
  /** Where the value was (or would have been) found, e.g. `properties.configurationSettings.x`. */
  path: string;
  /**
   * `absent`: not there; `value`: found; `blocked`: a key on the way holds something that is not an
   * object, so the value cannot be reached (path then names that key, value what it holds);
   * `ambiguous`: a key on the way is given more than once in different letter case with different
   * values (path names that key, value holds the differing values).
   */
  state: 'absent' | 'value' | 'blocked' | 'ambiguous';
  value: unknown;
}

function matches(extensionType: string, capability: ExtensionCapability | 'any' | undefined): boolean {
  if (capability === undefined || capability === 'any') return true;
  return (EXTENSION_TYPES[capability] as readonly string[]).includes(extensionType);
}

/** Every place `read` looks on `cluster` (none when the subject is not there, e.g. no such extension). */
export function locate(cluster: ClusterFacts, read: PropertyRead): ReadLocation[] {
  const [first, ...rest] = read.path;
  if (first === undefined) return [];
  switch (read.subject) {
    case 'cluster': {
      // Properties that are there but not an object (text from an export cut at its depth, null,
      // an array) cannot be read: never as "no properties".
      const raw = cluster.resource.properties;
      if (raw === undefined) return [];
      if (cluster.properties === undefined) {
        return [{ read, source: cluster.id, path: 'properties', state: 'blocked', value: raw }];
      }
      return [walkFrom(read, cluster.id, cluster.properties, 'properties', read.path)];
    }
    case 'agentPool': {
      const pools = getCi(cluster.properties, 'agentPoolProfiles');
      if (!Array.isArray(pools)) return [];
      return pools.map((pool: unknown, index): ReadLocation => {
        const name = getCi(pool, 'name');
        const label = typeof name === 'string' ? `name=${name}` : String(index);
        return walkFrom(read, cluster.id, pool, `properties.agentPoolProfiles[${label}]`, read.path);
      });
    }
    case 'extension':
    case 'fluxConfiguration': {
      const children =
        read.subject === 'extension'
          ? cluster.extensions.filter((extension) => matches(extension.extensionType, read.capability))
          : cluster.fluxConfigurations;
      return children.map((child): ReadLocation => {
        const found = child.field(first);
        if (found.conflicting) {
          return { read, source: child.id, path: found.path, state: 'ambiguous', value: found.conflicting };
        }
        if (found.value === undefined) {
          return {
            read,
            source: child.id,
            path: [found.path, ...rest].join('.'),
            state: 'absent',
            value: undefined,
          };
        }
        return walkFrom(read, child.id, found.value, found.path, rest);
      });
    }
    case 'securitySettings': {
      const settings = cluster.azureLocal?.securitySettings;
      return settings ? [walkFrom(read, settings.id, settings.properties, 'properties', read.path)] : [];
    }
  }
}

/** Continues a read from a value already found at `path` through the remaining keys. */
function walkFrom(
  read: PropertyRead,
  source: string,
  value: unknown,
  path: string,
  keys: readonly string[],
): ReadLocation {
  if (keys.length === 0) return { read, source, path, state: 'value', value };
  if (value === null)
    return { read, source, path: [path, ...keys].join('.'), state: 'absent', value: undefined };
  if (!isJsonObject(value)) return { read, source, path, state: 'blocked', value };
  const [key, ...rest] = keys as [string, ...string[]];
  const conflicting = conflictingValues(value, key);
  if (conflicting) return { read, source, path: `${path}.${key}`, state: 'ambiguous', value: conflicting };
  const next = getCi(value, key);
  if (next === undefined)
    return { read, source, path: [path, ...keys].join('.'), state: 'absent', value: undefined };
  return walkFrom(read, source, next, `${path}.${key}`, rest);
}

const ALL_KINDS: readonly ClusterKind[] = ['arc', 'aks-arc', 'aks'];

/** `extensionType` of every extension: one that cannot be read cannot be told apart from the others. */
export function extensionTypeRead(kinds: readonly ClusterKind[] = ALL_KINDS): PropertyRead {
  return {
    subject: 'extension',
    capability: 'any',
    path: ['extensionType'],
    shape: 'enum',
    kinds,
    whenAbsent: 'error',
    nullIsAbsent: false,
    example: undefined,
  };
}

/** `provisioningState` of the extensions of one capability (healthy when `Succeeded`). */
export function provisioningStateRead(
  capability: ExtensionCapability,
  kinds: readonly ClusterKind[],
  absent: { whenAbsent: 'not-pass' } | { whenAbsent: 'allowed'; absentMeans: string },
  alternative?: PropertyRead['alternative'],
): PropertyRead {
  return {
    subject: 'extension',
    capability,
    path: ['provisioningState'],
    shape: 'enum',
    values: PROVISIONING_STATES,
    kinds,
    ...absent,
    nullIsAbsent: false,
    ...(alternative ? { alternative } : {}),
    example: 'Succeeded',
  };
}

/** `configurationSettings` of the extensions of one capability: an object of string settings. */
export function configurationSettingsRead(
  capability: ExtensionCapability,
  kinds: readonly ClusterKind[],
  alternative?: PropertyRead['alternative'],
): PropertyRead {
  return {
    subject: 'extension',
    capability,
    path: ['configurationSettings'],
    shape: 'object',
    kinds,
    whenAbsent: 'allowed',
    absentMeans: 'the extension has no settings, so each setting takes its default',
    nullIsAbsent: false,
    ...(alternative ? { alternative } : {}),
    example: {},
  };
}
