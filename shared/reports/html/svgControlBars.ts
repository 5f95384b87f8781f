import { STATUSES } from '../../catalog/types.js';
import type { ControlRollup } from '../controlSummaries.js';
import { STATUS_COLOURS } from '../statusColours.js';
import { totalOf } from '../statusBreakdown.js';
import { formatCount } from './displayFormat.js';
import { markup, type SafeHtml } from './htmlTemplate.js';

const WIDTH = 640;
const ROW = 22;
const LABEL = 50;
const LEGEND = 26;

/**
 * An inline SVG of stacked horizontal bars, one per control, split by status (the status text
 * colours, dark enough against white); each segment has a <title>, the table beside it has the numbers.
 */
export function svgControlBars(controls: readonly ControlRollup[]): SafeHtml {
  const height = LEGEND + controls.length * ROW + 4;
  const span = WIDTH - LABEL - 10;
  const label = `Findings per control by status, ${controls.length} controls; the table below lists the numbers.`;
  let legendX = LABEL;
  const legend = STATUSES.map((status) => {
    const item = markup`<rect x="${legendX}" y="4" width="12" height="12" fill="#${STATUS_COLOURS[status].text}"/><text x="${legendX + 16}" y="14" font-size="11" fill="#1a1a1a">${status}</text>`;
    legendX += 16 + Math.ceil(status.length * 7.5) + 18;
    return item;
  });
  const bars = controls.map((control, row) => {
    const total = totalOf(control.counts);
    const y = LEGEND + row * ROW;
    let x = LABEL;
    const segments = STATUSES.map((status) => {
      const count = control.counts[status];
      if (count === 0 || total === 0) return '';
      const width = (count / total) * span;
      const segment = markup`<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${ROW - 6}" fill="#${STATUS_COLOURS[status].text}"><title>${control.controlId} ${status}: ${formatCount(count)}</title></rect>`;
      x += width;
      return segment;
    });
    return markup`<text x="0" y="${y + 12}" font-size="12" fill="#1a1a1a">${control.controlId}</text>${segments}`;
  });
  return markup`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${label}" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}"><title>${label}</title>${legend}${bars}</svg>`;
}
