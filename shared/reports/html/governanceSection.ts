import type { RunGovernanceEntry } from '../../governance/records.js';
import { EXPIRING_WITHIN_DAYS, recordOwner, type GovernanceSummary } from '../governanceSummary.js';
import { formatCount, formatUtc } from './displayFormat.js';
import { dataTable } from './htmlTable.js';
import { markup, type SafeHtml } from './htmlTemplate.js';

/** Records listed per table; every record is in report.xlsx (Exceptions and Attestations sheets). */
export const GOVERNANCE_LIST_LIMIT = 50;

function recordTable(caption: string, entries: readonly RunGovernanceEntry[], id: string): SafeHtml {
  const shown = entries.slice(0, GOVERNANCE_LIST_LIMIT);
  const more = entries.length - shown.length;
  return markup`${dataTable({
    id,
    caption:
      more > 0 ? `${caption} (first ${GOVERNANCE_LIST_LIMIT} of ${formatCount(entries.length)})` : caption,
    headers: [
      { label: 'Record', nowrap: true },
      { label: 'Kind', nowrap: true },
      { label: 'Control', nowrap: true },
      { label: 'Owner / attested by' },
      { label: 'Expires (UTC)', nowrap: true },
      { label: 'Findings applied', numeric: true },
    ],
    rows: shown.map((entry) => [
      entry.id,
      entry.kind,
      entry.controlId,
      recordOwner(entry),
      formatUtc(entry.expires),
      formatCount(entry.findingsApplied),
    ]),
  })}${more > 0 ? markup`<p>… and ${formatCount(more)} more in report.xlsx.</p>` : ''}`;
}

/** Accepted risks by control, records expiring soon, unused and expired records. */
export function governanceSection(summary: GovernanceSummary | undefined): SafeHtml {
  if (!summary) return markup``;
  const risks = dataTable({
    id: 'accepted-risks',
    caption: 'Accepted risks by control (EXCEPTED findings)',
    headers: [
      { label: 'Control', nowrap: true },
      { label: 'Title' },
      { label: 'Findings', numeric: true },
      { label: 'Exceptions' },
    ],
    rows: summary.acceptedRisks.map((risk) => [
      risk.controlId,
      risk.controlTitle,
      formatCount(risk.findings),
      risk.exceptionIds.join(', '),
    ]),
  });
  return markup`<section aria-labelledby="governance-heading">
    <h2 id="governance-heading">Exceptions and attestations</h2>
    <p>
      ${formatCount(summary.records.length)} governance records considered; observed verdicts are never changed,
      the effective verdict of each finding and the record applied are in report.xlsx (Findings sheet).
    </p>
    ${summary.acceptedRisks.length === 0 ? markup`<p>No accepted risk: no finding is EXCEPTED.</p>` : risks}
    ${
      summary.expiringSoon.length === 0
        ? markup`<p>No record expires in the next ${EXPIRING_WITHIN_DAYS} days.</p>`
        : recordTable(
            `Expiring in the next ${EXPIRING_WITHIN_DAYS} days`,
            summary.expiringSoon,
            'governance-expiring',
          )
    }
    ${
      summary.unused.length === 0
        ? ''
        : recordTable(
            'Unused records (matched no finding in this complete run)',
            summary.unused,
            'governance-unused',
          )
    }
    ${summary.expired.length === 0 ? '' : recordTable('Expired records (no longer applied)', summary.expired, 'governance-expired')}
    ${
      summary.ignored.length === 0
        ? ''
        : recordTable(
            'Ignored records (matched only findings they cannot change, e.g. ERROR or an observed verdict)',
            summary.ignored,
            'governance-ignored',
          )
    }
  </section>`;
}
