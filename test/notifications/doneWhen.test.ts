/**
 * Done when: with every receiver failing half of all delivery attempts (deterministically: every
 * second call finds them down — 500, 503, 429 with Retry-After, a reset, or now and then a hang),
 * driving `deliverOutboxEntry` until nothing is pending — honouring the returned retry delays on a
 * fake clock — across five runs of a changing fleet delivers every event and duplicates no ticket.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import type { Status } from '../../shared/catalog/types.js';
import { destinationAccepts } from '../../shared/notifications/destinationSettings.js';
import { dedupeKey, isFindingEvent, type NotificationEvent } from '../../shared/notifications/events.js';
import { enqueueEvents, listDeadLetters, listPendingOutbox } from '../../shared/notifications/outbox.js';
import { createTicketMap } from '../../shared/notifications/ticketMap.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { sampleRun } from '../storage/scanResults.js';
import type { Fault, FakeServer } from './fakeHttpServer.js';
import { newWebhookSecret, startTeamsEndpoint, startWebhookReceiver } from './fakeReceivers.js';
import { startFakeJira, startFakeServiceNow } from './fakeTicketing.js';
import {
  byKey,
  deriveRun,
  drainQueue,
  FakeClock,
  freshNotificationStore,
  notificationEnv,
  RunHistory,
  seededRandom,
  settingsOf,
  type DrainStats,
} from './notificationHarness.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const DAY = 86_400_000;
const START = new Date('2026-11-16T06:00:00Z');
const SUBSCRIPTION = 'b77901c8-0e14-551d-b793-41f4cb2fd39c';
const PASSING: ReadonlySet<Status> = new Set(['PASS', 'NOT_APPLICABLE']);

function keysWhere(result: ScanResult, test: (status: Status, severity: string) => boolean): string[] {
  return result.findings
    .filter((f) => test(f.status, f.severity))
    .map((f) => dedupeKey(f.clusterId, f.controlId))
    .sort();
}

/** Five runs: two sample days, then changes — fixes, regressions, reopenings, a partial run. */
function fleetRuns(): ScanResult[] {
  const first = sampleRun('previous', START);
  const second = sampleRun('current', new Date(START.getTime() + DAY));
  const resolvedOnDayTwo = keysWhere(first, (s) => s === 'FAIL').filter((key) =>
    PASSING.has(byKey(second).get(key)?.status ?? 'FAIL'),
  );
  const highFailing = keysWhere(second, (s, severity) => s === 'FAIL' && severity === 'high');
  const passing = keysWhere(second, (s) => s === 'PASS');
  const third = deriveRun(
    second,
    new Date(START.getTime() + 2 * DAY),
    new Map<string, Status>([
      ...resolvedOnDayTwo.slice(0, 2).map((key): [string, Status] => [key, 'FAIL']),
      ...highFailing.slice(0, 3).map((key): [string, Status] => [key, 'PASS']),
      ...passing.slice(0, 2).map((key): [string, Status] => [key, 'FAIL']),
      [highFailing[5] ?? '', 'ERROR'],
    ]),
  );
  const fourth = deriveRun(
    third,
    new Date(START.getTime() + 3 * DAY),
    new Map<string, Status>([
      [highFailing[6] ?? '', 'PASS'],
      [highFailing[7] ?? '', 'PASS'],
      [passing[3] ?? '', 'FAIL'],
      [passing[4] ?? '', 'ERROR'],
      [highFailing[0] ?? '', 'FAIL'],
    ]),
    { complete: false },
  );
  const fifth = deriveRun(
    fourth,
    new Date(START.getTime() + 4 * DAY),
    new Map<string, Status>([
      [passing[3] ?? '', 'PASS'],
      [passing[4] ?? '', 'PASS'],
      [highFailing[5] ?? '', 'FAIL'],
      [highFailing[8] ?? '', 'NOT_APPLICABLE'],
      [resolvedOnDayTwo[2] ?? '', 'FAIL'],
    ]),
  );
  return [first, second, third, fourth, fifth];
}

