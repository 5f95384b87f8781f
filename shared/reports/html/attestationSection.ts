import { attestationText, type AttestationGroup } from '../attestationQueue.js';
import { formatCount } from './displayFormat.js';
import { displayText } from './displayText.js';
import { dataTable } from './htmlTable.js';
import { markup, type SafeHtml } from './htmlTemplate.js';

/** Clusters listed per control; the rest are counted (all are in the workbook's To attest sheet). */
export const ATTESTATION_LIMIT = 25;

function group(entry: AttestationGroup): SafeHtml {
  const confirm = entry.kinds.map(
    (kind) => markup`<li><strong>${kind}:</strong> ${attestationText(entry.controlId, kind)}</li>`,
  );
  const shown = entry.first.slice(0, ATTESTATION_LIMIT);
  const more = entry.count - shown.length;
  return markup`<h3>
      ${entry.controlId} ${displayText(entry.controlTitle)}
      <span class="muted">(${formatCount(entry.count)})</span>
    </h3>
    <p>What a person must confirm:</p>
    <ul>
      ${confirm}
    </ul>
    ${dataTable({
      caption: `${entry.controlId}: clusters awaiting attestation${more > 0 ? ` (first ${ATTESTATION_LIMIT} of ${formatCount(entry.count)})` : ''}`,
      headers: [
        { label: 'Cluster' },
        { label: 'Kind', nowrap: true },
        { label: 'Subscription' },
        { label: 'Resource group' },
      ],
      rows: shown.map((finding) => [
        displayText(finding.clusterName),
        displayText(finding.clusterKind),
        displayText(finding.subscriptionId),
        displayText(finding.resourceGroup),
      ]),
    })}${more > 0 ? markup`<p>… and ${formatCount(more)} more in report.xlsx, sheet “To attest”.</p>` : ''}`;
}

/** The MANUAL findings awaiting attestation, grouped by control (each group lists its first ones). */
export function attestationSection(groups: readonly AttestationGroup[]): SafeHtml {
  const total = groups.reduce((sum, entry) => sum + entry.count, 0);
  return markup`<section aria-labelledby="attest-heading">
    <h2 id="attest-heading">Awaiting attestation</h2>
    ${
      total === 0
        ? markup`<p>Nothing awaits attestation: no finding is MANUAL.</p>`
        : markup`<p id="attest-summary">
              <strong>${formatCount(total)}</strong> MANUAL findings: Azure cannot observe these controls for
              these clusters, so a person must confirm them. Record the outcome in report.xlsx, sheet “To
              attest”.
            </p>
            ${groups.map(group)}`
    }
  </section>`;
}
