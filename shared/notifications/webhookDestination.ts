import { Webhook } from 'standardwebhooks';

import { attempt, type NotificationDestination } from './destination.js';
import type { WebhookDestinationConfig } from './destinationSettings.js';
import { expectSuccess } from './deliveryFailure.js';
import type { NotificationEvent } from './events.js';

/** The signed body: the Standard Webhooks payload shape `{ type, timestamp, data }`. */
export function webhookBody(event: NotificationEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
}

/**
 * Standard Webhooks headers for a body: `webhook-id` (the event ID, the same on every retry),
 * `webhook-timestamp` (now, in seconds) and `webhook-signature` with one `v1,…` entry per secret
 * (several during a key rotation; the setting holds them separated by spaces).
 */
export function signWebhook(
  secrets: string,
  id: string,
  timestamp: Date,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const signatures = secrets
    .split(/\s+/)
    .filter((secret) => secret !== '')
    .map((secret) => new Webhook(secret).sign(id, timestamp, body));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/** A generic receiver: every event as a signed JSON POST. */
export function createWebhookDestination(config: WebhookDestinationConfig): NotificationDestination {
  return {
    config,
    deliver: (event, context) =>
      attempt(async () => {
        if (context.secret === null) throw new Error(`${config.name} has no signing secret`);
        const body = webhookBody(event);
        const response = await context.http({
          method: 'POST',
          url: config.url,
          headers: {
            'content-type': 'application/json',
            ...signWebhook(context.secret, event.id, context.now(), body),
          },
          body,
          timeoutMs: config.timeoutMs,
          maxResponseBytes: config.maxResponseBytes,
        });
        expectSuccess(response, `webhook ${config.name}`, context.now().getTime());
        return `accepted with ${response.status}`;
      }),
  };
}
