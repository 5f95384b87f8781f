import { afterEach, describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import { applyGovernance } from '../../shared/governance/applyGovernance.js';
import type { ActiveRecord, ExceptionRecord } from '../../shared/governance/records.js';
import { isGovernanceEvent, type GovernanceEvent } from '../../shared/notifications/events.js';
import { eventMailMessage } from '../../shared/notifications/emailDestination.js';
import { enqueueEvents } from '../../shared/notifications/outbox.js';
import { planGovernanceEvents } from '../../shared/notifications/planGovernanceEvents.js';
import { planRunEvents } from '../../shared/notifications/planRunEvents.js';
import { computeRunChanges } from '../../shared/runCalculations/runChanges.js';
import { memorySource } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import type { FakeServer } from '../notifications/fakeHttpServer.js';
import {
  newWebhookSecret,
  startTeamsEndpoint,
  startWebhookReceiver,
} from '../notifications/fakeReceivers.js';
import { startFakeJira } from '../notifications/fakeTicketing.js';
import {
  drainQueue,
  FakeClock,
  freshNotificationStore,
  notificationEnv,
  settingsOf,
} from '../notifications/notificationHarness.js';
import { sampleRun } from '../storage/scanResults.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const DAY = 86_400_000;
const START = new Date('2026-11-01T06:00:00Z');
const JIRA_CREDENTIALS = 'bot@example.com:jira-token-abcdef';

function exception(id: string, expires: Date, extra: Partial<ExceptionRecord> = {}): ExceptionRecord {
  return {
    kind: 'exception',
    id,
    controlId: 'DS-01',
    scope: {},
    expires: expires.toISOString(),
    owner: 'Dana Platform',
    justification: 'Legacy workload; migration planned.',
    ticket: 'SEC-42',
    ...extra,
  };
}

/** A sample run at `asOf` with the records applied, as a scan with governance produces it. */
function governedRun(asOf: Date, records: ActiveRecord[]): ScanResult {
  const result = sampleRun('current', asOf);
  const outcome = applyGovernance(result.findings, records, { asOf, complete: true });
  return {
    ...result,
    run: { ...result.run, governance: outcome.governance, effectiveScore: outcome.effectiveScore },
    findings: outcome.findings,
  };
}

describe('planGovernanceEvents (pure)', () => {
  const run = (asOf: Date) => ({ id: `run-${asOf.getTime()}`, asOf: asOf.toISOString(), complete: true });
  const entries = (asOf: Date, records: ActiveRecord[]) => governedRun(asOf, records).run.governance ?? [];

  it('warns inside the notice period only, says expired after expiry, and skips revoked and pending records', () => {
    const expires = new Date(START.getTime() + 10 * DAY);
    const records: ActiveRecord[] = [
      { record: exception('EXC-SOON', expires), approval: 'approved' },
      {
        record: exception('EXC-LATER', new Date(START.getTime() + 15 * DAY), { controlId: 'DS-02' }),
        approval: 'approved',
      },
      { record: exception('EXC-REVOKED', expires), approval: 'revoked' },
      { record: exception('EXC-PENDING', expires), approval: 'pending' },
    ];
    const before = planGovernanceEvents({
      run: run(START),
      governance: entries(START, records),
      noticeDays: 14,
      notified: new Set(),
    });
    expect(before.map(({ event }) => [event.type, event.data.recordId, event.data.daysLeft])).toEqual([
      ['governance.expiring', 'EXC-SOON', 10],
    ]);
    const after = new Date(expires.getTime() + DAY);
    const expired = planGovernanceEvents({
      run: run(after),
      governance: entries(after, records),
      noticeDays: 14,
      notified: new Set(),
    });
    expect(expired.map(({ event }) => `${event.type} ${event.data.recordId}`).sort()).toEqual([
      'governance.expired EXC-SOON',
      'governance.expiring EXC-LATER',
    ]);
    for (const { event } of [...before, ...expired])
      expect(event.data.recordId).not.toMatch(/REVOKED|PENDING/);
  });
});

describe('governance notices across runs (Azurite, webhook, Teams and Jira fakes)', () => {
  it('sends expiring once per threshold, expired once, again after a renewal, to webhook and Teams; Jira takes none', async () => {
    const secret = newWebhookSecret();
    const webhook = await startWebhookReceiver(secret);
    const teams = await startTeamsEndpoint();
    const jira = await startFakeJira(JIRA_CREDENTIALS);
    servers.push(webhook, teams, jira);
    const env = notificationEnv(
      [
        { name: 'hook', type: 'webhook', url: webhook.url, secretSetting: 'S' },
        { name: 'teams', type: 'teams', url: teams.url },
        { name: 'jira', type: 'jira', url: jira.url, secretSetting: 'JIRA', projectKey: 'SEC' },
      ],
      { S: secret, JIRA: JIRA_CREDENTIALS },
    );
    const store = await freshNotificationStore();
    const clock = new FakeClock(START);
    const settings = settingsOf(env);
    const deps = { store, settings, secrets: settingSecrets(env), clock: clock.now, random: () => 0.5 };
    let previous: ScanResult | null = null;
    /** One published run: plan (as notifyRun does), enqueue, deliver; its governance events. */
    const publish = async (asOf: Date, records: ActiveRecord[]): Promise<GovernanceEvent[]> => {
      clock.advanceTo(asOf.getTime());
      const result = governedRun(asOf, records);
      const changes = computeRunChanges(
        previous ? { runId: previous.run.id, findings: previous.findings } : null,
        { runId: result.run.id, findings: result.findings },
      );
      previous = result;
      const plan = () =>
        planRunEvents(store, {
          run: result.run,
          changes,
          source: memorySource(result),
          reportLinks: { run: `https://compliance.example.com/api/runs/${result.run.id}` },
          expiryNoticeDays: 14,
        });
      const events = await plan();
      const { messages } = await enqueueEvents(store, events, settings.destinations, { now: clock.now() });
      // A retry of the same run plans the same notices with the same IDs: nothing new is queued.
      const again = await plan();
      expect(again.filter(isGovernanceEvent).map((e) => e.id)).toEqual(
        events.filter(isGovernanceEvent).map((e) => e.id),
      );
      const retried = await enqueueEvents(store, again, settings.destinations, { now: clock.now() });
      expect(retried.created).toBe(0);
      const stats = await drainQueue(deps, clock, messages);
      expect(stats.outcomes.dead).toBe(0);
      return events.filter(isGovernanceEvent);
    };
    const firstExpiry = new Date(START.getTime() + 20 * DAY);
    const records = [{ record: exception('EXC-7', firstExpiry), approval: 'approved' as const }];
    const types = (events: GovernanceEvent[]) => events.map((event) => event.type);

    expect(types(await publish(START, records))).toEqual([]); // 20 days left
    expect(types(await publish(new Date(START.getTime() + 7 * DAY), records))).toEqual([
      'governance.expiring',
    ]);
    expect(types(await publish(new Date(START.getTime() + 8 * DAY), records))).toEqual([]);
    expect(types(await publish(new Date(START.getTime() + 19 * DAY), records))).toEqual([]);
    expect(types(await publish(new Date(START.getTime() + 21 * DAY), records))).toEqual([
      'governance.expired',
    ]);
    expect(types(await publish(new Date(START.getTime() + 22 * DAY), records))).toEqual([]);
    // Renewed: a new expiry is a new notice.
    const renewed = [
      { record: exception('EXC-7', new Date(START.getTime() + 30 * DAY)), approval: 'approved' as const },
    ];
    const renewal = await publish(new Date(START.getTime() + 23 * DAY), renewed);
    expect(renewal.map((event) => [event.type, event.data.daysLeft])).toEqual([['governance.expiring', 7]]);
    expect(types(await publish(new Date(START.getTime() + 24 * DAY), renewed))).toEqual([]);

    const hooks = [...webhook.received.values()].filter((entry) =>
      entry.payload.type.startsWith('governance.'),
    );
    expect(hooks.map((entry) => [entry.payload.type, entry.count])).toEqual([
      ['governance.expiring', 1],
      ['governance.expired', 1],
      ['governance.expiring', 1],
    ]);
    expect(hooks[0]?.payload.data).toMatchObject({
      recordId: 'EXC-7',
      kind: 'exception',
      controlId: 'DS-01',
      daysLeft: 13,
    });
    const titles = teams.cards.map((card) => String(card.body[0]?.text));
    expect(titles.filter((title) => title.startsWith('Exception EXC-7'))).toEqual([
      expect.stringMatching(/^Exception EXC-7 for DS-01 expires in 13 day\(s\)/),
      expect.stringMatching(/^Exception EXC-7 for DS-01 expired /),
      expect.stringMatching(/^Exception EXC-7 for DS-01 expires in 7 day\(s\)/),
    ]);
    // Jira only hears of the exception through the accepted-risk comment of its finding tickets.
    const jiraText = JSON.stringify(jira.requests.map((request) => request.body));
    expect(jiraText).toMatch(/exception EXC-7/);
    expect(jiraText).not.toMatch(/Exception EXC-7 for DS-01|governance\.expir/);
  });

  it('renders a notice as an e-mail with the record, expiry and consequence', () => {
    const asOf = new Date(START.getTime() + 5 * DAY);
    const [planned] = planGovernanceEvents({
      run: { id: 'r1', asOf: asOf.toISOString(), complete: true },
      governance:
        governedRun(asOf, [
          { record: exception('EXC-9', new Date(START.getTime() + 9 * DAY)), approval: 'approved' },
        ]).run.governance ?? [],
      noticeDays: 14,
      notified: new Set(),
    });
    if (!planned) throw new Error('no notice planned');
    const mail = eventMailMessage(planned.event, ['secops@example.com']);
    expect(mail.subject).toBe(
      `Governance record expiring: Exception EXC-9 for DS-01 expires in 4 day(s) (${new Date(START.getTime() + 9 * DAY).toISOString()})`,
    );
    expect(mail.text).toContain('Owner: Dana Platform');
    expect(mail.text).toContain('Ticket: SEC-42');
    expect(mail.text).toMatch(/count with their observed status again/);
  });
});
