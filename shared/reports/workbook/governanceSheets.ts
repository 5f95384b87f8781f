import type { GovernanceScope, RunGovernanceEntry } from '../../governance/records.js';
import { TableSheet, type TableCell, type TableColumn } from './tableSheet.js';
import type { WorkbookSession } from './workbookSession.js';

const date = (value: string | undefined): Date | null => (value ? new Date(value) : null);

/** A scope as one line: `clusters: …; resource groups: …; subscriptions: …; kinds: …`. */
export function scopeText(scope: GovernanceScope): string {
  return [
    ['clusters', scope.clusters],
    ['resource groups', scope.resourceGroups],
    ['subscriptions', scope.subscriptions],
    ['kinds', scope.kinds],
  ]
    .filter((part): part is [string, string[]] => Array.isArray(part[1]) && part[1].length > 0)
    .map(([label, values]) => `${label}: ${values.join(', ')}`)
    .join('; ');
}

const PROVENANCE_COLUMNS: readonly TableColumn[] = [
  { header: 'Created by', width: 24 },
  { header: 'Created (UTC)', width: 20, kind: 'date' },
  { header: 'Approved by', width: 24 },
  { header: 'Approved (UTC)', width: 20, kind: 'date' },
  { header: 'Revoked by', width: 20 },
  { header: 'Source', width: 24 },
];

function provenance(entry: RunGovernanceEntry): TableCell[] {
  const { record } = entry;
  return [
    record.createdBy ?? '',
    date(record.createdAt),
    record.approvedBy ?? '',
    date(record.approvedAt),
    record.revokedBy ?? '',
    record.source ?? '',
  ];
}

export const EXCEPTION_COLUMNS: readonly TableColumn[] = [
  { header: 'Exception', width: 16 },
  { header: 'Control', width: 8 },
  { header: 'State', width: 10 },
  { header: 'Owner', width: 28 },
  { header: 'Justification', width: 60, kind: 'wrap' },
  { header: 'Ticket', width: 14 },
  { header: 'Scope', width: 60, kind: 'wrap' },
  { header: 'Expires (UTC)', width: 20, kind: 'date' },
  { header: 'Findings applied to', width: 12, kind: 'integer' },
  { header: 'Findings ignored', width: 12, kind: 'integer' },
  ...PROVENANCE_COLUMNS,
];

export const ATTESTATION_COLUMNS: readonly TableColumn[] = [
  { header: 'Attestation', width: 16 },
  { header: 'Control', width: 8 },
  { header: 'State', width: 10 },
  { header: 'Result', width: 8 },
  { header: 'Attested by', width: 28 },
  { header: 'Attested (UTC)', width: 20, kind: 'date' },
  { header: 'Statement', width: 60, kind: 'wrap' },
  { header: 'Evidence', width: 60, kind: 'wrap' },
  { header: 'First evidence link', width: 20, kind: 'link' },
  { header: 'Scope', width: 60, kind: 'wrap' },
  { header: 'Expires (UTC)', width: 20, kind: 'date' },
  { header: 'Findings applied to', width: 12, kind: 'integer' },
  { header: 'Findings ignored', width: 12, kind: 'integer' },
  ...PROVENANCE_COLUMNS,
];

/**
 * The Exceptions and Attestations sheets: every record the run considered, with its state, who
 * answers for it, its dates, how many findings it applied to, evidence and approval.
 */
export async function writeGovernanceSheets(
  session: WorkbookSession,
  records: readonly RunGovernanceEntry[],
): Promise<void> {
  const exceptions = new TableSheet(session, 'Exceptions', EXCEPTION_COLUMNS, {
    preamble: [
      'Exceptions (accepted risks)',
      'Findings they apply to are EXCEPTED: out of the effective score, observed status unchanged.',
    ],
    frozenColumns: 1,
  });
  for (const entry of records) {
    const { record } = entry;
    if (record.kind !== 'exception') continue;
    await exceptions.add([
      record.id,
      record.controlId,
      entry.state,
      record.owner,
      record.justification,
      record.ticket ?? '',
      scopeText(record.scope),
      date(record.expires),
      entry.findingsApplied,
      entry.findingsIgnored,
      ...provenance(entry),
    ]);
  }
  exceptions.close();
  const attestations = new TableSheet(session, 'Attestations', ATTESTATION_COLUMNS, {
    preamble: [
      'Attestations',
      'MANUAL findings they apply to count as the attested result in the effective score.',
    ],
    frozenColumns: 1,
  });
  for (const entry of records) {
    const { record } = entry;
    if (record.kind !== 'attestation') continue;
    const link = record.evidence.find((item) => item.url !== undefined);
    await attestations.add([
      record.id,
      record.controlId,
      entry.state,
      record.result,
      record.attestedBy,
      date(record.attestedAt),
      record.statement,
      record.evidence
        .map((item) =>
          [item.title, item.url, item.sha256 ? `sha256 ${item.sha256}` : undefined]
            .filter(Boolean)
            .join(': '),
        )
        .join('\n'),
      link?.url ? { url: link.url, label: link.title } : null,
      scopeText(record.scope),
      date(record.expires),
      entry.findingsApplied,
      entry.findingsIgnored,
      ...provenance(entry),
    ]);
  }
  attestations.close();
}
