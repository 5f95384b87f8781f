import { CATALOG_VERSION } from '../../catalog/controls.js';
import { STATUSES } from '../../catalog/types.js';
import type { TrendPoint } from '../../runCalculations/runChanges.js';
import type { RunMetadata } from '../../scan/scanResult.js';
import type { KindRollup } from '../controlSummaries.js';
import { totalOf } from '../statusBreakdown.js';
import { formatCount, formatPercent, formatUtc } from './displayFormat.js';
import { DISPLAY_LIMITS, displayText } from './displayText.js';
import { dataTable } from './htmlTable.js';
import { markup, type SafeHtml } from './htmlTemplate.js';
import { statusBadge } from './statusBadge.js';
import { describeTrend, svgTrendChart } from './svgTrendChart.js';

/** Collection gaps listed in the HTML; the rest are counted (all are in the workbook). */
export const HTML_GAP_LIMIT = 10;
/** Trend points listed in the text fallback (the newest). */
export const TREND_TABLE_LIMIT = 10;

function coverage(run: RunMetadata): SafeHtml {
  if (run.complete) {
    return markup`<p class="ok"><strong>Coverage: complete.</strong> Every part of the scope was read.</p>`;
  }
  const gaps = run.notRead
    .slice(0, HTML_GAP_LIMIT)
    .map((gap) =>
      gap.kind === 'scope'
        ? markup`<li>Subscription ${displayText(gap.subscriptionId)}, ${displayText(gap.category)}: ${displayText(gap.reason, DISPLAY_LIMITS.text)}</li>`
        : markup`<li>Resource ${displayText(gap.id, DISPLAY_LIMITS.text)}: ${displayText(gap.reason, DISPLAY_LIMITS.text)}</li>`,
    );
  const more = run.notRead.length - HTML_GAP_LIMIT;
  return markup`<div class="warning" role="note">
    <p>
      <strong>PARTIAL scan: ${formatCount(run.notRead.length)} read(s) failed.</strong> Findings that need the
      missing data are ERROR, never PASS; the score covers only what was read.
    </p>
    <ul>
      ${gaps}
    </ul>
    ${
      more > 0
        ? markup`<p>… and ${formatCount(more)} more (all listed in report.xlsx, sheet “Not read”).</p>`
        : ''
    }
  </div>`;
}

function deadLetterNote(count: number): SafeHtml | '' {
  if (count <= 0) return '';
  return markup`<p class="warning" role="note">
    <strong>${formatCount(count)} notification deliver${count === 1 ? 'y' : 'ies'} gave up</strong> after every
    attempt (dead letters); tickets or webhooks may be missing them. See GET /api/notifications/dead-letters.
  </p>`;
}

function trend(points: readonly TrendPoint[]): SafeHtml {
  const recent = points.slice(-TREND_TABLE_LIMIT).reverse();
  const table = dataTable({
    caption: `Compliance per run (newest first${points.length > TREND_TABLE_LIMIT ? `, last ${TREND_TABLE_LIMIT} of ${points.length}` : ''})`,
    headers: [
      { label: 'As of' },
      { label: 'Run' },
      { label: 'Compliance', numeric: true },
      { label: 'FAIL', numeric: true },
    ],
    rows: recent.map((point) => [
      formatUtc(point.asOf),
      displayText(point.runId),
      formatPercent(point.score),
      formatCount(point.counts.FAIL),
    ]),
  });
  return markup`<h3>Trend</h3>
    ${points.length > 1 ? markup`<figure>${svgTrendChart(points)}</figure>` : ''}
    <p id="trend-text">${describeTrend(points)}</p>
    ${table}`;
}

/** Score, counts, clusters, coverage and trend: what a compliance officer reads first. */
export function summarySection(
  run: RunMetadata,
  findingCount: number,
  kinds: readonly KindRollup[],
  points: readonly TrendPoint[],
  deadLetters = 0,
): SafeHtml {
  const counts = dataTable({
    id: 'status-counts',
    compact: true,
    caption: 'Findings by status',
    headers: [{ label: 'Status' }, { label: 'Findings', numeric: true }],
    rows: [
      ...STATUSES.map((status) => [statusBadge(status), formatCount(run.counts[status])]),
      ['Total', formatCount(totalOf(run.counts))],
    ],
  });
  const byKind = dataTable({
    id: 'kinds',
    compact: true,
    caption: 'Clusters and compliance by kind',
    headers: [
      { label: 'Kind', nowrap: true },
      { label: 'Clusters', numeric: true },
      { label: 'FAIL', numeric: true },
      { label: 'ERROR', numeric: true },
      { label: 'MANUAL', numeric: true },
      { label: 'Compliance', numeric: true },
    ],
    rows: kinds.map((kind) => [
      kind.kind,
      formatCount(kind.clusters),
      formatCount(kind.counts.FAIL),
      formatCount(kind.counts.ERROR),
      formatCount(kind.counts.MANUAL),
      formatPercent(kind.score),
    ]),
  });
  return markup`<section aria-labelledby="summary-heading">
    <h2 id="summary-heading">Executive summary</h2>
    <table class="layout" role="presentation">
      <tr>
        <td class="score-cell">
          <p class="score-label">Compliance score</p>
          <p class="score"><span id="overall-score">${formatPercent(run.score)}</span></p>
          <p class="muted">PASS / (PASS + FAIL + MANUAL + ERROR); NOT_APPLICABLE excluded</p>
        </td>
        ${
          run.effectiveScore !== undefined && (run.governance?.length ?? 0) > 0
            ? markup`<td class="score-cell">
                <p class="score-label">Effective score</p>
                <p class="score"><span id="effective-score">${formatPercent(run.effectiveScore)}</span></p>
                <p class="muted">
                  after ${formatCount(run.effectiveCounts?.EXCEPTED ?? 0)} accepted risks (EXCEPTED, out of the
                  denominator) and attestations (counted as their result)
                </p>
              </td>`
            : ''
        }
        <td class="score-cell">
          <p class="score-label">Clusters</p>
          <p class="score"><span id="cluster-count">${formatCount(run.clusterCount)}</span></p>
          <p class="muted">
            ${formatCount(findingCount)} findings, ${formatCount(run.counts.FAIL)} failing
          </p>
        </td>
      </tr>
    </table>
    ${coverage(run)} ${deadLetterNote(deadLetters)} ${counts} ${byKind} ${trend(points)}
    <p class="muted">
      Run ${displayText(run.id)}, source ${displayText(run.source)}, as of ${formatUtc(run.asOf)}, catalog v${CATALOG_VERSION}.
    </p>
  </section>`;
}
