/**
 * Clusters built from the property reads each control declares (shared/evaluation/propertyReads.ts):
 * every declared value set to its well-formed example, so that the control passes, and then one
 * declared path changed. Nothing here names a control: a new control's declarations are covered
 * without a change to this file.
 */
import type { ClusterKind, ControlId } from '../../shared/catalog/types.js';
import { EXTENSION_TYPES, type ExtensionCapability } from '../../shared/evaluation/clusterExtensions.js';
import { readsOf } from '../../shared/evaluation/controlReads.js';
import type { PropertyRead } from '../../shared/evaluation/propertyReads.js';
import {
  agentPool,
  aksArcOnAzureLocal,
  aksCluster,
  arcCluster,
  armExtension,
  asResourceGraphRow,
  connectedClusterId,
  fluxConfiguration,
  managedClusterId,
  type Row,
} from '../support/azureRows.js';

export const ABSENT = Symbol('absent');
export type MutationValue = unknown;

/** How child resources (extensions, Flux configurations) are exported. */
export const PLACEMENTS = ['arm', 'resource-graph', 'cli'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** One path to change: the first `depth` keys of a declared read (0: the cluster's whole `properties`). */
export interface Target {
  controlId: ControlId;
  kind: ClusterKind;
  read: PropertyRead;
  depth: number;
}

export interface Mutation {
  target: Target;
  /** The new value; {@link ABSENT} removes the key. */
  value: MutationValue;
  /**
   * Keeps the key as it is and adds the value under the same key in upper case (a row giving one
   * property twice in different letter case).
   */
  caseVariant?: boolean;
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of `row` matching `key` ignoring case, or `key` itself when there is none. */
function keyIn(row: Row, key: string): string {
  return Object.keys(row).find((candidate) => candidate.toLowerCase() === key.toLowerCase()) ?? key;
}

/** Sets (or with {@link ABSENT} removes) the value at `path`, creating objects on the way. */
export function setPath(row: Row, path: readonly string[], value: MutationValue): void {
  const [key, ...rest] = path;
  if (key === undefined) return;
  const actual = keyIn(row, key);
  if (rest.length === 0) {
    if (value === ABSENT) Reflect.deleteProperty(row, actual);
    else row[actual] = value;
    return;
  }
  let next = row[actual];
  if (!isRow(next)) {
    if (value === ABSENT) return;
    next = {};
    row[actual] = next;
  }
  setPath(next as Row, rest, value);
}

/** Adds `value` at `path` under the last key written in upper case, keeping the key already there. */
export function addCaseVariant(row: Row, path: readonly string[], value: MutationValue): void {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  if (last === undefined) return;
  let parent: unknown = row;
  for (const key of parentPath) parent = isRow(parent) ? parent[keyIn(parent, key)] : undefined;
  if (!isRow(parent)) return;
  parent[last.toUpperCase()] = value;
}

function sameOption(read: PropertyRead, focus: PropertyRead | undefined): boolean {
  if (!focus?.alternative || !read.alternative) return true;
  return (
    read.alternative.group !== focus.alternative.group || read.alternative.option === focus.alternative.option
  );
}

const CLUSTER_NAME = 'declared-reads';

function clusterIdOf(kind: ClusterKind): string {
  return kind === 'aks' ? managedClusterId(CLUSTER_NAME) : connectedClusterId(CLUSTER_NAME);
}

function placed(row: Row, placement: Placement): Row {
  if (placement === 'arm') return row;
  if (placement === 'resource-graph')
    return asResourceGraphRow(row, { pascalCaseProperties: true, lowerCaseId: true });
  // `az k8s-extension show` and the SDK's flattened models: the properties at the top level.
  const { properties, ...envelope } = row;
  return { ...envelope, ...(isRow(properties) ? properties : {}) };
}

export interface Fixture {
  rows: Row[];
  clusterId: string;
  /** The reads the fixture sets (alternatives to the focused read left out). */
  reads: PropertyRead[];
}

export interface FixtureOptions {
  placement?: Placement;
  /** Leaves out the other options of this read's alternative group, so that this read decides. */
  focus?: PropertyRead;
  mutation?: Mutation;
  /** Leaves out the extensions of this capability. */
  without?: ExtensionCapability;
}

/** A cluster of `kind` with every value `controlId` reads set to its example, then `mutation` applied. */
export function buildFixture(controlId: ControlId, kind: ClusterKind, options: FixtureOptions = {}): Fixture {
  const all = readsOf(controlId, kind);
  const reads = all.filter((read) => sameOption(read, options.focus));
  const left = all.filter((read) => !reads.includes(read));
  const byDepth = [...reads].sort((a, b) => a.path.length - b.path.length);
  const clusterId = clusterIdOf(kind);

  const site = kind === 'aks-arc' ? aksArcOnAzureLocal(CLUSTER_NAME) : undefined;
  const cluster =
    kind === 'arc'
      ? arcCluster({ name: CLUSTER_NAME })
      : kind === 'aks'
        ? aksCluster({ name: CLUSTER_NAME })
        : (site?.rows[0] as Row);
  const properties = cluster['properties'] as Row;
  for (const read of left) if (read.subject === 'cluster') setPath(properties, read.path, ABSENT);
  for (const read of byDepth)
    if (read.subject === 'cluster' && read.shape !== 'list') setPath(properties, read.path, read.example);
  const poolReads = byDepth.filter((read) => read.subject === 'agentPool');
  const pools: Row[] = [];
  if (poolReads.length > 0) {
    const pool = agentPool('nodepool1');
    for (const read of poolReads) setPath(pool, read.path, read.example);
    pools.push(pool);
    setPath(properties, ['agentPoolProfiles'], pools);
  }
  const settings = site?.rows.find(
    (row) => String(row['id']).toLowerCase() === site.securitySettingsId.toLowerCase(),
  );
  for (const read of byDepth) {
    if (read.subject === 'securitySettings' && settings)
      setPath(settings['properties'] as Row, read.path, read.example);
  }

  const capabilities = new Set<ExtensionCapability>();
  for (const read of reads) {
    if (
      read.subject === 'extension' &&
      read.capability !== undefined &&
      read.capability !== 'any' &&
      read.capability !== options.without
    ) {
      capabilities.add(read.capability);
    }
  }
  const extensions = [...capabilities].map((capability) => {
    const row = armExtension(clusterId, {
      name: `ext-${capability.toLowerCase()}`,
      extensionType: EXTENSION_TYPES[capability][0],
    });
    for (const read of byDepth) {
      if (read.subject === 'extension' && read.capability === capability) {
        setPath(row['properties'] as Row, read.path, read.example);
      }
    }
    return { capability, row };
  });
  const fluxReads = byDepth.filter((read) => read.subject === 'fluxConfiguration');
  const fluxRows =
    fluxReads.length === 0
      ? []
      : [fluxConfiguration(clusterId, { name: 'cluster-config', complianceState: 'Compliant' })];
  for (const row of fluxRows)
    for (const read of fluxReads) setPath(row['properties'] as Row, read.path, read.example);

  const mutation = options.mutation;
  if (mutation) {
    const { read, depth } = mutation.target;
    const path = read.path.slice(0, depth);
    const targets: Row[] = [];
    if (read.subject === 'cluster') targets.push(properties);
    if (read.subject === 'agentPool') targets.push(...pools);
    if (read.subject === 'securitySettings' && settings) targets.push(settings['properties'] as Row);
    if (read.subject === 'fluxConfiguration')
      targets.push(...fluxRows.map((row) => row['properties'] as Row));
    if (read.subject === 'extension') {
      for (const { capability, row } of extensions) {
        if (read.capability === 'any' || read.capability === capability)
          targets.push(row['properties'] as Row);
      }
    }
    if (depth === 0 && read.subject === 'cluster') {
      if (mutation.value === ABSENT) Reflect.deleteProperty(cluster, 'properties');
      else cluster['properties'] = mutation.value;
    } else {
      for (const target of targets) {
        if (mutation.caseVariant) addCaseVariant(target, path, mutation.value);
        else setPath(target, path, mutation.value);
      }
    }
  }

  const placement = options.placement ?? 'arm';
  const children = [...extensions.map(({ row }) => row), ...fluxRows].map((row) => placed(row, placement));
  const rest = site ? site.rows.slice(1) : [];
  return { rows: [cluster, ...rest, ...children], clusterId, reads };
}

/** Every path a control reads for a kind, and each of its parents: the targets of the mutations. */
export function targetsOf(controlId: ControlId, kind: ClusterKind): Target[] {
  const seen = new Set<string>();
  const targets: Target[] = [];
  const reads = readsOf(controlId, kind);
  const clusterRead = reads.find((read) => read.subject === 'cluster');
  if (clusterRead) targets.push({ controlId, kind, read: clusterRead, depth: 0 });
  for (const read of reads) {
    for (let depth = 1; depth <= read.path.length; depth++) {
      const key = [read.subject, read.capability ?? '', ...read.path.slice(0, depth)].join('|').toLowerCase();
      // A parent shared by several reads is one target; a full path is kept per read.
      const full = depth === read.path.length;
      if (seen.has(key) && !full) continue;
      seen.add(key);
      targets.push({ controlId, kind, read, depth });
    }
  }
  return targets;
}

/** The declared reads a change at `target` reaches: those whose path starts with the changed one. */
export function readsUnder(target: Target, reads: readonly PropertyRead[]): PropertyRead[] {
  const prefix = target.read.path.slice(0, target.depth).map((key) => key.toLowerCase());
  return reads.filter((read) => {
    if (read.subject !== target.read.subject) return false;
    if (read.subject === 'extension') {
      const a = read.capability;
      const b = target.read.capability;
      if (a !== b && a !== 'any' && b !== 'any') return false;
    }
    return prefix.every((key, index) => read.path[index]?.toLowerCase() === key);
  });
}
