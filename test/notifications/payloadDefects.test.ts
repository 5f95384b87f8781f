/**
 * Regression tests for payloads receivers refused: a cap that split an emoji, a Jira summary with
 * line breaks and control characters, an oversized run.partial Teams card and webhook body, and
 * the report e-mail attaching a workbook of any size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { eventMailMessage } from '../../shared/notifications/emailDestination.js';
import type { FindingEvent, FindingEventData, RunEvent } from '../../shared/notifications/events.js';
import { jiraIssueFields } from '../../shared/notifications/jiraDestination.js';
import { fitToBudget, PayloadBudgetError } from '../../shared/notifications/payloadBudget.js';
import { PAYLOAD_LIMITS } from '../../shared/notifications/payloadLimits.js';
import { runLinks } from '../../shared/notifications/runLinks.js';
import { serviceNowIncidentFields } from '../../shared/notifications/serviceNowDestination.js';
import { teamsPayload } from '../../shared/notifications/teamsCards.js';
import { limitLine, limitText, textLength } from '../../shared/notifications/textLimit.js';
import { signWebhook, webhookBody } from '../../shared/notifications/webhookDestination.js';
import {
  adaptiveCardErrors,
  adfErrors,
  hasLoneSurrogate,
  jsonHasLoneSurrogate,
  stringsOf,
  verifyStandardWebhook,
} from './vendorValidators.js';

const LINKS = runLinks('20261120T060000Z-0a1b2c3d', 'https://compliance.example.com');

function findingData(changes: Partial<FindingEventData> = {}): FindingEventData {
  return {
    dedupeKey: '/subscriptions/s/resourcegroups/rg/providers/microsoft.kubernetes/connectedclusters/c|DS-04',
    run: { id: '20261120T060000Z-0a1b2c3d', asOf: '2026-11-20T06:00:00.000Z', complete: true },
    clusterId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c',
    clusterName: 'c',
    clusterKind: 'arc',
    subscriptionId: '3f2a1c9e-7b1d-4c2a-9f8e-1a2b3c4d5e6f',
    controlId: 'DS-04',
    controlTitle: 'Secrets encrypted at rest with a customer-managed key',
    severity: 'high',
    previousStatus: null,
    status: 'FAIL',
    reason: 'KMS is not enabled.',
    remediation: 'Enable KMS with a key in Azure Key Vault.',
    evidence: null,
    reportLinks: LINKS,
    ...changes,
  };
}

function findingEvent(changes: Partial<FindingEventData> = {}): FindingEvent {
  return {
    id: '20261120T060000Z-0a1b2c3d.finding.opened.DS-04.0123456789abcdef',
    type: 'finding.opened',
    timestamp: '2026-11-20T06:00:00.000Z',
    data: findingData(changes),
  };
}

function partialRun(gaps: number, reasonChars: number): RunEvent {
  const reason = `Resource Graph answered 403: ${'AuthorizationFailed '.repeat(reasonChars / 20)}`.slice(
    0,
    reasonChars,
  );
  return {
    id: '20261120T060000Z-0a1b2c3d.run.partial',
    type: 'run.partial',
    timestamp: '2026-11-20T06:00:00.000Z',
    data: {
      run: {
        id: '20261120T060000Z-0a1b2c3d',
        asOf: '2026-11-20T06:00:00.000Z',
        complete: false,
        previousRunId: null,
        score: 0.72,
        previousScore: null,
        scoreChange: null,
        counts: { PASS: 10, FAIL: 3, ERROR: 40, MANUAL: 0, NOT_APPLICABLE: 0 },
        clusterCount: 5,
      },
      changes: {
        newlyFailing: 0,
        resolved: 0,
        stillFailing: 3,
        newlyUnobservable: 40,
        otherChanges: 0,
        clustersAdded: 0,
        clustersRemoved: 0,
      },
      newlyFailing: [],
      resolved: [],
      trend: [],
      coverage: {
        complete: false,
        notReadCount: gaps,
        notRead: Array.from({ length: gaps }, (_, i) => ({
          kind: 'scope' as const,
          subscriptionId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
          category: 'extensions' as const,
          reason,
        })),
      },
      reportLinks: LINKS,
    },
  };
}

describe('text caps never split a character', () => {
  it('cuts a Jira summary and a ServiceNow short_description before an emoji at the limit, not inside it', () => {
    for (const limit of [PAYLOAD_LIMITS.jira.summary, PAYLOAD_LIMITS.serviceNow.shortDescription]) {
      // "[DS-04] " + name + ": title": the emoji's two halves straddle position limit - 1.
      for (let shift = -3; shift <= 3; shift++) {
        const name = `${'a'.repeat(limit - 10 + shift)}${'😀'.repeat(20)}`;
        const data = findingData({ clusterName: name });
        const summary =
          limit === PAYLOAD_LIMITS.jira.summary
            ? jiraIssueFields({ projectKey: 'OPS', issueType: 'Task', labels: [] }, data).summary
            : (serviceNowIncidentFields({ assignmentGroup: null, callerId: null, category: null }, data)
                .short_description ?? '');
        expect(hasLoneSurrogate(summary)).toBe(false);
        expect(summary.length).toBeLessThanOrEqual(limit);
        expect(summary.endsWith('😀…') || summary.endsWith('a…')).toBe(true);
      }
    }
  });

  it('cuts a 2,000-character reason ending in emoji whole in Teams, Jira, ServiceNow and webhook bodies', () => {
    const reason = `${'r'.repeat(1_999)}${'😀'.repeat(6_000)}`;
    const event = findingEvent({ reason });
    const teams = teamsPayload(event).body;
    const jira = JSON.stringify(
      jiraIssueFields({ projectKey: 'OPS', issueType: 'Task', labels: [] }, event.data),
    );
    const serviceNow = JSON.stringify(
      serviceNowIncidentFields({ assignmentGroup: null, callerId: null, category: null }, event.data),
    );
    const webhook = webhookBody(event, 16 * 1024);
    for (const body of [teams, jira, serviceNow, webhook]) {
      expect(jsonHasLoneSurrogate(body)).toBe(false);
      expect(body).not.toMatch(/\\ud[89ab][0-9a-f]{2}/i);
    }
    expect(adaptiveCardErrors(JSON.parse(teams).attachments[0].content)).toEqual([]);
    expect(adfErrors(JSON.parse(jira).description)).toEqual([]);
    expect(JSON.parse(webhook).data.truncated.fullRun).toBe(LINKS.run);
  });

  it('never separates a letter from its combining marks, and marks every cut', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 400 }), fc.integer({ min: 1, max: 12 }), (max, marks) => {
        const text = `e${'\u0301'.repeat(marks)}`.repeat(500);
        const cut = limitText(text, { max });
        expect(cut.endsWith('…')).toBe(true);
        expect(textLength(cut)).toBeLessThanOrEqual(max);
        const body = cut.slice(0, -1);
        expect(body).toBe(`e${'\u0301'.repeat(marks)}`.repeat(body.length / (marks + 1)));
      }),
    );
  });
});

describe('one-line fields', () => {
  it('builds a Jira summary without line breaks or control characters', () => {
    const data = findingData({
      clusterName: 'prod\r\ncluster\u0000\u0007\tnorth\u2028east\u202e',
      controlTitle: 'Secrets\nencrypted\u001b[31m',
    });
    const { summary } = jiraIssueFields({ projectKey: 'OPS', issueType: 'Task', labels: [] }, data);
    expect(summary).toBe('[DS-04] prod cluster north east: Secrets encrypted[31m');
    // eslint-disable-next-line no-control-regex
    expect(summary).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
  });

  it('keeps e-mail subjects on one line whatever the cluster name', () => {
    const message = eventMailMessage(findingEvent({ clusterName: 'a\r\nBcc: victim@example.com' }), [
      'o@example.com',
    ]);
    expect(message.subject).toBe('New failure (high): [DS-04] a Bcc: victim@example.com');
    expect(limitLine('x\r\ny', 10)).toBe('x y');
  });
});

describe('size budgets', () => {
  it('keeps a run.partial Teams card with 10+ gaps of 2,700-character errors under 28 KB, saying how many were left out', () => {
    const event = partialRun(14, 2_700);
    const { body, bytes, message } = teamsPayload(event);
    expect(bytes).toBeLessThanOrEqual(PAYLOAD_LIMITS.teams.bodyBytes);
    const card = message.attachments[0]?.content;
    expect(adaptiveCardErrors(JSON.parse(JSON.stringify(card)))).toEqual([]);
    expect(body).toContain('… and 4 more not shown: see the report.');
    expect(card?.actions?.map((action) => action.url)).toContain(LINKS.xlsx);
    // The raw gap errors alone are past the budget.
    const raw = event.data.coverage.notRead.reduce((sum, gap) => sum + gap.reason.length, 0);
    expect(raw).toBeGreaterThan(PAYLOAD_LIMITS.teams.bodyBytes);
  });

  it('bounds webhook bodies (107 KB with 50 gaps before) by the configured maximum, linking the full run', () => {
    const secret = `whsec_${Buffer.from('a signing key of thirty-two bytes').toString('base64')}`;
    for (const [gaps, maxBytes] of [
      [50, 64 * 1024],
      [200, PAYLOAD_LIMITS.webhook.defaultBodyBytes],
    ] as const) {
      const event = partialRun(gaps, 2_700);
      expect(JSON.stringify(event.data).length).toBeGreaterThan(maxBytes);
      const body = webhookBody(event, maxBytes);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(maxBytes);
      const headers = signWebhook(secret, event.id, new Date(), body);
      const payload = verifyStandardWebhook(secret, body, headers) as RunEvent & {
        data: { truncated: { maxBodyBytes: number; fullRun: string } };
      };
      expect(payload.data.truncated).toEqual({ maxBodyBytes: maxBytes, fullRun: LINKS.run });
      expect(payload.data.coverage.notReadCount).toBe(gaps);
    }
    const small = partialRun(2, 100);
    expect(JSON.parse(webhookBody(small))).toEqual({
      type: small.type,
      timestamp: small.timestamp,
      data: small.data,
    });
  });

  it('bounds a run of 10,000 newly failing findings and 1,000 gaps without serialising it whole', () => {
    const secret = `whsec_${Buffer.from('a signing key of thirty-two bytes').toString('base64')}`;
    const event = partialRun(1_000, 2_700);
    let readsPastKeptItems = 0;
    event.data.newlyFailing = Array.from({ length: 10_000 }, (_, i) => {
      const headline = {
        clusterName: `edge-${i} 👨‍👩‍👧‍👦`,
        clusterId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/edge-${i}`,
        controlId: 'DS-04' as const,
        controlTitle: 'Secrets encrypted at rest with a customer-managed key',
        severity: 'high' as const,
        status: 'FAIL' as const,
        reason: 'KMS is not enabled. '.repeat(100),
      };
      // Only the first items of a list are ever sent; reading the rest is wasted work.
      return i < 60
        ? headline
        : Object.defineProperty(headline, 'reason', {
            enumerable: true,
            get: () => {
              readsPastKeptItems++;
              return 'KMS is not enabled.';
            },
          });
    });
    for (const maxBytes of [16 * 1024, PAYLOAD_LIMITS.webhook.defaultBodyBytes]) {
      const body = webhookBody(event, maxBytes);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(maxBytes);
      const headers = signWebhook(secret, event.id, new Date(), body);
      const payload = verifyStandardWebhook(secret, body, headers) as RunEvent & {
        data: { truncated: { fullRun: string } };
      };
      expect(payload.data.truncated.fullRun).toBe(LINKS.run);
      expect(payload.data.changes).toEqual(event.data.changes);
    }
    expect(readsPastKeptItems).toBe(0);
  });

  it('tries the fullest form first and refuses to send what fits no form', () => {
    const fitted = fitToBudget('x', 10, [() => 'a'.repeat(20), () => 'b'.repeat(5)]);
    expect(fitted).toMatchObject({ payload: 'bbbbb', reduction: 1, bytes: 7 });
    expect(() => fitToBudget('x', 3, [() => 'long text'])).toThrow(PayloadBudgetError);
  });

  it('leaves no field of any payload with a lone surrogate when every text is hostile', () => {
    const event = findingEvent({ clusterName: '\ud83d', reason: '\ude00x', controlTitle: '😀\ud83d' });
    for (const value of stringsOf(JSON.parse(teamsPayload(event).body)))
      expect(hasLoneSurrogate(value)).toBe(false);
  });
});
