import type { RunSource } from '../scan/runSource.js';
import { AttestationQueue, type AttestationGroup } from './attestationQueue.js';
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
  /** The worst clusters, and each cluster row's counts and each finding's location, read in run order. */
  clusters: ClusterRollupIndex;
  governance: GovernanceSummary | undefined;
  /** Per control, the count and the first findings awaiting attestation (the workbook lists all). */
  attestation: AttestationGroup[];
  /** Removes the temporary files of the per-cluster rollups. */
  dispose(): Promise<void>;
}

/**
 * The rollups of a run, from one pass over its parts. What is held in memory is bounded by the
 * catalog and one part, never by the clusters or the findings: per-cluster tallies go to spools on
 * disk. The caller disposes of the rollups once the reports are written.
 */
export async function rollUpRun(source: RunSource): Promise<RunRollups> {
  const controls = new ControlRollups();
  const kinds = new KindRollups();
  const frameworks = new FrameworkComplianceRollup();
  const clusters = new ClusterRollups();
  const governance = new GovernanceSummaryRollup(source.run);
  const attestation = new AttestationQueue(ATTESTATION_LIMIT);
  const accumulators = [controls, kinds, frameworks, governance, attestation];
  let findings = 0;
  try {
    for await (const part of source.parts()) {
      for (const accumulator of accumulators) accumulator.add(part);
      await clusters.add(part);
      findings += part.findings.length;
    }
    const index = await clusters.result();
    return {
      findings,
      controls: controls.result(),
      kinds: kinds.result(index.clustersByKind),
      frameworks: frameworks.result(),
      clusters: index,
      governance: governance.result(),
      attestation: attestation.result(),
      dispose: () => clusters.dispose(),
    };
  } catch (error) {
    await clusters.dispose();
    throw error;
  }
}
