import { conflictingValues, getCi } from '../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';
import type { InventoryWarning } from '../inventory/inventoryResource.js';
import { showValue } from './valueText.js';

export interface AgentVersion {
  text: string;
  major: number;
  minor: number;
  patch: number;
}

export type AgentVersionReading = { ok: true; version: AgentVersion } | { ok: false; problem: string };

/** Digits allowed in each part of a version: Arc agents are 1.x; anything longer is not a real version. */
export const MAX_VERSION_PART_DIGITS = 5;

/**
 * Digits allowed in the major and minor parts. Arc agents are major version 1 and ship about one
 * minor version a month, so a major above 99 or a minor above 999 is decades away: such a version
 * would otherwise become the fleet's newest and judge every other cluster.
 */
const MAX_MAJOR_DIGITS = 2;
const MAX_MINOR_DIGITS = 3;

/** major.minor[.patch], an optional `v`, and semver pre-release and build suffixes of non-empty identifiers. */
const SHAPE =
  /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const MAX_TEXT = 64;
const IMPLAUSIBLE = `is not a plausible Arc agent version (major at most ${MAX_MAJOR_DIGITS} digits, minor at most ${MAX_MINOR_DIGITS}, patch at most ${MAX_VERSION_PART_DIGITS})`;

/**
 * Reads "1.31.2", "v1.31" or "1.31.2-preview"; names the problem for anything else, including
 * leading zeros ("01.002.3"), empty suffixes ("1.2.3-") and absurd part sizes.
 */
export function readAgentVersion(value: unknown): AgentVersionReading {
  if (typeof value !== 'string')
    return { ok: false, problem: `is ${value === undefined ? 'missing' : 'not a string'}` };
  const text = value.trim();
  const match = text.length <= MAX_TEXT ? SHAPE.exec(text) : null;
  if (!match) {
    const parts = /^v?\d+\.\d+/.test(text);
    return { ok: false, problem: parts ? IMPLAUSIBLE : 'is not a version (major.minor[.patch])' };
  }
  const [major = '', minor = '', patch = '0'] = [match[1], match[2], match[3]];
  if ([major, minor, patch].some((part) => part.length > 1 && part.startsWith('0'))) {
    return { ok: false, problem: 'is not a version as Arc writes one (a part has a leading zero)' };
  }
  if (
    major.length > MAX_MAJOR_DIGITS ||
    minor.length > MAX_MINOR_DIGITS ||
    patch.length > MAX_VERSION_PART_DIGITS
  ) {
    return { ok: false, problem: IMPLAUSIBLE };
  }
  return {
    ok: true,
    version: { text, major: Number(major), minor: Number(minor), patch: Number(patch) },
  };
}

/** The version when it reads as a plausible one; undefined otherwise. */
export function parseAgentVersion(value: unknown): AgentVersion | undefined {
  const reading = readAgentVersion(value);
  return reading.ok ? reading.version : undefined;
}

export function compareAgentVersions(a: AgentVersion, b: AgentVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * Minor versions between the newest agent and the next newest of any other cluster beyond which
 * the newest is reported as an outlier (Arc agents ship about one minor version a month).
 */
export const OUTLIER_MINOR_GAP = 12;

export interface AgentBaseline {
  /** Newest plausible agent version among clusters that run Arc agents; undefined when none. */
  newest: AgentVersion | undefined;
  warnings: InventoryWarning[];
}

/** What the baseline reads of a cluster (a batch's summary keeps just this of its candidates). */
export type AgentHolder = Pick<ClusterFacts, 'kind' | 'agentless' | 'properties' | 'name'> & {
  resource: Pick<ClusterFacts['resource'], 'origin'>;
};

/**
 * The plausible agent version a cluster reports; undefined when it has none, an implausible one, or
 * gives `agentVersion` twice in different letter case with different values (ERROR for its own
 * cluster, and counted nowhere).
 */
export function agentVersionOf(cluster: Pick<ClusterFacts, 'properties'>): AgentVersion | undefined {
  if (conflictingValues(cluster.properties, 'agentVersion')) return undefined;
  return parseAgentVersion(getCi(cluster.properties, 'agentVersion'));
}

/** Clusters whose agent version counts: Arc and AKS Arc clusters that run Arc agents. */
function agentClusters(clusters: readonly AgentHolder[]): { cluster: AgentHolder; version: AgentVersion }[] {
  const result: { cluster: AgentHolder; version: AgentVersion }[] = [];
  for (const cluster of clusters) {
    if (cluster.kind === 'aks' || cluster.agentless) continue;
    const version = agentVersionOf(cluster);
    if (version) result.push({ cluster, version });
  }
  return result;
}

/**
 * The fleet's newest agent version (DS-10's reference when no minimum is configured). Versions that
 * are not plausible never count. A newest version far above every other cluster's is kept, but
 * reported as an inventory warning, since it alone decides how far behind every other cluster is.
 */
export function agentBaseline(clusters: readonly AgentHolder[]): AgentBaseline {
  const seen = agentClusters(clusters);
  let newest: AgentVersion | undefined;
  for (const { version } of seen) {
    if (!newest || compareAgentVersions(version, newest) > 0) newest = version;
  }
  if (!newest) return { newest, warnings: [] };
  const top = newest;
  const holders = seen.filter(({ version }) => compareAgentVersions(version, top) === 0);
  let runnerUp: AgentVersion | undefined;
  for (const { version } of seen) {
    if (compareAgentVersions(version, top) === 0) continue;
    if (!runnerUp || compareAgentVersions(version, runnerUp) > 0) runnerUp = version;
  }
  const outlier =
    runnerUp !== undefined &&
    (top.major !== runnerUp.major || top.minor - runnerUp.minor > OUTLIER_MINOR_GAP);
  if (!outlier || runnerUp === undefined) return { newest, warnings: [] };
  const names = holders.map(({ cluster }) => cluster.name).join(', ');
  return {
    newest,
    warnings: holders.slice(0, 1).map(({ cluster }) => ({
      where: cluster.resource.origin,
      message:
        `the fleet's newest Arc agent version ${showValue(top.text)} (${names}) is far above every other ` +
        `cluster's (next newest ${runnerUp.text}); DS-10 judges every cluster against it, so check it`,
    })),
  };
}

/** The newest plausible agent version among Arc and AKS Arc clusters. */
export function newestAgentVersion(clusters: readonly ClusterFacts[]): AgentVersion | undefined {
  return agentBaseline(clusters).newest;
}
