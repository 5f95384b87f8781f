import type { Finding } from '../catalog/types.js';
import type { ClusterRow, RunMetadata } from '../scan/scanResult.js';

/** What is known of a run when its outputs are opened, before any finding is evaluated. */
export interface RunStart {
  id: string;
  startedAt: string;
  asOf: string;
  source: RunMetadata['source'];
}

/** A finding as stored, possibly with the time it was first seen failing. */
export type FindingRecord = Finding & { firstSeenFailing?: string };

/**
 * An output written incrementally: clusters and findings are added as they are produced (batch by
 * batch, or page by page from storage) and `end` completes the file. Nothing holds the whole run.
 */
export interface FindingsFormatWriter {
  readonly fileName: string;
  addCluster(cluster: ClusterRow): Promise<void>;
  addFinding(finding: FindingRecord): Promise<void>;
  /** Completes and renames the file into place; returns its path. */
  end(run: RunMetadata): Promise<string>;
  /** Removes everything written so far. */
  abort(): Promise<void>;
}
