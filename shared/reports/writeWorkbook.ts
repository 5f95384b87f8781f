import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Stream } from 'node:stream';

import ExcelJS from 'exceljs';

import { attestationQueue } from './attestationQueue.js';
import { clusterRollups } from './clusterRanking.js';
import { controlRollups, kindRollups } from './controlSummaries.js';
import { firstSeenFailingResolver } from './firstSeenFailing.js';
import { frameworkCompliance } from './frameworkCompliance.js';
import { portalBase } from './portalLink.js';
import type { ReportInput } from './reportInput.js';
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

async function writeSheets(session: WorkbookSession, input: ReportInput, base: string): Promise<void> {
  const { result } = input;
  writeSummarySheet(session, {
    result,
    findingsJsonSha256: input.findingsJsonSha256,
    generatedAt: input.generatedAt,
    changes: input.changes,
    controls: controlRollups(result.findings),
    kinds: kindRollups(result.findings),
    ...(input.notificationDeadLetters === undefined
      ? {}
      : { notificationDeadLetters: input.notificationDeadLetters }),
  });
  await writeFindingsSheet(session, result.findings, {
    clustersById: new Map(result.clusters.map((cluster) => [cluster.id.toLowerCase(), cluster])),
    portalBase: base,
    firstSeenFailing: firstSeenFailingResolver(input),
  });
  await writeFrameworkSheets(session, frameworkCompliance(result.findings));
  await writeClustersSheet(session, result.clusters, clusterRollups(result.findings), base);
  await writeEvidenceSheet(session, result.findings);
  await writeChangesSheet(session, input.changes);
  await writeAttestSheet(session, attestationQueue(result.findings));
  if (result.run.governance && result.run.governance.length > 0)
    await writeGovernanceSheets(session, result.run.governance);
  if (result.run.notRead.length > 0) await writeNotReadSheet(session, result.run.notRead);
}

/**
 * Writes report.xlsx with exceljs's streaming writer, one sheet after another so memory stays flat:
 * Summary, Findings, one sheet per framework, Clusters, Evidence, Changes, To attest, Exceptions and
 * Attestations when the run applied governance records, and Not read for a partial run. A table longer than a sheet continues on "Name (2)"…; `rows` counts every row
 * written, headers included. `output` is a file path or a writable stream (ended when done).
 */
export async function writeWorkbook(
  output: string | NodeJS.WritableStream,
  input: ReportInput,
  limits?: Partial<WorkbookLimits>,
): Promise<{ sheets: string[]; rows: number }> {
  const resolvedLimits = resolveLimits(limits);
  const base = portalBase(input.portalBaseUrl);
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
  try {
    await writeSheets(session, input, base);
    await workbook.commit();
    await closed;
  } catch (error) {
    owned?.destroy();
    throw error;
  }
  return { sheets: [...session.sheetNames], rows: session.rows };
}
