import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { CommandIo } from '../../cli/commandIo.js';
import { runScanCommand } from '../../cli/runScanCommand.js';
import { NOW } from '../findings/mixedFleet.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the scan command with captured output and a fixed clock. */
export async function runCli(argv: string[], now: Date = NOW): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    interactive: false,
    now: () => new Date(now.getTime()),
    // No Azure settings from the machine running the tests.
    env: {},
  };
  const code = await runScanCommand(argv, io);
  return { code, stdout, stderr };
}

export async function writeJsonFile(path: string, value: unknown): Promise<string> {
  await writeFile(path, JSON.stringify(value, null, 2), 'utf8');
  return path;
}

export async function readJsonFile(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/** Names in a directory, or undefined when it does not exist. */
export async function listDirectory(path: string): Promise<string[] | undefined> {
  try {
    return (await readdir(path)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function outputs(dir: string): { json: string; csv: string } {
  return { json: join(dir, 'findings.json'), csv: join(dir, 'findings.csv') };
}
