import type { AttestationItem } from '../attestationQueue.js';
import { TableSheet, type TableColumn } from './tableSheet.js';
import type { WorkbookSession } from './workbookSession.js';

export const ATTEST_COLUMNS: readonly TableColumn[] = [
  { header: 'Control', width: 8 },
  { header: 'Control title', width: 36, kind: 'wrap' },
  { header: 'Severity', width: 9 },
  { header: 'Cluster', width: 28 },
  { header: 'Cluster ID', width: 48 },
  { header: 'Kind', width: 9 },
  { header: 'Subscription', width: 38 },
  { header: 'Resource group', width: 22 },
  { header: 'What to confirm', width: 70, kind: 'wrap' },
  { header: 'Why it is MANUAL', width: 60, kind: 'wrap' },
  { header: 'How to verify', width: 50, kind: 'wrap' },
  { header: 'Attested by', width: 20 },
  { header: 'Date', width: 14, kind: 'date' },
  { header: 'Outcome', width: 20 },
];

/**
 * The MANUAL findings, in queue order (by control, then cluster), with what a person must confirm
 * and columns to record it.
 */
export async function writeAttestSheet(
  session: WorkbookSession,
  items: AsyncIterable<AttestationItem> | Iterable<AttestationItem>,
): Promise<void> {
  const preamble = [
    'Findings awaiting attestation',
    'Azure cannot observe these controls for these clusters. Record who confirmed each one, when, and the outcome.',
  ];
  const table = new TableSheet(session, 'To attest', ATTEST_COLUMNS, { preamble, frozenColumns: 1 });
  for await (const item of items) {
    await table.add([
      item.controlId,
      item.controlTitle,
      item.severity,
      item.clusterName,
      item.clusterId,
      item.clusterKind,
      item.subscriptionId,
      item.resourceGroup,
      item.confirm,
      item.reason,
      item.verification,
      null,
      null,
      null,
    ]);
  }
  table.close();
}
