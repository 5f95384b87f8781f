import { afterEach, describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import { dedupeKey, isFindingEvent, type FindingEvent } from '../../shared/notifications/events.js';
import { readFindingLedger } from '../../shared/notifications/findingLedger.js';
import { parseNotificationSettings } from '../../shared/notifications/notificationSettings.js';
import { enqueueEvents } from '../../shared/notifications/outbox.js';
import { planEvents, type LedgerEntry } from '../../shared/notifications/planEvents.js';
import { planRunEvents } from '../../shared/notifications/planRunEvents.js';
import { dedupeTag } from '../../shared/notifications/ticketText.js';
import { memorySource } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { sampleRun } from '../storage/scanResults.js';
import type { FakeServer } from './fakeHttpServer.js';
import { startFakeJira, startFakeServiceNow, type FakeJira, type FakeServiceNow } from './fakeTicketing.js';
import {
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
const SCOPE = `subscriptions:${SUBSCRIPTION}`;

async function world(extraEnv: Record<string, string> = {}) {
  const jira = await startFakeJira(JIRA_CREDENTIALS);
  const snow = await startFakeServiceNow(SNOW_CREDENTIALS);
  servers.push(jira, snow);
  const scope = { subscriptionIds: [SUBSCRIPTION] };
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
    { JIRA: JIRA_CREDENTIALS, SNOW: SNOW_CREDENTIALS, ...extraEnv },
  );
  const store = await freshNotificationStore();
  const clock = new FakeClock(START);
  const settings = settingsOf(env);
  const deps = { store, settings, secrets: settingSecrets(env), clock: clock.now, random: () => 0.5 };
  const histories = new Map<string, RunHistory>();
  /** Plans a run of a scope as notifyRun does, enqueues and delivers it; returns its finding events. */
  async function run(result: ScanResult, scopeKey = SCOPE): Promise<FindingEvent[]> {
    const history = histories.get(scopeKey) ?? new RunHistory();
    histories.set(scopeKey, history);
    const changes = history.add(result);
    const events = await planRunEvents(store, {
      run: result.run,
      changes,
      trend: history.trend,
      source: memorySource(result),
      scopeKey,
      removedAfterRuns: settings.closeRemovedAfterRuns,
    });
    const { messages } = await enqueueEvents(store, events, settings.destinations, {
      now: clock.now(),
      scopeKey,
    });
    const stats = await drainQueue(deps, clock, messages);
    expect(stats.outcomes.dead).toBe(0);
    return events.filter(isFindingEvent);
  }
  return { jira, snow, store, clock, settings, run };
}

/** The run without one cluster (as if it was deleted), at a new time. */
function without(base: ScanResult, clusterId: string, asOf: Date, complete = true): ScanResult {
  const next = deriveRun(base, asOf, new Map(), { complete });
  const gone = clusterId.toLowerCase();
  return {
    ...next,
    clusters: next.clusters.filter((cluster) => cluster.id.toLowerCase() !== gone),
    findings: next.findings.filter((finding) => finding.clusterId.toLowerCase() !== gone),
  };
}

function ticketsOf(jira: FakeJira, snow: FakeServiceNow, key: string) {
  const tag = dedupeTag(key);
  const issues = [...jira.issues.values()].filter((issue) => issue.labels.includes(tag));
  const incidents = [...snow.incidents.values()].filter((incident) => incident.correlation_id === tag);
  expect(issues, key).toHaveLength(1);
  expect(incidents, key).toHaveLength(1);
  return { issue: issues[0], incident: incidents[0] };
}

/** A cluster of the subscription with at least two FAIL findings, and its open keys. */
function failingCluster(result: ScanResult): { clusterId: string; keys: string[] } {
  const inScope = result.findings.filter(
    (f) => f.subscriptionId === SUBSCRIPTION && (f.status === 'FAIL' || f.status === 'ERROR'),
  );
  const counts = new Map<string, number>();
  for (const finding of inScope) counts.set(finding.clusterId, (counts.get(finding.clusterId) ?? 0) + 1);
  const clusterId = [...counts.entries()].find(([, count]) => count >= 2)?.[0];
  if (!clusterId) throw new Error('no cluster with two failing findings');
  return {
    clusterId,
    keys: inScope
      .filter((f) => f.clusterId === clusterId)
      .map((f) => dedupeKey(f.clusterId, f.controlId))
      .sort(),
  };
}

describe('tickets of a cluster removed from the inventory', () => {
  it('reads NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS (default 3) and refuses nonsense', () => {
    expect(parseNotificationSettings({}).closeRemovedAfterRuns).toBe(3);
    expect(
      parseNotificationSettings({ NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS: '5' }).closeRemovedAfterRuns,
    ).toBe(5);
    for (const bad of ['0', '-2', 'three', '2.5', '1000'])
      expect(() => parseNotificationSettings({ NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS: bad }), bad).toThrow(
        /NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS/,
      );
  });

  it('closes them after 3 consecutive complete runs of the scope without it, and reopens them when it returns failing', async () => {
    const w = await world();
    const first = sampleRun('previous', START);
    const { clusterId, keys } = failingCluster(first);
    await w.run(first);
    for (const key of keys) {
      const { issue, incident } = ticketsOf(w.jira, w.snow, key);
      expect(issue?.status).toBe('To Do');
      expect(incident?.state).toBe('1');
    }
    const ticketCalls = () => w.jira.calls.length + w.snow.calls.length;

    // Two complete runs without the cluster, a partial one in between, and five complete runs of
    // another scope: nothing is closed yet.
    for (const [index, complete] of [true, false, true].entries()) {
      w.clock.advance(DAY);
      const events = await w.run(without(first, clusterId, w.clock.now(), complete));
      expect(
        events.filter((e) => keys.includes(e.data.dedupeKey)),
        `run ${index}`,
      ).toEqual([]);
    }
    for (let i = 0; i < 5; i++) {
      w.clock.advance(60_000);
      await w.run(without(first, clusterId, w.clock.now()), 'tenant');
    }
    const ledger = await readFindingLedger(w.store, 'none');
    for (const key of keys) {
      expect(ledger.get(key)).toMatchObject({ state: 'open', absentRuns: 2 });
      const { issue, incident } = ticketsOf(w.jira, w.snow, key);
      expect(issue?.status).toBe('To Do');
      expect(incident?.state).toBe('1');
    }

    // The third complete run of the scope without it closes every open ticket of the cluster.
    w.clock.advance(DAY);
    const third = without(first, clusterId, w.clock.now());
    const closing = await w.run(third);
    expect(closing.map((e) => `${e.type} ${e.data.dedupeKey}`).sort()).toEqual(
      keys.map((key) => `finding.resolved ${key}`),
    );
    for (const event of closing) {
      expect(event.data).toMatchObject({ removed: true, status: 'NOT_APPLICABLE', clusterId });
      expect(event.data.reason).toMatch(
        /^Cluster removed from the inventory: not seen in the last 3 complete runs/,
      );
    }
    for (const key of keys) {
      const { issue, incident } = ticketsOf(w.jira, w.snow, key);
      expect(issue?.status).toBe('Done');
      expect(issue?.comments.at(-1)).toMatch(/Cluster removed from the inventory/);
      expect(incident?.state).toBe('6');
      expect(incident?.close_notes).toMatch(/Cluster removed from the inventory/);
    }
    // Planning that run again (a retry, reading it one cluster per part) gives the same events and
    // calls nobody.
    const callsAfterClosing = ticketCalls();
    const again = await planRunEvents(w.store, {
      run: third.run,
      changes: new RunHistory().add(third),
      source: memorySource(third, 1),
      scopeKey: SCOPE,
      removedAfterRuns: 3,
    });
    expect(
      again
        .filter(isFindingEvent)
        .filter((e) => e.data.removed)
        .map((e) => e.id)
        .sort(),
    ).toEqual(closing.map((e) => e.id).sort());
    // A fourth run without it changes nothing more.
    w.clock.advance(DAY);
    expect(await w.run(without(first, clusterId, w.clock.now()))).toEqual([]);
    expect(ticketCalls()).toBe(callsAfterClosing);

    // It comes back: the keys still failing reopen the same tickets; one fixed meanwhile stays closed.
    w.clock.advance(DAY);
    const [fixed, ...stillFailing] = keys;
    if (!fixed) throw new Error('keys');
    const back = deriveRun(first, w.clock.now(), new Map([[fixed, 'PASS' as const]]));
    const returned = await w.run(back);
    expect(returned.map((e) => `${e.type} ${e.data.dedupeKey}`).sort()).toEqual(
      stillFailing.map((key) => `finding.reopened ${key}`),
    );
    for (const key of stillFailing) {
      const { issue, incident } = ticketsOf(w.jira, w.snow, key);
      expect(issue?.status).toBe('To Do');
      expect(issue?.transitions).toEqual(['Done', 'Reopen']);
      expect(incident?.states).toEqual(['1', '6', '2']);
    }
    expect(ticketsOf(w.jira, w.snow, fixed).issue?.status).toBe('Done');
    const after = await readFindingLedger(w.store, 'none');
    for (const key of keys) expect(after.get(key)?.absentRuns).toBe(0);
  }, 60_000);

  it('counts a cluster whose ID changes case between runs as present: nothing closed, no second ticket', async () => {
    const w = await world({ NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS: '1' });
    const first = sampleRun('previous', START);
    const { clusterId, keys } = failingCluster(first);
    await w.run(first);
    const callsBefore = w.jira.calls.length + w.snow.calls.length;
    for (const recase of [(id: string) => id.toUpperCase(), (id: string) => id.toLowerCase()]) {
      w.clock.advance(DAY);
      const next = deriveRun(first, w.clock.now(), new Map());
      const recased: ScanResult = {
        ...next,
        clusters: next.clusters.map((c) => (c.id === clusterId ? { ...c, id: recase(c.id) } : c)),
        findings: next.findings.map((f) =>
          f.clusterId === clusterId ? { ...f, clusterId: recase(f.clusterId) } : f,
        ),
      };
      const events = await w.run(recased);
      expect(events.filter((e) => keys.includes(e.data.dedupeKey))).toEqual([]);
    }
    for (const key of keys) {
      const { issue, incident } = ticketsOf(w.jira, w.snow, key);
      expect(issue?.status).toBe('To Do');
      expect(incident?.state).toBe('1');
    }
    expect(w.jira.calls.length + w.snow.calls.length).toBe(callsBefore);
    const ledger = await readFindingLedger(w.store, 'none');
    for (const key of keys) expect(ledger.get(key)).toMatchObject({ state: 'open', absentRuns: 0 });
  }, 60_000);

  it('closes after one run when the setting says 1, leaving the tickets of other clusters alone', async () => {
    const w = await world({ NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS: '1' });
    const first = sampleRun('previous', START);
    const { clusterId, keys } = failingCluster(first);
    const other = failingCluster({
      ...first,
      findings: first.findings.filter((f) => f.clusterId !== clusterId),
    });
    await w.run(first);
    w.clock.advance(DAY);
    const closing = await w.run(without(first, clusterId, w.clock.now()));
    expect(
      closing
        .filter((e) => e.data.removed)
        .map((e) => e.data.dedupeKey)
        .sort(),
    ).toEqual(keys);
    expect(closing.filter((e) => other.keys.includes(e.data.dedupeKey))).toEqual([]);
  }, 60_000);

  it('never closes from a partial run or without a ledger entry that is open (pure planning)', () => {
    const first = sampleRun('previous', START);
    const { clusterId, keys } = failingCluster(first);
    const partial = without(first, clusterId, new Date(START.getTime() + DAY), false);
    const ledger = new Map<string, LedgerEntry>(
      keys.map((key) => [
        key,
        {
          state: 'open' as const,
          status: 'FAIL' as const,
          clusterId,
          controlId: key.split('|')[1],
          absentRuns: 9,
        },
      ]),
    );
    const plan = (result: ScanResult, entries: ReadonlyMap<string, LedgerEntry>) =>
      planEvents({
        run: result.run,
        changes: new RunHistory().add(result),
        findings: result.findings,
        ledger: entries,
        removedAfterRuns: 3,
      }).filter(isFindingEvent);
    expect(plan(partial, ledger).filter((e) => e.data.removed)).toEqual([]);
    const complete = without(first, clusterId, new Date(START.getTime() + DAY));
    expect(plan(complete, ledger).filter((e) => e.data.removed)).toHaveLength(keys.length);
    const resolved = new Map(
      [...ledger].map(([key, entry]) => [key, { ...entry, state: 'resolved' as const }]),
    );
    expect(plan(complete, resolved).filter((e) => e.data.removed)).toEqual([]);
    const fewer = new Map([...ledger].map(([key, entry]) => [key, { ...entry, absentRuns: 2 }]));
    expect(plan(complete, fewer).filter((e) => e.data.removed)).toEqual([]);
    // A corrupt ledger row (unknown control) is skipped, never thrown on.
    const corrupt = new Map([
      [
        'x|DS-99',
        {
          state: 'open' as const,
          status: 'FAIL' as const,
          clusterId: 'x',
          controlId: 'DS-99',
          absentRuns: 9,
        },
      ],
    ]);
    expect(plan(complete, corrupt).filter((e) => e.data.removed)).toEqual([]);
  });
});
