import type { FindingChange, RunChanges } from '../../runCalculations/runChanges.js';
import { formatCount } from './displayFormat.js';
import { DISPLAY_LIMITS, displayAttribute, displayText } from './displayText.js';
import { dataTable } from './htmlTable.js';
import { markup, type SafeHtml } from './htmlTemplate.js';
import { statusBadge } from './statusBadge.js';

/** Rows listed per change table; the rest are counted (all are in the workbook's Changes sheet). */
export const CHANGES_LIMIT = 50;

function changeTable(id: string, caption: string, changes: readonly FindingChange[]): SafeHtml {
  if (changes.length === 0) return markup`<p>None.</p>`;
  const shown = changes.slice(0, CHANGES_LIMIT);
  const more = changes.length - shown.length;
  return markup`${dataTable({
    id,
    caption: more > 0 ? `${caption} (first ${CHANGES_LIMIT} of ${formatCount(changes.length)})` : caption,
    headers: [
      { label: 'Cluster' },
      { label: 'Control' },
      { label: 'Severity' },
      { label: 'Was' },
      { label: 'Now' },
      { label: 'Reason' },
    ],
    rows: shown.map((change) => [
      displayText(change.clusterName),
      markup`${displayText(change.controlId)} <span class="muted">${displayText(change.controlTitle)}</span>`,
      displayText(change.severity),
      change.previousStatus === null
        ? markup`<span class="muted">new cluster</span>`
        : statusBadge(change.previousStatus),
      statusBadge(change.currentStatus),
      displayText(change.reason, DISPLAY_LIMITS.text),
    ]),
  })}${more > 0 ? markup`<p>… and ${formatCount(more)} more in report.xlsx, sheet “Changes”.</p>` : ''}`;
}

function clusterList(
  title: string,
  clusters: ReadonlyArray<{ clusterName: string; clusterId: string }>,
): SafeHtml {
  if (clusters.length === 0) return markup``;
  const shown = clusters.slice(0, CHANGES_LIMIT);
  const more = clusters.length - shown.length;
  return markup`<p>
    <strong>${title} (${formatCount(clusters.length)}):</strong>
    ${shown.map((cluster, index) => markup`${index > 0 ? ', ' : ''}<span title="${displayAttribute(cluster.clusterId, DISPLAY_LIMITS.text)}">${displayText(cluster.clusterName)}</span>`)}${more > 0 ? markup` … and ${formatCount(more)} more` : ''}
  </p>`;
}

/** New failures and resolutions since the previous complete run of the same scope. */
export function changesSection(changes: RunChanges | undefined): SafeHtml {
  if (changes === undefined) {
    return markup`<section aria-labelledby="changes-heading">
      <h2 id="changes-heading">Since the previous run</h2>
      <p id="changes-summary">First run of this scope: there is no previous complete run to compare with.</p>
    </section>`;
  }
  const counts: Array<[string, number]> = [
    ['newly failing', changes.newlyFailing.length],
    ['resolved', changes.resolved.length],
    ['still failing', changes.stillFailing.length],
    ['newly unobservable (ERROR)', changes.newlyUnobservable.length],
    ['other status changes', changes.otherChanges.length],
    ['clusters added', changes.clustersAdded.length],
    ['clusters removed', changes.clustersRemoved.length],
    ...(changes.newlyExcepted ||
    changes.exceptionExpired ||
    changes.newlyAttested ||
    changes.attestationExpired
      ? ([
          ['newly excepted', changes.newlyExcepted?.length ?? 0],
          ['exceptions expired', changes.exceptionExpired?.length ?? 0],
          ['newly attested', changes.newlyAttested?.length ?? 0],
          ['attestations expired', changes.attestationExpired?.length ?? 0],
        ] as Array<[string, number]>)
      : []),
  ];
  return markup`<section aria-labelledby="changes-heading">
    <h2 id="changes-heading">Since the previous run</h2>
    <p id="changes-summary">
      Compared with run ${changes.previousRunId === null ? '(none)' : displayText(changes.previousRunId)}:
      ${counts.map(([label, count], index) => markup`${index > 0 ? ', ' : ''}<strong>${formatCount(count)}</strong> ${label}`)}.
    </p>
    <h3>New failures</h3>
    ${changeTable('newly-failing', 'Findings failing now that did not fail in the previous run', changes.newlyFailing)}
    <h3>Resolved</h3>
    ${changeTable('resolved', 'Findings that failed in the previous run and pass (or no longer apply) now', changes.resolved)}
    ${
      changes.newlyUnobservable.length > 0
        ? markup`<h3>Newly unobservable</h3>
            ${changeTable('newly-unobservable', 'Findings that could not be evaluated this time', changes.newlyUnobservable)}`
        : ''
    }
    ${clusterList('Clusters added', changes.clustersAdded)}
    ${clusterList('Clusters removed', changes.clustersRemoved)}
  </section>`;
}
