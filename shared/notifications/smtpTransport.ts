import nodemailer from 'nodemailer';

import { checkOutboundHost, hostOf, type OutboundPolicy } from './outboundGuard.js';
import { readSecret, type SecretSource } from '../config/secretSource.js';
import type { SmtpSettings } from './smtpSettings.js';

/** An e-mail with optional attachments (a path is streamed from disk). */
export interface OutgoingMail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments?: Array<{ filename: string; contentType: string } & ({ content: Buffer } | { path: string })>;
}

/** What the server said. */
export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

/**
 * Sends one e-mail over SMTP: the host is resolved and checked against the outbound policy (like
 * every webhook) and the connection goes to the checked address with the host name for TLS
 * (SNI and certificate check). Implicit TLS or STARTTLS is required unless the settings allow
 * plain text to a loopback host. The password comes from the setting named by
 * `SMTP_PASSWORD_SETTING`. When the host has several addresses and one cannot be connected to,
 * the next is tried.
 */
export async function sendSmtpMail(
  smtp: SmtpSettings,
  secrets: SecretSource,
  policy: OutboundPolicy,
  mail: OutgoingMail,
): Promise<SentMail> {
  const hostname = hostOf(new URL(`smtp://${smtp.host.includes(':') ? `[${smtp.host}]` : smtp.host}`));
  const plainText = !smtp.secure && !smtp.requireTls;
  const target = await checkOutboundHost(hostname, policy, {
    plainText,
    shown: `smtp://${hostname}:${smtp.port}`,
  });
  const password = smtp.passwordSetting ? readSecret(secrets, smtp.passwordSetting) : undefined;
  const failures: string[] = [];
  for (const address of target.addresses) {
    try {
      return await sendTo(address.address, { smtp, hostname, plainText, password }, mail);
    } catch (error) {
      // Only a connection that never opened is tried at the next address: after that, the server
      // may have taken the message.
      if ((error as { command?: string }).command !== 'CONN') throw error;
      failures.push(`${address.address} ${(error as { code?: string }).code ?? (error as Error).message}`);
    }
  }
  throw new Error(`smtp://${hostname}:${smtp.port}: no address could be reached (${failures.join('; ')})`);
}

async function sendTo(
  address: string,
  connection: { smtp: SmtpSettings; hostname: string; plainText: boolean; password: string | undefined },
  mail: OutgoingMail,
): Promise<SentMail> {
  const { smtp, hostname, plainText, password } = connection;
  const transport = nodemailer.createTransport({
    host: address,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && smtp.requireTls,
    ignoreTLS: plainText,
    servername: hostname,
    allowInternalNetworkInterfaces: true,
    tls: { minVersion: 'TLSv1.2', servername: hostname },
    connectionTimeout: smtp.timeoutMs,
    greetingTimeout: smtp.timeoutMs,
    socketTimeout: smtp.timeoutMs,
    ...(smtp.user && password ? { auth: { user: smtp.user, pass: password } } : {}),
  });
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      attachments: mail.attachments ?? [],
    });
    return {
      messageId: info.messageId,
      accepted: info.accepted.map(String),
      rejected: info.rejected.map(String),
    };
  } finally {
    transport.close();
  }
}
