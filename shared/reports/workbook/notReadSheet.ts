import type { CollectionGap } from '../../inventory/inventory.js';
import { TableSheet, type TableColumn } from './tableSheet.js';
import type { WorkbookSession } from './workbookSession.js';

export const NOT_READ_COLUMNS: readonly TableColumn[] = [
  { header: 'Gap', width: 10 },
  { header: 'Subscription or resource', width: 60 },
  { header: 'Category', width: 18 },
  { header: 'Reason', width: 80, kind: 'wrap' },
];

/** The target and category of a collection gap, as shown in reports. */
export function gapCells(gap: CollectionGap): [string, string, string, string] {
  return gap.kind === 'scope'
    ? ['scope', gap.subscriptionId, gap.category, gap.reason]
    : ['resource', gap.id, '', gap.reason];
}

/** What the scan could not read (only written for a partial run). */
export async function writeNotReadSheet(
  session: WorkbookSession,
  gaps: readonly CollectionGap[],
): Promise<void> {
  const preamble = ['Not read: findings that depend on these reads are ERROR, never PASS.'];
  const table = new TableSheet(session, 'Not read', NOT_READ_COLUMNS, { preamble });
  for (const gap of gaps) await table.add(gapCells(gap));
  table.close();
}
