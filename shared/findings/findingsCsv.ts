import { frameworkNamed } from '../catalog/frameworks.js';
import type { BenchmarkRef, Finding } from '../catalog/types.js';
import { spreadsheetSafe } from './spreadsheetSafe.js';

/** Column names follow the field names of findings.json. */
export const CSV_COLUMNS = [
  'clusterId',
  'clusterName',
  'clusterKind',
  'subscriptionId',
  'resourceGroup',
  'controlId',
  'controlTitle',
  'controlVersion',
  'severity',
  'status',
  'reason',
  'benchmarkIds',
  'stale',
  'inferred',
  'observed',
  'sourceIds',
] as const;

/** `MCSB IM-8` style label of a benchmark reference. */
export function benchmarkLabel(ref: BenchmarkRef): string {
  return `${frameworkNamed(ref.framework)?.label ?? ref.framework} ${ref.id}`;
}

/**
 * One field: made spreadsheet-safe, then quoted when it holds a quote, a comma, CR or LF (RFC
 * 4180) — or a semicolon or tab, so a program that splits on those (a locale whose list separator
 * is `;`) still sees one field and never a second one starting with a formula.
 */
function quote(value: string): string {
  const safe = spreadsheetSafe(value);
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function observed(finding: Finding): string {
  return finding.evidence.checks
    .map(
      (check) =>
        `${check.path}=${typeof check.observed === 'string' ? check.observed : JSON.stringify(check.observed)}`,
    )
    .join('; ');
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** One RFC 4180 record (CRLF-terminated) for one finding; every cell is spreadsheet-safe. */
export function csvRow(finding: Finding): string {
  const cells = [
    finding.clusterId,
    finding.clusterName,
    finding.clusterKind,
    finding.subscriptionId,
    finding.resourceGroup,
    finding.controlId,
    finding.controlTitle,
    String(finding.controlVersion),
    finding.severity,
    finding.status,
    finding.reason,
    finding.benchmarks.map(benchmarkLabel).join(';'),
    String(finding.evidence.stale),
    String(finding.evidence.inferred),
    observed(finding),
    finding.evidence.sourceIds.join(';'),
  ];
  return `${cells.map(quote).join(',')}\r\n`;
}

export function* findingsCsvChunks(findings: Iterable<Finding>): Generator<string> {
  yield csvHeader();
  for (const finding of findings) yield csvRow(finding);
}
