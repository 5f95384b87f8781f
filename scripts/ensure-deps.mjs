// Installs the locked dependencies when node_modules is missing or older than package-lock.json.
// Runs under whatever Node.js is on PATH (the machine's own), before the project's Node 22 exists.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.deps-stamp');
const digest = createHash('sha256').update(readFileSync(lock)).digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === digest) process.exit(0);

process.stderr.write('Installing locked dependencies (npm ci)…\n');
execFileSync('npm', ['ci', '--no-fund', '--no-audit', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
writeFileSync(stamp, digest + '\n');
