import { escapeHtml } from '../reports/escapeHtml.js';
import { attempt, type NotificationDestination } from './destination.js';
import type { DestinationParser, EmailDestinationConfig, EntryReader } from './destinationSettings.js';
import { EVENT_TYPES, isFindingEvent, type NotificationEvent } from './events.js';
import { findingText } from './ticketText.js';

const SUBJECTS: Record<NotificationEvent['type'], string> = {
  'run.completed': 'Compliance run completed',
  'run.partial': 'Compliance run partial',
  'finding.opened': 'New failure',
  'finding.updated': 'Status changed',
  'finding.resolved': 'Resolved',
  'finding.reopened': 'Failing again',
};

/** Subject and plain text of an event e-mail. */
export function eventMail(event: NotificationEvent): { subject: string; text: string } {
  if (isFindingEvent(event)) {
    const { data } = event;
    return {
      subject: `${SUBJECTS[event.type]}: [${data.controlId}] ${data.clusterName} (${data.severity})`,
      text: findingText(data),
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
    ...data.newlyFailing.map((f) => `- ${f.controlId} ${f.clusterName} (${f.severity}): ${f.reason}`),
    ...(data.coverage.complete ? [] : [`${data.coverage.notReadCount} part(s) of the scope were not read.`]),
    ...Object.entries(data.reportLinks).map(([name, url]) => `Report (${name}): ${url}`),
  ];
  return { subject: `${SUBJECTS[event.type]}: ${score}${change}`, text: lines.join('\n') };
}

/** E-mail to a fixed list of recipients (url `mailto:a@x,b@y`) through the SMTP settings. */
export function createEmailDestination(config: EmailDestinationConfig): NotificationDestination {
  return {
    config,
    deliver: (event, context) =>
      attempt(async () => {
        if (!context.mail) throw new Error('SMTP is not configured');
        const { subject, text } = eventMail(event);
        await context.mail({
          to: config.recipients,
          subject,
          text,
          html: `<pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(text)}</pre>`,
        });
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
  defaultEvents: ['run.completed', 'run.partial'],
  parse({ reader, common, urlText, defaults }) {
    if (urlText === undefined) reader.problem('url (mailto:…) is required');
    const recipients = urlText === undefined ? [] : recipientsOf(reader, urlText);
    if (!defaults.smtpConfigured)
      reader.problem('an email destination needs SMTP_HOST and REPORT_EMAIL_FROM');
    return { ...common, type: 'email', url: urlText ?? '', recipients };
  },
};
