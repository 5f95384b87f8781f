import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { generatedDocs } from '../../scripts/generateDocs.js';
import { CONTROLS } from '../../shared/catalog/controls.js';
import { REPOSITORY_ROOT as root } from '../repositoryReadGuard.js';

function markdownFiles(folder: string): string[] {
  return readdirSync(join(root, folder)).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(join(root, path)).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

describe('documentation', () => {
  it('matches what the catalog generates (run `npm run docs:generate` after changing the catalog)', async () => {
    const pages = await generatedDocs(root);
    expect(pages.size).toBe(CONTROLS.length + 3);
    for (const [path, text] of pages) {
      expect(existsSync(join(root, path)), `${path} is missing`).toBe(true);
      expect(readFileSync(join(root, path), 'utf8'), `${path} differs from the catalog`).toBe(text);
    }
  });

  it('lists every page under docs/ in the index the README links', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('(docs/README.md)');
    const index = readFileSync(join(root, 'docs', 'README.md'), 'utf8');
    for (const name of readdirSync(join(root, 'docs')).filter((file) => file.endsWith('.md'))) {
      if (name !== 'README.md') expect(index, name).toContain(`](${name})`);
    }
  });

  it('keeps every relative link of the README and docs pointing at a file of the repository', () => {
    const broken: string[] = [];
    for (const file of ['README.md', 'CHANGELOG.md', ...markdownFiles('docs')]) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (match[1] ?? '').split('#')[0] ?? '';
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        if (!existsSync(join(root, dirname(file), target))) broken.push(`${file} → ${match[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps the README under 8 KB, with the two quick-start commands and a screenshot of the report', () => {
    const readme = readFileSync(join(root, 'README.md'));
    expect(readme.length).toBeLessThan(8 * 1024);
    const text = readme.toString('utf8');
    expect(text).toContain('npm run demo');
    expect(text).toContain('npm test');
    const image = /!\[[^\]]+\]\(([^)]+\.png)\)/.exec(text)?.[1];
    expect(image && existsSync(join(root, image))).toBe(true);
  });

  it('gives every control a positive whole version, shown on its page', () => {
    for (const control of CONTROLS) {
      expect(Number.isInteger(control.version) && control.version >= 1, control.id).toBe(true);
      const page = readFileSync(join(root, 'docs', 'controls', `${control.id.toLowerCase()}.md`), 'utf8');
      expect(page).toMatch(new RegExp(`\\|\\s*${control.severity}\\s*\\|\\s*${control.version}\\s*\\|`));
    }
  });
});
