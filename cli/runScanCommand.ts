import { stat } from 'node:fs/promises';

import { InventoryFileError } from '../shared/inventory/inventoryFileError.js';
import { renderSummary } from '../shared/findings/summaryTable.js';
import type { RunMetadata } from '../shared/scan/scanResult.js';
import type { RunSource } from '../shared/scan/runSource.js';
import { ScopeResolutionError } from '../shared/collection/collectLiveInventory.js';
import { AzureAuthenticationError } from '../shared/collection/retryPolicy.js';
import type { ClientFactory } from './collectLive.js';
import { collectAndJudge } from './collectAndJudge.js';
import { liveScopeOf } from '../shared/collection/liveScope.js';
import { renderChanges } from '../shared/findings/changesSummary.js';
import { folderDestination, publishRun } from '../shared/publish/publishRun.js';
import {
  parseLogsIngestionSettings,
  type LogsIngestionSettings,
} from '../shared/monitor/logsIngestionSettings.js';
import {
  createLogsUploader,
  uploadRunToLogs,
  type LogsUploader,
  type LogsUploadOutcome,
} from '../shared/monitor/uploadRunToLogs.js';
import { scopeKeyOf } from '../shared/scan/scopeKey.js';
import { ConfigurationError } from '../shared/config/configurationError.js';
import {
  createHistoryStore,
  StorageUnavailableError,
  type HistoryStore,
} from '../shared/storage/historyStore.js';
import { parseStorageSettings, type StorageSettings } from '../shared/storage/storageSettings.js';
import { StorageWriteError, type StoreRunOutcome } from '../shared/storage/storeRun.js';
import { GovernanceValidationError } from '../shared/governance/validateRecords.js';
import { parseGovernanceSettings } from '../shared/governance/governanceSettings.js';
import type { ActiveRecord } from '../shared/governance/records.js';
import { failOnMatches } from './failOnGate.js';
import { UsageError, type CommandIo } from './commandIo.js';
import { loadGovernanceFile } from './loadGovernanceFile.js';
import { loadSettingsFile } from './loadSettingsFile.js';
import { parseScanArguments, SCAN_USAGE, type ScanArguments } from './scanArguments.js';

export const EXIT = { ok: 0, failOnMatched: 1, usage: 2, unreachable: 3, storageFailed: 4 } as const;

export interface ScanOutcome {
  exitCode: number;
  /** The run's metadata (its findings are in findings.json of --out). */
  run?: RunMetadata;
  stored?: StoreRunOutcome;
  /** The Azure Monitor Logs upload, when that destination is configured. */
  logsUpload?: LogsUploadOutcome;
}

/** What the scan command builds from configuration; tests may substitute either. */
export interface ScanDependencies {
  createClients?: ClientFactory;
  createStore?: (settings: StorageSettings) => HistoryStore;
  createLogsUploader?: (settings: LogsIngestionSettings) => LogsUploader;
  /**
   * Called once the run is published, while its source can still be read (the run's files on
   * disk are removed when the scan returns).
   */
  onPublished?: (run: { source: RunSource; stored?: StoreRunOutcome }) => Promise<void>;
}

