import { afterEach, describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import { Webhook } from 'standardwebhooks';

import { isFindingEvent } from '../../shared/notifications/events.js';
import { enqueueEvents, listDeadLetters } from '../../shared/notifications/outbox.js';
import { deliverOutboxEntry } from '../../shared/notifications/outboxDelivery.js';
import { signWebhook, webhookBody } from '../../shared/notifications/webhookDestination.js';
import { sampleRun } from '../storage/scanResults.js';
import type { FakeServer } from './fakeHttpServer.js';
import { newWebhookSecret, startTeamsEndpoint, startWebhookReceiver } from './fakeReceivers.js';
import {
  FakeClock,
  drainQueue,
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

async function todaysEvents(store: Awaited<ReturnType<typeof freshNotificationStore>>) {
  const history = new RunHistory();
  history.add(sampleRun('previous', new Date(TODAY.getTime() - 86_400_000)));
  return history.plan(store, sampleRun('current', TODAY));
}

describe('generic webhooks (Standard Webhooks)', () => {
  it('signs with every configured secret during a rotation: a receiver with either key verifies', async () => {
    const [oldSecret, newSecret, unrelated] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    const receivers = await Promise.all(
      [oldSecret, newSecret, unrelated].map((s) => startWebhookReceiver(s)),
    );
    servers.push(...receivers);
    const [withOld, withNew, withOther] = receivers;
    if (!withOld || !withNew || !withOther) throw new Error('receivers');
    const env = notificationEnv(
      receivers.map((receiver, index) => ({
        name: `hook${index}`,
        type: 'webhook',
        url: `${receiver.url}/events`,
        secretSetting: 'HOOK_SECRET',
      })),
      { HOOK_SECRET: `${oldSecret} ${newSecret}` },
    );
    const store = await freshNotificationStore();
    const events = await todaysEvents(store);
    const clock = new FakeClock(TODAY);
    const settings = settingsOf(env);
    const { messages } = await enqueueEvents(store, events, settings.destinations, { now: clock.now() });
    expect(messages).toHaveLength(events.length * 3);
    const stats = await drainQueue(
      { store, settings, secrets: settingSecrets(env), clock: clock.now },
      clock,
      messages,
    );
    expect(stats.outcomes).toEqual({ delivered: events.length * 2, retry: 0, dead: events.length });
    for (const receiver of [withOld, withNew]) {
      expect([...receiver.received.keys()].sort()).toEqual(events.map((event) => event.id).sort());
      expect(receiver.rejected).toBe(0);
    }
    const signature = withOld.requests[0]?.headers['webhook-signature'] ?? '';
    expect(signature.split(' ')).toHaveLength(2);
    expect(signature).toMatch(/^v1,\S+ v1,\S+$/);
    expect(withOther.received.size).toBe(0);
    const dead = await listDeadLetters(store, { destination: 'hook2' });
    expect(dead).toHaveLength(events.length);
    expect(dead[0]?.lastStatusCode).toBe(401);
    expect(dead[0]?.lastError).toMatch(/answered 401: .*No matching signature found/);
    expect(withOther.rejected).toBe(events.length);
    const [firstEvent] = events;
    if (!firstEvent) throw new Error('no events');
    expect(withNew.received.get(firstEvent.id)?.payload).toEqual(JSON.parse(webhookBody(firstEvent)));
    expect(withNew.received.get(firstEvent.id)?.payload.type).toBe('run.completed');
  });

  it('matches the published test vector when signed by hand', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = signWebhook(
      secret,
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(headers['webhook-timestamp']).toBe('1614265330');
    expect(() => new Webhook(secret).verify('{"test": 2432232314}', headers)).toThrow(/too old/);
  });

  it('keeps the webhook-id on retries so the receiver can de-duplicate', async () => {
    const secret = newWebhookSecret();
    const receiver = await startWebhookReceiver(secret);
    servers.push(receiver);
    receiver.fault = (_request, count) => (count === 1 ? { kind: 'status', status: 503 } : undefined);
    const env = notificationEnv([{ name: 'hook', type: 'webhook', url: receiver.url, secretSetting: 'S' }], {
      S: secret,
    });
    const store = await freshNotificationStore();
    const [event] = await todaysEvents(store);
    if (!event) throw new Error('no event');
    const settings = settingsOf(env);
    const clock = new FakeClock(TODAY);
    const { messages } = await enqueueEvents(store, [event], settings.destinations, { now: clock.now() });
    const stats = await drainQueue(
      { store, settings, secrets: settingSecrets(env), clock: clock.now, random: () => 0.5 },
      clock,
      messages,
    );
    expect(stats).toMatchObject({ attempts: 2, outcomes: { delivered: 1, retry: 1, dead: 0 } });
    expect(stats.retryDelays).toEqual([22_500]);
    expect(receiver.requests.map((request) => request.headers['webhook-id'])).toEqual([event.id, event.id]);
    expect(receiver.received.get(event.id)?.count).toBe(1);
  });
});

describe('Microsoft Teams', () => {
  it('posts run summaries and new failures as Adaptive Cards 1.4 to the Workflows URL from a secret', async () => {
    const teams = await startTeamsEndpoint();
    servers.push(teams);
    const env = notificationEnv(
      [{ name: 'teams', type: 'teams', secretSetting: 'TEAMS_URL', minimumSeverity: 'high' }],
      {
        TEAMS_URL: `${teams.url}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=s3cret`,
      },
    );
    const store = await freshNotificationStore();
    const events = await todaysEvents(store);
    const settings = settingsOf(env);
    const clock = new FakeClock(TODAY);
    const { messages } = await enqueueEvents(store, events, settings.destinations, { now: clock.now() });
    const expected = events.filter(
      (event) =>
        event.type === 'run.completed' ||
        (event.type === 'finding.opened' && isFindingEvent(event) && event.data.severity === 'high'),
    );
    expect(messages).toHaveLength(expected.length);
    for (const message of messages)
      expect(
        (
          await deliverOutboxEntry(
            { store, settings, secrets: settingSecrets(env), clock: clock.now },
            message,
          )
        ).outcome,
      ).toBe('delivered');
    expect(teams.cards).toHaveLength(expected.length);
    expect(teams.cards.every((card) => card.version === '1.4')).toBe(true);
    expect(JSON.stringify(teams.cards[0]?.body[0])).toMatch(/Compliance \d+\.\d%/);
    expect(JSON.stringify(teams.cards)).toContain('New failure: [DS-');
    expect(teams.requests[0]?.path).toContain('sig=s3cret');
  });
});
