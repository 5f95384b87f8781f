/**
 * Receivers the notification tests deliver to: a Standard Webhooks receiver that verifies every
 * signature with the `standardwebhooks` library and de-duplicates on `webhook-id`, and a Teams
 * Workflows endpoint that checks the Adaptive Card envelope.
 */
import { randomBytes } from 'node:crypto';

import { Webhook } from 'standardwebhooks';

import { startFakeServer, type FakeServer } from './fakeHttpServer.js';

/** A new Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface WebhookReceiver extends FakeServer {
  /** Verified deliveries by `webhook-id` (the event ID): how often each arrived, and its payload. */
  received: Map<string, { count: number; payload: { type: string; timestamp: string; data: unknown } }>;
  rejected: number;
}

/** Verifies with ONE secret (as a receiver holding the old or the new key would); 401 when it fails. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret);
  const received: WebhookReceiver['received'] = new Map();
  let rejected = 0;
  const server = await startFakeServer((request) => {
    try {
      const payload = verifier.verify(request.body, request.headers) as {
        type: string;
        timestamp: string;
        data: unknown;
      };
      const id = request.headers['webhook-id'] ?? '';
      const known = received.get(id);
      if (known) known.count++;
      else received.set(id, { count: 1, payload });
      return { status: 204 };
    } catch (error) {
      rejected++;
      return { status: 401, body: JSON.stringify({ error: (error as Error).message }) };
    }
  });
  return Object.defineProperty(Object.assign(server, { received }), 'rejected', {
    get: () => rejected,
  }) as WebhookReceiver;
}

export interface TeamsEndpoint extends FakeServer {
  cards: Array<{ type: string; version: string; body: Array<Record<string, unknown>> }>;
}

/** Accepts `{ type: 'message', attachments: [AdaptiveCard] }` with 202, like a Workflows trigger. */
export async function startTeamsEndpoint(): Promise<TeamsEndpoint> {
  const cards: TeamsEndpoint['cards'] = [];
  const server = await startFakeServer((request) => {
    const message = JSON.parse(request.body) as {
      type?: string;
      attachments?: Array<{ contentType?: string; content?: TeamsEndpoint['cards'][number] }>;
    };
    const attachment = message.attachments?.[0];
    if (
      message.type !== 'message' ||
      attachment?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
      attachment.content?.type !== 'AdaptiveCard'
    )
      return { status: 400, body: '{"error":"not an adaptive card message"}' };
    cards.push(attachment.content);
    return { status: 202 };
  });
  return Object.assign(server, { cards });
}
