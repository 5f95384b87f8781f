import { afterEach, describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import { dedupeKey, eventId, isFindingEvent, type FindingEvent } from '../../shared/notifications/events.js';
import { readFindingLedger } from '../../shared/notifications/findingLedger.js';
import { enqueueEvents } from '../../shared/notifications/outbox.js';
import { deliverOutboxEntry, type DeliveryDeps } from '../../shared/notifications/outboxDelivery.js';
import { createTicketMap } from '../../shared/notifications/ticketMap.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { sampleRun } from '../storage/scanResults.js';
import type { FakeServer } from './fakeHttpServer.js';
import { startFakeJira, startFakeServiceNow, type FakeJira, type FakeServiceNow } from './fakeTicketing.js';
import {
  byKey,
  deriveRun,
  drainQueue,
  FakeClock,
  freshNotificationStore,
  notificationEnv,
  RunHistory,
  settingsOf,
} from './notificationHarness.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const DAY = 86_400_000;
const START = new Date('2026-11-19T06:00:00Z');
const SUBSCRIPTION = 'b77901c8-0e14-551d-b793-41f4cb2fd39c';
const JIRA_CREDENTIALS = 'bot@example.com:jira-token-abcdef';
const SNOW_CREDENTIALS = 'integration:snow-password-123';

interface World {
  jira: FakeJira;
  snow: FakeServiceNow;
  deps: DeliveryDeps & { clock: () => Date };
  clock: FakeClock;
  history: RunHistory;
  /** Plans, enqueues and delivers a run; returns its events. */
  run(result: ScanResult): Promise<FindingEvent[]>;
}

async function world(extra: Record<string, unknown> = {}): Promise<World> {
  const jira = await startFakeJira(JIRA_CREDENTIALS);
  const snow = await startFakeServiceNow(SNOW_CREDENTIALS);
  servers.push(jira, snow);
  const scope = { subscriptionIds: [SUBSCRIPTION], ...extra };
  const env = notificationEnv(
    [
      { name: 'jira', type: 'jira', url: jira.url, secretSetting: 'JIRA', projectKey: 'SEC', ...scope },
      {
        name: 'snow',
        type: 'servicenow',
        url: snow.url,
        secretSetting: 'SNOW',
        closeCode: 'Resolved by change',
        ...scope,
      },
    ],
    { JIRA: JIRA_CREDENTIALS, SNOW: SNOW_CREDENTIALS },
  );
  const store = await freshNotificationStore();
  const clock = new FakeClock(START);
  const deps = {
    store,
    settings: settingsOf(env),
    secrets: settingSecrets(env),
    clock: clock.now,
    random: () => 0.5,
  };
  const history = new RunHistory();
  return {
    jira,
    snow,
    deps,
    clock,
    history,
    async run(result) {
      const events = await history.plan(store, result);
      const { messages } = await enqueueEvents(store, events, deps.settings.destinations, {
        now: clock.now(),
      });
      const stats = await drainQueue(deps, clock, messages);
      expect(stats.outcomes.dead).toBe(0);
      return events.filter(isFindingEvent);
    },
  };
}

const inScope = (result: ScanResult, status: string): string[] =>
  result.findings
    .filter((f) => f.subscriptionId === SUBSCRIPTION && f.status === status)
    .map((f) => dedupeKey(f.clusterId, f.controlId))
    .sort();

function jiraIssueFor(jira: FakeJira, key: string, events: FindingEvent[]) {
  const event = events.find((e) => e.data.dedupeKey === key);
  const summary = event
    ? `[${event.data.controlId}] ${event.data.clusterName}: ${event.data.controlTitle}`
    : '';
  const issues = [...jira.issues.values()].filter((issue) => issue.summary === summary);
  expect(issues).toHaveLength(1);
  return issues[0];
}

describe('tickets per cluster and control', () => {
  it('opens, updates, resolves and reopens exactly one Jira issue and one incident per key', async () => {
    const w = await world();
    const first = sampleRun('previous', START);
    const failing = inScope(first, 'FAIL');
    const tickets = failing.length + inScope(first, 'ERROR').length;
    expect(failing.length).toBeGreaterThan(3);
    const [target, other] = failing;
    if (!target || !other) throw new Error('keys');
    const opened = await w.run(first);
    // The first run opens every FAIL and (complete run) every ERROR.
    expect(opened.filter((e) => e.type === 'finding.opened')).toHaveLength(
      first.findings.filter((f) => f.status === 'FAIL' || f.status === 'ERROR').length,
    );
    expect(w.jira.issues.size).toBe(tickets);
    expect(w.snow.incidents.size).toBe(tickets);
    const issue = jiraIssueFor(w.jira, target, opened);
    expect(issue?.labels).toContain('arc-compliance');
    expect(JSON.stringify(issue?.description)).toMatch(/Remediation/);
    expect(JSON.stringify(issue?.description)).toMatch(/Evidence/);

    // Run 2: the target turns ERROR (update: a comment), the rest stays as it was (no calls).
    w.clock.advance(DAY);
    const callsBefore = w.jira.calls.length;
    const second = deriveRun(first, w.clock.now(), new Map([[target, 'ERROR' as const]]));
    const updated = await w.run(second);
    expect(updated.map((e) => `${e.type} ${e.data.dedupeKey}`)).toEqual([`finding.updated ${target}`]);
    expect(w.jira.calls.slice(callsBefore)).toEqual(['POST comment']);
    expect(issue?.comments.at(-1)).toMatch(/Status changed from FAIL to ERROR/);

    // Run 3: fixed — resolved (Jira Done, ServiceNow state 6 with close code and notes).
    w.clock.advance(DAY);
    const third = deriveRun(second, w.clock.now(), new Map([[target, 'PASS' as const]]));
    expect((await w.run(third)).map((e) => e.type)).toEqual(['finding.resolved']);
    expect(issue?.status).toBe('Done');
    const incident = [...w.snow.incidents.values()].find((i) =>
      i.short_description.includes(issue?.summary.slice(8, 40) ?? '?'),
    );
    expect(incident?.state).toBe('6');
    expect(incident?.close_code).toBe('Resolved by change');
    expect(incident?.close_notes).toMatch(/Resolved in run/);

    // A partial run sees it failing again and sees another key fixed: it neither reopens nor resolves.
    w.clock.advance(DAY);
    const partial = deriveRun(
      third,
      w.clock.now(),
      new Map([
        [target, 'FAIL' as const],
        [other, 'PASS' as const],
      ]),
      { complete: false },
    );
    const partialEvents = await w.run(partial);
    expect(partialEvents.filter((e) => e.data.dedupeKey === target || e.data.dedupeKey === other)).toEqual(
      [],
    );
    expect(issue?.status).toBe('Done');
    expect(jiraIssueFor(w.jira, other, opened)?.status).toBe('To Do');
    expect((await readFindingLedger(w.deps.store, 'none')).get(other)?.state).toBe('open');

    // Run 4, complete: the regression reopens the same issue and incident; nothing is duplicated.
    w.clock.advance(DAY);
    const fourth = deriveRun(third, w.clock.now(), new Map([[target, 'FAIL' as const]]));
    expect((await w.run(fourth)).map((e) => `${e.type} ${e.data.dedupeKey}`)).toEqual([
      `finding.reopened ${target}`,
    ]);
    expect(issue?.status).toBe('To Do');
    expect(issue?.transitions).toEqual(['Done', 'Reopen']);
    expect(issue?.comments).toEqual([
      expect.stringMatching(/Status changed from FAIL to ERROR/),
      expect.stringMatching(/Resolved in run/),
      expect.stringMatching(/Failing again \(FAIL\)/),
    ]);
    expect(incident?.states).toEqual(['1', '6', '2']);
    expect(incident?.work_notes.at(-1)).toMatch(/Failing again/);
    expect(w.jira.issues.size).toBe(tickets);
    expect(w.jira.calls.filter((c) => c === 'POST issue')).toHaveLength(tickets);
    expect(w.snow.calls.filter((c) => c === 'POST incident')).toHaveLength(tickets);
    const records = await createTicketMap(w.deps.store.tables.tickets, 'jira').list();
    expect(records).toHaveLength(tickets);
    expect(new Set(records.map((t) => t.externalKey)).size).toBe(tickets);
    expect(byKey(fourth).get(target)?.status).toBe('FAIL');
  });

  it('never resolves from a partial run, even when such an event reaches a ticketing destination', async () => {
    const w = await world();
    const first = sampleRun('previous', START);
    const opened = await w.run(first);
    const event = opened[0];
    if (!event) throw new Error('no event');
    const forged: FindingEvent = {
      ...event,
      id: eventId(
        '20261120T060000Z-00000000',
        'finding.resolved',
        event.data.clusterId,
        event.data.controlId,
      ),
      type: 'finding.resolved',
      data: {
        ...event.data,
        status: 'PASS',
        run: { id: '20261120T060000Z-00000000', asOf: '2026-11-20T06:00:00.000Z', complete: false },
      },
    };
    const { messages } = await enqueueEvents(w.deps.store, [forged], w.deps.settings.destinations, {
      now: w.clock.now(),
    });
    const outcomes = await Promise.all(messages.map((m) => deliverOutboxEntry(w.deps, m)));
    expect(outcomes.map((o) => o.detail)).toEqual(
      Array(messages.length).fill('a partial run never resolves a ticket'),
    );
    expect([...w.jira.issues.values()].every((issue) => issue.status === 'To Do')).toBe(true);
    expect([...w.snow.incidents.values()].every((incident) => incident.state === '1')).toBe(true);
  });

  it('lets only one of two concurrent deliveries create the ticket for a key (ETag claim)', async () => {
    const w = await world({ subscriptionIds: [] });
    const result = sampleRun('previous', START);
    const events = await w.history.plan(w.deps.store, result);
    const first = events.find(isFindingEvent);
    if (!first) throw new Error('no finding event');
    const twin: FindingEvent = {
      ...first,
      id: `${first.id}.twin`,
      data: { ...first.data, reason: 'seen by another scope' },
    };
    const jiraOnly = w.deps.settings.destinations.filter((d) => d.type === 'jira');
    const { messages } = await enqueueEvents(w.deps.store, [first, twin], jiraOnly, { now: w.clock.now() });
    w.jira.createDelayMs = 1000;
    const outcomes = await Promise.all(messages.map((m) => deliverOutboxEntry(w.deps, m)));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['delivered', 'retry']);
    expect(outcomes.find((o) => o.outcome === 'retry')?.detail).toMatch(
      /another delivery .* creating the ticket|claimed the ticket key first/,
    );
    expect(w.jira.issues.size).toBe(1);
    w.clock.advance(10 * 60_000);
    const stats = await drainQueue(w.deps, w.clock, messages);
    expect(stats.outcomes.dead).toBe(0);
    expect(w.jira.issues.size).toBe(1);
    // Whichever won created the issue; the other commented on it once.
    expect([...w.jira.issues.values()][0]?.comments).toEqual([expect.stringMatching(/^Still FAIL in run/)]);
  });

  it('finds the issue an interrupted creation made instead of creating a second one', async () => {
    const w = await world({ subscriptionIds: [], timeoutSeconds: 1 });
    const events = await w.history.plan(w.deps.store, sampleRun('previous', START));
    const first = events.find(isFindingEvent);
    if (!first) throw new Error('no finding event');
    const jiraOnly = w.deps.settings.destinations.filter((d) => d.type === 'jira');
    const { messages } = await enqueueEvents(w.deps.store, [first], jiraOnly, { now: w.clock.now() });
    const message = messages[0];
    if (!message) throw new Error('no message');
    w.jira.createDelayMs = 1500;
    const timedOut = await deliverOutboxEntry(w.deps, message);
    expect(timedOut, JSON.stringify(timedOut)).toMatchObject({ outcome: 'retry' });
    expect(timedOut.detail).toMatch(/within 1 s/);
    // The issue is made anyway, after the client gave up waiting.
    for (let waited = 0; w.jira.issues.size === 0 && waited < 5000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(w.jira.issues.size).toBe(1);
    w.jira.createDelayMs = 0;
    w.clock.advance(timedOut.retryAfterMs ?? 0);
    const recovered = await deliverOutboxEntry(w.deps, message);
    expect(recovered).toMatchObject({
      outcome: 'delivered',
      detail: 'found SEC-1 from an interrupted creation',
    });
    expect(w.jira.issues.size).toBe(1);
    expect(w.jira.calls).toContain('POST search');
  });

  it('completes a resolution interrupted between its requests without a second transition', async () => {
    const w = await world();
    const first = sampleRun('previous', START);
    const target = inScope(first, 'FAIL')[0] ?? '';
    const opened = await w.run(first);
    w.clock.advance(DAY);
    const issue = jiraIssueFor(w.jira, target, opened);
    let failedOnce = false;
    w.jira.fault = (request) => {
      if (failedOnce || request.method !== 'POST' || !request.path.endsWith('/transitions')) return undefined;
      failedOnce = true;
      return { kind: 'status', status: 502 };
    };
    const events = await w.run(deriveRun(first, w.clock.now(), new Map([[target, 'PASS' as const]])));
    expect(events.map((e) => e.type)).toEqual(['finding.resolved']);
    expect(failedOnce).toBe(true);
    expect(issue?.status).toBe('Done');
    expect(issue?.transitions).toEqual(['Done']);
    expect(issue?.comments).toEqual([expect.stringMatching(/Resolved in run/)]);
  });

  it('ignores an older event that arrives after a newer one for the same key', async () => {
    const w = await world();
    const first = sampleRun('previous', START);
    const target = inScope(first, 'FAIL')[0] ?? '';
    await w.run(first);
    w.clock.advance(DAY);
    const second = deriveRun(first, w.clock.now(), new Map([[target, 'PASS' as const]]));
    const resolved = (await w.history.plan(w.deps.store, second)).filter(isFindingEvent);
    w.clock.advance(DAY);
    const third = deriveRun(second, w.clock.now(), new Map([[target, 'FAIL' as const]]));
    await enqueueEvents(w.deps.store, resolved, w.deps.settings.destinations, { now: w.clock.now() });
    const reopened = (await w.run(third)).filter((e) => e.data.dedupeKey === target);
    expect(reopened.map((e) => e.type)).toEqual(['finding.reopened']);
    const late = resolved.filter((e) => e.data.dedupeKey === target);
    const { messages } = await enqueueEvents(w.deps.store, late, w.deps.settings.destinations, {
      now: w.clock.now(),
    });
    const outcomes = await Promise.all(messages.map((m) => deliverOutboxEntry(w.deps, m)));
    expect(outcomes.map((o) => o.detail)).toEqual(
      Array(2).fill(expect.stringMatching(/^superseded by a later run/)),
    );
    expect([...w.jira.issues.values()].every((issue) => issue.status === 'To Do')).toBe(true);
  });
});
