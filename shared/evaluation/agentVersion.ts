import { getCi } from '../inventory/caseInsensitive.js';
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

const SHAPE = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]*)?$/;
const MAX_TEXT = 64;

/** Reads "1.31.2" or "v1.31"; names the problem for anything else, including absurd part sizes. */
export function readAgentVersion(value: unknown): AgentVersionReading {
  if (typeof value !== 'string')
    return { ok: false, problem: `is ${value === undefined ? 'missing' : 'not a string'}` };
  const text = value.trim();
  const match = text.length <= MAX_TEXT ? SHAPE.exec(text) : null;
  if (!match) {
    const parts = /^v?\d+\.\d+/.test(text);
    return {
      ok: false,
      problem: parts
        ? `is not a plausible Arc agent version (each part has at most ${MAX_VERSION_PART_DIGITS} digits)`
        : 'is not a version (major.minor[.patch])',
    };
  }
  const parts = [match[1], match[2], match[3] ?? '0'];
  if (parts.some((part) => (part ?? '').length > MAX_VERSION_PART_DIGITS)) {
    return {
      ok: false,
      problem: `is not a plausible Arc agent version (each part has at most ${MAX_VERSION_PART_DIGITS} digits)`,
    };
  }
  return {
    ok: true,
    version: { text, major: Number(parts[0]), minor: Number(parts[1]), patch: Number(parts[2]) },
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

/** Clusters whose agent version counts: Arc and AKS Arc clusters that run Arc agents. */
function agentClusters(clusters: readonly AgentHolder[]): { cluster: AgentHolder; version: AgentVersion }[] {
  const result: { cluster: AgentHolder; version: AgentVersion }[] = [];
  for (const cluster of clusters) {
    if (cluster.kind === 'aks' || cluster.agentless) continue;
    const version = parseAgentVersion(getCi(cluster.properties, 'agentVersion'));
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
