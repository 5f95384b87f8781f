import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CONTROL_IDS, type ControlId } from '../catalog/types.js';
import type { ScanFinding } from '../governance/records.js';
import type { ClusterRow } from '../scan/scanResult.js';
import { PartSpool } from '../scan/partSpool.js';

/**
 * A run's findings sorted by control into temporary files (one per control, in run order), and its
 * cluster rows into one more, in a temporary folder of their own: storage writes one findings
 * partition (one control) at a time, so the run is read once and each control's findings streamed
 * back from disk in windows. `dispose()` removes the folder.
 */
export class FindingsByControl {
  findingCount = 0;

  private constructor(
    private readonly folder: string,
    private readonly byControl: Map<ControlId, PartSpool>,
    private readonly clusters: PartSpool,
  ) {}

  /** Empty files in a new temporary folder (under `parent`, the system's by default). */
  static async create(parent: string = tmpdir()): Promise<FindingsByControl> {
    const folder = await mkdtemp(join(parent, 'run-controls-'));
    try {
      const byControl = new Map<ControlId, PartSpool>();
      for (const controlId of CONTROL_IDS)
        byControl.set(controlId, await PartSpool.create({ parent: folder }));
      return new FindingsByControl(folder, byControl, await PartSpool.create({ parent: folder }));
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  /** Adds the next part of the run: its cluster rows, and its findings each to its control's file. */
  async append(clusters: readonly ClusterRow[], findings: readonly ScanFinding[]): Promise<void> {
    if (clusters.length > 0) await this.clusters.append({ clusters, findings: [] });
    const split = new Map<ControlId, ScanFinding[]>();
    for (const finding of findings) {
      // A finding of no known control has no partition: it is counted, never stored.
      if (!this.byControl.has(finding.controlId)) continue;
      const list = split.get(finding.controlId);
      if (list) list.push(finding);
      else split.set(finding.controlId, [finding]);
    }
    for (const [controlId, list] of split)
      await this.byControl.get(controlId)?.append({ clusters: [], findings: list });
    this.findingCount += findings.length;
  }

  /** Finishes writing; the files may be read from now on. */
  async close(): Promise<void> {
    for (const spool of [...this.byControl.values(), this.clusters]) await spool.close();
  }

  /** One control's findings, in run order, `size` at a time. */
  findings(controlId: ControlId, size: number): AsyncIterable<ScanFinding[]> {
    const spool = this.byControl.get(controlId);
    return windows(
      (async function* () {
        if (spool) for await (const part of spool.parts()) yield* part.findings as ScanFinding[];
      })(),
      size,
    );
  }

  /** The cluster rows, in run order, `size` at a time. */
  clusterRows(size: number): AsyncIterable<ClusterRow[]> {
    const { clusters } = this;
    return windows(
      (async function* () {
        for await (const part of clusters.parts()) yield* part.clusters;
      })(),
      size,
    );
  }

  /** Removes the files and their folder. */
  async dispose(): Promise<void> {
    for (const spool of [...this.byControl.values(), this.clusters]) await spool.dispose();
    await rm(this.folder, { recursive: true, force: true });
  }
}

/** `items` in arrays of `size` (the last one shorter). */
async function* windows<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let window: T[] = [];
  for await (const item of items) {
    window.push(item);
    if (window.length >= size) {
      yield window;
      window = [];
    }
  }
  if (window.length > 0) yield window;
}
