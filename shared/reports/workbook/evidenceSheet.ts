import type { Finding } from '../../catalog/types.js';
import { observedText } from '../evidenceText.js';
import { TableSheet, type TableCell, type TableColumn } from './tableSheet.js';
import type { WorkbookSession } from './workbookSession.js';

export const EVIDENCE_COLUMNS: readonly TableColumn[] = [
  { header: 'Cluster', width: 28 },
  { header: 'Cluster ID', width: 48 },
  { header: 'Control', width: 8 },
  { header: 'Status', width: 16, kind: 'status' },
  { header: 'Check', width: 7, kind: 'integer' },
  { header: 'Path', width: 44 },
  { header: 'Observed', width: 40, kind: 'wrap' },
  { header: 'Expected', width: 40, kind: 'wrap' },
  { header: 'Source ID', width: 60 },
  { header: 'Stale', width: 7, kind: 'boolean' },
  { header: 'Stale since (UTC)', width: 20, kind: 'date' },
  { header: 'Inferred', width: 9, kind: 'boolean' },
  { header: 'Notes', width: 50, kind: 'wrap' },
  { header: 'Verification', width: 50, kind: 'wrap' },
  { header: 'Source IDs of the finding', width: 60, kind: 'wrap' },
];

/** Numbers and booleans stay typed; anything else as {@link observedText}. */
function observedCell(value: unknown): TableCell {
  return typeof value === 'number' || typeof value === 'boolean' ? value : observedText(value);
}

function dateOrText(value: string | null | undefined): Date | string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date;
}

/**
 * One row per evidence check (a finding without checks gets one row with the check columns empty);
 * notes, verification and the finding's source IDs on the first row of each finding.
 */
export async function writeEvidenceSheet(
  session: WorkbookSession,
  findings: AsyncIterable<Finding> | Iterable<Finding>,
): Promise<void> {
  const table = new TableSheet(session, 'Evidence', EVIDENCE_COLUMNS, { frozenColumns: 1 });
  for await (const finding of findings) {
    const { evidence } = finding;
    const rows = Math.max(1, evidence.checks.length);
    for (let index = 0; index < rows; index++) {
      const check = evidence.checks[index];
      const first = index === 0;
      const cells: TableCell[] = [
        finding.clusterName,
        finding.clusterId,
        finding.controlId,
        finding.status,
        check ? index + 1 : null,
        check?.path ?? '',
        check ? observedCell(check.observed) : '',
        check?.expected ?? '',
        check?.source ?? '',
        evidence.stale,
        evidence.stale ? dateOrText(evidence.staleSince) : null,
        evidence.inferred,
        first ? (evidence.notes ?? []).join('\n') : '',
        first ? (evidence.verification ?? '') : '',
        first ? evidence.sourceIds.join('\n') : '',
      ];
      await table.add(cells);
    }
  }
  table.close();
}