/** The configured history store, checked reachable, or undefined when none is configured. */
async function openStore(
  args: ScanArguments,
  io: CommandIo,
  deps: ScanDependencies,
): Promise<{ store: HistoryStore; settings: StorageSettings } | undefined> {
  if (!args.store) return undefined;
  let settings: StorageSettings | undefined;
  try {
    settings = parseStorageSettings(io.env);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
  if (!settings) return undefined;
  const store = (deps.createStore ?? createHistoryStore)(settings);
  io.stderr('Checking storage…\n');
  await store.ensure();
  return { store, settings };
}

function scopeKeyFor(args: ScanArguments): string {
  if (!args.live) return scopeKeyOf({ kind: 'snapshot', label: args.scopeLabel });
  if (args.cluster !== undefined) return scopeKeyOf({ kind: 'cluster', clusterId: args.cluster });
  return scopeKeyOf({ kind: 'live', scope: liveScopeOf(args.subscriptions, args.managementGroups) });
}

/** --out must be a folder or not exist yet; checked before any work so a typo costs nothing. */
async function checkOutputFolder(out: string): Promise<void> {
  try {
    if (!(await stat(out)).isDirectory()) throw new UsageError(`--out ${out} exists and is not a folder`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The records of --governance, validated before anything is read or written. */
async function loadGovernance(args: ScanArguments, io: CommandIo, now: Date): Promise<ActiveRecord[]> {
  if (args.governanceFile === undefined) return [];
  let governanceSettings;
  try {
    governanceSettings = parseGovernanceSettings(io.env);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
  const records = await loadGovernanceFile(args.governanceFile, now, governanceSettings);
  io.stderr(`Read ${records.length} governance record(s) from ${args.governanceFile}\n`);
  return records;
}

/** Runs a scan described by parsed arguments (offline files or live Azure) and writes its outputs. */
export async function scanFromArguments(
  args: ScanArguments,
  io: CommandIo,
  deps: ScanDependencies = {},
): Promise<ScanOutcome> {
  await checkOutputFolder(args.out);
  const settings = await loadSettingsFile(args.settingsFile);
  let logs: LogsIngestionSettings | undefined;
  try {
    logs = parseLogsIngestionSettings(io.env);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
  const governance = await loadGovernance(args, io, args.asOf ?? io.now());
  const history = await openStore(args, io, deps);
  const judged = await collectAndJudge({
    args,
    settings,
    governance,
    io,
    ...(deps.createClients ? { createClients: deps.createClients } : {}),
  });
  try {
    return await publishJudgedRun(judged.source, args, io, deps, { logs, history });
  } finally {
    await judged.dispose();
  }
}

/** Writes, stores and uploads a judged run, prints its summary and applies --fail-on. */
async function publishJudgedRun(
  source: RunSource,
  args: ScanArguments,
  io: CommandIo,
  deps: ScanDependencies,
  destinations: {
    logs: LogsIngestionSettings | undefined;
    history: { store: HistoryStore; settings: StorageSettings } | undefined;
  },
): Promise<ScanOutcome> {
  const { logs, history } = destinations;
  const { run } = source;
  let published;
  try {
    published = await publishRun({
      kind: args.live && args.cluster !== undefined ? 'cluster' : 'fleet',
      source,
      scopeKey: scopeKeyFor(args),
      destination: folderDestination(args.out),
      ...(args.formats ? { formats: args.formats } : {}),
      ...(history
        ? { history: { store: history.store, retentionDays: history.settings.retentionDays } }
        : {}),
      clock: io.now,
      onProgress: (message) => io.stderr(`${message}\n`),
    });
  } catch (error) {
    if (error instanceof StorageWriteError || error instanceof StorageUnavailableError) {
      io.stdout(await renderSummary(source));
      io.stderr(
        `error: ${error.message}\nThe local outputs in ${args.out} are complete; the stored run is marked failed.\n`,
      );
      return { exitCode: EXIT.storageFailed, run };
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw error;
    throw new UsageError(`cannot write to --out ${args.out} (${code})`);
  }
  io.stdout(await renderSummary(published.source));
  const { stored, retention } = published;
  if (stored && history) {
    io.stdout(`Stored run ${run.id} (${stored.record.status}).\n`);
    io.stdout(renderChanges(stored.changes));
  }
  if (retention && 'error' in retention) {
    io.stderr(`warning: deleting expired runs failed (${retention.error}); the next scan retries\n`);
  } else if (retention && retention.runsDeleted.length > 0 && history) {
    io.stderr(
      `Retention: deleted ${retention.runsDeleted.length} run(s) older than ${history.settings.retentionDays} days\n`,
    );
  }
  let logsUpload: LogsUploadOutcome | undefined;
  if (logs) {
    // A failed upload is reported and never changes the exit code: the run itself is complete.
    const uploader = (deps.createLogsUploader ?? createLogsUploader)(logs);
    logsUpload = await uploadRunToLogs(uploader, logs, published.source, scopeKeyFor(args));
    io.stderr(
      logsUpload.status === 'uploaded'
        ? `Azure Monitor Logs: uploaded ${logsUpload.findingRows} finding row(s) and the run summary\n`
        : `warning: Azure Monitor Logs upload failed after ${logsUpload.findingRows} row(s): ${logsUpload.error ?? 'unknown error'}\n`,
    );
  }
  await deps.onPublished?.({ source: published.source, ...(stored ? { stored } : {}) });
  const gate = failOnMatches(run, args.failOn, args.failOnEffective ?? []);
  if (gate.length > 0) {
    for (const line of gate) io.stderr(`${line}\n`);
    return { exitCode: EXIT.failOnMatched, run, stored, logsUpload };
  }
  return { exitCode: EXIT.ok, run, stored, logsUpload };
}

/** The `scan` command: parse, scan, report; returns the exit code. */
export async function runScanCommand(
  argv: readonly string[],
  io: CommandIo,
  deps: ScanDependencies = {},
): Promise<number> {
  try {
    const args = parseScanArguments(argv);
    if (args === 'help') {
      io.stdout(SCAN_USAGE);
      return EXIT.ok;
    }
    return (await scanFromArguments(args, io, deps)).exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${SCAN_USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof GovernanceValidationError) {
      io.stderr(`error: ${error.message}\nNothing was written.\n`);
      return EXIT.usage;
    }
    if (error instanceof InventoryFileError) {
      io.stderr(`error: ${error.message}\nNothing was written.\n`);
      return EXIT.usage;
    }
    if (
      error instanceof ScopeResolutionError ||
      error instanceof AzureAuthenticationError ||
      error instanceof StorageUnavailableError
    ) {
      io.stderr(`error: ${error.message}\nNothing was written.\n`);
      return EXIT.unreachable;
    }
    throw error;
  }
}
