import { attempt, type DeliveryContext, type NotificationDestination } from './destination.js';
import {
  requiredHttpUrl,
  requiredSecret,
  type DestinationEntry,
  type JiraDestinationConfig,
  type ServiceNowDestinationConfig,
} from './destinationSettings.js';
import { DeliveryFailure, expectSuccess } from './deliveryFailure.js';
import type { SafeResponse } from './safeHttpClient.js';
import { isFindingEvent, type FindingEvent } from './events.js';
import type { TicketRecord } from './ticketMap.js';
import { changeNote } from './ticketText.js';

/** A ticket in the external system. */
export interface TicketRef {
  /** What the API addresses it by (Jira issue key or ID, ServiceNow sys_id). */
  id: string;
  /** What people read (Jira key, incident number). */
  key: string;
  url: string;
}

/** The few operations a ticketing system must offer. */
export interface TicketSystem {
  /** A ticket created earlier for this finding's key, if any (after an interrupted creation). */
  find(event: FindingEvent, context: DeliveryContext): Promise<TicketRef | undefined>;
  create(event: FindingEvent, context: DeliveryContext): Promise<TicketRef>;
  comment(ticket: TicketRef, note: string, context: DeliveryContext): Promise<void>;
  /** Moves the ticket to a resolved state and notes why; `already` when it was resolved. */
  resolve(ticket: TicketRef, note: string, context: DeliveryContext): Promise<'resolved' | 'already'>;
  /** Moves a resolved ticket back to an open state and notes why. */
  reopen(ticket: TicketRef, note: string, context: DeliveryContext): Promise<void>;
}

function ref(record: TicketRecord): TicketRef {
  return { id: record.externalId, key: record.externalKey, url: record.url };
}

function applied(record: TicketRecord, event: FindingEvent, now: Date): TicketRecord {
  return { ...record, lastEventId: event.id, lastAsOf: event.data.run.asOf, updatedAt: now.toISOString() };
}

async function createUnderClaim(
  system: TicketSystem,
  event: FindingEvent,
  current: TicketRecord | undefined,
  context: DeliveryContext,
): Promise<string> {
  const now = context.now();
  const claim = await context.tickets.claim(event.data, current, context.claimId, now, context.claimLeaseMs);
  if (!claim.claimed) throw new DeliveryFailure(claim.reason, true, undefined, claim.retryAfterMs);
  const found = claim.recovering ? await system.find(event, context) : undefined;
  const ticket = found ?? (await system.create(event, context));
  if (found && current?.claimId !== context.claimId) await system.comment(found, changeNote(event), context);
  await context.tickets.save({
    ...applied(claim.record, event, context.now()),
    state: 'open',
    externalId: ticket.id,
    externalKey: ticket.key,
    url: ticket.url,
    claimId: '',
    claimUntil: '',
  });
  return found ? `found ${ticket.key} from an interrupted creation` : `created ${ticket.key}`;
}

async function applyFailing(
  system: TicketSystem,
  event: FindingEvent,
  record: TicketRecord | undefined,
  context: DeliveryContext,
): Promise<string> {
  if (!record || record.externalId === '' || record.state === 'creating')
    return createUnderClaim(system, event, record, context);
  const now = context.now();
  if (record.state === 'open') {
    await system.comment(ref(record), changeNote(event), context);
    await context.tickets.save(applied(record, event, now));
    return `commented on ${record.externalKey}`;
  }
  if (!event.data.run.complete) {
    await system.comment(ref(record), changeNote(event, true), context);
    await context.tickets.save(applied(record, event, now));
    return `noted on resolved ${record.externalKey}; a partial run never reopens`;
  }
  await system.reopen(ref(record), changeNote(event), context);
  await context.tickets.save({ ...applied(record, event, now), state: 'open' });
  return `reopened ${record.externalKey}`;
}

