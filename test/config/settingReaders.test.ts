import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseAppSettings } from '../../shared/app/appSettings.js';
import { ConfigurationError } from '../../shared/config/configurationError.js';
import { readSecret, settingSecrets, MissingSecretError } from '../../shared/config/secretSource.js';
import {
  readBoolean,
  readDuration,
  readInteger,
  readList,
  readUrl,
  splitList,
} from '../../shared/config/settingReaders.js';
import { parseScanSettings } from '../../shared/settings/scanSettings.js';

function problemsOf(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

const VALID_APP = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};

describe('setting readers', () => {
  it('accept exactly the whole numbers in range, and name the key and value of anything else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.oneof(
          fc.integer({ min: -2000, max: 2000 }).map(String),
          fc.double({ noNaN: false }).map(String),
          fc.string(),
        ),
        (min, width, raw) => {
          const max = min + width;
          const problems: string[] = [];
          const value = readInteger({ KEY: raw }, 'KEY', min, min, max, problems);
          const number = Number(raw.trim());
          const valid = raw.trim() === '' || (Number.isInteger(number) && number >= min && number <= max);
          expect(problems.length === 0).toBe(valid);
          if (valid && raw.trim() !== '') expect(value).toBe(number);
          if (!valid) {
            expect(value).toBe(min);
            expect(problems[0]).toContain('KEY');
          }
        },
      ),
    );
  });

  it('split every list on the one separator: commas, semicolons and white space', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/), { maxLength: 8 }),
        fc.array(fc.constantFrom(',', ';', ' ', '\t', '\n', ', ', ' ;'), { minLength: 8, maxLength: 8 }),
        (items, separators) => {
          const text = items.map((item, index) => `${item}${separators[index]}`).join('');
          expect(splitList(text)).toEqual(items);
          expect(readList({ LIST: text }, 'LIST')).toEqual(items);
        },
      ),
    );
  });

  it('read booleans, durations and URLs, collecting one problem per bad key', () => {
    const problems: string[] = [];
    const env = { ON: 'Yes', OFF: '0', BAD: 'maybe', T_SECONDS: '5', T_MINUTES: '2', URL: 'http://x.test' };
    expect(readBoolean(env, 'ON', false, problems)).toBe(true);
    expect(readBoolean(env, 'OFF', true, problems)).toBe(false);
    expect(readBoolean(env, 'BAD', true, problems)).toBe(true);
    expect(readDuration(env, 'T_SECONDS', 'seconds', 1, 1, 10, problems)).toBe(5000);
    expect(readDuration(env, 'T_MINUTES', 'minutes', 1, 1, 10, problems)).toBe(120_000);
    expect(readUrl(env, 'URL', undefined, problems)).toBeUndefined();
    expect(readUrl(env, 'URL', undefined, problems, { protocols: ['http:'] })?.host).toBe('x.test');
    expect(readUrl({ U: 'https://a.test/?q=1' }, 'U', undefined, problems, { plain: true })).toBeUndefined();
    expect(problems).toEqual([
      'BAD must be true or false, got "maybe"',
      'URL must be an https URL, got "http://x.test"',
      'U must not carry a query, fragment or credentials',
    ]);
  });

  it('read secrets by setting name only, never inheriting from the object prototype', () => {
    const secrets = settingSecrets({ HOOK: ' whsec_abc ', EMPTY: ' ' });
    expect(secrets.secret('HOOK')).toBe('whsec_abc');
    expect(secrets.secret('EMPTY')).toBeUndefined();
    expect(secrets.secret('toString')).toBeUndefined();
    expect(() => readSecret(secrets, 'MISSING')).toThrow(MissingSecretError);
  });
});

