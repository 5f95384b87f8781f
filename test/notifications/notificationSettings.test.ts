import { describe, expect, it } from 'vitest';

import { parseNotificationSettings } from '../../shared/notifications/notificationSettings.js';
import { ConfigurationError } from '../../shared/config/configurationError.js';
import { newWebhookSecret } from './fakeReceivers.js';

const SUBSCRIPTION = 'b77901c8-0e14-551d-b793-41f4cb2fd39c';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseNotificationSettings(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseNotificationSettings', () => {
  it('reads a valid list of every destination type with defaults', () => {
    const env = {
      NOTIFICATION_DESTINATIONS: JSON.stringify([
        { name: 'hooks', type: 'webhook', url: 'https://hooks.example.com/in', secretSetting: 'HOOK_SECRET' },
        {
          name: 'jira',
          type: 'jira',
          url: 'https://acme.atlassian.net',
          secretSetting: 'JIRA_CREDENTIALS',
          projectKey: 'SEC',
          minimumSeverity: 'high',
          subscriptionIds: [SUBSCRIPTION.toUpperCase()],
        },
        {
          name: 'snow',
          type: 'servicenow',
          url: 'https://acme.service-now.com',
          secretSetting: 'SNOW_CREDENTIALS',
          clusterKinds: ['arc', 'aks-arc'],
          reopenState: 1,
        },
        { name: 'teams', type: 'teams', secretSetting: 'TEAMS_URL' },
        { name: 'mail', type: 'email', url: 'mailto:ops@example.com,sec@example.com' },
      ]),
      HOOK_SECRET: `${newWebhookSecret()} ${newWebhookSecret()}`,
      JIRA_CREDENTIALS: 'bot@example.com:token-value',
      SNOW_CREDENTIALS: 'integration:password-value',
      TEAMS_URL:
        'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=xyz',
      SMTP_HOST: 'smtp.example.com',
      REPORT_EMAIL_FROM: 'Compliance <compliance@example.com>',
      REPORT_EMAIL_TO: 'ciso@example.com; auditors@example.com',
    };
    const settings = parseNotificationSettings(env);
    expect(settings.destinations.map((d) => d.type)).toEqual([
      'webhook',
      'jira',
      'servicenow',
      'teams',
      'email',
    ]);
    const [hooks, jira, snow, teams, mail] = settings.destinations;
    // A webhook takes every event type by default, the governance notices included.
    expect(hooks?.events).toHaveLength(8);
    expect(hooks?.events).toEqual(expect.arrayContaining(['governance.expiring', 'governance.expired']));
    expect(jira).toMatchObject({
      type: 'jira',
      doneTransition: 'Done',
      reopenTransitions: ['Reopen', 'To Do'],
      issueType: 'Task',
      subscriptionIds: [SUBSCRIPTION],
      timeoutMs: 10_000,
    });
    expect(jira?.events).toEqual([
      'finding.opened',
      'finding.updated',
      'finding.resolved',
      'finding.reopened',
    ]);
    expect(snow).toMatchObject({
      reopenState: 1,
      closeCode: 'Solution provided',
      clusterKinds: ['arc', 'aks-arc'],
    });
    expect(teams).toMatchObject({ url: '', secretSetting: 'TEAMS_URL' });
    expect(mail).toMatchObject({ recipients: ['ops@example.com', 'sec@example.com'] });
    expect(mail?.events).toEqual([
      'run.completed',
      'run.partial',
      'governance.expiring',
      'governance.expired',
    ]);
    expect(settings.delivery).toMatchObject({ maxAttempts: 10, retryBaseMs: 30_000, retryMaxMs: 3_600_000 });
    expect(settings.outbound).toEqual({ allowHttpLoopback: false, allowedHosts: [] });
    expect(settings.smtp).toMatchObject({
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      requireTls: true,
    });
    expect(settings.reportEmail).toEqual({
      to: ['ciso@example.com', 'auditors@example.com'],
      maxAttachmentBytes: 10 * 1024 * 1024,
    });
  });

  it('is empty without destinations', () => {
    expect(parseNotificationSettings({}).destinations).toEqual([]);
  });

  it('reports every bad entry and key at once, and never echoes a secret', () => {
    const secret = 'whsec_not-really-base64!!';
    const problems = problemsOf({
      NOTIFICATION_DESTINATIONS: JSON.stringify([
        { name: 'a', type: 'webhook', url: 'http://hooks.example.com/in', secretSetting: 'A_SECRET' },
        {
          name: 'b',
          type: 'jira',
          url: 'https://user:pw@acme.atlassian.net',
          secretSetting: 'B',
          projectKey: 'lower',
        },
        { name: 'c', type: 'teams', url: 'https://x.logic.azure.com/workflows/1?api-version=1&sig=abc' },
        {
          name: 'd',
          type: 'servicenow',
          url: 'https://acme.service-now.com',
          secretSetting: 'user:password',
        },
        {
          name: 'e',
          type: 'webhook',
          url: 'https://e.example.com',
          secretSetting: 'E',
          events: ['run.exploded'],
        },
        { name: 'a', type: 'pager', url: 'https://p.example.com' },
        {
          name: 'f',
          type: 'jira',
          url: 'https://f.example.com',
          secretSetting: 'F',
          projectKey: 'OPS',
          events: ['run.completed'],
          colour: 'red',
        },
        'not an object',
      ]),
      A_SECRET: secret,
      NOTIFICATIONS_MAX_ATTEMPTS: '0',
      NOTIFICATIONS_ALLOW_HTTP_LOOPBACK: 'maybe',
      REPORT_EMAIL_TO: 'someone@example.com',
    });
    const text = problems.join('\n');
    expect(text).not.toContain('not-really-base64');
    for (const expected of [
      /\[0\] \("a"\): url must be https/,
      /\[0\] \("a"\): secret 1 in A_SECRET is not a Standard Webhooks secret/,
      /\[1\] \("b"\): url must not carry a user name or password/,
      /\[1\] \("b"\): secretSetting names B, which is not set/,
      /\[1\] \("b"\): projectKey must be a Jira project key/,
      /\[2\] \("c"\): url carries a credential in its query \(sig\)/,
      /\[3\] \("d"\): secretSetting must be the NAME of a setting/,
      /\[4\] \("e"\): event "run.exploded" is not one a webhook destination takes/,
      /\[5\] \("a"\): type must be one of webhook, jira, servicenow, teams, email/,
      /\[6\] \("f"\): unknown key "colour"/,
      /\[6\] \("f"\): event "run.completed" is not one a jira destination takes/,
      /\[7\]: must be an object/,
      /NOTIFICATIONS_MAX_ATTEMPTS must be a whole number from 1 to 100/,
      /NOTIFICATIONS_ALLOW_HTTP_LOOPBACK must be true or false/,
      /REPORT_EMAIL_TO needs SMTP_HOST/,
    ])
      expect(text).toMatch(expected);
  });

  it('rejects duplicate names, malformed JSON and a missing secret setting for a signed webhook', () => {
    expect(problemsOf({ NOTIFICATION_DESTINATIONS: '[{"name":' })[0]).toMatch(/not JSON/);
    const problems = problemsOf({
      NOTIFICATION_DESTINATIONS: JSON.stringify([
        { name: 'Same', type: 'teams', url: 'https://a.example.com/x' },
        { name: 'same', type: 'teams', url: 'https://b.example.com/x' },
        { name: 'nosecret', type: 'webhook', url: 'https://c.example.com/x' },
      ]),
    });
    expect(problems).toEqual([
      'NOTIFICATION_DESTINATIONS[1]: name "same" is used twice',
      'NOTIFICATION_DESTINATIONS[2] ("nosecret"): secretSetting is required for a webhook destination (the name of the setting with the secret)',
    ]);
  });

  it('allows plain http only in development mode, and validates the allow-list and SMTP', () => {
    const destinations = JSON.stringify([
      { name: 'local', type: 'teams', url: 'http://127.0.0.1:8080/hook' },
    ]);
    expect(problemsOf({ NOTIFICATION_DESTINATIONS: destinations })[0]).toMatch(
      /url must be https, got http:/,
    );
    const settings = parseNotificationSettings({
      NOTIFICATION_DESTINATIONS: destinations,
      NOTIFICATIONS_ALLOW_HTTP_LOOPBACK: 'true',
      NOTIFICATIONS_ALLOWED_HOSTS: '127.0.0.1, Jira.Internal.Example.com [::1]',
    });
    expect(settings.outbound.allowedHosts).toEqual(['127.0.0.1', 'jira.internal.example.com', '::1']);
    const problems = problemsOf({
      NOTIFICATIONS_ALLOWED_HOSTS: 'bad_host!',
      SMTP_HOST: 'smtp.example.com',
      SMTP_REQUIRE_TLS: 'false',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD_SETTING: 'SMTP_PASSWORD',
    });
    expect(problems).toEqual([
      'NOTIFICATIONS_ALLOWED_HOSTS: "bad_host!" is not a host name or IP address',
      'SMTP_REQUIRE_TLS=false is allowed only for a loopback SMTP_HOST',
      'SMTP_PASSWORD_SETTING names SMTP_PASSWORD, which is not set',
      'REPORT_EMAIL_FROM must be an e-mail address (needed with SMTP_HOST)',
    ]);
  });
});

