import { readSecret, type SecretSource } from '../config/secretSource.js';
import type { DeliveryContext, DeliveryResult } from './destination.js';
import { createDestination } from './destinationFactory.js';
import { retryDelayMs } from './deliveryBackoff.js';
import type { NotificationSettings } from './notificationSettings.js';
import { isConflict, type NotificationStore } from './notificationStore.js';
import { systemResolver, type OutboundPolicy, type Resolver } from './outboundGuard.js';
import {
  parseOutboxMessage,
  readOutboxEntry,
  toOutboxProperties,
  type OutboxEntry,
  type OutboxMessage,
} from './outbox.js';
import { configuredSecrets, failureText } from './configuredSecrets.js';
import { secretValues } from './redaction.js';
import { createSafeHttpClient } from './safeHttpClient.js';
import { sendSmtpMail } from './smtpTransport.js';
import { createTicketMap } from './ticketMap.js';

/** What `deliverOutboxEntry` needs. */
export interface DeliveryDeps {
  store: NotificationStore;
  settings: NotificationSettings;
  /** Where secrets are read from, by the setting names the destinations give. */
  secrets: SecretSource;
  /** The outbox's clock (due times, backoff); a fake one in tests. */
  clock?: () => Date;
  /** Real time for signatures, Retry-After dates and ticket claims. */
  wallClock?: () => Date;
  random?: () => number;
  /** DNS resolution for the outbound guard (`dns.promises.lookup` by default). */
  resolve?: Resolver;
}

/**
 * The outcome for the queue function: `delivered` and `dead` — drop the message; `retry` —
 * queue it again, visible after `retryAfterMs`.
 */
export interface DeliveryOutcome {
  outcome: 'delivered' | 'retry' | 'dead';
  retryAfterMs?: number;
  /** Whether this call made a delivery attempt (false for duplicates and early messages). */
  attempted: boolean;
  /** Attempts made so far for this entry. */
  attempts: number;
  detail: string;
}

async function record(
  store: NotificationStore,
  entry: OutboxEntry,
  changes: Partial<OutboxEntry>,
): Promise<OutboxEntry | undefined> {
  const next = { ...entry, ...changes };
  try {
    const response = await store.tables.outbox.updateEntity(
      toOutboxProperties(next) as { partitionKey: string; rowKey: string },
      'Merge',
      { etag: entry.etag ?? '*' },
    );
    return { ...next, ...(response.etag ? { etag: response.etag } : {}) };
  } catch (error) {
    if (isConflict(error)) return undefined;
    throw error;
  }
}

/** Another worker changed the entry while this attempt ran: look again shortly. */
function changedDuringAttempt(attempts: number): DeliveryOutcome {
  return {
    outcome: 'retry',
    retryAfterMs: 1000,
    attempted: true,
    attempts,
    detail: 'the entry changed during the attempt',
  };
}

/**
 * Makes ONE delivery attempt for one outbox entry and records its outcome. An entry already
 * delivered or dead is reported as such (duplicate messages are harmless); one not yet due, or
 * held by another worker's attempt, is reported as `retry` with the wait. The attempt is counted
 * (and the entry leased) before the destination is called. A failure is retried with bounded
 * exponential backoff and jitter, or after the server's Retry-After; the entry is dead after
 * the attempt limit, or at once when the failure cannot heal (4xx, redirect, blocked target).
 */
