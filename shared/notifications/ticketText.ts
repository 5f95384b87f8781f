import { createHash } from 'node:crypto';

import type { FindingEvent, FindingEventData } from './events.js';
import { PAYLOAD_LIMITS } from './payloadLimits.js';
import { limitLine, limitText, type TextUnit } from './textLimit.js';

const CAP = PAYLOAD_LIMITS.text;

/** A short, stable tag for a de-duplication key (fits Jira labels and ServiceNow correlation IDs). */
export function dedupeTag(key: string): string {
  return `arc-compliance-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

/**
 * `[DS-04] cluster-name: control title` on one line, without control characters, capped at
 * `limit` (UTF-16 units by default, as Jira and ServiceNow count) between grapheme clusters.
 */
export function ticketSummary(data: FindingEventData, limit = 255, unit: TextUnit = 'utf16'): string {
  const summary = limitLine(`[${data.controlId}] ${data.clusterName}: ${data.controlTitle}`, limit, unit);
  return summary === '' ? `[${data.controlId}]` : summary;
}

/** The reason of a finding, capped. */
export function findingReason(data: { reason: string }, max: number = CAP.reason): string {
  return limitText(data.reason, { max });
}

/** The facts of a finding as label/value pairs. */
export function findingFacts(data: FindingEventData): Array<[string, string]> {
  const pairs: Array<[string, string]> = [
    ['Cluster', data.clusterName],
    ['Cluster ID', data.clusterId],
    ['Kind', data.clusterKind],
    ['Subscription', data.subscriptionId],
    ['Control', `${data.controlId} ${data.controlTitle}`],
    ['Severity', data.severity],
    ['Status', data.previousStatus ? `${data.status} (was ${data.previousStatus})` : data.status],
    ['Run', `${data.run.id} (as of ${data.run.asOf}${data.run.complete ? '' : ', partial'})`],
  ];
  return pairs.map(([label, value]) => [label, limitLine(value, CAP.factValue) || '-']);
}

/** One line per evidence check, `path: observed X, expected Y (source)`, each capped; at most `max` checks. */
export function evidenceLines(data: FindingEventData, max = Infinity): string[] {
  if (!data.evidence) return [];
  const shown = data.evidence.checks.slice(0, max);
  const lines = shown.map((check) =>
    limitLine(
      `${check.path}: observed ${check.observed}, expected ${check.expected} (${check.source})`,
      CAP.evidenceLine,
    ),
  );
  const omitted = data.evidence.omittedChecks + (data.evidence.checks.length - shown.length);
  if (omitted > 0) lines.push(`… and ${omitted} more checks`);
  if (data.evidence.stale)
    lines.push(
      limitLine(
        `Judged from the last known state (offline since ${data.evidence.staleSince ?? 'unknown'})`,
        CAP.evidenceLine,
      ),
    );
  if (data.evidence.inferred) lines.push('Inferred from the platform, not observed');
  return lines;
}

/** What a comment or work note says about an event on an existing ticket. */
export function changeNote(event: FindingEvent, partialOnResolvedTicket = false): string {
  const data = { ...event.data, reason: findingReason(event.data) };
  const where = limitLine(`run ${data.run.id} (as of ${data.run.asOf})`, CAP.factValue);
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

/** The report links as text lines. */
export function reportLinkLines(reportLinks: Record<string, string>): string[] {
  return Object.entries(reportLinks)
    .slice(0, 10)
    .map(([name, url]) => limitLine(`Report (${name}): ${url}`, CAP.headline));
}

/**
 * The whole finding as plain text (ServiceNow description, e-mail text), at most `max`
 * characters in `unit`: the report links stay whole at the end, the rest is cut first.
 */
export function findingText(data: FindingEventData, max = 60_000, unit: TextUnit = 'codePoint'): string {
  const lines = [
    ...findingFacts(data).map(([label, value]) => `${label}: ${value}`),
    '',
    `Reason: ${findingReason(data)}`,
  ];
  const evidence = evidenceLines(data);
  if (evidence.length > 0) lines.push('', 'Evidence:', ...evidence.map((line) => `- ${line}`));
  if (data.remediation)
    lines.push('', `Remediation: ${limitText(data.remediation, { max: CAP.remediation })}`);
  const links = reportLinkLines(data.reportLinks);
  const joined = links.length > 0 ? `\n\n${links.join('\n')}` : '';
  const tail = joined.length <= max / 2 ? joined : '';
  const room = Math.max(0, max - tail.length);
  return `${limitText(lines.join('\n'), { max: room, unit })}${tail}`;
}