describe('the app settings loader', () => {
  it('reports every bad key of every kind at once: app, live, storage, scan, notification, governance and Azure Monitor settings', () => {
    const problems = problemsOf(() =>
      parseAppSettings({
        ...VALID_APP,
        RUN_TIMEOUT_MINUTES: 'soon',
        RESOURCE_GRAPH_PAGE_SIZE: '0',
        ARM_ENDPOINT: 'http://management.example',
        RETENTION_DAYS: '-1',
        STORAGE_CONNECTION: 'not a connection string',
        SCAN_SETTINGS_JSON: JSON.stringify({
          thresholds: { maxDaysOffline: -1, maxAgentMinorVersionsBehind: 'x' },
        }),
        NOTIFICATIONS_MAX_ATTEMPTS: '0',
        NOTIFICATIONS_WEBHOOK_MAX_BODY_KB: '8',
        NOTIFICATIONS_LINK_BASE_URL: 'http://reports.example.com',
        NOTIFICATIONS_OUTBOX_RETENTION_DAYS: '0',
        NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS: 'many',
        REPORT_EMAIL_TO: 'audit@example.com',
        REPORT_EMAIL_MAX_ATTACHMENT_MB: '1000',
        GOVERNANCE_MAX_EXCEPTION_DAYS: '0',
        MONITOR_INGESTION_ENDPOINT: 'http://ingest.example.com',
        MONITOR_DCR_IMMUTABLE_ID: 'dcr-1',
        NOTIFICATION_DESTINATIONS: JSON.stringify([
          { name: 'hook', type: 'webhook', url: 'https://hooks.example.com', secretSetting: 'UNSET_SECRET' },
          {
            name: 'big',
            type: 'webhook',
            url: 'https://hooks.example.com',
            secretSetting: 'HOOK_SECRET',
            maxBodyKb: 1,
          },
          { name: 'jira', type: 'jira', url: 'https://acme.atlassian.net' },
        ]),
      }),
    );
    const expected = [
      /^RUN_TIMEOUT_MINUTES /,
      /^RESOURCE_GRAPH_PAGE_SIZE /,
      /^ARM_ENDPOINT /,
      /^RETENTION_DAYS /,
      /^STORAGE_CONNECTION /,
      /^thresholds\.maxDaysOffline /,
      /^thresholds\.maxAgentMinorVersionsBehind /,
      /^NOTIFICATIONS_MAX_ATTEMPTS /,
      /^NOTIFICATIONS_WEBHOOK_MAX_BODY_KB /,
      /^NOTIFICATIONS_LINK_BASE_URL /,
      /^NOTIFICATIONS_OUTBOX_RETENTION_DAYS /,
      /^NOTIFICATIONS_CLOSE_REMOVED_AFTER_RUNS /,
      /^REPORT_EMAIL_MAX_ATTACHMENT_MB /,
      /^GOVERNANCE_MAX_EXCEPTION_DAYS /,
      /^MONITOR_INGESTION_ENDPOINT /,
      /^MONITOR_DCR_IMMUTABLE_ID /,
      /^NOTIFICATION_DESTINATIONS\[0\] \("hook"\): secretSetting names UNSET_SECRET, which is not set/,
      /^NOTIFICATION_DESTINATIONS\[1\] \("big"\): maxBodyKb /,
      /^NOTIFICATION_DESTINATIONS\[2\] \("jira"\): secretSetting is required/,
      /^NOTIFICATION_DESTINATIONS\[2\] \("jira"\): projectKey/,
    ];
    for (const pattern of expected)
      expect(
        problems.some((problem) => pattern.test(problem)),
        String(pattern),
      ).toBe(true);
  });

  it('returns the validated notification settings with the rest', () => {
    const settings = parseAppSettings({
      ...VALID_APP,
      NOTIFICATIONS_ALLOWED_HOSTS: 'a.example.com;b.example.com c.example.com',
    });
    expect(settings.notifications.outbound.allowedHosts).toEqual([
      'a.example.com',
      'b.example.com',
      'c.example.com',
    ]);
    expect(settings.notifications.destinations).toEqual([]);
  });

  it('reports every bad scan setting at once with the one error type', () => {
    const problems = problemsOf(() =>
      parseScanSettings({ thresholds: { maxDaysOffline: 'x', minimumAgentVersion: 7 }, azureLocalHosts: [] }),
    );
    expect(problems).toHaveLength(3);
  });
});
