import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

import { LAYERS, forbiddenFor } from '../../scripts/importLayers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const layered = LAYERS.flat();

function trackedSources(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*.ts'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '' && !file.endsWith('.d.ts') && !file.startsWith('test/'));
}

/** The layered folder a repository path belongs to (`shared/x/…` → `shared/x`, `cli/…` → `cli`). */
function folderOf(path: string): string | undefined {
  const parts = path.split('/');
  const folder = parts[0] === 'shared' ? `shared/${parts[1]}` : parts[0];
  return parts.length > (parts[0] === 'shared' ? 2 : 1) ? folder : undefined;
}

/** Every relative module a file names: static imports, re-exports and dynamic imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)) {
    found.push(
      relative(root, join(root, dirname(file), match[2] ?? ''))
        .split('\\')
        .join('/'),
    );
  }
  return found;
}

describe('import layers', () => {
  it('puts every code folder in exactly one layer', () => {
    const folders = new Set(
      trackedSources()
        .map(folderOf)
        .filter((folder) => folder !== undefined),
    );
    expect([...folders].filter((folder) => !layered.includes(folder)).sort()).toEqual([]);
    expect(new Set(layered).size).toBe(layered.length);
  });

  it('has no import pointing sideways or upwards between folders (static or dynamic)', () => {
    const backArrows: string[] = [];
    for (const file of trackedSources()) {
      const from = folderOf(file);
      if (!from) continue;
      const forbidden = new Set(forbiddenFor(from));
      for (const target of importsOf(file)) {
        const to = folderOf(target);
        if (to && forbidden.has(to)) backArrows.push(`${file} → ${target}`);
      }
    }
    expect(backArrows).toEqual([]);
  });

  it('makes ESLint reject an upward or sideways import in every layered folder', async () => {
    const eslint = new ESLint({ cwd: root });
    const cases = [
      {
        file: 'shared/catalog/probe.ts',
        source: "import type { HistoryStore } from '../storage/historyStore.js';",
      },
      { file: 'shared/evaluation/controls/probe.ts', source: "import { x } from '../../collection/x.js';" },
      { file: 'shared/findings/probe.ts', source: "export { y } from '../reports/y.js';" },
      { file: 'functions/probe.ts', source: "import { z } from '../cli/z.js';" },
      { file: 'shared/app/probe.ts', source: "import { w } from '../../cli/w.js';" },
    ];
    for (const { file, source } of cases) {
      const [result] = await eslint.lintText(`${source}\n`, { filePath: join(root, file) });
      const rules = (result?.messages ?? []).map((message) => message.ruleId);
      expect(rules, `${file}: ${source}`).toContain('no-restricted-imports');
    }
    const [allowed] = await eslint.lintText("import type { Finding } from '../catalog/types.js';\n", {
      filePath: join(root, 'shared/storage/probe.ts'),
    });
    expect(allowed).toBeDefined();
    expect((allowed?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports')).toEqual(
      [],
    );
  }, 60_000);

  it('is described layer by layer, in the same order, in docs/architecture.md', () => {
    const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    const table = doc.slice(doc.indexOf('<!-- layers:start -->'), doc.indexOf('<!-- layers:end -->'));
    const rows = table
      .split('\n')
      .filter((line) => /^\|\s*\d+/.test(line))
      .map((line) => [...(line.split('|')[2] ?? '').matchAll(/`([^`]+)\/`/g)].map((match) => match[1]));
    expect(rows).toEqual(LAYERS.map((layer) => [...layer]));
  });
});
