import { InventoryFileError } from '../shared/inventory/inventoryFileError.js';
import { loadInventoryFiles } from '../shared/inventory/loadInventoryFiles.js';
import { renderSummary } from '../shared/findings/summaryTable.js';
import { writeScanOutputs } from '../shared/output/writeScanOutputs.js';
import { evaluateInventory } from '../shared/scan/evaluateInventory.js';
import { newRunId } from '../shared/scan/runId.js';
import type { ScanResult } from '../shared/scan/scanResult.js';
import { UsageError, type CommandIo } from './commandIo.js';
import { loadSettingsFile } from './loadSettingsFile.js';
import { progressReporter } from './progressReporter.js';
import { parseScanArguments, SCAN_USAGE, type ScanArguments } from './scanArguments.js';

export const EXIT = { ok: 0, failOnMatched: 1, usage: 2 } as const;

export interface ScanOutcome {
  exitCode: number;
  result?: ScanResult;
}

/** Runs an offline scan described by parsed arguments and writes its outputs. */
export async function scanFromArguments(args: ScanArguments, io: CommandIo): Promise<ScanOutcome> {
  if (args.live) {
    throw new UsageError('--live needs the Resource Graph collector, which this build does not include yet');
  }
  const settings = await loadSettingsFile(args.settingsFile);
  const startedAt = io.now();
  io.stderr(`Reading ${args.inventories.length} inventory file(s)…\n`);
  const inventory = await loadInventoryFiles(args.inventories);
  const result = evaluateInventory({
    inventory,
    settings,
    runId: newRunId(startedAt),
    source: 'snapshot',
    startedAt,
    asOf: args.asOf,
    onProgress: progressReporter(io, 'Evaluating clusters'),
    clock: io.now,
  });
  const written = await writeScanOutputs(args.out, result);
  io.stderr(`Wrote ${written.findingsJson} and ${written.findingsCsv}\n`);
  io.stdout(renderSummary(result));
  const matched = args.failOn.filter((status) => result.run.counts[status] > 0);
  if (matched.length > 0) {
    io.stderr(`--fail-on: found ${matched.map((s) => `${result.run.counts[s]} ${s}`).join(', ')}\n`);
    return { exitCode: EXIT.failOnMatched, result };
  }
  return { exitCode: EXIT.ok, result };
}

/** The `scan` command: parse, scan, report; returns the exit code. */
export async function runScanCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const args = parseScanArguments(argv);
    if (args === 'help') {
      io.stdout(SCAN_USAGE);
      return EXIT.ok;
    }
    return (await scanFromArguments(args, io)).exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${SCAN_USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof InventoryFileError) {
      io.stderr(`error: ${error.message}\nNothing was written.\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
