import type { FindingChange, RunChanges } from '../runCalculations/runChanges.js';

function line(change: FindingChange): string {
  const from = change.previousStatus ?? 'new';
  return `  ${change.controlId} ${change.clusterName}: ${from} → ${change.currentStatus} — ${change.reason}`;
}

/** Plain-text changes since the previous run, for the terminal; lists are capped at `limit` lines. */
export function renderChanges(changes: RunChanges, limit = 10): string {
  if (changes.previousRunId === null)
    return 'Changes: first stored run of this scope; nothing to compare with.\n';
  const lines = [
    `Changes since run ${changes.previousRunId}: ${changes.newlyFailing.length} newly failing, ` +
      `${changes.resolved.length} resolved, ${changes.stillFailing.length} still failing, ` +
      `${changes.newlyUnobservable.length} newly unobservable, ${changes.otherChanges.length} other changes; ` +
      `${changes.clustersAdded.length} cluster(s) added, ${changes.clustersRemoved.length} removed`,
  ];
  const section = (title: string, list: FindingChange[]): void => {
    if (list.length === 0) return;
    lines.push(`${title}:`);
    lines.push(...list.slice(0, limit).map(line));
    if (list.length > limit) lines.push(`  … and ${list.length - limit} more`);
  };
  section('Newly failing', changes.newlyFailing);
  section('Resolved', changes.resolved);
  section('Newly unobservable', changes.newlyUnobservable);
  for (const [list, title] of [
    ['newlyExcepted', 'Newly excepted'],
    ['exceptionExpired', 'Exception expired (failing again)'],
    ['newlyAttested', 'Newly attested'],
    ['attestationExpired', 'Attestation expired (MANUAL again)'],
  ] as const) {
    const entries = changes[list] ?? [];
    if (entries.length === 0) continue;
    lines.push(`${title}: ${entries.length}`);
    lines.push(
      ...entries
        .slice(0, limit)
        .map(
          (entry) =>
            `  ${entry.controlId} ${entry.clusterName}: ${entry.recordId} (now ${entry.effectiveStatus})`,
        ),
    );
    if (entries.length > limit) lines.push(`  … and ${entries.length - limit} more`);
  }
  if (changes.clustersAdded.length > 0)
    lines.push(`Added: ${changes.clustersAdded.map((c) => c.clusterName).join(', ')}`);
  if (changes.clustersRemoved.length > 0)
    lines.push(`Removed: ${changes.clustersRemoved.map((c) => c.clusterName).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
