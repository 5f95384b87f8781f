import { STATUSES } from '../catalog/types.js';
import type { RunSource } from '../scan/runSource.js';
import type { RunMetadata } from '../scan/scanResult.js';
import { ControlTally, type ControlSummary } from '../runCalculations/summarise.js';
import type { CollectionStats } from '../collection/collectionStats.js';

function pad(value: string, width: number, right = false): string {
  return right ? value.padStart(width) : value.padEnd(width);
}

/** One decimal; a set with any non-passing finding never shows as 100%. */
function percent(score: number): string {
  const text = (score * 100).toFixed(1);
  return score < 1 && text === '100.0' ? '99.9%' : `${text}%`;
}

function describeStats(s: CollectionStats): string {
  return (
    `Azure reads: ${s.subscriptions} subscription(s) in ${s.batches} batch(es); ` +
    `Resource Graph ${s.graphRequests} request(s), ${s.graphPages} page(s), ${s.graphRows} row(s); ` +
    `Resource Manager ${s.armRequests} request(s) (${s.armNotFound} not found); ` +
    `${s.throttledResponses} throttled, ${s.quotaPauses} quota pause(s), ${s.retries} retried, ` +
    `${(s.throttleWaitMs / 1000).toFixed(1)} s waiting on throttling`
  );
}

/**
 * The plain-text summary printed on stdout after a scan: the run's metadata, and clusters per kind
 * and counts per control from one pass over its parts (memory holds the counts only).
 */
export async function renderSummary(source: RunSource): Promise<string> {
  const kinds = new Map<string, number>();
  const tally = new ControlTally();
  for await (const part of source.parts()) {
    for (const cluster of part.clusters) kinds.set(cluster.kind, (kinds.get(cluster.kind) ?? 0) + 1);
    tally.add(part.findings);
  }
  return summaryText(source.run, kinds, tally.summaries());
}

function summaryText(
  run: RunMetadata,
  kinds: ReadonlyMap<string, number>,
  byControl: ControlSummary[],
): string {
  const lines: string[] = [];
  lines.push(
    `Run ${run.id} (${run.source}, as of ${run.asOf})${run.complete ? '' : ' — PARTIAL: part of the scope was not read'}`,
  );
  lines.push(
    `Clusters: ${run.clusterCount} (${[...kinds].map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'})`,
  );
  lines.push(`Findings: ${STATUSES.map((status) => `${status} ${run.counts[status]}`).join('  ')}`);
  lines.push(`Compliance score: ${percent(run.score)}  (PASS / (PASS + FAIL + MANUAL + ERROR))`);
  if (
    run.governance &&
    run.governance.length > 0 &&
    run.effectiveCounts &&
    run.effectiveScore !== undefined
  ) {
    const states = new Map<string, number>();
    for (const entry of run.governance) states.set(entry.state, (states.get(entry.state) ?? 0) + 1);
    lines.push(
      `Effective score: ${percent(run.effectiveScore)}  (observed ${percent(run.score)}; ${run.effectiveCounts.EXCEPTED} EXCEPTED, ` +
        `${run.effectiveCounts.MANUAL} MANUAL still unattested)`,
    );
    lines.push(
      `Governance: ${run.governance.length} record(s): ${[...states].map(([state, count]) => `${count} ${state}`).join(', ')}`,
    );
  }
  if (run.inventoryWarnings.length > 0) {
    lines.push(
      `Inventory warnings: ${run.inventoryWarnings.length} (see findings.json run.inventoryWarnings)`,
    );
  }
  if (run.stats) lines.push(describeStats(run.stats));
  if (run.notRead.length > 0) {
    const subscriptions = new Set(
      run.notRead.flatMap((gap) => (gap.kind === 'scope' ? [gap.subscriptionId] : [])),
    );
    const resources = run.notRead.filter((gap) => gap.kind === 'resource').length;
    lines.push(
      `NOT READ: ${subscriptions.size} subscription(s) in part or whole, ${resources} resource(s); ` +
        'affected findings are ERROR and nothing unread is reported as passing (see run.notRead)',
    );
  }
  lines.push('');
  const header = `${pad('Control', 7)}  ${pad('Title', 62)}  ${pad('Sev', 6)}  ${['PASS', 'FAIL', 'MAN', 'N/A', 'ERR'].map((h) => pad(h, 5, true)).join(' ')}  ${pad('Score', 6, true)}`;
  lines.push(header);
  lines.push('-'.repeat(header.length));
  const controls = byControl.sort(
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
