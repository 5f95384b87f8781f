import type { FrameworkCompliance } from '../frameworkCompliance.js';
import { formatCount, formatPercent } from './displayFormat.js';
import { dataTable } from './htmlTable.js';
import { markup, nowrapList, type SafeHtml } from './htmlTemplate.js';

/** Per framework: each mapped recommendation, its controls (direct/related), counts and compliance. */
export function frameworksSection(frameworks: readonly FrameworkCompliance[]): SafeHtml {
  const tables = frameworks.map((framework) => {
    const table = dataTable({
      caption: `${framework.name} ${framework.version}: recommendations mapped to the catalog`,
      headers: [
        { label: 'Recommendation' },
        { label: 'Title' },
        { label: 'Controls' },
        { label: 'PASS', numeric: true },
        { label: 'FAIL', numeric: true },
        { label: 'MANUAL', numeric: true },
        { label: markup`<abbr title="NOT_APPLICABLE">N/A</abbr>`, numeric: true },
        { label: 'ERROR', numeric: true },
        { label: 'Compliance', numeric: true },
      ],
      rows: framework.recommendations.map((recommendation) => [
        recommendation.id,
        recommendation.title,
        nowrapList([
          ...recommendation.directControls.map((id) => `${id} (direct)`),
          ...recommendation.relatedControls.map((id) => `${id} (related)`),
        ]),
        formatCount(recommendation.counts.PASS),
        formatCount(recommendation.counts.FAIL),
        formatCount(recommendation.counts.MANUAL),
        formatCount(recommendation.counts.NOT_APPLICABLE),
        formatCount(recommendation.counts.ERROR),
        formatPercent(recommendation.score),
      ]),
    });
    return markup`<h3>${framework.name} <span class="muted">${framework.version}</span></h3>
      ${table}`;
  });
  return markup`<section aria-labelledby="frameworks-heading">
    <h2 id="frameworks-heading">Compliance by framework</h2>
    <p>
      Counts are over the findings of every control behind a recommendation. Compliance = PASS / (PASS + FAIL
      + MANUAL + ERROR).
    </p>
    ${tables}
  </section>`;
}
