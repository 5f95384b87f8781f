import type { ControlRollup } from '../controlSummaries.js';
import { rankControlsByFailures } from '../controlSummaries.js';
import { formatCount, formatPercent } from './displayFormat.js';
import { dataTable } from './htmlTable.js';
import { markup, type SafeHtml } from './htmlTemplate.js';
import { svgControlBars } from './svgControlBars.js';

/** The controls ranked by failures, as a bar chart and a table. */
export function controlsSection(controls: readonly ControlRollup[]): SafeHtml {
  const ranked = rankControlsByFailures(controls);
  const table = dataTable({
    id: 'controls',
    caption: 'Controls ranked by failures (then errors, then severity)',
    headers: [
      { label: 'Control', nowrap: true },
      { label: 'Title' },
      { label: 'Severity' },
      { label: 'FAIL', numeric: true },
      { label: 'ERROR', numeric: true },
      { label: 'MANUAL', numeric: true },
      { label: 'PASS', numeric: true },
      { label: markup`<abbr title="NOT_APPLICABLE">N/A</abbr>`, numeric: true },
      { label: 'Compliance', numeric: true },
    ],
    rows: ranked.map((control) => [
      control.controlId,
      control.title,
      control.severity,
      formatCount(control.counts.FAIL),
      formatCount(control.counts.ERROR),
      formatCount(control.counts.MANUAL),
      formatCount(control.counts.PASS),
      formatCount(control.counts.NOT_APPLICABLE),
      formatPercent(control.score),
    ]),
  });
  return markup`<section aria-labelledby="controls-heading">
    <h2 id="controls-heading">Controls ranked by failures</h2>
    <figure>${svgControlBars(ranked)}</figure>
    ${table}
  </section>`;
}
