import { randomBytes } from 'node:crypto';

import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { deliverNotification } from '../../functions/deliverNotifications.js';
import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import { startScan } from '../../shared/fanout/scanApplication.js';
import { AS_OF } from '../collection/liveScanHarness.js';
import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import {
  newWebhookSecret,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../notifications/fakeReceivers.js';
import { startWorkers } from './queueWorkers.js';
import { readRun } from '../../shared/storage/runReads.js';

describe('the Functions app hands finalized runs to notifications', () => {
  const fleet = syntheticFleet({ clusters: 40, subscriptions: 4 });
  let fake: FakeArm;
  let receiver: WebhookReceiver;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeArm({ resources: fleet.resources });
    const secret = newWebhookSecret();
    receiver = await startWebhookReceiver(secret);
    const suffix = randomBytes(4).toString('hex');
    env = {
      ...fake.env,
      AzureWebJobsStorage: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `n${suffix}`,
      SCAN_BATCH_QUEUE: `scan-batches-${suffix}`,
      NOTIFICATION_QUEUE: `notifications-${suffix}`,
      REPORTS_CONTAINER: `reports-${suffix}`,
      INLINE_SCAN_MAX_SUBSCRIPTIONS: '10',
      RETRY_BASE_DELAY_MS: '5',
      RETRY_MAX_DELAY_MS: '50',
      NOTIFICATIONS_ALLOW_HTTP_LOOPBACK: 'true',
      NOTIFICATIONS_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_SECRET: secret,
      NOTIFICATION_DESTINATIONS: JSON.stringify([
        {
          name: 'ticketing-hook',
          type: 'webhook',
          url: `${receiver.url}/hook`,
          events: ['run.completed', 'finding.opened'],
          secretSetting: 'WEBHOOK_SECRET',
        },
      ]),
    };
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name);
    await receiver.close();
    await fake.close();
  });

  it('an inline scheduled scan queues its events and the delivery function delivers each once, signed', async () => {
    const logs: string[] = [];
    const context = new InvocationContext({
      functionName: 'scheduledScan',
      logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
    });
    const app = { ...(await scanAppFor(context)), clock: () => new Date(AS_OF) };
    const started = await startScan(app);
    expect(started.inline).toBe(true);
    expect(logs.join('\n')).toMatch(/event\(s\), [1-9]\d* delivery message\(s\)/);
    expect((await readRun(app.store, started.runId))?.status).toBe('complete');
    const deliveries: string[] = [];
    const workers = startWorkers(2, {
      connectionString: env.AzureWebJobsStorage ?? '',
      queueName: env.NOTIFICATION_QUEUE ?? '',
      visibilityTimeoutSeconds: 5,
      maxDequeueCount: 5,
      handler: async (message) =>
        deliverNotification(message, new InvocationContext({ functionName: 'deliverNotification' })),
      poisonHandler: async () => undefined,
    });
    try {
      await workers.idle(2000, 60_000);
    } finally {
      await workers.stop();
    }
    expect(workers.failures).toEqual([]);
    expect(workers.processed).toBeGreaterThan(0);
    expect(receiver.rejected, deliveries.slice(0, 3).join('\n')).toBe(0);
    expect(receiver.received.size, deliveries.slice(0, 3).join('\n')).toBeGreaterThan(0);
    const payloads = [...receiver.received.values()];
    expect(payloads.filter((p) => p.payload.type === 'run.completed')).toHaveLength(1);
    const opened = payloads.filter((p) => p.payload.type === 'finding.opened');
    expect(opened.length).toBeGreaterThan(10);
    expect(payloads.every((p) => p.count === 1)).toBe(true);
  }, 120_000);
});
