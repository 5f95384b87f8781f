/**
 * Every payload the five destination types send, for events whose every text is hostile, is
 * valid by its receiver's own validator, holds no lone surrogate, and stays within its budget.
 * The largest payload seen per destination is printed at the end (docs/payload-limits.md).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { eventMailMessage } from '../../shared/notifications/emailDestination.js';
import type { FindingEvent } from '../../shared/notifications/events.js';
import { jiraCommentBody, jiraIssueFields } from '../../shared/notifications/jiraDestination.js';
import { PAYLOAD_LIMITS } from '../../shared/notifications/payloadLimits.js';
import {
  serviceNowIncidentFields,
  serviceNowNote,
} from '../../shared/notifications/serviceNowDestination.js';
import { teamsPayload } from '../../shared/notifications/teamsCards.js';
import { changeNote } from '../../shared/notifications/ticketText.js';
import { signWebhook, webhookBody } from '../../shared/notifications/webhookDestination.js';
import {
  findingEventOf,
  hostileFindingEvent,
  hostileRunEvent,
  runEventOf,
  saturatedText,
} from './hostileEvents.js';
import {
  adaptiveCardErrors,
  adfErrors,
  composeAndParse,
  hasLoneSurrogate,
  jsonHasLoneSurrogate,
  verifyStandardWebhook,
} from './vendorValidators.js';

const RUNS = Number(process.env.PAYLOAD_PROPERTY_RUNS ?? 40);
const TIMEOUT = 300_000;
// Mostly texts of every kind; one case in five has every text past its cap (payloads at budget).
const findingEvent = fc.oneof(
  { weight: 4, arbitrary: hostileFindingEvent },
  { weight: 1, arbitrary: findingEventOf(saturatedText) },
);
const anyEvent = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(hostileFindingEvent, hostileRunEvent) },
  { weight: 1, arbitrary: fc.oneof(findingEventOf(saturatedText), runEventOf(saturatedText)) },
);
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const largest: Record<string, number> = {};
function record(destination: string, bytes: number): void {
  largest[destination] = Math.max(largest[destination] ?? 0, bytes);
}
afterAll(() => {
  console.log(
    `largest payloads (UTF-8 bytes): ${Object.entries(largest)
      .map(([name, bytes]) => `${name} ${bytes}`)
      .join(', ')}`,
  );
});

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('outgoing payloads for hostile input', { timeout: TIMEOUT }, () => {
  it('Teams: a valid Adaptive Card, no lone surrogate, under 28 KB', () => {
    fc.assert(
      fc.property(anyEvent, (event) => {
        const { message, body, bytes: size } = teamsPayload(event);
        expect(size).toBe(bytes(body));
        expect(size).toBeLessThanOrEqual(PAYLOAD_LIMITS.teams.bodyBytes);
        expect(size).toBeLessThan(28 * 1000);
        expect(jsonHasLoneSurrogate(body)).toBe(false);
        const card = message.attachments[0]?.content;
        expect(adaptiveCardErrors(JSON.parse(JSON.stringify(card)))).toEqual([]);
        for (const element of card?.body ?? [])
          if (element.weight === 'Bolder') expect(String(element.text)).not.toMatch(FORBIDDEN_IN_LINE);
        record('teams', size);
      }),
      { numRuns: RUNS },
    );
  });

  it('Jira: a valid ADF description and comment, a one-line summary within 255, within the field limit', () => {
    const config = { projectKey: 'OPS', issueType: 'Task', labels: ['compliance'] };
    fc.assert(
      fc.property(findingEvent, fc.boolean(), (event: FindingEvent, partial) => {
        const fields = jiraIssueFields(config, event.data);
        expect(fields.summary.length).toBeGreaterThan(0);
        expect(fields.summary.length).toBeLessThanOrEqual(PAYLOAD_LIMITS.jira.summary);
        expect(fields.summary).not.toMatch(FORBIDDEN_IN_LINE);
        expect(fields.summary).toBe(fields.summary.trim());
        const description = JSON.stringify(fields.description);
        expect(adfErrors(JSON.parse(description))).toEqual([]);
        expect(description.length).toBeLessThanOrEqual(PAYLOAD_LIMITS.jira.document);
        const comment = JSON.stringify(jiraCommentBody(changeNote(event, partial)));
        expect(adfErrors(JSON.parse(comment).body)).toEqual([]);
        expect(comment.length).toBeLessThanOrEqual(PAYLOAD_LIMITS.jira.document + 20);
        const request = JSON.stringify({ fields });
        expect(jsonHasLoneSurrogate(request)).toBe(false);
        expect(jsonHasLoneSurrogate(comment)).toBe(false);
        record('jira', Math.max(bytes(request), bytes(comment)));
      }),
      { numRuns: RUNS },
    );
  });

  it('ServiceNow: short_description within 160 on one line, description and notes within 4,000', () => {
    const config = { assignmentGroup: 'Platform', callerId: null, category: null };
    fc.assert(
      fc.property(findingEvent, fc.boolean(), (event: FindingEvent, partial) => {
        const fields = serviceNowIncidentFields(config, event.data);
        const short = fields.short_description ?? '';
        expect(short.length).toBeGreaterThan(0);
        expect(short.length).toBeLessThanOrEqual(PAYLOAD_LIMITS.serviceNow.shortDescription);
        expect(short).not.toMatch(FORBIDDEN_IN_LINE);
        expect((fields.description ?? '').length).toBeLessThanOrEqual(PAYLOAD_LIMITS.serviceNow.description);
        const note = serviceNowNote(changeNote(event, partial));
        expect(note.length).toBeLessThanOrEqual(PAYLOAD_LIMITS.serviceNow.journal);
        const request = JSON.stringify(fields);
        expect(JSON.parse(request)).toEqual(fields);
        expect(jsonHasLoneSurrogate(request)).toBe(false);
        expect(hasLoneSurrogate(note)).toBe(false);
        record('servicenow', Math.max(bytes(request), bytes(JSON.stringify({ work_notes: note }))));
      }),
      { numRuns: RUNS },
    );
  });

  it('webhook: verified by the Standard Webhooks library, no lone surrogate, within the configured body size', () => {
    const secret = `whsec_${Buffer.from('a signing key of thirty-two bytes').toString('base64')}`;
    fc.assert(
      fc.property(
        anyEvent,
        fc.constantFrom(16 * 1024, 64 * 1024, PAYLOAD_LIMITS.webhook.defaultBodyBytes),
        (event, maxBytes) => {
          const body = webhookBody(event, maxBytes);
          expect(bytes(body)).toBeLessThanOrEqual(maxBytes);
          expect(jsonHasLoneSurrogate(body)).toBe(false);
          const headers = signWebhook(secret, event.id, new Date(), body);
          for (const value of Object.values(headers)) expect(value).toMatch(/^[\x20-\x7e]+$/);
          const payload = verifyStandardWebhook(secret, body, headers) as {
            type: string;
            data: { truncated?: { fullRun: string } };
          };
          expect(payload.type).toBe(event.type);
          if (body !== webhookBody(event, Number.MAX_SAFE_INTEGER))
            expect(payload.data.truncated?.fullRun).toBeTruthy();
          if (maxBytes === PAYLOAD_LIMITS.webhook.defaultBodyBytes) record('webhook', bytes(body));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('e-mail: composed by nodemailer and read back by mailparser unchanged, one-line subject, bounded text', async () => {
    await fc.assert(
      fc.asyncProperty(anyEvent, async (event) => {
        const message = eventMailMessage(event, ['ops@example.com']);
        expect(message.subject).not.toMatch(FORBIDDEN_IN_LINE);
        expect(message.subject.length).toBeLessThanOrEqual(PAYLOAD_LIMITS.email.subject);
        expect(message.text.length).toBeLessThanOrEqual(PAYLOAD_LIMITS.email.textChars);
        expect(hasLoneSurrogate(message.subject + message.text + message.html)).toBe(false);
        const { raw, parsed } = await composeAndParse(message);
        expect(parsed.subject).toBe(message.subject);
        expect(parsed.text?.replace(/\n$/, '')).toBe(message.text.replace(/\r\n?/g, '\n').replace(/\n$/, ''));
        expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('ops@example.com');
        expect(parsed.headers.has('bcc')).toBe(false);
        expect(raw.length).toBeLessThanOrEqual(PAYLOAD_LIMITS.email.messageBytes);
        record('email', raw.length);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
