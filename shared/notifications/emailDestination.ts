import { escapeHtml } from '../reports/escapeHtml.js';
import { attempt, type MailMessage, type NotificationDestination } from './destination.js';
import type { DestinationParser, EmailDestinationConfig, EntryReader } from './destinationSettings.js';
import { EVENT_TYPES, isFindingEvent, isGovernanceEvent, type NotificationEvent } from './events.js';
import { governanceHeadline, governanceText } from './governanceText.js';
import { PAYLOAD_LIMITS } from './payloadLimits.js';
import { limitLine, limitText } from './textLimit.js';
import { findingReason, findingText, reportLinkLines } from './ticketText.js';

const LIMITS = PAYLOAD_LIMITS.email;

const SUBJECTS: Record<NotificationEvent['type'], string> = {
  'run.completed': 'Compliance run completed',
  'run.partial': 'Compliance run partial',
  'finding.opened': 'New failure',
  'finding.updated': 'Status changed',
  'finding.resolved': 'Resolved',
  'finding.reopened': 'Failing again',
  'governance.expiring': 'Governance record expiring',
  'governance.expired': 'Governance record expired',
};

/**
 * Subject (one line, no control characters, at most 255 characters) and plain text (at most
 * 60,000 characters) of an event e-mail.
 */
export function eventMail(event: NotificationEvent): { subject: string; text: string } {
  if (isFindingEvent(event)) {
    const { data } = event;
    const label = `[${data.controlId}] ${data.clusterName}`;
    return {
      subject: limitLine(`${SUBJECTS[event.type]} (${data.severity}): ${label}`, LIMITS.subject, 'utf16'),
      text: findingText(data, LIMITS.textChars, 'utf16'),
    };
  }
  if (isGovernanceEvent(event)) {
    const text = governanceText(event, LIMITS.textChars - 5_000, 'utf16');
    const links = reportLinkLines(event.data.reportLinks);
    return {
      subject: limitLine(`${SUBJECTS[event.type]}: ${governanceHeadline(event)}`, LIMITS.subject, 'utf16'),
      text: links.length > 0 ? `${text}\n${links.join('\n')}` : text,
    };
  }
  const { data } = event;
  const score = `${(data.run.score * 100).toFixed(1)}%`;
  const change =
    data.run.scoreChange === null
      ? ''
      : ` (${data.run.scoreChange >= 0 ? '+' : ''}${data.run.scoreChange.toFixed(1)})`;
  const lines = [
    `Run ${data.run.id} as of ${data.run.asOf}${data.run.complete ? '' : ' (partial)'}`,
    `Score ${score}${change}`,
    `${data.changes.newlyFailing} newly failing, ${data.changes.resolved} resolved, ` +
      `${data.changes.stillFailing} still failing`,
    ...data.newlyFailing
      .slice(0, 50)
      .map((f) =>
        limitLine(
          `- ${f.controlId} ${f.clusterName} (${f.severity}): ${findingReason(f, PAYLOAD_LIMITS.text.headline)}`,
          PAYLOAD_LIMITS.text.headline,
        ),
      ),
    ...(data.coverage.complete ? [] : [`${data.coverage.notReadCount} part(s) of the scope were not read.`]),
  ];
  const links = reportLinkLines(data.reportLinks);
  const text = limitText(lines.join('\n'), { max: LIMITS.textChars - 5_000, unit: 'utf16' });
  return {
    subject: limitLine(`${SUBJECTS[event.type]}: ${score}${change}`, LIMITS.subject, 'utf16'),
    text: links.length > 0 ? `${text}\n${links.join('\n')}` : text,
  };
}

/** The whole e-mail of an event: subject, text, and the text as escaped HTML. */
export function eventMailMessage(event: NotificationEvent, to: string[]): MailMessage {
  const { subject, text } = eventMail(event);
  return {
    to,
    subject,
    text,
    html: `<pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(text)}</pre>`,
  };
}

/** E-mail to a fixed list of recipients (url `mailto:a@x,b@y`) through the SMTP settings. */
export function createEmailDestination(config: EmailDestinationConfig): NotificationDestination {
  return {
    config,
    deliver: (event, context) =>
      attempt(async () => {
        if (!context.mail) throw new Error('SMTP is not configured');
        await context.mail(eventMailMessage(event, config.recipients));
        return `sent to ${config.recipients.length} recipient(s)`;
      }),
  };
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

function recipientsOf(reader: EntryReader, raw: string): string[] {
  if (!/^mailto:/i.test(raw)) {
    reader.problem('url of an email destination must be mailto:address[,address…]');
    return [];
  }
  const recipients = decodeURIComponent(raw.slice('mailto:'.length).split('?')[0] ?? '')
    .split(/[,;]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (recipients.length === 0) reader.problem('url of an email destination names no recipient');
  for (const recipient of recipients)
    if (!EMAIL.test(recipient)) reader.problem(`"${recipient}" is not an e-mail address`);
  return recipients;
}

/** An e-mail entry: `url` is `mailto:a@x,b@y`; the mail goes through the SMTP settings. */
export const emailParser: DestinationParser<EmailDestinationConfig> = {
  type: 'email',
  keys: [],
  allowedEvents: EVENT_TYPES,
  defaultEvents: ['run.completed', 'run.partial', 'governance.expiring', 'governance.expired'],
  parse({ reader, common, urlText, defaults }) {
    if (urlText === undefined) reader.problem('url (mailto:…) is required');
    const recipients = urlText === undefined ? [] : recipientsOf(reader, urlText);
    if (!defaults.smtpConfigured)
      reader.problem('an email destination needs SMTP_HOST and REPORT_EMAIL_FROM');
    return { ...common, type: 'email', url: urlText ?? '', recipients };
  },
};
