import { afterEach, describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import type { NotificationEvent } from '../../shared/notifications/events.js';
import {
  enqueueEvents,
  listDeadLetters,
  listPendingOutbox,
  parseOutboxMessage,
  readOutboxEntry,
  requeueDeadLetter,
} from '../../shared/notifications/outbox.js';
import { deliverOutboxEntry, type DeliveryDeps } from '../../shared/notifications/outboxDelivery.js';
import { sampleRun } from '../storage/scanResults.js';
import { startFakeServer, type FakeServer } from './fakeHttpServer.js';
import { newWebhookSecret, startWebhookReceiver, type WebhookReceiver } from './fakeReceivers.js';
import {
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

const TODAY = new Date('2026-11-20T06:00:00Z');
const SECRET = newWebhookSecret();

async function setup(
  destinations: (receiver: WebhookReceiver) => unknown[],
  extra: Record<string, string> = {},
): Promise<{
  receiver: WebhookReceiver;
  deps: DeliveryDeps & { clock: () => Date };
  clock: FakeClock;
  events: NotificationEvent[];
}> {
  const receiver = await startWebhookReceiver(SECRET);
  servers.push(receiver);
  const env = notificationEnv(destinations(receiver), { HOOK_SECRET: SECRET, ...extra });
  const store = await freshNotificationStore();
  const history = new RunHistory();
  history.add(sampleRun('previous', new Date(TODAY.getTime() - 86_400_000)));
  const events = await history.plan(store, sampleRun('current', TODAY));
  const clock = new FakeClock(TODAY);
  return {
    receiver,
    clock,
    events,
    deps: {
      store,
      settings: settingsOf(env),
      secrets: settingSecrets(env),
      clock: clock.now,
      random: () => 1,
    },
  };
}

const hook = (receiver: FakeServer, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'hook',
  type: 'webhook',
  url: `${receiver.url}/in`,
  secretSetting: 'HOOK_SECRET',
  ...extra,
});

describe('the outbox', () => {
  it('writes one entry per event and destination that takes it, idempotently on event ID', async () => {
    const { deps, events, clock } = await setup((receiver) => [
      hook(receiver),
      hook(receiver, {
        name: 'high-only',
        minimumSeverity: 'high',
        events: ['finding.opened', 'finding.resolved'],
      }),
      hook(receiver, {
        name: 'one-subscription',
        subscriptionIds: ['b77901c8-0e14-551d-b793-41f4cb2fd39c'],
        clusterKinds: ['arc'],
      }),
    ]);
    const first = await enqueueEvents(deps.store, events, deps.settings.destinations, { now: clock.now() });
    const findings = events.filter((event) => event.type.startsWith('finding.'));
    const high = findings.filter((event) => (event.data as { severity: string }).severity === 'high');
    const scoped = findings.filter((event) => {
      const data = event.data as { subscriptionId: string; clusterKind: string };
      return data.subscriptionId === 'b77901c8-0e14-551d-b793-41f4cb2fd39c' && data.clusterKind === 'arc';
    });
    expect(first.created).toBe(events.length + high.length + 1 + scoped.length);
    expect(first.messages).toHaveLength(first.created);
    const again = await enqueueEvents(deps.store, events, deps.settings.destinations, { now: clock.now() });
    expect(again).toMatchObject({ created: 0, existing: first.created, ledgerRowsWritten: 0 });
    expect(again.messages).toEqual(first.messages);
    const message = first.messages[0];
    if (!message) throw new Error('no message');
    expect(parseOutboxMessage(JSON.stringify(message))).toEqual(message);
    expect(() => parseOutboxMessage({ outboxPartition: 'a/b', outboxRow: 'x' })).toThrow(
      /not a valid Table Storage key/,
    );
    expect(await deliverOutboxEntry(deps, message)).toMatchObject({
      outcome: 'delivered',
      attempted: true,
      attempts: 1,
    });
    const third = await enqueueEvents(deps.store, events, deps.settings.destinations, { now: clock.now() });
    expect(third.messages).toHaveLength(first.created - 1);
    expect(await deliverOutboxEntry(deps, message)).toMatchObject({ outcome: 'delivered', attempted: false });
    expect(await listPendingOutbox(deps.store, { destination: 'high-only' })).toHaveLength(high.length);
  });

  it('retries 500 with backoff, honours 429 Retry-After, refuses early messages, then delivers', async () => {
    const { deps, events, clock, receiver } = await setup((r) => [hook(r)]);
    const event = events[0];
    if (!event) throw new Error('no event');
    const { messages } = await enqueueEvents(deps.store, [event], deps.settings.destinations, {
      now: clock.now(),
    });
    const message = messages[0];
    if (!message) throw new Error('no message');
    receiver.fault = (_request, count) =>
      count === 1
        ? { kind: 'status', status: 500, body: 'boom' }
        : count === 2
          ? { kind: 'status', status: 429, headers: { 'retry-after': '120' } }
          : undefined;
    const first = await deliverOutboxEntry(deps, message);
    expect(first).toMatchObject({ outcome: 'retry', retryAfterMs: 30_000, attempts: 1 });
    expect(first.detail).toMatch(/answered 500: boom/);
    const early = await deliverOutboxEntry(deps, message);
    expect(early).toMatchObject({
      outcome: 'retry',
      retryAfterMs: 30_000,
      attempted: false,
      detail: 'not due yet',
    });
    expect(receiver.requests).toHaveLength(1);
    clock.advance(30_000);
    const throttled = await deliverOutboxEntry(deps, message);
    expect(throttled).toMatchObject({ outcome: 'retry', retryAfterMs: 120_000, attempts: 2 });
    const stored = await readOutboxEntry(deps.store, message);
    expect(stored?.entry).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 429 });
    expect(stored?.entry.nextAttemptAt).toBe(new Date(clock.now().getTime() + 120_000).toISOString());
    clock.advance(120_000);
    expect(await deliverOutboxEntry(deps, message)).toMatchObject({ outcome: 'delivered', attempts: 3 });
    expect(receiver.received.get(event.id)?.count).toBe(1);
    expect((await readOutboxEntry(deps.store, message))?.entry).toMatchObject({
      status: 'delivered',
      lastError: '',
    });
  });

  it('dead-letters after the attempt limit, lists it, and can put it back', async () => {
    const { deps, events, clock, receiver } = await setup((r) => [hook(r)], {
      NOTIFICATIONS_MAX_ATTEMPTS: '3',
    });
    const { messages } = await enqueueEvents(deps.store, events.slice(0, 1), deps.settings.destinations, {
      now: clock.now(),
    });
    const message = messages[0];
    if (!message) throw new Error('no message');
    receiver.fault = () => ({ kind: 'reset' });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await deliverOutboxEntry(deps, message);
      if (i < 2) {
        expect(outcome.outcome).toBe('retry');
        delays.push(outcome.retryAfterMs ?? 0);
        clock.advance(outcome.retryAfterMs ?? 0);
      } else expect(outcome).toMatchObject({ outcome: 'dead', attempts: 3 });
    }
    expect(delays).toEqual([30_000, 60_000]);
    const dead = await listDeadLetters(deps.store);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      status: 'dead',
      attempts: 3,
      destination: 'hook',
      eventId: events[0]?.id,
    });
    expect(dead[0]?.lastError).toMatch(/ECONNRESET|socket hang up/);
    expect(dead[0]?.detail).toBe('gave up after 3 attempts');
    expect(await deliverOutboxEntry(deps, message)).toMatchObject({ outcome: 'dead', attempted: false });
    receiver.fault = undefined;
    expect(await requeueDeadLetter(deps.store, message, clock.now())).toBe(true);
    expect(await deliverOutboxEntry(deps, message)).toMatchObject({ outcome: 'delivered', attempts: 1 });
    expect(await listDeadLetters(deps.store)).toHaveLength(0);
  });

  it('fails for good at once on a 4xx, and never stores the secret a receiver echoes', async () => {
    const credentials = 'bot@example.com:jira-api-token-0123456789';
    const echo = await startFakeServer((request) => ({
      status: 400,
      body: JSON.stringify({ error: 'bad', youSent: request.headers.authorization, raw: credentials }),
    }));
    servers.push(echo);
    const { deps, events, clock } = await setup(
      () => [{ name: 'jira', type: 'jira', url: echo.url, secretSetting: 'JIRA', projectKey: 'SEC' }],
      { JIRA: credentials },
    );
    const finding = events.find((event) => event.type === 'finding.opened');
    if (!finding) throw new Error('no finding event');
    const { messages } = await enqueueEvents(deps.store, [finding], deps.settings.destinations, {
      now: clock.now(),
    });
    const outcome = await deliverOutboxEntry(deps, messages[0] ?? { outboxPartition: '', outboxRow: '' });
    expect(outcome).toMatchObject({ outcome: 'dead', attempts: 1 });
    const [dead] = await listDeadLetters(deps.store);
    expect(dead?.lastStatusCode).toBe(400);
    expect(dead?.detail).toBe('failed for good');
    expect(dead?.lastError).toContain('answered 400');
    for (const leaked of ['jira-api-token-0123456789', Buffer.from(credentials).toString('base64')])
      expect(JSON.stringify(dead)).not.toContain(leaked);
  });

  it('a hanging receiver times out and never holds up another destination', async () => {
    const slow = await startFakeServer(() => ({ status: 204 }));
    servers.push(slow);
    slow.fault = () => ({ kind: 'hang' });
    const { deps, events, clock, receiver } = await setup((r) => [
      hook(r, { name: 'fast' }),
      hook(slow, { name: 'slow', timeoutSeconds: 2 }),
    ]);
    const { messages } = await enqueueEvents(deps.store, events.slice(0, 1), deps.settings.destinations, {
      now: clock.now(),
    });
    const started = Date.now();
    const finished: Record<string, number> = {};
    const outcomes = await Promise.all(
      messages.map(async (message) => {
        const outcome = await deliverOutboxEntry(deps, message);
        finished[message.outboxPartition] = Date.now() - started;
        return outcome;
      }),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['delivered', 'retry']);
    expect(finished.fast).toBeLessThan(1500);
    expect(finished.slow).toBeGreaterThanOrEqual(1950);
    expect(outcomes.find((o) => o.outcome === 'retry')?.detail).toMatch(/no response from .* within 2 s/);
    expect(receiver.received.size).toBe(1);
  });

  it('dead-letters entries of a destination no longer configured, and retries a missing secret', async () => {
    const { deps, events, clock } = await setup((r) => [hook(r)]);
    const { messages } = await enqueueEvents(deps.store, events.slice(0, 2), deps.settings.destinations, {
      now: clock.now(),
    });
    const [first, second] = messages;
    if (!first || !second) throw new Error('messages');
    const withoutSecret = { ...deps, secrets: settingSecrets({ HOOK_SECRET: '' }) };
    const missing = await deliverOutboxEntry(withoutSecret, first);
    expect(missing).toMatchObject({ outcome: 'retry', detail: 'the secret setting HOOK_SECRET is not set' });
    const removed = await deliverOutboxEntry(
      { ...deps, settings: { ...deps.settings, destinations: [] } },
      second,
    );
    expect(removed).toMatchObject({ outcome: 'dead', detail: 'destination hook is no longer configured' });
    expect(await deliverOutboxEntry(deps, { outboxPartition: 'hook', outboxRow: 'nope' })).toMatchObject({
      outcome: 'dead',
      detail: 'no such outbox entry',
    });
  });
});
