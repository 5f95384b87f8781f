import { createHash } from 'node:crypto';

import { Webhook } from 'standardwebhooks';

import { attempt, type NotificationDestination } from './destination.js';
import {
  requiredHttpUrl,
  requiredSecret,
  type DestinationParser,
  type WebhookDestinationConfig,
} from './destinationSettings.js';
import { expectSuccess } from './deliveryFailure.js';
import { EVENT_TYPES, isFindingEvent, type NotificationEvent } from './events.js';
import { fitToBudget, surelyExceeds } from './payloadBudget.js';
import { runPath } from './runLinks.js';
import { limitText, wellFormed } from './textLimit.js';

/** 256 KB unless `NOTIFICATIONS_WEBHOOK_MAX_BODY_KB` or the entry's `maxBodyKb` says otherwise. */
export const WEBHOOK_DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Every string (and property name) of a JSON value cleaned and capped, every array cut to `maxItems`. */
function shrink(value: unknown, maxChars: number, maxItems: number): unknown {
  if (typeof value === 'string')
    return Number.isFinite(maxChars) ? limitText(value, { max: maxChars }) : wellFormed(value);
  if (Array.isArray(value)) return value.slice(0, maxItems).map((item) => shrink(item, maxChars, maxItems));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [shrink(k, maxChars, 0), shrink(v, maxChars, maxItems)]),
    );
  return value;
}

/** Where the whole run can be read: the event's `run` link, else the API path of the run. */
export function fullRunLink(event: NotificationEvent): string {
  return event.data.reportLinks.run ?? runPath(event.data.run.id);
}

/** The essentials of an event: what every shortened body keeps. */
function essentials(event: NotificationEvent): Record<string, unknown> {
  if (isFindingEvent(event)) {
    const { data } = event;
    return {
      dedupeKey: data.dedupeKey,
      run: data.run,
      clusterId: data.clusterId,
      clusterName: data.clusterName,
      controlId: data.controlId,
      severity: data.severity,
      previousStatus: data.previousStatus,
      status: data.status,
      reason: data.reason,
    };
  }
  const { data } = event;
  return {
    run: data.run,
    changes: data.changes,
    coverage: { complete: data.coverage.complete, notReadCount: data.coverage.notReadCount },
  };
}

/**
 * The signed body: the Standard Webhooks payload shape `{ type, timestamp, data }`, at most
 * `maxBytes` of UTF-8, with no lone surrogate. A larger event is sent shortened — long texts cut (and cleaned of control characters), lists cut, then only its essentials — with
 * `data.truncated` saying so and linking the full run in the API.
 */
export function webhookBody(event: NotificationEvent, maxBytes = WEBHOOK_DEFAULT_MAX_BODY_BYTES): string {
  const envelope = (data: unknown, timestampChars = Infinity): Record<string, unknown> => ({
    type: event.type,
    timestamp: shrink(event.timestamp, timestampChars, 0),
    data,
  });
  const truncated = {
    truncated: { maxBodyBytes: maxBytes, fullRun: limitText(fullRunLink(event), { max: 1000 }) },
  };
  const shortened = (maxChars: number, maxItems: number) => (): Record<string, unknown> =>
    envelope({ ...(shrink(event.data, maxChars, maxItems) as object), ...truncated }, 100);
  const forms = [
    // The whole event only when it may fit: a run with thousands of findings is not copied and
    // serialised whole to learn that it is too large.
    ...(surelyExceeds(event.data, maxBytes) ? [] : [() => envelope(shrink(event.data, Infinity, Infinity))]),
    shortened(2_000, 50),
    shortened(500, 10),
    shortened(200, 3),
    () => envelope({ ...(shrink(essentials(event), 200, 3) as object), ...truncated }, 100),
  ];
  return fitToBudget('webhook body', maxBytes, forms).body;
}

/**
 * The `webhook-id` header value: the event ID when it is printable ASCII of at most 200
 * characters (always, for IDs the product makes), else a digest of it.
 */
export function webhookId(id: string): string {
  return /^[\x21-\x7e]{1,200}$/.test(id)
    ? id
    : `evt_${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
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
    .map((secret) => new Webhook(secret).sign(webhookId(id), timestamp, body));
  return {
    'webhook-id': webhookId(id),
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
        const body = webhookBody(event, config.maxBodyBytes);
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
  keys: ['maxBodyKb'],
  allowedEvents: EVENT_TYPES,
  defaultEvents: EVENT_TYPES,
  parse(entry) {
    const url = requiredHttpUrl(entry);
    const defaultKb = (entry.defaults.webhookMaxBodyBytes ?? WEBHOOK_DEFAULT_MAX_BODY_BYTES) / 1024;
    const maxBodyBytes = entry.reader.integer('maxBodyKb', defaultKb, 16, 10_240) * 1024;
    const secret = requiredSecret(entry, 'webhook');
    for (const [index, part] of (secret ?? '').split(/\s+/).entries()) {
      if (secret !== undefined && !isWebhookSecret(part)) {
        entry.reader.problem(
          `secret ${index + 1} in ${entry.common.secretSetting} is not a Standard Webhooks secret ` +
            '(whsec_ + base64 of 24–64 bytes)',
        );
      }
    }
    return {
      ...entry.common,
      type: 'webhook',
      url,
      secretSetting: entry.common.secretSetting ?? '',
      maxBodyBytes,
    };
  },
};
