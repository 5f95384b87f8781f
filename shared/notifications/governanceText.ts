import type { GovernanceEvent } from './events.js';
import { PAYLOAD_LIMITS } from './payloadLimits.js';
import { limitLine, limitText, type TextUnit } from './textLimit.js';

const CAP = PAYLOAD_LIMITS.text;

/** One line naming the record and its state: the title of every rendering. */
export function governanceHeadline(event: GovernanceEvent): string {
  const { data } = event;
  const what = data.kind === 'exception' ? 'Exception' : 'Attestation';
  const when =
    event.type === 'governance.expired'
      ? `expired ${data.expires}`
      : `expires in ${data.daysLeft} day(s) (${data.expires})`;
  return limitLine(`${what} ${data.recordId} for ${data.controlId} ${when}`, CAP.title);
}

/** Label/value pairs of a governance event, every value one capped line. */
export function governanceFacts(event: GovernanceEvent): Array<[string, string]> {
  const { data } = event;
  return [
    ['Record', limitLine(`${data.kind} ${data.recordId}`, CAP.headline)],
    ['Control', limitLine(`${data.controlId} ${data.controlTitle}`, CAP.headline)],
    [data.kind === 'exception' ? 'Owner' : 'Attested by', limitLine(data.owner, CAP.headline)],
    ['Expires', limitLine(data.expires, 60)],
    ['Findings governed', String(data.findingsApplied)],
    ...(data.ticket ? [['Ticket', limitLine(data.ticket, CAP.headline)] as [string, string]] : []),
    ['Run', limitLine(`${data.run.id} as of ${data.run.asOf}`, CAP.headline)],
  ];
}

/** The plain text of a governance event, at most `max` characters. */
export function governanceText(event: GovernanceEvent, max: number, unit: TextUnit = 'utf16'): string {
  const { data } = event;
  const lines = [
    governanceHeadline(event),
    ...governanceFacts(event).map(([label, value]) => `${label}: ${value}`),
    `${data.kind === 'exception' ? 'Justification' : 'Statement'}: ${limitText(data.summary, { max: CAP.reason })}`,
    limitText(data.consequence, { max: CAP.reason }),
  ];
  return limitText(lines.join('\n'), { max, unit });
}