async function applyResolved(
  system: TicketSystem,
  event: FindingEvent,
  record: TicketRecord | undefined,
  context: DeliveryContext,
): Promise<string> {
  const now = context.now();
  if (!event.data.run.complete) return 'a partial run never resolves a ticket';
  if (!record) {
    await context.tickets.save({
      ...applied(
        {
          destination: context.tickets.destination,
          dedupeKey: event.data.dedupeKey,
          clusterId: event.data.clusterId,
          controlId: event.data.controlId,
          state: 'resolved',
          externalId: '',
          externalKey: '',
          url: '',
          lastEventId: '',
          lastAsOf: '',
          claimId: '',
          claimUntil: '',
          updatedAt: '',
        },
        event,
        now,
      ),
    });
    return 'no ticket to resolve (recorded, so an older opening arriving late is ignored)';
  }
  if (record.state === 'creating') {
    const wait = Math.max(1000, Date.parse(record.claimUntil) - now.getTime());
    throw new DeliveryFailure('the ticket is being created by another delivery', true, undefined, wait);
  }
  if (record.state === 'resolved' || record.externalId === '') {
    await context.tickets.save({ ...applied(record, event, now), state: 'resolved' });
    return 'already resolved';
  }
  const outcome = await system.resolve(ref(record), changeNote(event), context);
  await context.tickets.save({ ...applied(record, event, now), state: 'resolved' });
  return outcome === 'already'
    ? `${record.externalKey} was already resolved`
    : `resolved ${record.externalKey}`;
}

/**
 * A destination that keeps one ticket per cluster and control: opened, updated and reopened
 * events create the ticket (once, under an ETag-guarded claim) or comment on it, and reopen it
 * after a resolution when a complete run says so; resolved events (complete runs only) resolve
 * it. An event older than the last one applied to the key (by run as-of) is superseded.
 */
export function createTicketDestination(
  config: JiraDestinationConfig | ServiceNowDestinationConfig,
  system: TicketSystem,
): NotificationDestination {
  return {
    config,
    deliver: (event, context) =>
      attempt(async () => {
        if (!isFindingEvent(event)) return `${event.type} is not for a ticketing destination`;
        const record = await context.tickets.get(event.data);
        if (record && record.lastEventId === event.id && record.state !== 'creating')
          return 'already applied';
        if (record?.lastAsOf && Date.parse(record.lastAsOf) > Date.parse(event.data.run.asOf))
          return `superseded by a later run (${record.lastAsOf})`;
        return event.type === 'finding.resolved'
          ? applyResolved(system, event, record, context)
          : applyFailing(system, event, record, context);
      }),
  };
}

/**
 * A JSON request to a ticket system's REST API with basic authentication from the destination's
 * secret (`user:token`), within the destination's timeout and response-size limits; a non-2xx
 * answer is thrown as a delivery failure naming the system, destination and step.
 */
export function basicAuthJsonCall(
  config: { name: string; url: string; timeoutMs: number; maxResponseBytes: number },
  system: string,
): (
  context: DeliveryContext,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  what: string,
  body?: unknown,
) => Promise<SafeResponse> {
  const base = config.url.replace(/\/+$/, '');
  return async (context, method, path, what, body) => {
    if (context.secret === null) throw new DeliveryFailure(`${config.name} has no credentials`, true);
    const response = await context.http({
      method,
      url: `${base}${path}`,
      headers: {
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(context.secret).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      timeoutMs: config.timeoutMs,
      maxResponseBytes: config.maxResponseBytes,
    });
    return expectSuccess(response, `${system} ${config.name} ${what}`, context.now().getTime());
  };
}

/**
 * The URL and credentials every ticket system needs: an http(s) `url` and a secret setting holding
 * `user:token` (Jira: `email:apiToken`; ServiceNow: `user:password`).
 */
export function ticketSystemAccess(
  entry: DestinationEntry,
  type: 'jira' | 'servicenow',
): { url: string; secretSetting: string } {
  const url = requiredHttpUrl(entry);
  const secret = requiredSecret(entry, type);
  if (secret !== undefined && !/^[^:\s]+:.+$/.test(secret))
    entry.reader.problem(
      `${entry.common.secretSetting} must hold ${type === 'jira' ? 'email:apiToken' : 'user:password'}`,
    );
  return { url, secretSetting: entry.common.secretSetting ?? '' };
}
