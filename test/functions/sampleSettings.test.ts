import { readdir, readFile } from 'node:fs/promises';
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

  it('lists every setting the README and docs document for the app', async () => {
    const sample = JSON.parse(await readFile(join(ROOT, 'local.settings.sample.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    // The README and the documents under docs/ that it links.
    const docs = (await readdir(join(ROOT, 'docs'))).filter((name) => name.endsWith('.md'));
    const readme = (
      await Promise.all(
        ['README.md', ...docs.map((name) => join('docs', name))].map((path) =>
          readFile(join(ROOT, path), 'utf8'),
        ),
      )
    ).join('\n');
    for (const key of Object.keys(sample.Values)) {
      if (key === 'FUNCTIONS_WORKER_RUNTIME' || key === 'SMTP_PASSWORD') continue;
      expect(readme, key).toContain(key);
    }
  });
});