describe('payload size settings', () => {
  const hook = (extra: Record<string, unknown> = {}): string =>
    JSON.stringify([
      { name: 'hooks', type: 'webhook', url: 'https://hooks.example.com/in', secretSetting: 'S', ...extra },
    ]);
  const secret = newWebhookSecret();

  it('caps webhook bodies at 256 KB by default, globally or per destination otherwise', () => {
    const body = (env: Record<string, string>): number | undefined => {
      const [destination] = parseNotificationSettings({ S: secret, ...env }).destinations;
      return destination?.type === 'webhook' ? destination.maxBodyBytes : undefined;
    };
    expect(body({ NOTIFICATION_DESTINATIONS: hook() })).toBe(256 * 1024);
    expect(body({ NOTIFICATION_DESTINATIONS: hook(), NOTIFICATIONS_WEBHOOK_MAX_BODY_KB: '64' })).toBe(
      64 * 1024,
    );
    expect(body({ NOTIFICATION_DESTINATIONS: hook({ maxBodyKb: 32 }) })).toBe(32 * 1024);
    expect(
      problemsOf({ S: secret, NOTIFICATION_DESTINATIONS: hook(), NOTIFICATIONS_WEBHOOK_MAX_BODY_KB: '1' }),
    ).toEqual([
      expect.stringMatching(/NOTIFICATIONS_WEBHOOK_MAX_BODY_KB must be a whole number from 16 to 10240/),
    ]);
    expect(problemsOf({ S: secret, NOTIFICATION_DESTINATIONS: hook({ maxBodyKb: 'big' }) })).toEqual([
      expect.stringMatching(/maxBodyKb/),
    ]);
  });

  it('takes the link base from NOTIFICATIONS_LINK_BASE_URL (https, no user, query or fragment) or the App Service host', () => {
    expect(parseNotificationSettings({}).linkBaseUrl).toBeNull();
    expect(parseNotificationSettings({ WEBSITE_HOSTNAME: 'compliance.azurewebsites.net' }).linkBaseUrl).toBe(
      'https://compliance.azurewebsites.net',
    );
    expect(
      parseNotificationSettings({
        NOTIFICATIONS_LINK_BASE_URL: 'https://reports.example.com/compliance/',
        WEBSITE_HOSTNAME: 'x.azurewebsites.net',
      }).linkBaseUrl,
    ).toBe('https://reports.example.com/compliance');
    for (const bad of [
      'http://x.example.com',
      'https://u:p@x.example.com',
      'https://x.example.com/?code=1',
      'nope',
    ])
      expect(problemsOf({ NOTIFICATIONS_LINK_BASE_URL: bad })).toEqual([
        expect.stringMatching(/NOTIFICATIONS_LINK_BASE_URL must be an https URL/),
      ]);
  });
});
