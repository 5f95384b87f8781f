import type { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import type { OutboundPolicy, Resolver } from '../../shared/notifications/outboundGuard.js';
import { enqueueEvents } from '../../shared/notifications/outbox.js';
import { deliverOutboxEntry } from '../../shared/notifications/outboxDelivery.js';
import { createSafeHttpClient, TransportError } from '../../shared/notifications/safeHttpClient.js';
import { sendReportEmail } from '../../shared/notifications/reportEmail.js';
import { sampleRun } from '../storage/scanResults.js';
import { startFakeServer, type FakeServer } from './fakeHttpServer.js';
import { newWebhookSecret } from './fakeReceivers.js';
import {
  FakeClock,
  freshNotificationStore,
  notificationEnv,
  RunHistory,
  settingsOf,
} from './notificationHarness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function receiver(tls = false): Promise<FakeServer> {
  const server = await startFakeServer(() => ({ status: 200, body: '{"ok":true}' }), { tls });
  cleanups.push(() => server.close());
  return server;
}

/** Answers every name with the given addresses, in that order (the receivers listen on 127.0.0.1 only). */
function resolverOf(addresses: string[]): Resolver & { lookups: number } {
  const resolve = Object.assign(
    async () => {
      resolve.lookups++;
      return addresses.map((address) => ({ address, family: 4 as const }));
    },
    { lookups: 0 },
  );
  return resolve;
}

function policy(resolve: Resolver, hosts: string[]): OutboundPolicy {
  return { allowHttpLoopback: true, allowedHosts: new Set(hosts), resolve };
}

const post = (url: string) => ({
  method: 'POST' as const,
  url,
  body: '{}',
  timeoutMs: 3000,
  maxResponseBytes: 65_536,
});

describe('every resolved address is tried before an attempt fails', () => {
  it('reaches the receiver at the third address when the first two refuse the connection', async () => {
    const server = await receiver();
    const resolve = resolverOf(['127.0.0.2', '127.0.0.3', '127.0.0.1']);
    const request = createSafeHttpClient(policy(resolve, ['hooks.test']));
    const response = await request(post(`http://hooks.test:${server.port}/in`));
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.host).toBe(`hooks.test:${server.port}`);
    expect(resolve.lookups).toBe(1);
  });

  it('fails, naming every address, only when none can be reached', async () => {
    const server = await receiver();
    const request = createSafeHttpClient(policy(resolverOf(['127.0.0.2', '127.0.0.3']), ['hooks.test']));
    const failure = await request(post(`http://hooks.test:${server.port}/in?sig=secret`)).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TransportError);
    expect((failure as TransportError).kind).toBe('network');
    expect((failure as Error).message).toMatch(
      /^http:\/\/hooks\.test:\d+\/in\?…: no address could be reached \(127\.0\.0\.2 ECONNREFUSED; 127\.0\.0\.3 ECONNREFUSED\)$/,
    );
    expect((failure as Error).message).not.toContain('secret');
    expect(server.requests).toHaveLength(0);
  });

  it('never sends again to another address once a connection was made (no duplicate delivery)', async () => {
    const server = await receiver();
    server.fault = () => ({ kind: 'reset' });
    const request = createSafeHttpClient(policy(resolverOf(['127.0.0.1', '127.0.0.2']), ['hooks.test']));
    const failure = await request(post(`http://hooks.test:${server.port}/in`)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransportError);
    expect((failure as Error).message).not.toMatch(/no address could be reached|127\.0\.0\.2/);
    expect(server.requests).toHaveLength(1);
  });

  it('moves on from an address that does not answer within its share of the deadline (https)', async () => {
    const server = await receiver(true);
    // 10.255.255.1 is not routed here: the connection either fails at once or never answers.
    const request = createSafeHttpClient(policy(resolverOf(['10.255.255.1', '127.0.0.1']), ['localhost']));
    const started = Date.now();
    const response = await request({ ...post(`https://localhost:${server.port}/in`), timeoutMs: 2000 });
    expect(response.status).toBe(200);
    expect(server.requests[0]?.servername).toBe('localhost');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('delivers an outbox entry in ONE attempt when the first address of the destination is unreachable', async () => {
    const server = await receiver();
    const env = notificationEnv(
      [
        {
          name: 'hook',
          type: 'webhook',
          url: `http://hooks.test:${server.port}/events`,
          secretSetting: 'HOOK_SECRET',
        },
      ],
      { HOOK_SECRET: newWebhookSecret(), NOTIFICATIONS_ALLOWED_HOSTS: 'hooks.test' },
    );
    const store = await freshNotificationStore();
    const clock = new FakeClock(new Date('2026-11-20T06:00:00Z'));
    const events = await new RunHistory().plan(store, sampleRun('current', clock.now()));
    const settings = settingsOf(env);
    const { messages } = await enqueueEvents(store, events.slice(0, 1), settings.destinations, {
      now: clock.now(),
    });
    const [message] = messages;
    if (!message) throw new Error('no message');
    const outcome = await deliverOutboxEntry(
      {
        store,
        settings,
        secrets: settingSecrets(env),
        clock: clock.now,
        resolve: resolverOf(['127.0.0.2', '127.0.0.1']),
      },
      message,
    );
    expect(outcome).toMatchObject({ outcome: 'delivered', attempted: true, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('sends the report e-mail through the second address of the SMTP host when the first refuses', async () => {
    let received = 0;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          received++;
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
    const port = (smtp.server.address() as AddressInfo).port;
    const env = {
      SMTP_HOST: 'localhost',
      SMTP_PORT: String(port),
      SMTP_REQUIRE_TLS: 'false',
      SMTP_TIMEOUT_SECONDS: '5',
      REPORT_EMAIL_FROM: 'compliance@example.com',
      REPORT_EMAIL_TO: 'ciso@example.com',
      NOTIFICATIONS_ALLOWED_HOSTS: 'localhost',
    };
    const summary = { score: 0.5, previousScore: null, newlyFailing: 0, resolved: 0, complete: true };
    const content = { html: '<p>report</p>', summary };
    const result = await sendReportEmail(settingsOf(env), settingSecrets(env), content, {
      resolve: resolverOf(['127.0.0.2', '127.0.0.1']),
    });
    expect(result.accepted).toEqual(['ciso@example.com']);
    expect(received).toBe(1);
    await expect(
      sendReportEmail(settingsOf(env), settingSecrets(env), content, {
        resolve: resolverOf(['127.0.0.2', '127.0.0.3']),
      }),
    ).rejects.toThrow(/smtp:\/\/localhost:\d+: no address could be reached \(127\.0\.0\.2 .*; 127\.0\.0\.3 /);
  });
});
