import type { DeliveryResult } from './destination.js';
import type { NotificationSettings } from './notificationSettings.js';
import { errorExcerpt, scrubSecrets, secretValues } from './redaction.js';
import type { SecretSource } from '../config/secretSource.js';

/**
 * Every secret the notification settings point at — each destination's secret setting and the
 * SMTP password — read through `secrets`, as values to scrub (never logged themselves).
 */
export function configuredSecrets(
  settings: Pick<NotificationSettings, 'destinations' | 'smtp'>,
  secrets: SecretSource,
): string[] {
  const names = [
    ...settings.destinations.map((destination) => destination.secretSetting),
    settings.smtp?.passwordSetting ?? null,
  ];
  // Teams destinations may keep their Workflows URL (with its signature) in `url`.
  const urls = settings.destinations.filter((d) => d.type === 'teams' && d.url !== '').map((d) => d.url);
  return secretValues([...names.map((name) => (name ? secrets.secret(name) : undefined)), ...urls]);
}

/**
 * A failed attempt as the text that is stored, logged and returned: the error scrubbed, then the
 * receiver's answer scrubbed whole and only then cut to its excerpt.
 */
export function failureText(
  result: Extract<DeliveryResult, { ok: false }>,
  secrets: readonly string[],
): string {
  const error = scrubSecrets(result.error, secrets);
  if (result.responseBody === undefined || result.responseBody.trim() === '') return error;
  return `${error}: ${errorExcerpt(result.responseBody, secrets)}`;
}

/** An outbox entry's free texts scrubbed (entries stored before scrubbing was complete). */
export function scrubbedEntry<T extends { lastError: string; detail: string }>(
  entry: T,
  secrets: readonly string[],
): T {
  return {
    ...entry,
    lastError: scrubSecrets(entry.lastError, secrets),
    detail: scrubSecrets(entry.detail, secrets),
  };
}
