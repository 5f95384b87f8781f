import type { TrendPoint } from '../../runCalculations/runChanges.js';
import { formatDay, formatPercent, formatUtc } from './displayFormat.js';
import { displayAttribute } from './displayText.js';
import { markup, type SafeHtml } from './htmlTemplate.js';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 48, right: 20, top: 14, bottom: 34 };
const LINE = '#1f4e78';
const GRID = '#c8c8c8';
const AXIS_TEXT = '#404040';

function round(value: number): string {
  return value.toFixed(1);
}

/** X positions by time when every point has a distinct, valid time; else evenly by index. */
function xPositions(points: readonly TrendPoint[]): number[] {
  const span = WIDTH - PAD.left - PAD.right;
  const times = points.map((point) => new Date(point.asOf).getTime());
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  const byTime = times.every((time) => !Number.isNaN(time)) && last > first;
  return points.map(
    (_, index) =>
      PAD.left +
      (points.length === 1
        ? span / 2
        : byTime
          ? (((times[index] ?? first) - first) / (last - first)) * span
          : (index / (points.length - 1)) * span),
  );
}

function yOf(score: number): number {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(score) ? score : 0));
  return PAD.top + (1 - clamped) * (HEIGHT - PAD.top - PAD.bottom);
}

/** One sentence describing the trend, used as the chart's label and as its text fallback. */
export function describeTrend(points: readonly TrendPoint[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return 'No runs recorded yet.';
  if (points.length === 1) {
    return `One run so far: compliance ${formatPercent(last.score)} as of ${formatUtc(last.asOf)}.`;
  }
  const scores = points.map((point) => point.score);
  return (
    `Compliance over ${points.length} runs went from ${formatPercent(first.score)} (${formatDay(first.asOf)}) ` +
    `to ${formatPercent(last.score)} (${formatDay(last.asOf)}); lowest ${formatPercent(Math.min(...scores))}, ` +
    `highest ${formatPercent(Math.max(...scores))}.`
  );
}

/** An inline SVG line chart of the compliance score per run (no scripts, no external resources). */
export function svgTrendChart(points: readonly TrendPoint[]): SafeHtml {
  const label = describeTrend(points);
  const xs = xPositions(points);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((level) => {
    const y = round(yOf(level));
    const tick = formatPercent(level).replace('.0', '');
    return markup`<line x1="${PAD.left}" y1="${y}" x2="${WIDTH - PAD.right}" y2="${y}" stroke="${GRID}" stroke-width="1"/><text x="${PAD.left - 6}" y="${round(yOf(level) + 4)}" text-anchor="end" font-size="11" fill="${AXIS_TEXT}">${tick}</text>`;
  });
  const coordinates = points.map((point, index) => `${round(xs[index] ?? 0)},${round(yOf(point.score))}`);
  const dots = points.map(
    (point, index) =>
      markup`<circle cx="${round(xs[index] ?? 0)}" cy="${round(yOf(point.score))}" r="3.5" fill="${LINE}"><title>${formatUtc(point.asOf)}: ${formatPercent(point.score)} (run ${displayAttribute(point.runId)})</title></circle>`,
  );
  const first = points[0];
  const last = points[points.length - 1];
  const axisY = HEIGHT - PAD.bottom + 18;
  const xLabels = [
    first
      ? markup`<text x="${PAD.left}" y="${axisY}" font-size="11" fill="${AXIS_TEXT}">${formatDay(first.asOf)}</text>`
      : '',
    last && points.length > 1
      ? markup`<text x="${WIDTH - PAD.right}" y="${axisY}" text-anchor="end" font-size="11" fill="${AXIS_TEXT}">${formatDay(last.asOf)}</text>`
      : '',
  ];
  const line =
    points.length > 1
      ? markup`<polyline points="${coordinates.join(' ')}" fill="none" stroke="${LINE}" stroke-width="2"/>`
      : '';
  return markup`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${label}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"><title>${label}</title>${grid}${line}${dots}${xLabels}</svg>`;
}
