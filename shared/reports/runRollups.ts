import type { RunSource } from '../scan/runSource.js';
import { AttestationQueue, type AttestationGroup } from './attestationQueue.js';
import { ClusterKeys } from './clusterKeys.js';
import { ClusterRollups, type ClusterRollupIndex } from './clusterRanking.js';
import { ControlRollups, KindRollups, type ControlRollup, type KindRollup } from './controlSummaries.js';
import { FrameworkComplianceRollup, type FrameworkCompliance } from './frameworkCompliance.js';
import { GovernanceSummaryRollup, type GovernanceSummary } from './governanceSummary.js';
import { ATTESTATION_LIMIT } from './html/attestationSection.js';

/** Everything the reports show about a run as a whole, gathered in one pass over its parts. */
export interface RunRollups {
  findings: number;
  controls: ControlRollup[];
  kinds: KindRollup[];
  frameworks: FrameworkCompliance[];
  /** Keyed by the cluster ID in lower case. */
  clusters: ClusterRollupIndex;
  governance: GovernanceSummary | undefined;
  /** Per control, the count and the first findings awaiting attestation (the workbook lists all). */
  attestation: AttestationGroup[];
  /** Each cluster's location, keyed by its ID in lower case (the last row of an ID wins). */
  locations: Map<string, string>;
}

/**
 * The rollups of a run, from one pass over its parts. What is kept grows with the clusters (their
 * counts and locations), never with the findings.
 */
export async function rollUpRun(source: RunSource): Promise<RunRollups> {
  const keys = new ClusterKeys();
  const controls = new ControlRollups();
  const kinds = new KindRollups(keys);
  const frameworks = new FrameworkComplianceRollup();
  const clusters = new ClusterRollups(keys);
  const governance = new GovernanceSummaryRollup(source.run);
  const attestation = new AttestationQueue(ATTESTATION_LIMIT);
  const accumulators = [controls, kinds, frameworks, clusters, governance, attestation];
  const locations = new Map<string, string>();
  let findings = 0;
  for await (const part of source.parts()) {
    for (const accumulator of accumulators) accumulator.add(part);
    for (const cluster of part.clusters) locations.set(keys.of(cluster.id), cluster.location);
    findings += part.findings.length;
  }
  return {
    findings,
    controls: controls.result(),
    kinds: kinds.result(),
    frameworks: frameworks.result(),
    clusters: clusters.result(),
    governance: governance.result(),
    attestation: attestation.result(),
    locations,
  };
}