export async function deliverOutboxEntry(
  deps: DeliveryDeps,
  message: OutboxMessage,
): Promise<DeliveryOutcome> {
  const clock = deps.clock ?? (() => new Date());
  const wallClock = deps.wallClock ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const { delivery } = deps.settings;
  const found = await readOutboxEntry(deps.store, parseOutboxMessage(message));
  if (!found) return { outcome: 'dead', attempted: false, attempts: 0, detail: 'no such outbox entry' };
  const { entry, event } = found;
  if (entry.status === 'delivered')
    return { outcome: 'delivered', attempted: false, attempts: entry.attempts, detail: 'already delivered' };
  if (entry.status === 'dead')
    return { outcome: 'dead', attempted: false, attempts: entry.attempts, detail: 'already dead' };
  const now = clock();
  const due = Math.max(Date.parse(entry.nextAttemptAt) || 0, Date.parse(entry.leaseUntil) || 0);
  if (due > now.getTime())
    return {
      outcome: 'retry',
      retryAfterMs: due - now.getTime(),
      attempted: false,
      attempts: entry.attempts,
      detail: 'not due yet',
    };

  const config = deps.settings.destinations.find(
    (d) => d.name.toLowerCase() === entry.destination.toLowerCase(),
  );
  if (!config) {
    const detail = `destination ${entry.destination} is no longer configured`;
    await record(deps.store, entry, { status: 'dead', lastError: detail, updatedAt: now.toISOString() });
    return { outcome: 'dead', attempted: false, attempts: entry.attempts, detail };
  }
  const attempts = entry.attempts + 1;
  const claimed = await record(deps.store, entry, {
    attempts,
    leaseUntil: new Date(now.getTime() + delivery.leaseMs).toISOString(),
    lastAttemptAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  if (!claimed)
    return {
      outcome: 'retry',
      retryAfterMs: 1000,
      attempted: false,
      attempts: entry.attempts,
      detail: 'another worker holds it',
    };

  let secret: string | null = null;
  let result: DeliveryResult;
  try {
    secret = config.secretSetting ? readSecret(deps.secrets, config.secretSetting) : null;
    const policy: OutboundPolicy = {
      allowHttpLoopback: deps.settings.outbound.allowHttpLoopback,
      allowedHosts: new Set(deps.settings.outbound.allowedHosts),
      resolve: deps.resolve ?? systemResolver,
    };
    const smtp = deps.settings.smtp;
    const context: DeliveryContext = {
      http: createSafeHttpClient(policy),
      secret,
      tickets: createTicketMap(deps.store.tables.tickets, config.name),
      claimId: `${entry.message.outboxPartition}/${entry.message.outboxRow}`,
      claimLeaseMs: delivery.leaseMs,
      now: wallClock,
      mail: smtp
        ? async (mail) => {
            await sendSmtpMail(smtp, deps.secrets, policy, mail);
          }
        : undefined,
    };
    const destination = createDestination(config);
    result = await destination.deliver(event, context);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    result = { ok: false, retryable: true, error: text.split('\n')[0] ?? text };
  }

  const finished = clock().toISOString();
  if (result.ok) {
    const saved = await record(deps.store, claimed, {
      status: 'delivered',
      deliveredAt: finished,
      leaseUntil: '',
      lastError: '',
      detail: result.detail,
      updatedAt: finished,
    });
    if (!saved) return changedDuringAttempt(attempts);
    return { outcome: 'delivered', attempted: true, attempts, detail: result.detail };
  }
  const error = failureText(result, [
    ...secretValues([secret]),
    ...configuredSecrets(deps.settings, deps.secrets),
  ]);
  const dead = !result.retryable || attempts >= delivery.maxAttempts;
  const wait = dead ? 0 : retryDelayMs(attempts, delivery, random, result.retryAfterMs);
  const saved = await record(deps.store, claimed, {
    status: dead ? 'dead' : 'pending',
    nextAttemptAt: new Date(Date.parse(finished) + wait).toISOString(),
    leaseUntil: '',
    lastError: error,
    lastStatusCode: result.statusCode ?? null,
    detail: dead ? (result.retryable ? `gave up after ${attempts} attempts` : 'failed for good') : '',
    updatedAt: finished,
  });
  if (!saved) return changedDuringAttempt(attempts);
  if (dead) return { outcome: 'dead', attempted: true, attempts, detail: error };
  return { outcome: 'retry', retryAfterMs: wait, attempted: true, attempts, detail: error };
}
