import { createHash } from 'node:crypto';

import type { FindingEvent, FindingEventData } from './events.js';

/** A short, stable tag for a de-duplication key (fits Jira labels and ServiceNow correlation IDs). */
export function dedupeTag(key: string): string {
  return `arc-compliance-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

/** `[DS-04] cluster-name: control title`, capped. */
export function ticketSummary(data: FindingEventData, limit = 255): string {
  const text = `[${data.controlId}] ${data.clusterName}: ${data.controlTitle}`;
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** The facts of a finding as label/value pairs. */
export function findingFacts(data: FindingEventData): Array<[string, string]> {
  return [
    ['Cluster', data.clusterName],
    ['Cluster ID', data.clusterId],
    ['Kind', data.clusterKind],
    ['Subscription', data.subscriptionId],
    ['Control', `${data.controlId} ${data.controlTitle}`],
    ['Severity', data.severity],
    ['Status', data.previousStatus ? `${data.status} (was ${data.previousStatus})` : data.status],
    ['Run', `${data.run.id} (as of ${data.run.asOf}${data.run.complete ? '' : ', partial'})`],
  ];
}

/** One line per evidence check: `path: observed X, expected Y (source)`. */
export function evidenceLines(data: FindingEventData): string[] {
  if (!data.evidence) return [];
  const lines = data.evidence.checks.map(
    (check) => `${check.path}: observed ${check.observed}, expected ${check.expected} (${check.source})`,
  );
  if (data.evidence.omittedChecks > 0) lines.push(`… and ${data.evidence.omittedChecks} more checks`);
  if (data.evidence.stale)
    lines.push(`Judged from the last known state (offline since ${data.evidence.staleSince ?? 'unknown'})`);
  if (data.evidence.inferred) lines.push('Inferred from the platform, not observed');
  return lines;
}

/** What a comment or work note says about an event on an existing ticket. */
export function changeNote(event: FindingEvent, partialOnResolvedTicket = false): string {
  const { data } = event;
  const where = `run ${data.run.id} (as of ${data.run.asOf})`;
  if (partialOnResolvedTicket)
    return (
      `Seen ${data.status} again in partial ${where}: ${data.reason} ` +
      'The ticket is reopened only when a complete run confirms it.'
    );
  switch (event.type) {
    case 'finding.opened':
      return `Still ${data.status} in ${where}: ${data.reason}`;
    case 'finding.updated':
      return (
        `Status changed from ${data.previousStatus ?? 'new'} to ${data.status} in ${where}: ` + data.reason
      );
    case 'finding.reopened':
      return `Failing again (${data.status}) in ${where} after it was resolved: ${data.reason}`;
    case 'finding.resolved':
      if (data.acceptedRisk) {
        const risk = data.acceptedRisk;
        return (
          `Closed as accepted risk in ${where}: exception ${risk.exceptionId}, owner ${risk.owner}, ` +
          `expires ${risk.expires}${risk.ticket ? `, ticket ${risk.ticket}` : ''}. Justification: ${risk.justification} ` +
          `The observed status stays ${data.status}; the ticket reopens when the exception expires or is revoked and the finding still fails.`
        );
      }
      return `Resolved in ${where}: now ${data.status}. ${data.reason}`;
  }
}

/** The whole finding as plain text (ServiceNow description, e-mail text). */
export function findingText(data: FindingEventData): string {
  const lines = [
    ...findingFacts(data).map(([label, value]) => `${label}: ${value}`),
    '',
    `Reason: ${data.reason}`,
  ];
  const evidence = evidenceLines(data);
  if (evidence.length > 0) lines.push('', 'Evidence:', ...evidence.map((line) => `- ${line}`));
  if (data.remediation) lines.push('', `Remediation: ${data.remediation}`);
  const links = Object.entries(data.reportLinks);
  if (links.length > 0) lines.push('', ...links.map(([name, url]) => `Report (${name}): ${url}`));
  return lines.join('\n');
}
