import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { REPOSITORY_ROOT, isAllowedRead, takeOutsideReads } from '../repositoryReadGuard.js';

const root = REPOSITORY_ROOT;

function trackedTextFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter(
      (file) => file !== '' && file !== 'package-lock.json' && !/\.(png|jpe?g|gif|xlsx|ico|pdf)$/i.test(file),
    )
    .filter((file) => existsSync(join(root, file)));
}

const escapes = (path: string): boolean => {
  const rel = relative(root, path);
  return rel.startsWith('..') || isAbsolute(rel);
};

/** Paths naming places on a particular machine rather than in the repository. */
const MACHINE_PATH = /(?:^|[\s'"`(=:[])(\/(?:work|home|Users|root|mnt|srv)\/[\w.-]+|[A-Za-z]:\\\\Users\\\\)/;
/** Relative paths, in code or prose: one or more `../` then something. */
const RELATIVE_PATH = /(?:^|[\s'"`(=:[])((?:\.\.\/)+[\w.*-][^\s'"`)\]]*)/g;

describe('a clone with nothing beside it', () => {
  it('names no path outside the repository in any tracked file', () => {
    const found: string[] = [];
    for (const file of trackedTextFiles()) {
      const text = readFileSync(join(root, file), 'utf8');
      const lines = text.split('\n');
      lines.forEach((line, index) => {
        const machine = MACHINE_PATH.exec(line);
        if (machine) found.push(`${file}:${index + 1}: ${machine[1]}`);
        for (const match of line.matchAll(RELATIVE_PATH)) {
          const path = match[1] ?? '';
          if (escapes(resolve(root, dirname(file), path))) found.push(`${file}:${index + 1}: ${path}`);
        }
      });
    }
    expect(found).toEqual([]);
  });

  it('fails a test that reads a file outside the repository, and allows the repository and temp folders', async () => {
    const beside = join(root, '..', 'elsewhere', 'notes.md');
    expect(isAllowedRead(beside)).toBe(false);
    expect(isAllowedRead(new URL(`file://${beside}`))).toBe(false);
    expect(isAllowedRead(join(root, 'package.json'))).toBe(true);
    expect(isAllowedRead(join(tmpdir(), 'scratch.json'))).toBe(true);
    expect(() => readFileSync(beside)).toThrow(/outside the repository/);
    await expect(readFile(beside)).rejects.toThrow(/outside the repository/);
    expect(() => readdirSync(join(root, '..'))).toThrow(/outside the repository/);
    const recorded = takeOutsideReads();
    expect(recorded).toHaveLength(3);
    expect(recorded.every((entry) => entry.includes(join(root, '..')))).toBe(true);
  });
});
