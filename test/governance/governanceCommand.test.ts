import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CommandIo } from '../../cli/commandIo.js';
import { runGovernanceCommand } from '../../cli/runGovernanceCommand.js';
import { readGovernanceDocument } from '../../shared/governance/governanceDocument.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';
import { renderSampleGovernance } from '../../sample/sampleGovernance.js';

const NOW = new Date('2026-11-20T06:00:00Z');
let dir = '';
let env: Record<string, string> = {};

beforeEach(async () => {
  dir = await makeTempDir('arc-dc-govcmd-');
  env = {
    STORAGE_CONNECTION: process.env.STORAGE_TEST_CONNECTION ?? '',
    STORAGE_TABLE_PREFIX: `c${randomBytes(5).toString('hex')}`,
    USER: 'pipeline',
  };
});
afterEach(async () => removeTempDir(dir));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    interactive: false,
    now: () => NOW,
    env,
  };
  return { code: await runGovernanceCommand(argv, io), stdout, stderr };
}

describe('npm run governance', () => {
  it('imports a file idempotently and exports the approved records back', async () => {
    const file = join(dir, 'governance.yaml');
    // The expired sample exception cannot be created; a file without it imports.
    const text = renderSampleGovernance(NOW).replace(
      / {2}- id: EXC-2026-003[\s\S]*?(?= {2}- id: EXC-2026-030)/,
      '',
    );
    await writeFile(file, text);
    const first = await run(['import', file]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('8 created, 0 updated, 0 unchanged');
    expect((await run(['import', file])).stdout).toContain('0 created, 0 updated, 8 unchanged');
    const exported = join(dir, 'export.json');
    expect((await run(['export', exported])).code).toBe(0);
    const records = readGovernanceDocument(await readFile(exported, 'utf8'), 'export.json', {
      now: NOW,
      mode: 'load',
    });
    expect(records.map((record) => record.id).sort()).toEqual(
      readGovernanceDocument(text, 'governance.yaml', { now: NOW, mode: 'load' })
        .map((record) => record.id)
        .sort(),
    );
  });

  it('refuses an invalid file or an expired new record with exit 2 and imports nothing', async () => {
    const file = join(dir, 'governance.yaml');
    await writeFile(file, renderSampleGovernance(NOW));
    const expired = await run(['import', file]);
    expect(expired.code).toBe(2);
    expect(expired.stderr).toContain('EXC-2026-003: expired on');
    expect(expired.stderr).toContain('Nothing was imported.');
    const exported = await run(['export']);
    expect(exported.stdout).toBe('exceptions: []\nattestations: []\n');
    await writeFile(file, 'exceptions:\n  - id: X\n    control: DS-05\n');
    const invalid = await run(['import', file]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/governance\.yaml: exceptions\[0\] \(X\): scope is required/);
    expect((await run(['nonsense'])).code).toBe(2);
    expect((await run(['import'])).code).toBe(2);
  });
});
