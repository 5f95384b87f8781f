import { getCi } from '../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';

export interface AgentVersion {
  text: string;
  major: number;
  minor: number;
  patch: number;
}

/** Parses "1.31.2" or "v1.31"; undefined for anything else (including non-strings). */
export function parseAgentVersion(value: unknown): AgentVersion | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]*)?\s*$/.exec(value);
  if (!match) return undefined;
  return {
    text: value.trim(),
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
  };
}

export function compareAgentVersions(a: AgentVersion, b: AgentVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The newest parseable agent version among Arc and AKS Arc clusters. */
export function newestAgentVersion(clusters: readonly ClusterFacts[]): AgentVersion | undefined {
  let newest: AgentVersion | undefined;
  for (const cluster of clusters) {
    if (cluster.kind === 'aks') continue;
    const version = parseAgentVersion(getCi(cluster.properties, 'agentVersion'));
    if (version && (!newest || compareAgentVersions(version, newest) > 0)) newest = version;
  }
  return newest;
}
