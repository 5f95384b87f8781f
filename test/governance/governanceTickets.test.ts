import { afterEach, describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import { applyGovernance } from '../../shared/governance/applyGovernance.js';
import type { ActiveRecord } from '../../shared/governance/records.js';
import { dedupeKey, isFindingEvent, type FindingEvent } from '../../shared/notifications/events.js';
import { enqueueEvents } from '../../shared/notifications/outbox.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import type { FakeServer } from '../notifications/fakeHttpServer.js';
import { startFakeJira, startFakeServiceNow } from '../notifications/fakeTicketing.js';
import {
  deriveRun,
  drainQueue,
  FakeClock,
  freshNotificationStore,
  notificationEnv,
  RunHistory,
  settingsOf,
} from '../notifications/notificationHarness.js';
import { sampleRun } from '../storage/scanResults.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const DAY = 86_400_000;
const START = new Date('2026-11-19T06:00:00Z');
const SUBSCRIPTION = 'b77901c8-0e14-551d-b793-41f4cb2fd39c';
const JIRA_CREDENTIALS = 'bot@example.com:jira-token-abcdef';
const SNOW_CREDENTIALS = 'integration:snow-password-123';

/** The run with the records applied, as a scan with governance would have produced it. */
function governed(result: ScanResult, records: ActiveRecord[]): ScanResult {
  const outcome = applyGovernance(result.findings, records, {
    asOf: new Date(result.run.asOf),
    complete: result.run.complete,
  });
  return {
    ...result,
    run: {
      ...result.run,
      effectiveCounts: outcome.effectiveCounts,
      effectiveScore: outcome.effectiveScore,
      governance: outcome.governance,
    },
    findings: outcome.findings,
  };
}

describe('tickets and exceptions (Jira and ServiceNow fakes)', () => {
  it('an excepted finding opens no ticket; an open one is closed as accepted risk and reopened when the exception expires', async () => {
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
    const run = async (result: ScanResult): Promise<FindingEvent[]> => {
      const events = await history.plan(store, result);
      const { messages } = await enqueueEvents(store, events, deps.settings.destinations, {
        now: clock.now(),
      });
      const stats = await drainQueue(deps, clock, messages);
      expect(stats.outcomes.dead).toBe(0);
      return events.filter(isFindingEvent);
    };

    const first = sampleRun('previous', START);
    const failing = first.findings.filter((f) => f.subscriptionId === SUBSCRIPTION && f.status === 'FAIL');
    const passing = first.findings.filter((f) => f.subscriptionId === SUBSCRIPTION && f.status === 'PASS');
    const target = failing[0];
    const fresh = passing.find((f) => f.controlId !== target?.controlId);
    if (!target || !fresh) throw new Error('the sample has failing and passing findings');
    const targetKey = dedupeKey(target.clusterId, target.controlId);
    const freshKey = dedupeKey(fresh.clusterId, fresh.controlId);
    await run(first);
    const issuesAfterFirst = jira.issues.size;
    const issue = [...jira.issues.values()].find((i) =>
      i.summary.includes(`[${target.controlId}] ${target.clusterName}:`),
    );
    expect(issue?.status).toBe('To Do');

    const expires = new Date(START.getTime() + 10 * DAY).toISOString();
    const records: ActiveRecord[] = [
      {
        approval: 'approved',
        record: {
          kind: 'exception',
          id: 'EXC-T-1',
          controlId: target.controlId,
          scope: { clusters: [target.clusterId] },
          owner: 'Store platform team',
          justification: 'Replacement hardware arrives in January',
          ticket: 'STORE-9',
          expires,
        },
      },
      {
        approval: 'approved',
        record: {
          kind: 'exception',
          id: 'EXC-T-2',
          controlId: fresh.controlId,
          scope: { clusters: [fresh.clusterId] },
          owner: 'Store platform team',
          justification: 'Known regression accepted for the pilot',
          expires,
        },
      },
    ];

    // Run 2: the target is excepted (its open tickets close as accepted risk); the fresh key starts
    // failing but is excepted at once (no ticket is opened).
    clock.advance(DAY);
    const second = governed(deriveRun(first, clock.now(), new Map([[freshKey, 'FAIL' as const]])), records);
    const events = await run(second);
    const closing = events.find((e) => e.data.dedupeKey === targetKey);
    expect(closing?.type).toBe('finding.resolved');
    expect(closing?.data.acceptedRisk).toMatchObject({
      exceptionId: 'EXC-T-1',
      owner: 'Store platform team',
      ticket: 'STORE-9',
      expires,
    });
    expect(events.some((e) => e.data.dedupeKey === freshKey)).toBe(false);
    expect(jira.issues.size).toBe(issuesAfterFirst);
    expect(issue?.status).toBe('Done');
    expect(issue?.comments.at(-1)).toMatch(
      /Closed as accepted risk .* exception EXC-T-1, owner Store platform team, expires/,
    );
    expect(issue?.comments.at(-1)).toContain('Replacement hardware arrives in January');
    const incident = [...snow.incidents.values()].find(
      (i) =>
        i.short_description.includes(`${target.clusterName}`) &&
        i.short_description.includes(target.controlId),
    );
    expect(incident?.state).toBe('6');
    expect(incident?.close_notes).toMatch(/accepted risk/);

    // Run 3: still excepted, still failing: nothing happens.
    clock.advance(DAY);
    const third = governed(deriveRun(second, clock.now(), new Map()), records);
    expect(
      (await run(third)).filter((e) => e.data.dedupeKey === targetKey || e.data.dedupeKey === freshKey),
    ).toEqual([]);

    // Run 4: the exception has expired; the finding still fails, so its ticket reopens, and the
    // fresh key, never ticketed, opens now.
    clock.advance(10 * DAY);
    const fourth = governed(deriveRun(third, clock.now(), new Map()), records);
    expect(fourth.run.governance?.map((g) => g.state)).toEqual(['expired', 'expired']);
    const after = await run(fourth);
    expect(after.find((e) => e.data.dedupeKey === targetKey)?.type).toBe('finding.reopened');
    expect(after.find((e) => e.data.dedupeKey === freshKey)?.type).toBe('finding.opened');
    expect(issue?.status).toBe('To Do');
    expect(incident?.state).not.toBe('6');
  }, 120_000);
});
