import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { parseNotificationSettings } from '../../shared/notifications/index.js';
import { parseAppSettings } from '../../shared/app/appSettings.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('local.settings.sample.json', () => {
  it('is a valid configuration of the app as shipped', async () => {
    const sample = JSON.parse(await readFile(join(ROOT, 'local.settings.sample.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    const app = parseAppSettings(sample.Values);
    expect(app.scanSchedule).toBe('0 0 2 * * *');
    expect(app.scope).toEqual({ kind: 'tenant' });
    expect(parseNotificationSettings(sample.Values).destinations).toEqual([]);
  });

  it('lists every setting the README documents for the app', async () => {
    const sample = JSON.parse(await readFile(join(ROOT, 'local.settings.sample.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    for (const key of Object.keys(sample.Values)) {
      if (key === 'FUNCTIONS_WORKER_RUNTIME' || key === 'SMTP_PASSWORD') continue;
      expect(readme, key).toContain(key);
    }
  });
});
