import { join } from 'node:path';

import { reportInputFor } from '../reports/reportContext.js';
import type { OutputFormat } from '../formats/outputFormats.js';
import type { FindingsSink } from '../output/findingsSink.js';
import { writeScanOutputs, type WrittenOutputs } from '../output/writeScanOutputs.js';
import { writeReports } from '../reports/writeReports.js';
import type { RunSource } from '../scan/runSource.js';
import type { HistoryStore } from '../storage/historyStore.js';
import { deleteExpiredRuns, type RetentionOutcome } from '../storage/retention.js';
import { storeRun, type StoreRunOutcome } from '../storage/storeRun.js';
import type { RunKind } from './runKind.js';

/** Where a run's outputs go: `produce` writes them into a folder, then they are made available. */
export interface OutputDestination {
  /** Runs `produce` with a folder to write into and returns the names of what was published. */
  publish(runId: string, produce: (folder: string) => Promise<void>): Promise<string[]>;
}

/** A local folder as a destination (the CLI's `--out`): the files stay where they were written. */
export function folderDestination(folder: string): OutputDestination {
  return {
    async publish(_runId, produce) {
      await produce(folder);
      return ['findings.json', 'findings.csv', 'report.xlsx', 'report.html'].map((name) =>
        join(folder, name),
      );
    },
  };
}

/** Run history to store into; retention applies to it after every stored run. */
export interface RunHistory {
  store: HistoryStore;
  retentionDays: number;
}

export interface PublishedRun {
  kind: RunKind;
  /** The run as published, read part by part. */
  source: RunSource;
  written: WrittenOutputs;
  /** Absent when no history is configured (an offline CLI scan without storage). */
  stored?: StoreRunOutcome;
  /** Absent when no history is configured; `error` when the clean-up failed (the run is kept). */
  retention?: RetentionOutcome | { error: string };
  reports: { workbook: string; html: string };
}

/** What follows publishing, for fleet runs; a single-cluster check is handed to neither step. */
export interface RunHandOff {
  /** With the written reports still in their folder (to attach them, e.g. the report e-mail). */
  withReports?(run: PublishedRun & { stored: StoreRunOutcome }): Promise<void>;
  /** Once every output is published (e.g. planning notification events). */
  published?(run: PublishedRun & { stored: StoreRunOutcome }, files: string[]): Promise<void>;
}

export interface PublishRunRequest {
  kind: RunKind;
  /** The judged run, read part by part by every output. */
  source: RunSource;
  /** Runs are compared with the previous complete run of the same scope key. */
  scopeKey: string;
  destination: OutputDestination;
  history?: RunHistory;
  handOff?: RunHandOff;
  /** Notification deliveries that gave up so far, shown in the reports when known. */
  countDeadLetters?: () => Promise<number>;
  /** More findings formats, fed the same parts as findings.json and findings.csv. */
  extraSinks?: (folder: string) => FindingsSink[];
  /** Interchange formats written beside findings.json; every one when absent. */
  formats?: readonly OutputFormat[];
  clock: () => Date;
  onProgress?: (message: string) => void;
}

/**
 * Publishes a scanned run, the one way every path does: writes findings.json and findings.csv,
 * stores the run (when history is configured), deletes runs past the retention period, builds the
 * report input (changes, trend, first seen failing), writes the workbook and the HTML report, and
 * hands a fleet run off to what follows (report e-mail, notification events). A storage failure
 * propagates after the local outputs are written; a failed retention clean-up is reported in the
 * outcome and never loses the run just stored.
 */
export async function publishRun(request: PublishRunRequest): Promise<PublishedRun & { files: string[] }> {
  const { source, history, clock } = request;
  const progress = request.onProgress ?? (() => undefined);
  let published: PublishedRun | undefined;
  const files = await request.destination.publish(source.run.id, async (folder) => {
    const written = await writeScanOutputs(folder, source, {
      ...(request.extraSinks ? { extraSinks: request.extraSinks } : {}),
      ...(request.formats ? { formats: request.formats } : {}),
    });
    progress(`Wrote ${written.findingsJson} and ${written.findingsCsv}`);
    let stored: StoreRunOutcome | undefined;
    let retention: PublishedRun['retention'];
    if (history) {
      stored = await storeRun({
        store: history.store,
        source,
        scopeKey: request.scopeKey,
        findingsJsonSha256: written.findingsJsonSha256,
        clock,
        onProgress: progress,
      });
      retention = await applyRetention(history, clock());
    }
    progress('Building the reports');
    const input = await reportInputFor(
      source,
      written.findingsJsonSha256,
      stored && history ? { outcome: stored, store: history.store } : undefined,
      clock(),
    );
    const deadLetters = request.countDeadLetters ? await request.countDeadLetters() : undefined;
    const reports = await writeReports(
      folder,
      deadLetters === undefined ? input : { ...input, notificationDeadLetters: deadLetters },
    );
    progress(`Wrote ${reports.workbook} and ${reports.html}`);
    published = { kind: request.kind, source, written, stored, retention, reports };
    if (stored && request.kind === 'fleet') await request.handOff?.withReports?.({ ...published, stored });
  });
  if (!published) throw new Error(`run ${source.run.id} was not published`);
  const run: PublishedRun = published;
  if (run.stored && run.kind === 'fleet')
    await request.handOff?.published?.({ ...run, stored: run.stored }, files);
  return { ...run, files };
}

async function applyRetention(history: RunHistory, now: Date): Promise<PublishedRun['retention']> {
  try {
    return await deleteExpiredRuns(history.store, history.retentionDays, now);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
