import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Stream } from 'node:stream';

import ExcelJS from 'exceljs';

import type { RunPart } from '../scan/runSource.js';

import {
  attestationItem,
  awaitsAttestation,
  compareAttestationItems,
  type AttestationItem,
} from './attestationQueue.js';
import { firstSeenFailingResolver } from './firstSeenFailing.js';
import { portalBase } from './portalLink.js';
import type { ReportInput } from './reportInput.js';
import { rollUpRun, type RunRollups } from './runRollups.js';
import { clusterRowsOf, findingsOf } from './runStreams.js';
import { SortedSpool } from './sortedSpool.js';
import { writeAttestSheet } from './workbook/attestSheet.js';
import { writeChangesSheet } from './workbook/changesSheet.js';
import { writeClustersSheet } from './workbook/clustersSheet.js';
import { writeEvidenceSheet } from './workbook/evidenceSheet.js';
import { writeFindingsSheet } from './workbook/findingsSheet.js';
import { writeFrameworkSheets } from './workbook/frameworkSheets.js';
import { writeGovernanceSheets } from './workbook/governanceSheets.js';
import { writeNotReadSheet } from './workbook/notReadSheet.js';
import { writeSummarySheet } from './workbook/summarySheet.js';
import { resolveLimits, type WorkbookLimits } from './workbook/workbookLimits.js';
import { WorkbookSession } from './workbook/workbookSession.js';

export type { WorkbookLimits } from './workbook/workbookLimits.js';

async function writeSheets(
  session: WorkbookSession,
  input: ReportInput,
  base: string,
  rollups: RunRollups,
  queue: SortedSpool<AttestationItem>,
): Promise<void> {
  const { source } = input;
  const { run } = source;
  writeSummarySheet(session, {
    run,
    findingCount: rollups.findings,
    findingsJsonSha256: input.findingsJsonSha256,
    generatedAt: input.generatedAt,
    changes: input.changes,
    controls: rollups.controls,
    kinds: rollups.kinds,
    ...(input.notificationDeadLetters === undefined
      ? {}
      : { notificationDeadLetters: input.notificationDeadLetters }),
  });
  // While the Findings sheet is written, each part's cluster locations are loaded as the part is
  // reached, and the findings awaiting attestation gathered (sorted on disk when there are many).
  const locations = rollups.clusters.locations();
  let partIndex = 0;
  const beforePart = async (part: RunPart): Promise<void> => {
    await locations.load(partIndex++);
    for (const finding of part.findings)
      if (awaitsAttestation(finding)) await queue.add(attestationItem(finding));
  };
  try {
    await writeFindingsSheet(session, findingsOf(source, beforePart), {
      locations,
      portalBase: base,
      firstSeenFailing: firstSeenFailingResolver(input),
    });
  } finally {
    await locations.close();
  }
  await writeFrameworkSheets(session, rollups.frameworks);
  await writeClustersSheet(session, clusterRowsOf(source, rollups.clusters.rowCounts()), base);
  await writeEvidenceSheet(session, findingsOf(source));
  await writeChangesSheet(session, input.changes);
  await writeAttestSheet(session, queue.sorted());
  if (run.governance && run.governance.length > 0) await writeGovernanceSheets(session, run.governance);
  if (run.notRead.length > 0) await writeNotReadSheet(session, run.notRead);
}

/**
 * Writes report.xlsx with exceljs's streaming writer, one sheet after another so memory stays flat:
 * Summary, Findings, one sheet per framework, Clusters, Evidence, Changes, To attest, Exceptions and
 * Attestations when the run applied governance records, and Not read for a partial run. A table longer than a sheet continues on "Name (2)"…; `rows` counts every row
 * written, headers included. `output` is a file path or a writable stream (ended when done).
 * The run is read part by part, never whole: once for the rollups (unless `rollups` are given),
 * then for the Findings, Clusters and Evidence sheets, each row committed as it is written.
 */
export async function writeWorkbook(
  output: string | NodeJS.WritableStream,
  input: ReportInput,
  limits?: Partial<WorkbookLimits>,
  rollups?: RunRollups,
): Promise<{ sheets: string[]; rows: number }> {
  const resolvedLimits = resolveLimits(limits);
  const base = portalBase(input.portalBaseUrl);
  const ownRollups = rollups === undefined;
  const summary = rollups ?? (await rollUpRun(input.source));
  const owned = typeof output === 'string' ? createWriteStream(output) : undefined;
  const closed = owned ? once(owned, 'close') : undefined;
  closed?.catch(() => undefined); // awaited below; an early error must not go unhandled meanwhile
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: (owned ?? output) as unknown as Stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'arc-data-compliance';
  workbook.created = input.generatedAt;
  workbook.modified = input.generatedAt;
  const session = new WorkbookSession(workbook, resolvedLimits);
  const queue = new SortedSpool<AttestationItem>(compareAttestationItems);
  try {
    await writeSheets(session, input, base, summary, queue);
    await workbook.commit();
    await closed;
  } catch (error) {
    owned?.destroy();
    throw error;
  } finally {
    await queue.dispose();
    if (ownRollups) await summary.dispose();
  }
  return { sheets: [...session.sheetNames], rows: session.rows };
}
