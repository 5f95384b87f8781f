import { isIP } from 'node:net';

import { ConfigurationError } from '../config/configurationError.js';
import { settingSecrets, type SecretSource } from '../config/secretSource.js';
import {
  readBoolean,
  readDuration,
  readInteger,
  readList,
  readText,
  type Env,
} from '../config/settingReaders.js';
import { parseDestinations } from './destinationFactory.js';
import type { DestinationConfig } from './destinationSettings.js';
import {
  parseReportEmailSettings,
  parseSmtpSettings,
  type ReportEmailSettings,
  type SmtpSettings,
} from './smtpSettings.js';

/** How deliveries are retried. */
export interface DeliverySettings {
  maxAttempts: number;
  retryBaseMs: number;
  /** Cap of a backoff delay and of an honoured Retry-After. */
  retryMaxMs: number;
  /** How long one attempt holds an outbox entry (and a ticket key while creating). */
  leaseMs: number;
}

/** Everything the notification domain reads from settings. */
export interface NotificationSettings {
  destinations: DestinationConfig[];
  outbound: { allowHttpLoopback: boolean; allowedHosts: string[] };
  delivery: DeliverySettings;
  smtp: SmtpSettings | undefined;
  reportEmail: ReportEmailSettings | undefined;
  /**
   * Where readers reach the API (`https://host`), for absolute links to a run and its reports in
   * notifications; null when unknown (links stay relative paths).
   */
  linkBaseUrl: string | null;
  /** Days a delivered outbox entry is kept before it is deleted (`NOTIFICATIONS_OUTBOX_RETENTION_DAYS`). */
  outboxRetentionDays: number;
  /**
   * Consecutive complete runs of its scope a cluster must be missing from before its open findings
   * (and tickets) are closed as removed (`NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS`).
   */
  closeRemovedAfterRuns: number;
}

/**
 * `NOTIFICATIONS_LINK_BASE_URL` (an https origin, optionally with a path), else
 * `https://$WEBSITE_HOSTNAME` (set by App Service), else null.
 */
function linkBase(env: Env, problems: string[]): string | null {
  const configured = readText(env, 'NOTIFICATIONS_LINK_BASE_URL');
  if (configured !== '') {
    let url: URL | undefined;
    try {
      url = new URL(configured);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) {
      problems.push('NOTIFICATIONS_LINK_BASE_URL must be an https URL without user, query or fragment');
      return null;
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  const host = readText(env, 'WEBSITE_HOSTNAME').toLowerCase();
  return HOST.test(host) ? `https://${host}` : null;
}

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Reads and validates every notification setting at once; throws one `ConfigurationError` naming
 * every bad key and destination entry (never a secret value). Settings: `NOTIFICATION_DESTINATIONS`,
 * `NOTIFICATIONS_ALLOW_HTTP_LOOPBACK`, `NOTIFICATIONS_ALLOWED_HOSTS`, `NOTIFICATIONS_MAX_ATTEMPTS`,
 * `NOTIFICATIONS_RETRY_BASE_SECONDS`, `NOTIFICATIONS_RETRY_MAX_SECONDS`,
 * `NOTIFICATIONS_TIMEOUT_SECONDS`, `NOTIFICATIONS_MAX_RESPONSE_KB`,
 * `NOTIFICATIONS_WEBHOOK_MAX_BODY_KB` (default 256), `NOTIFICATIONS_LINK_BASE_URL`,
 * `NOTIFICATIONS_OUTBOX_RETENTION_DAYS`, `NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS`, and the SMTP
 * and report e-mail settings.
 */
export function parseNotificationSettings(
  env: Env,
  secrets: SecretSource = settingSecrets(env),
): NotificationSettings {
  const problems: string[] = [];
  const allowHttpLoopback = readBoolean(env, 'NOTIFICATIONS_ALLOW_HTTP_LOOPBACK', false, problems);
  const allowedHosts = readList(env, 'NOTIFICATIONS_ALLOWED_HOSTS').map((host) =>
    host.toLowerCase().replace(/^\[|\]$/g, ''),
  );
  for (const host of allowedHosts) {
    if (isIP(host) === 0 && !HOST.test(host))
      problems.push(`NOTIFICATIONS_ALLOWED_HOSTS: "${host}" is not a host name or IP address`);
  }
  const maxAttempts = readInteger(env, 'NOTIFICATIONS_MAX_ATTEMPTS', 10, 1, 100, problems);
  const retryBaseMs = readDuration(env, 'NOTIFICATIONS_RETRY_BASE_SECONDS', 'seconds', 30, 1, 3600, problems);
  const retryMaxMs = readDuration(
    env,
    'NOTIFICATIONS_RETRY_MAX_SECONDS',
    'seconds',
    3600,
    1,
    6 * 86_400,
    problems,
  );
  if (retryMaxMs < retryBaseMs)
    problems.push('NOTIFICATIONS_RETRY_MAX_SECONDS must not be below NOTIFICATIONS_RETRY_BASE_SECONDS');
  const timeoutMs = readDuration(env, 'NOTIFICATIONS_TIMEOUT_SECONDS', 'seconds', 10, 1, 120, problems);
  const maxResponseBytes =
    readInteger(env, 'NOTIFICATIONS_MAX_RESPONSE_KB', 1024, 1, 10_240, problems) * 1024;
  const webhookMaxBodyBytes =
    readInteger(env, 'NOTIFICATIONS_WEBHOOK_MAX_BODY_KB', 256, 16, 10_240, problems) * 1024;
  const linkBaseUrl = linkBase(env, problems);
  const outboxRetentionDays = readInteger(env, 'NOTIFICATIONS_OUTBOX_RETENTION_DAYS', 30, 1, 3650, problems);
  const closeRemovedAfterRuns = readInteger(
    env,
    'NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS',
    3,
    1,
    100,
    problems,
  );
  const smtp = parseSmtpSettings(env, secrets, problems);
  const reportEmail = parseReportEmailSettings(env, smtp, problems);
  const destinations = parseDestinations(
    env.NOTIFICATION_DESTINATIONS,
    secrets,
    {
      timeoutMs,
      maxResponseBytes,
      webhookMaxBodyBytes,
      allowHttpLoopback,
      smtpConfigured: smtp !== undefined,
    },
    problems,
  );
  if (problems.length > 0) throw new ConfigurationError(problems);
  const slowest = Math.max(timeoutMs, ...destinations.map((d) => d.timeoutMs), smtp?.timeoutMs ?? 0);
  return {
    destinations,
    outbound: { allowHttpLoopback, allowedHosts },
    // Enough for the few requests one delivery makes (a Jira resolution makes up to four).
    delivery: { maxAttempts, retryBaseMs, retryMaxMs, leaseMs: Math.max(60_000, slowest * 6) },
    smtp,
    reportEmail,
    linkBaseUrl,
    outboxRetentionDays,
    closeRemovedAfterRuns,
  };
}