describe('done when', () => {
  it('delivers every event and duplicates no ticket across five runs with receivers failing half the time', async () => {
    const secret = newWebhookSecret();
    const [webhook, jira, snow, teams] = await Promise.all([
      startWebhookReceiver(secret),
      startFakeJira('bot@example.com:jira-token'),
      startFakeServiceNow('integration:snow-password'),
      startTeamsEndpoint(),
    ]);
    servers.push(webhook, jira, snow, teams);
    const env = notificationEnv(
      [
        {
          name: 'hook',
          type: 'webhook',
          url: `${webhook.url}/events`,
          secretSetting: 'HOOK_SECRET',
          timeoutSeconds: 1,
        },
        {
          name: 'jira',
          type: 'jira',
          url: jira.url,
          secretSetting: 'JIRA',
          projectKey: 'SEC',
          minimumSeverity: 'high',
          timeoutSeconds: 1,
        },
        {
          name: 'snow',
          type: 'servicenow',
          url: snow.url,
          secretSetting: 'SNOW',
          subscriptionIds: [SUBSCRIPTION],
          timeoutSeconds: 1,
        },
        {
          name: 'teams',
          type: 'teams',
          url: `${teams.url}/workflow`,
          minimumSeverity: 'high',
          timeoutSeconds: 1,
        },
      ],
      {
        HOOK_SECRET: secret,
        JIRA: 'bot@example.com:jira-token',
        SNOW: 'integration:snow-password',
        NOTIFICATIONS_MAX_ATTEMPTS: '12',
      },
    );
    const settings = settingsOf(env);
    const store = await freshNotificationStore();
    const clock = new FakeClock(START);
    const deps = { store, settings, secrets: settingSecrets(env), clock: clock.now, random: seededRandom(7) };

    // Every second call finds the receivers down; the fault varies with the failing call's number.
    let down = false;
    let failingCalls = 0;
    const faultFor = (n: number): Fault => {
      if (n % 97 === 50) return { kind: 'hang' };
      return [
        { kind: 'status', status: 500, body: '{"error":"unavailable"}' } as const,
        { kind: 'status', status: 429, headers: { 'retry-after': '7' } } as const,
        { kind: 'reset' } as const,
        { kind: 'status', status: 503 } as const,
      ][n % 4] as Fault;
    };
    for (const server of [webhook, jira, snow, teams])
      server.fault = () => (down ? faultFor(failingCalls) : undefined);
    const beforeCall = (call: number): void => {
      down = call % 2 === 0;
      if (down) failingCalls++;
    };

    const history = new RunHistory();
    const runs = fleetRuns();
    const planned: NotificationEvent[] = [];
    const total: DrainStats = {
      attempts: 0,
      calls: 0,
      outcomes: { delivered: 0, retry: 0, dead: 0 },
      retryDelays: [],
    };
    let entries = 0;
    for (const result of runs) {
      clock.advanceTo(Date.parse(result.run.asOf));
      const events = await history.plan(store, result);
      planned.push(...events);
      const { messages } = await enqueueEvents(store, events, settings.destinations, { now: clock.now() });
      entries += messages.length;
      const stats = await drainQueue(deps, clock, messages, { beforeCall });
      total.attempts += stats.attempts;
      total.calls += stats.calls;
      for (const outcome of ['delivered', 'retry', 'dead'] as const)
        total.outcomes[outcome] += stats.outcomes[outcome];
      total.retryDelays.push(...stats.retryDelays);
    }

    // Nothing pending, nothing dead, every entry delivered exactly once as far as the outbox knows.
    expect(await listPendingOutbox(store)).toEqual([]);
    expect(await listDeadLetters(store)).toEqual([]);
    expect(total.outcomes.delivered).toBe(entries);
    expect(total.retryDelays).toContain(7000);

    // Every event reached every destination that takes it.
    const expectedFor = (name: string): NotificationEvent[] => {
      const destination = settings.destinations.find((d) => d.name === name);
      return destination ? planned.filter((event) => destinationAccepts(destination, event)) : [];
    };
    expect([...webhook.received.keys()].sort()).toEqual(planned.map((e) => e.id).sort());
    expect(webhook.rejected).toBe(0);
    expect(teams.cards).toHaveLength(expectedFor('teams').length);

    // Tickets: one per cluster and control ever notified, open or done as the last complete run says.
    const last = runs[runs.length - 1];
    if (!last) throw new Error('no runs');
    const finalStatus = byKey(last);
    const notified = (name: string): Set<string> =>
      new Set(
        expectedFor(name)
          .filter(isFindingEvent)
          .filter((e) => e.type !== 'finding.resolved')
          .map((e) => e.data.dedupeKey),
      );
    const everFailing = (test: (severity: string, subscription: string) => boolean): Set<string> => {
      const keys = new Set<string>();
      for (const result of runs)
        for (const f of result.findings)
          if (
            (f.status === 'FAIL' || (f.status === 'ERROR' && result.run.complete)) &&
            test(f.severity, f.subscriptionId)
          )
            keys.add(dedupeKey(f.clusterId, f.controlId));
      return keys;
    };
    const jiraKeys = everFailing((severity) => severity === 'high');
    expect(notified('jira')).toEqual(jiraKeys);
    expect(jira.issues.size).toBe(jiraKeys.size);
    expect(jira.calls.filter((call) => call === 'POST issue')).toHaveLength(jiraKeys.size);
    const jiraTickets = await createTicketMap(store.tables.tickets, 'jira').list();
    expect(jiraTickets.filter((t) => t.externalId !== '')).toHaveLength(jiraKeys.size);
    for (const ticket of jiraTickets.filter((t) => t.externalId !== '')) {
      const status = finalStatus.get(ticket.dedupeKey)?.status;
      const issue = jira.issues.get(ticket.externalKey);
      expect(issue?.status, `${ticket.dedupeKey} is ${status ?? 'gone'}`).toBe(
        status && PASSING.has(status) ? 'Done' : 'To Do',
      );
    }
    const snowKeys = everFailing((_severity, subscription) => subscription === SUBSCRIPTION);
    expect(snow.incidents.size).toBe(snowKeys.size);
    expect(new Set([...snow.incidents.values()].map((i) => i.correlation_id)).size).toBe(snowKeys.size);
    const snowTickets = await createTicketMap(store.tables.tickets, 'snow').list();
    for (const ticket of snowTickets.filter((t) => t.externalId !== '')) {
      const status = finalStatus.get(ticket.dedupeKey)?.status;
      const state = snow.incidents.get(ticket.externalId)?.state;
      expect(state === '6', `${ticket.dedupeKey} is ${status ?? 'gone'}`).toBe(
        Boolean(status && PASSING.has(status)),
      );
    }
    const types = (type: string): number => planned.filter((e) => e.type === type).length;
    expect(types('finding.reopened')).toBeGreaterThanOrEqual(3);
    expect(types('run.partial')).toBe(1);

    const failedAttempts = total.attempts - total.outcomes.delivered;
    expect(failedAttempts / total.attempts).toBeGreaterThan(0.45);
    console.info(
      `done-when: ${runs.length} runs, ${planned.length} events (${types('finding.opened')} opened, ` +
        `${types('finding.updated')} updated, ${types('finding.resolved')} resolved, ` +
        `${types('finding.reopened')} reopened), ${entries} outbox entries; ${total.attempts} attempts ` +
        `(${failedAttempts} failed) in ${total.calls} calls; ${total.outcomes.delivered} delivered, 0 dead; ` +
        `Jira ${jira.issues.size} issues for ${jiraKeys.size} keys, ServiceNow ${snow.incidents.size} incidents ` +
        `for ${snowKeys.size} keys; fake clock advanced ${Math.round((clock.now().getTime() - START.getTime()) / 60_000)} min`,
    );
  }, 120_000);
});
