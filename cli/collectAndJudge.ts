import { judgeBatches, summariseBatches } from '../shared/fanout/batchedScan.js';
import type { ActiveRecord } from '../shared/governance/records.js';
import { splitInventoryFiles } from '../shared/inventory/inventoryBatches.js';
import { evaluateInventory } from '../shared/scan/evaluateInventory.js';
import type { SpooledRun } from '../shared/scan/runAssembler.js';
import { newRunId } from '../shared/scan/runId.js';
import { memorySource, type RunSource } from '../shared/scan/runSource.js';
import type { ScanSettings } from '../shared/settings/scanSettings.js';
import { collectLiveCluster, collectLiveFleet, type ClientFactory } from './collectLive.js';
import type { CommandIo } from './commandIo.js';
import { progressReporter } from './progressReporter.js';
import type { ScanArguments } from './scanArguments.js';

/** A judged run ready to publish, and what removes what it keeps on disk once it is published. */
export interface JudgedRun {
  source: RunSource;
  dispose(): Promise<void>;
}

const judged = (run: SpooledRun): JudgedRun => ({ source: run, dispose: () => run.dispose() });

export interface JudgeRequest {
  args: ScanArguments;
  settings: ScanSettings;
  governance: readonly ActiveRecord[];
  io: CommandIo;
  createClients?: ClientFactory;
}

/**
 * Reads the inventory the arguments name (files, the live fleet of a scope, or one live cluster)
 * and judges it. Files and the live fleet are read and judged a batch at a time, the rows of every
 * batch kept on disk and the judged run spooled to disk, so memory holds one batch whatever the
 * fleet's size; the batches' own files are removed before this returns. One cluster is judged in
 * memory.
 */
export async function collectAndJudge(request: JudgeRequest): Promise<JudgedRun> {
  const { args, settings, governance, io } = request;
  const startedAt = io.now();
  const run = {
    runId: newRunId(startedAt),
    startedAt,
    asOf: args.asOf ?? startedAt,
    settings,
    governance,
    clock: io.now,
    onProgress: progressReporter(io, 'Evaluating clusters'),
  };
  if (args.live && args.cluster !== undefined) {
    const { inventory, stats } = await collectLiveCluster(
      { ...args, cluster: args.cluster },
      settings,
      io,
      io.env,
      request.createClients,
    );
    const result = evaluateInventory({ ...run, inventory, source: 'resource-graph', stats });
    return { source: memorySource(result), dispose: () => Promise.resolve() };
  }
  if (args.live) {
    const fleet = await collectLiveFleet(args, settings, io, io.env, request.createClients);
    try {
      return judged(
        await judgeBatches({
          ...run,
          batches: fleet.batches,
          merged: fleet.merged,
          gaps: fleet.gaps,
          clusters: fleet.clusters,
          source: 'resource-graph',
          stats: fleet.stats,
          readHosts: fleet.readHosts,
        }),
      );
    } finally {
      await fleet.batches.dispose();
    }
  }
  io.stderr(`Reading ${args.inventories.length} inventory file(s)…\n`);
  const files = await splitInventoryFiles(args.inventories);
  try {
    if (files.count > 1) io.stderr(`Split the inventory into ${files.count} batches by subscription\n`);
    const { merged, clusters, batches } = await summariseBatches(files, settings);
    return judged(
      await judgeBatches({
        ...run,
        batches,
        merged,
        gaps: [],
        clusters,
        source: 'snapshot',
        backupInstancesQueried: false,
      }),
    );
  } finally {
    await files.dispose();
  }
}
