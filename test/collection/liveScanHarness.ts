import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runScanCommand } from '../../cli/runScanCommand.js';
import type { CommandIo } from '../../cli/commandIo.js';
import type { Finding } from '../../shared/catalog/types.js';
import type { RunMetadata } from '../../shared/scan/scanResult.js';

export interface ScanOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
  run: RunMetadata;
  findings: Finding[];
}

export const AS_OF = '2026-11-20T06:00:00Z';

/** Runs the real scan command in-process with a given environment and reads back findings.json. */
export async function scan(argv: string[], env: Record<string, string>): Promise<ScanOutput> {
  const [output] = await scanTogether([argv], env);
  if (!output) throw new Error('no scan output');
  return output;
}

/**
 * Runs several scans at once in this process, each with its own readers and quota pacer, the way
 * separate processes (the CLI, Functions instances) share one identity's Resource Graph quota.
 */
export async function scanTogether(argvs: string[][], env: Record<string, string>): Promise<ScanOutput[]> {
  // The credential chain reads the managed-identity variables from the process environment.
  const saved = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await Promise.all(argvs.map((argv) => scanOnce(argv, env)));
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  }
}

async function scanOnce(argv: string[], env: Record<string, string>): Promise<ScanOutput> {
  const out = await mkdtemp(join(tmpdir(), 'live-scan-'));
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    interactive: false,
    now: () => new Date(),
    env,
  };
  try {
    const exitCode = await runScanCommand([...argv, '--out', out, '--as-of', AS_OF], io);
    let document: { run: RunMetadata; findings: Finding[] } = { run: {} as RunMetadata, findings: [] };
    try {
      document = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as typeof document;
    } catch {
      // no findings.json: the caller asserts on the exit code
    }
    return { exitCode, stdout, stderr, run: document.run, findings: document.findings };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** The offline scan of the same resources, for comparison. */
export async function scanOffline(resources: unknown[], extraArgs: string[] = []): Promise<ScanOutput> {
  const folder = await mkdtemp(join(tmpdir(), 'offline-inventory-'));
  try {
    const file = join(folder, 'snapshot.json');
    await writeFile(file, JSON.stringify(resources));
    return await scan(['--inventory', file, ...extraArgs], {});
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Findings keyed and stripped of nothing: the comparison is on every field. */
export function byKey(findings: Finding[]): Map<string, Finding> {
  return new Map(
    findings.map((finding) => [`${finding.clusterId.toLowerCase()}|${finding.controlId}`, finding]),
  );
}

/** Fast retry settings for tests (the defaults wait seconds). */
export const FAST_RETRIES = {
  RETRY_BASE_DELAY_MS: '5',
  RETRY_MAX_DELAY_MS: '50',
  RETRY_MAX_ATTEMPTS: '8',
};
