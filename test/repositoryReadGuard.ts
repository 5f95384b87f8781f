import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

import { afterEach, expect } from 'vitest';

/**
 * Every test runs with this guard (vitest `setupFiles`): reading, opening, copying or listing a
 * path outside the repository fails the test (a stat, such as a PATH lookup, is not a read), so the suite passes from a clone with nothing
 * beside it. System locations (the OS temporary folder, /dev, /proc, /sys, /usr, /etc, /lib) stay
 * readable: tests write scratch files to the temporary folder and Chromium, LibreOffice and the
 * resolver live in the system folders.
 */
export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const ALLOWED_OUTSIDE = [
  tmpdir(),
  '/tmp',
  '/var/tmp',
  '/dev',
  '/proc',
  '/sys',
  '/usr',
  '/etc',
  '/lib',
  '/lib64',
  '/bin',
  '/opt',
  '/run',
].map((path) => resolve(path));

const within = (path: string, folder: string): boolean => {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

const PARENT = dirname(REPOSITORY_ROOT);
/** False only when the repository sits directly in a system folder (e.g. /tmp/<clone>). */
const SIBLINGS_FORBIDDEN = !ALLOWED_OUTSIDE.includes(PARENT);

/** True when reading `target` is allowed: inside the repository, or a system location. */
export function isAllowedRead(target: unknown): boolean {
  let path: string;
  if (typeof target === 'string') path = target;
  else if (target instanceof URL) {
    if (target.protocol !== 'file:') return true;
    path = fileURLToPath(target);
  } else if (Buffer.isBuffer(target)) path = target.toString('utf8');
  else return true; // file descriptors and handles were checked when opened
  const absolute = resolve(path);
  // (TypeScript probes whether the file system ignores case by stat-ing an upper-cased path.)
  if (within(absolute.toLowerCase(), REPOSITORY_ROOT.toLowerCase())) return true;
  // Beside the repository is never allowed, even when the clone itself sits in a temporary folder.
  if (SIBLINGS_FORBIDDEN && within(absolute, PARENT)) return false;
  return ALLOWED_OUTSIDE.some((folder) => within(absolute, folder));
}

const outsideReads: string[] = [];

type AnyFunction = (...args: unknown[]) => unknown;

function guard(owner: Record<string, unknown>, names: readonly string[], label: string): void {
  for (const name of names) {
    const original = owner[name];
    if (typeof original !== 'function') continue;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      if (!isAllowedRead(args[0])) {
        const shown = String(args[0]);
        outsideReads.push(`${label}.${name}(${shown})`);
        const error = Object.assign(new Error(`read outside the repository: ${shown}`), { code: 'EACCES' });
        if (label === 'fs.promises') return Promise.reject(error);
        throw error;
      }
      return (original as AnyFunction).apply(this, args);
    };
    Object.defineProperty(wrapped, 'name', { value: name });
    owner[name] = wrapped;
  }
}

const READS = [
  'readFile',
  'readFileSync',
  'createReadStream',
  'open',
  'openSync',
  'opendir',
  'opendirSync',
  'readdir',
  'readdirSync',
  'copyFile',
  'copyFileSync',
  'cp',
  'cpSync',
] as const;

guard(fs as unknown as Record<string, unknown>, READS, 'fs');
guard(fs.promises as unknown as Record<string, unknown>, READS, 'fs.promises');
syncBuiltinESMExports();

afterEach(() => {
  const found = takeOutsideReads();
  expect(found, 'files read outside the repository').toEqual([]);
});

/** Takes the reads recorded so far (the guard's own test reads outside on purpose). */
export function takeOutsideReads(): string[] {
  return outsideReads.splice(0);
}
