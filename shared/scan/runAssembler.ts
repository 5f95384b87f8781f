import type { ActiveRecord } from '../governance/records.js';
import type { EvaluatedPart } from './evaluateInventory.js';
import { PartSpool } from './partSpool.js';
import type { RunSource } from './runSource.js';
import {
  emptyRunTally,
  runMetadataOf,
  tallyPart,
  type RunMetadataRequest,
  type RunTally,
} from './runTally.js';

/** A run kept on disk: its source, and what removes it once every output is written. */
export interface SpooledRun extends RunSource {
  readonly findingCount: number;
  dispose(): Promise<void>;
}

/**
 * Assembles a run from its evaluated parts as they come — a batch at a time — without holding
 * them: each part is governed, tallied and appended to a spool on disk, then released. `finish`
 * gives the run as a source whose metadata equals what `assembleScanResult` gives for the same
 * parts, and whose parts stream back from the spool.
 */
export class RunAssembler {
  private readonly tally: RunTally = emptyRunTally();

  private constructor(
    private readonly spool: PartSpool,
    private readonly governance: { records: readonly ActiveRecord[]; asOf: Date },
  ) {}

  static async create(options: {
    asOf: Date;
    governance?: readonly ActiveRecord[];
    /** Where the spool's temporary folder goes (the system's temporary folder by default). */
    spoolParent?: string;
  }): Promise<RunAssembler> {
    const spool = await PartSpool.create(options.spoolParent ? { parent: options.spoolParent } : {});
    return new RunAssembler(spool, { records: options.governance ?? [], asOf: options.asOf });
  }

  /** Clusters added so far. */
  get clusterCount(): number {
    return this.tally.clusters;
  }

  async add(part: EvaluatedPart): Promise<void> {
    await this.spool.append(tallyPart(part, this.governance, this.tally));
  }

  /** Closes the spool and gives the run; `dispose()` removes the spool. */
  async finish(request: Omit<RunMetadataRequest, 'governance' | 'asOf'>): Promise<SpooledRun> {
    await this.spool.close();
    const run = runMetadataOf(this.tally, {
      ...request,
      asOf: this.governance.asOf,
      governance: this.governance.records,
    });
    const spool = this.spool;
    return {
      run,
      findingCount: this.tally.findings,
      parts: () => spool.parts(),
      dispose: () => spool.dispose(),
    };
  }

  /** Removes the spool without finishing (the run failed). */
  async abandon(): Promise<void> {
    await this.spool.dispose();
  }
}
