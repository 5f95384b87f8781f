import type { Finding } from '../../catalog/types.js';
import { effectiveStatusOf, type ScanFinding } from '../../governance/records.js';
import { benchmarkLabel } from '../../findings/findingsCsv.js';
import { compactExpected, compactObserved } from '../evidenceText.js';
import { clusterPortalUrl } from '../portalLink.js';
import { TableSheet, type TableColumn } from './tableSheet.js';
import type { WorkbookSession } from './workbookSession.js';

export const FINDINGS_COLUMNS: readonly TableColumn[] = [
  { header: 'Cluster', width: 28 },
  { header: 'Cluster ID', width: 48 },
  { header: 'Kind', width: 9 },
  { header: 'Subscription', width: 38 },
  { header: 'Resource group', width: 22 },
  { header: 'Location', width: 14 },
  { header: 'Control', width: 8 },
  { header: 'Control title', width: 40, kind: 'wrap' },
  { header: 'Control version', width: 9 },
  { header: 'Severity', width: 9 },
  { header: 'Status', width: 16, kind: 'status' },
  { header: 'Reason', width: 70, kind: 'wrap' },
  { header: 'Observed', width: 50, kind: 'wrap' },
  { header: 'Expected', width: 50, kind: 'wrap' },
  { header: 'Benchmarks', width: 40, kind: 'wrap' },
  { header: 'Stale', width: 7, kind: 'boolean' },
  { header: 'Inferred', width: 9, kind: 'boolean' },
  { header: 'First seen failing (UTC)', width: 20, kind: 'date' },
  { header: 'Azure portal', width: 16, kind: 'link' },
  { header: 'Effective status', width: 16 },
  { header: 'Governance record', width: 18 },
  { header: 'Record expires (UTC)', width: 20, kind: 'date' },
];

export interface FindingsSheetContext {
  /** The location of a finding's cluster, by the cluster's ID in lower case. */
  locations: { get(key: string): string | undefined };
  portalBase: string;
  firstSeenFailing: (finding: Finding) => Date | undefined;
}

/** One row per finding (in the order given), with the cluster's location, compact evidence and a portal link. */
export async function writeFindingsSheet(
  session: WorkbookSession,
  findings: AsyncIterable<ScanFinding> | Iterable<ScanFinding>,
  context: FindingsSheetContext,
): Promise<void> {
  const table = new TableSheet(session, 'Findings', FINDINGS_COLUMNS, { frozenColumns: 1 });
  for await (const finding of findings) {
    await table.add([
      finding.clusterName,
      finding.clusterId,
      finding.clusterKind,
      finding.subscriptionId,
      finding.resourceGroup,
      context.locations.get(finding.clusterId.toLowerCase()) ?? '',
      finding.controlId,
      finding.controlTitle,
      finding.controlVersion,
      finding.severity,
      finding.status,
      finding.reason,
      compactObserved(finding.evidence),
      compactExpected(finding.evidence),
      finding.benchmarks.map(benchmarkLabel).join('; '),
      finding.evidence.stale,
      finding.evidence.inferred,
      context.firstSeenFailing(finding),
      { url: clusterPortalUrl(context.portalBase, finding.clusterId), label: 'Open in portal' },
      effectiveStatusOf(finding),
      finding.governance?.exceptionId ?? finding.governance?.attestationId ?? '',
      finding.governance?.expires ? new Date(finding.governance.expires) : null,
    ]);
  }
  table.close();
}
