import { CATALOG_VERSION, controlRange } from '../catalog/controls.js';
import { frameworkShortNames } from '../catalog/frameworks.js';
import { attestationSection } from './html/attestationSection.js';
import { governanceSection } from './html/governanceSection.js';
import { changesSection } from './html/changesSection.js';
import { controlsSection } from './html/controlsSection.js';
import { formatUtc } from './html/displayFormat.js';
import { displayText } from './html/displayText.js';
import { frameworksSection } from './html/frameworksSection.js';
import { markup, trustedMarkup } from './html/htmlTemplate.js';
import { REPORT_CSS } from './html/reportStyles.js';
import { summarySection } from './html/summarySection.js';
import { worstClustersSection } from './html/worstClustersSection.js';
import { portalBase } from './portalLink.js';
import type { ReportInput } from './reportInput.js';
import { WORST_CLUSTER_LIMIT } from './clusterRanking.js';
import { rollUpRun, type RunRollups } from './runRollups.js';

export { WORST_CLUSTER_LIMIT } from './clusterRanking.js';
/**
 * What report.html (and so the report e-mail's body) stays below, whatever the inventory: every
 * table has a row limit and every displayed value a length limit (displayText, and
 * MAX_INTERPOLATED_CHARS for the rest); tested with huge hostile values in every field.
 */
export const REPORT_HTML_MAX_BYTES = 4 * 1024 * 1024;
/** Runs drawn in the trend chart (the newest); the caller usually passes 30. */
export const TREND_POINT_LIMIT = 60;

/** Blocks every script and every external load, should anything slip past escaping. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * The compliance officer's report as one self-contained HTML document: inline CSS and SVG, no
 * scripts, no external requests; every value escaped through escapeHtml (via the `markup` tag).
 * Drawn from one pass over the run's parts.
 */
export async function renderHtmlReport(input: ReportInput): Promise<string> {
  const rollups = await rollUpRun(input.source);
  try {
    return htmlReportOf(input, rollups);
  } finally {
    await rollups.dispose();
  }
}

/**
 * The HTML report from the run's rollups: every list in it is bounded, so the page is built
 * without the findings.
 */
export function htmlReportOf(input: ReportInput, rollups: RunRollups): string {
  const { run } = input.source;
  const base = portalBase(input.portalBaseUrl);
  const title = `Data-security compliance report, ${formatUtc(run.asOf)}`;
  const page = markup`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${title}</title>
<style>${trustedMarkup(REPORT_CSS)}</style>
</head>
<body>
<div class="container">
<header>
<h1>Data-security compliance report</h1>
<p class="muted">Arc-enabled Kubernetes, AKS on Azure Local and AKS: controls ${controlRange()} (catalog v${CATALOG_VERSION}) mapped to ${frameworkShortNames()}. As of ${formatUtc(run.asOf)}.</p>
</header>
<main>
${summarySection(run, rollups.findings, rollups.kinds, input.trend.slice(-TREND_POINT_LIMIT), input.notificationDeadLetters ?? 0)}
${governanceSection(rollups.governance)}
${controlsSection(rollups.controls)}
${changesSection(input.changes)}
${frameworksSection(rollups.frameworks)}
${worstClustersSection(rollups.clusters.worst(WORST_CLUSTER_LIMIT), base, WORST_CLUSTER_LIMIT)}
${attestationSection(rollups.attestation)}
</main>
<footer>
<p>Generated ${formatUtc(input.generatedAt)} from findings.json (SHA-256 <span id="findings-sha256">${displayText(input.findingsJsonSha256)}</span>), run ${displayText(run.id)}. Every finding with its evidence is in report.xlsx and findings.json.</p>
</footer>
</div>
</body>
</html>
`;
  return page.markup;
}
