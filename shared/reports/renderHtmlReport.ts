import { CATALOG_VERSION, controlRange } from '../catalog/controls.js';
import { frameworkShortNames } from '../catalog/frameworks.js';
import { attestationQueue } from './attestationQueue.js';
import { clusterRollups, worstClusters } from './clusterRanking.js';
import { controlRollups, kindRollups } from './controlSummaries.js';
import { frameworkCompliance } from './frameworkCompliance.js';
import { attestationSection } from './html/attestationSection.js';
import { governanceSection } from './html/governanceSection.js';
import { governanceSummary } from './governanceSummary.js';
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

/** Clusters in the "needing attention" table. */
export const WORST_CLUSTER_LIMIT = 20;
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
 */
export function renderHtmlReport(input: ReportInput): string {
  const { result } = input;
  const base = portalBase(input.portalBaseUrl);
  const title = `Data-security compliance report, ${formatUtc(result.run.asOf)}`;
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
<p class="muted">Arc-enabled Kubernetes, AKS on Azure Local and AKS: controls ${controlRange()} (catalog v${CATALOG_VERSION}) mapped to ${frameworkShortNames()}. As of ${formatUtc(result.run.asOf)}.</p>
</header>
<main>
${summarySection(result, kindRollups(result.findings), input.trend.slice(-TREND_POINT_LIMIT), input.notificationDeadLetters ?? 0)}
${governanceSection(governanceSummary(result.run, result.findings))}
${controlsSection(controlRollups(result.findings))}
${changesSection(input.changes)}
${frameworksSection(frameworkCompliance(result.findings))}
${worstClustersSection(worstClusters(clusterRollups(result.findings).values(), WORST_CLUSTER_LIMIT), base, WORST_CLUSTER_LIMIT)}
${attestationSection(attestationQueue(result.findings))}
</main>
<footer>
<p>Generated ${formatUtc(input.generatedAt)} from findings.json (SHA-256 <span id="findings-sha256">${displayText(input.findingsJsonSha256)}</span>), run ${displayText(result.run.id)}. Every finding with its evidence is in report.xlsx and findings.json.</p>
</footer>
</div>
</body>
</html>
`;
  return page.markup;
}
