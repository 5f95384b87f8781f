import {
  readBoolean,
  readDuration,
  readInteger,
  readList,
  readNumber,
  readText,
  type Env,
} from '../config/settingReaders.js';
import { isSettingName, type SecretSource } from '../config/secretSource.js';

/** The SMTP server every e-mail goes through. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (usually port 465); otherwise STARTTLS, required unless `requireTls` is false. */
  secure: boolean;
  requireTls: boolean;
  user: string | null;
  /** The NAME of the setting that holds the password. */
  passwordSetting: string | null;
  from: string;
  timeoutMs: number;
}

/** The scheduled report e-mail. */
export interface ReportEmailSettings {
  to: string[];
  /** A larger workbook is linked instead of attached. */
  maxAttachmentBytes: number;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

/** A bare address, or `Name <address>`. */
function isMailbox(value: string): boolean {
  const angle = /<([^<>]+)>\s*$/.exec(value);
  return EMAIL.test(angle?.[1] ?? value);
}

/**
 * SMTP settings, or undefined without `SMTP_HOST`: `SMTP_PORT` (465 with `SMTP_SECURE=true`, else
 * 587), `SMTP_SECURE`, `SMTP_REQUIRE_TLS` (default true; false only for a loopback host),
 * `SMTP_USER`, `SMTP_PASSWORD_SETTING` (a setting name), `REPORT_EMAIL_FROM`, `SMTP_TIMEOUT_SECONDS`.
 */
export function parseSmtpSettings(
  env: Env,
  secrets: SecretSource,
  problems: string[],
): SmtpSettings | undefined {
  const host = readText(env, 'SMTP_HOST');
  if (host === '') return undefined;
  const secure = readBoolean(env, 'SMTP_SECURE', false, problems);
  const requireTls = readBoolean(env, 'SMTP_REQUIRE_TLS', true, problems);
  if (!secure && !requireTls && !LOOPBACK_HOSTS.has(host.toLowerCase()))
    problems.push('SMTP_REQUIRE_TLS=false is allowed only for a loopback SMTP_HOST');
  const user = readText(env, 'SMTP_USER') || null;
  const passwordSetting = readText(env, 'SMTP_PASSWORD_SETTING') || null;
  if (passwordSetting !== null && !isSettingName(passwordSetting))
    problems.push('SMTP_PASSWORD_SETTING must be the NAME of the setting holding the password');
  else if (passwordSetting !== null && secrets.secret(passwordSetting) === undefined)
    problems.push(`SMTP_PASSWORD_SETTING names ${passwordSetting}, which is not set`);
  if (user !== null && passwordSetting === null) problems.push('SMTP_USER needs SMTP_PASSWORD_SETTING');
  const from = readText(env, 'REPORT_EMAIL_FROM');
  if (!isMailbox(from)) problems.push('REPORT_EMAIL_FROM must be an e-mail address (needed with SMTP_HOST)');
  return {
    host,
    port: readInteger(env, 'SMTP_PORT', secure ? 465 : 587, 1, 65_535, problems),
    secure,
    requireTls,
    user,
    passwordSetting,
    from,
    timeoutMs: readDuration(env, 'SMTP_TIMEOUT_SECONDS', 'seconds', 30, 1, 300, problems),
  };
}

/**
 * The report e-mail settings, or undefined without `REPORT_EMAIL_TO` (a list):
 * `REPORT_EMAIL_MAX_ATTACHMENT_MB` (default 10). Needs SMTP settings.
 */
export function parseReportEmailSettings(
  env: Env,
  smtp: SmtpSettings | undefined,
  problems: string[],
): ReportEmailSettings | undefined {
  const to = readList(env, 'REPORT_EMAIL_TO');
  if (to.length === 0) return undefined;
  for (const address of to)
    if (!EMAIL.test(address)) problems.push(`REPORT_EMAIL_TO: "${address}" is not an e-mail address`);
  if (!smtp) problems.push('REPORT_EMAIL_TO needs SMTP_HOST and REPORT_EMAIL_FROM');
  const megabytes = readNumber(env, 'REPORT_EMAIL_MAX_ATTACHMENT_MB', 10, 0, 100, problems);
  return { to, maxAttachmentBytes: Math.round(megabytes * 1024 * 1024) };
}
