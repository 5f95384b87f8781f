import { Webhook } from 'standardwebhooks';

import { attempt, type NotificationDestination } from './destination.js';
import {
  requiredHttpUrl,
  requiredSecret,
  type DestinationParser,
  type WebhookDestinationConfig,
} from './destinationSettings.js';
import { expectSuccess } from './deliveryFailure.js';
import { EVENT_TYPES, type NotificationEvent } from './events.js';

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

/** True for a Standard Webhooks secret: `whsec_` and the base64 of 24–64 bytes. */
function isWebhookSecret(secret: string): boolean {
  const body = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, 'base64').length : 0;
  return bytes >= 24 && bytes <= 64;
}

/** A webhook entry: an http(s) `url` and the setting with its signing secret(s), space-separated. */
export const webhookParser: DestinationParser<WebhookDestinationConfig> = {
  type: 'webhook',
  keys: [],
  allowedEvents: EVENT_TYPES,
  defaultEvents: EVENT_TYPES,
  parse(entry) {
    const url = requiredHttpUrl(entry);
    const secret = requiredSecret(entry, 'webhook');
    for (const [index, part] of (secret ?? '').split(/\s+/).entries()) {
      if (secret !== undefined && !isWebhookSecret(part)) {
        entry.reader.problem(
          `secret ${index + 1} in ${entry.common.secretSetting} is not a Standard Webhooks secret ` +
            '(whsec_ + base64 of 24–64 bytes)',
        );
      }
    }
    return { ...entry.common, type: 'webhook', url, secretSetting: entry.common.secretSetting ?? '' };
  },
};
