import { STATUSES } from '../catalog/types.js';
import type { ScanResult } from '../scan/scanResult.js';
import { summariseByControl } from './summarise.js';

function pad(value: string, width: number, right = false): string {
  return right ? value.padStart(width) : value.padEnd(width);
}

function percent(score: number): string {
  return `${(score * 100).toFixed(1)}%`;
}

/** The plain-text summary printed on stdout after a scan. */
export function renderSummary(result: ScanResult): string {
  const { run } = result;
  const kinds = new Map<string, number>();
  for (const cluster of result.clusters) kinds.set(cluster.kind, (kinds.get(cluster.kind) ?? 0) + 1);
  const lines: string[] = [];
  lines.push(
    `Run ${run.id} (${run.source}, as of ${run.asOf})${run.complete ? '' : ' — PARTIAL: part of the scope was not read'}`,
  );
  lines.push(
    `Clusters: ${run.clusterCount} (${[...kinds].map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'})`,
  );
  lines.push(`Findings: ${STATUSES.map((status) => `${status} ${run.counts[status]}`).join('  ')}`);
  lines.push(`Compliance score: ${percent(run.score)}  (PASS / (PASS + FAIL + MANUAL + ERROR))`);
  if (run.inventoryWarnings.length > 0)
    lines.push(
      `Inventory warnings: ${run.inventoryWarnings.length} (see findings.json run.inventoryWarnings)`,
    );
  lines.push('');
  const header = `${pad('Control', 7)}  ${pad('Title', 62)}  ${pad('Sev', 6)}  ${['PASS', 'FAIL', 'MAN', 'N/A', 'ERR'].map((h) => pad(h, 5, true)).join(' ')}  ${pad('Score', 6, true)}`;
  lines.push(header);
  lines.push('-'.repeat(header.length));
  const controls = summariseByControl(result.findings).sort(
    (a, b) =>
      b.counts.FAIL + b.counts.ERROR - (a.counts.FAIL + a.counts.ERROR) ||
      a.controlId.localeCompare(b.controlId),
  );
  for (const control of controls) {
    const c = control.counts;
    lines.push(
      `${pad(control.controlId, 7)}  ${pad(control.controlTitle.slice(0, 62), 62)}  ${pad(control.severity, 6)}  ${[c.PASS, c.FAIL, c.MANUAL, c.NOT_APPLICABLE, c.ERROR].map((n) => pad(String(n), 5, true)).join(' ')}  ${pad(percent(control.score), 6, true)}`,
    );
  }
  lines.push('(controls ordered by failures and errors, worst first)');
  return `${lines.join('\n')}\n`;
}
