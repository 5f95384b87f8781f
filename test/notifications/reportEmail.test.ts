import { readFileSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import { emailReport } from '../../shared/fanout/notifyRun.js';
import type { GovernanceEvent } from '../../shared/notifications/events.js';
import { OutboundBlockedError, type Resolver } from '../../shared/notifications/outboundGuard.js';
import { enqueueEvents } from '../../shared/notifications/outbox.js';
import { deliverOutboxEntry } from '../../shared/notifications/outboxDelivery.js';
import { reportSubject, sendReportEmail } from '../../shared/notifications/reportEmail.js';
import { sampleRun } from '../storage/scanResults.js';
import {
  FakeClock,
  freshNotificationStore,
  notificationEnv,
  RunHistory,
  settingsOf,
} from './notificationHarness.js';

interface Received {
  mail: ParsedMail;
  secure: boolean;
  user: string | undefined;
}

interface SmtpFake {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

const PASSWORD = 'smtp-password-42';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A real SMTP server on 127.0.0.1:0 with STARTTLS (the test certificate) and PLAIN/LOGIN auth. */
async function startSmtp(): Promise<SmtpFake> {
  const received: Received[] = [];
  const server = new SMTPServer({
    key: readFileSync(process.env.TEST_TLS_KEY_FILE ?? ''),
    cert: readFileSync(process.env.TEST_TLS_CERT_FILE ?? ''),
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === PASSWORD) callback(null, { user: auth.username });
      else callback(new Error('invalid credentials'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            mail,
            secure: session.secure,
            user: typeof session.user === 'string' ? session.user : undefined,
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const fake = { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  cleanups.push(fake.close);
  return fake;
}

const localhostOnly: Resolver = async (hostname) => {
  if (hostname !== 'localhost') throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return [{ address: '127.0.0.1', family: 4 }];
};

function smtpEnv(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SMTP_HOST: 'localhost',
    SMTP_PORT: String(port),
    SMTP_USER: 'mailer',
    SMTP_PASSWORD_SETTING: 'SMTP_PASSWORD',
    SMTP_PASSWORD: PASSWORD,
    REPORT_EMAIL_FROM: 'Compliance <compliance@example.com>',
    REPORT_EMAIL_TO: 'ciso@example.com, auditors@example.com',
    NOTIFICATIONS_ALLOWED_HOSTS: 'localhost',
    ...extra,
  };
}

const HTML =
  '<!doctype html><html><head><title>Report</title></head><body><h1>Compliance report</h1></body></html>';
const SUMMARY = { score: 0.724, previousScore: 0.711, newlyFailing: 6, resolved: 4, complete: true };

describe('the scheduled report e-mail', () => {
  it('states score and change in the subject', () => {
    expect(reportSubject(SUMMARY)).toBe('Compliance 72.4% (+1.3) — 6 newly failing, 4 resolved');
    expect(reportSubject({ ...SUMMARY, previousScore: 0.73 })).toBe(
      'Compliance 72.4% (-0.6) — 6 newly failing, 4 resolved',
    );
    expect(reportSubject({ ...SUMMARY, previousScore: null, complete: false })).toBe(
      'Compliance 72.4% — 6 newly failing, 4 resolved (partial run)',
    );
  });

  it('shows the observed and effective scores side by side when the run applied governance', async () => {
    expect(reportSubject({ ...SUMMARY, effectiveScore: 0.801 })).toBe(
      'Compliance 72.4% (+1.3), effective 80.1% — 6 newly failing, 4 resolved',
    );
    // Not a score: ignored rather than printed as NaN%.
    expect(reportSubject({ ...SUMMARY, effectiveScore: Number.NaN })).toBe(reportSubject(SUMMARY));
    expect(reportSubject({ ...SUMMARY, effectiveScore: null })).toBe(reportSubject(SUMMARY));
    const smtp = await startSmtp();
    const env = smtpEnv(smtp.port);
    await sendReportEmail(
      settingsOf(env),
      settingSecrets(env),
      { html: HTML, summary: { ...SUMMARY, effectiveScore: 0.801 } },
      { resolve: localhostOnly },
    );
    const [message] = smtp.received;
    expect(message?.mail.text).toContain('Observed score: 72.4%');
    expect(message?.mail.text).toContain('Effective score: 80.1%');
    const html = String(message?.mail.html);
    expect(html).toMatch(
      /<th[^>]*>Observed score<\/th><th[^>]*>Effective score<\/th><\/tr><tr><td[^>]*>72\.4%<\/td><td[^>]*>80\.1%<\/td>/,
    );
    // The scores come right after <body>, before the report itself.
    expect(html.indexOf('Observed score')).toBeGreaterThan(html.indexOf('<body>'));
    expect(html.indexOf('Observed score')).toBeLessThan(html.indexOf('<h1>Compliance report</h1>'));
  });

  it('sends the HTML report with the workbook attached, over STARTTLS with the password from its setting', async () => {
    const smtp = await startSmtp();
    const env = smtpEnv(smtp.port);
    const workbook = Buffer.from('PK\u0003\u0004 a small workbook');
    const result = await sendReportEmail(
      settingsOf(env),
      settingSecrets(env),
      { html: HTML, workbook: { content: workbook }, summary: SUMMARY },
      {
        resolve: localhostOnly,
      },
    );
    expect(result).toMatchObject({
      workbook: 'attached',
      accepted: ['ciso@example.com', 'auditors@example.com'],
    });
    const [message] = smtp.received;
    expect(message?.secure).toBe(true);
    expect(message?.user).toBe('mailer');
    expect(message?.mail.subject).toBe('Compliance 72.4% (+1.3) — 6 newly failing, 4 resolved');
    expect(message?.mail.html).toContain('<h1>Compliance report</h1>');
    expect(message?.mail.text).toContain('Compliance 72.4%');
    expect(message?.mail.attachments).toHaveLength(1);
    expect(message?.mail.attachments[0]).toMatchObject({
      filename: 'compliance-report.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(message?.mail.attachments[0]?.content.equals(workbook)).toBe(true);
  });

  it('links a workbook above the size limit instead of attaching it', async () => {
    const smtp = await startSmtp();
    const folder = await mkdtemp(join(tmpdir(), 'report-email-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const path = join(folder, 'compliance-2026-11-20.xlsx');
    await writeFile(path, Buffer.alloc(200_000, 1));
    const env = smtpEnv(smtp.port, { REPORT_EMAIL_MAX_ATTACHMENT_MB: '0.1' });
    const url = 'https://reports.example.com/runs/1/compliance-2026-11-20.xlsx?sv=2024&sig=x';
    const result = await sendReportEmail(
      settingsOf(env),
      settingSecrets(env),
      { html: HTML, workbook: { path }, workbookUrl: url, summary: SUMMARY },
      { resolve: localhostOnly },
    );
    expect(result.workbook).toBe('linked');
    const [message] = smtp.received;
    expect(message?.mail.attachments).toHaveLength(0);
    expect(message?.mail.html).toContain('larger than the 0.1 MB attachment limit');
    expect(message?.mail.html).toContain(`href="${url.replace(/&/g, '&amp;')}"`);
    expect(message?.mail.html).toMatch(/<body><p [^>]*>The workbook \(0\.2 MB\)/);
    const small = await sendReportEmail(
      settingsOf(smtpEnv(smtp.port)),
      settingSecrets(env),
      { html: HTML, workbook: { path }, summary: SUMMARY },
      { resolve: localhostOnly },
    );
    expect(small.workbook).toBe('attached');
    expect(smtp.received[1]?.mail.attachments[0]?.filename).toBe('compliance-2026-11-20.xlsx');
  });

  it('links a 35 MB workbook in the API instead of attaching it (default limit 10 MB), never a storage key', async () => {
    const smtp = await startSmtp();
    const folder = await mkdtemp(join(tmpdir(), 'report-email-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const workbookPath = join(folder, 'report.xlsx');
    const htmlPath = join(folder, 'report.html');
    await writeFile(workbookPath, '');
    await truncate(workbookPath, 35 * 1024 * 1024);
    await writeFile(htmlPath, HTML);
    const env = smtpEnv(smtp.port, {
      NOTIFICATIONS_LINK_BASE_URL: 'https://compliance.example.com',
      STORAGE_CONNECTION: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0a2V5;',
    });
    const result = sampleRun('current', new Date('2026-11-20T06:00:00Z'));
    const subject = await emailReport(
      { settings: settingsOf(env), secrets: settingSecrets(env) },
      {
        metadata: result.run,
        stored: { changes: { newlyFailing: [], resolved: [] } },
        htmlPath,
        workbookPath,
        previousScore: null,
      },
      { resolve: localhostOnly },
    );
    expect(subject).toMatch(/^Compliance /);
    const [message] = smtp.received;
    expect(message?.mail.attachments).toHaveLength(0);
    const link = `https://compliance.example.com/api/runs/${result.run.id}/report.xlsx`;
    expect(message?.mail.html).toContain(`href="${link}"`);
    expect(message?.mail.html).toContain(
      'The workbook (35.0 MB) is larger than the 10.0 MB attachment limit',
    );
    expect(message?.mail.text).toContain(`Workbook: ${link}`);
    expect(`${message?.mail.html} ${message?.mail.text}`).not.toMatch(/AccountKey|c2VjcmV0a2V5|sig=/);
  });

  it('refuses an SMTP host that resolves to loopback unless it is allow-listed', async () => {
    const smtp = await startSmtp();
    const env = smtpEnv(smtp.port, { NOTIFICATIONS_ALLOWED_HOSTS: '' });
    await expect(
      sendReportEmail(
        settingsOf(env),
        settingSecrets(env),
        { html: HTML, summary: SUMMARY },
        { resolve: localhostOnly },
      ),
    ).rejects.toThrow(OutboundBlockedError);
    expect(smtp.received).toHaveLength(0);
  });

  it('sends event e-mails to an email destination', async () => {
    const smtp = await startSmtp();
    const env = {
      ...notificationEnv([{ name: 'mail', type: 'email', url: 'mailto:secops@example.com' }]),
      ...smtpEnv(smtp.port, { NOTIFICATIONS_ALLOWED_HOSTS: 'localhost' }),
    };
    const store = await freshNotificationStore();
    const history = new RunHistory();
    const events = await history.plan(store, sampleRun('current', new Date('2026-11-20T06:00:00Z')));
    const settings = settingsOf(env);
    const clock = new FakeClock(new Date('2026-11-20T06:00:00Z'));
    const { messages } = await enqueueEvents(store, events, settings.destinations, { now: clock.now() });
    expect(messages).toHaveLength(1);
    const outcome = await deliverOutboxEntry(
      { store, settings, secrets: settingSecrets(env), clock: clock.now, resolve: localhostOnly },
      messages[0] ?? { outboxPartition: '', outboxRow: '' },
    );
    expect(outcome).toMatchObject({ outcome: 'delivered', detail: 'sent to 1 recipient(s)' });
    expect(smtp.received[0]?.mail.subject).toMatch(/^Compliance run completed: \d+\.\d%$/);
    expect(smtp.received[0]?.mail.text).toMatch(/newly failing/);
  });

  it('sends governance notices to an email destination (default events)', async () => {
    const smtp = await startSmtp();
    const env = {
      ...notificationEnv([{ name: 'mail', type: 'email', url: 'mailto:secops@example.com' }]),
      ...smtpEnv(smtp.port, { NOTIFICATIONS_ALLOWED_HOSTS: 'localhost' }),
    };
    const store = await freshNotificationStore();
    const asOf = '2026-11-20T06:00:00.000Z';
    const event: GovernanceEvent = {
      id: 'governance.expired.0123456789abcdef',
      type: 'governance.expired',
      timestamp: asOf,
      data: {
        dedupeKey: 'governance|ATT-3',
        run: { id: 'run-1', asOf, complete: true },
        recordId: 'ATT-3',
        kind: 'attestation',
        controlId: 'DS-08',
        controlTitle: 'Backups',
        owner: 'Sam Auditor',
        summary: 'Restore test done <b>quarterly</b>.',
        ticket: null,
        expires: '2026-11-19T00:00:00.000Z',
        daysLeft: -1,
        noticeDays: null,
        findingsApplied: 3,
        consequence: 'The attestation no longer applies.',
        reportLinks: {},
      },
    };
    const settings = settingsOf(env);
    const clock = new FakeClock(new Date(asOf));
    const { messages } = await enqueueEvents(store, [event], settings.destinations, { now: clock.now() });
    expect(messages).toHaveLength(1);
    const outcome = await deliverOutboxEntry(
      { store, settings, secrets: settingSecrets(env), clock: clock.now, resolve: localhostOnly },
      messages[0] ?? { outboxPartition: '', outboxRow: '' },
    );
    expect(outcome).toMatchObject({ outcome: 'delivered' });
    const mail = smtp.received[0]?.mail;
    expect(mail?.subject).toBe(
      'Governance record expired: Attestation ATT-3 for DS-08 expired 2026-11-19T00:00:00.000Z',
    );
    expect(mail?.text).toContain('Attested by: Sam Auditor');
    expect(String(mail?.html)).toContain('Restore test done &lt;b&gt;quarterly&lt;/b&gt;.');
  });
});
