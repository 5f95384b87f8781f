/**
 * The receivers' own validators, from their vendors' packages (exact-pinned dev dependencies,
 * nothing fetched at test time): Atlassian's ADF JSON Schema (draft-04) checked with ajv,
 * Microsoft's Adaptive Cards library parsing a card, the Standard Webhooks library verifying a
 * signed body, and nodemailer composing an e-mail that mailparser reads back.
 */
import { createRequire } from 'node:module';

import AjvModule from 'ajv-draft-04';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { Webhook } from 'standardwebhooks';

import type { MailMessage } from '../../shared/notifications/destination.js';

const require = createRequire(import.meta.url);

// The package's `lib` build is for bundlers (extension-less ESM imports); its UMD build runs in
// Node and needs no DOM to parse and validate a card.
interface ParseEvent {
  message: string;
}
interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(payload: unknown, context?: unknown): void;
    validateProperties(): { validationEvents: ParseEvent[] };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(index: number): ParseEvent };
}
const adaptiveCards = require('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

const adfSchema = require('@atlaskit/adf-schema/dist/json-schema/v1/full.json') as object;
// A CommonJS module whose class is both the module and its `default`.
const Ajv = AjvModule.default;
const validateAdfDocument = new Ajv({ allErrors: false, strict: false }).compile(adfSchema);

/** The ADF schema's errors for a document (none when valid). */
export function adfErrors(document: unknown): string[] {
  if (validateAdfDocument(document)) return [];
  return (validateAdfDocument.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** What the Adaptive Cards library reports parsing and validating a card (none when valid). */
export function adaptiveCardErrors(card: unknown): string[] {
  const parsed = new adaptiveCards.AdaptiveCard();
  const context = new adaptiveCards.SerializationContext();
  parsed.parse(card, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) events.push(event.message);
  return events;
}

/** The payload a Standard Webhooks receiver accepts for a signed body (throws when it refuses). */
export function verifyStandardWebhook(
  secret: string,
  body: string,
  headers: Record<string, string>,
): unknown {
  return new Webhook(secret).verify(body, headers);
}

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

/** The e-mail as nodemailer composes it (raw RFC 5322) and as mailparser reads it back. */
export async function composeAndParse(
  message: MailMessage,
  from = 'Compliance <compliance@example.com>',
): Promise<{ raw: Buffer; parsed: ParsedMail }> {
  const info = await composer.sendMail({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
  });
  const raw = info.message as Buffer;
  return { raw, parsed: await simpleParser(raw) };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when a text holds half a surrogate pair. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Every string in a JSON value. */
export function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      into.push(key);
      stringsOf(item, into);
    }
  }
  return into;
}

/** True when a serialised JSON body, or any string in it once parsed, holds a lone surrogate. */
export function jsonHasLoneSurrogate(body: string): boolean {
  return hasLoneSurrogate(body) || stringsOf(JSON.parse(body)).some(hasLoneSurrogate);
}
