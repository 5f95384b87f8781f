import type { DestinationConfig } from './destinationSettings.js';
import { toDeliveryFailure } from './deliveryFailure.js';
import type { NotificationEvent } from './events.js';
import type { SafeHttpClient } from './safeHttpClient.js';
import type { TicketMap } from './ticketMap.js';

/** An e-mail to send (the email destination's only need). */
export interface MailMessage {
  to: string[];
  subject: string;
  html: string;
  text: string;
}

/** Sends one e-mail; throws when the server refuses it. */
export type MailSender = (message: MailMessage) => Promise<void>;

/** What a destination may use for one delivery attempt. */
export interface DeliveryContext {
  http: SafeHttpClient;
  /** The value of the destination's secret setting (null when it has none). */
  secret: string | null;
  /** This destination's cluster/control → ticket map. */
  tickets: TicketMap;
  /** Identifies the delivery (outbox entry) that claims a ticket key while creating it. */
  claimId: string;
  /** How long a claim on a ticket key holds before another delivery may take it over. */
  claimLeaseMs: number;
  /** Wall-clock time: signature timestamps, Retry-After dates, ticket claims. */
  now: () => Date;
  mail: MailSender | undefined;
}

/** The outcome of one attempt: delivered (possibly with nothing to do), or how it failed. */
export type DeliveryResult =
  | { ok: true; detail: string }
  | {
      ok: false;
      retryable: boolean;
      /** Not yet scrubbed of secrets: the outbox scrubs it before storing or logging it. */
      error: string;
      statusCode?: number;
      retryAfterMs?: number;
      /** The receiver's answer (raw, bounded), scrubbed whole before an excerpt is cut from it. */
      responseBody?: string;
    };

/** One configured destination. */
export interface NotificationDestination {
  readonly config: DestinationConfig;
  deliver(event: NotificationEvent, context: DeliveryContext): Promise<DeliveryResult>;
}

/** Runs a delivery body and turns whatever it throws into a failed result. */
export async function attempt(body: () => Promise<string>): Promise<DeliveryResult> {
  try {
    return { ok: true, detail: await body() };
  } catch (error) {
    const failure = toDeliveryFailure(error);
    return {
      ok: false,
      retryable: failure.retryable,
      error: failure.message,
      ...(failure.statusCode !== undefined ? { statusCode: failure.statusCode } : {}),
      ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
      ...(failure.responseBody !== undefined ? { responseBody: failure.responseBody } : {}),
    };
  }
}
