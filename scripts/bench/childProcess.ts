import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** A line a child printed, with when it arrived (milliseconds since the child started). */
export interface TimedLine {
  at: number;
  text: string;
}

export interface BenchChild {
  role: string;
  process: ChildProcess;
  started: number;
  stdout: TimedLine[];
  stderr: TimedLine[];
  /** The next stdout line not yet taken. */
  nextLine(timeoutMs?: number): Promise<string>;
  exited: Promise<number>;
}

export interface SpawnOptions {
  env: Record<string, string | undefined>;
  rssFile: string;
  /** Echo the child's stderr, prefixed with its role. */
  echo?: boolean;
  /** Record the child's own peak RSS (default true); its own children may still record theirs. */
  recordPeakRss?: boolean;
  /** Node options before the script (a heap limit). */
  nodeArguments?: readonly string[];
}

/** The preload that records a process's peak RSS at exit. */
export const PEAK_RSS_PRELOAD = ['--import', './dist/scripts/bench/peakRss.js'];

/** Starts `node SCRIPT ARGS` with the peak-RSS recorder preloaded and its output collected by line. */
export function spawnNode(role: string, script: string, args: string[], options: SpawnOptions): BenchChild {
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      ...(options.nodeArguments ?? []),
      ...(options.recordPeakRss === false ? [] : PEAK_RSS_PRELOAD),
      script,
      ...args,
    ],
    {
      env: { ...options.env, BENCH_ROLE: role, BENCH_RSS_FILE: options.rssFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const started = performance.now();
  const stdout: TimedLine[] = [];
  const stderr: TimedLine[] = [];
  let taken = 0;
  const waiting: Array<() => void> = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    stdout.push({ at: performance.now() - started, text });
    for (const wake of waiting.splice(0)) wake();
  });
  createInterface({ input: child.stderr }).on('line', (text) => {
    stderr.push({ at: performance.now() - started, text });
    if (options.echo) process.stderr.write(`  [${role}] ${text}\n`);
  });
  const exited = once(child, 'exit').then(([code]) => {
    for (const wake of waiting.splice(0)) wake();
    return typeof code === 'number' ? code : 1;
  });
  return {
    role,
    process: child,
    started,
    stdout,
    stderr,
    exited,
    async nextLine(timeoutMs = 3_600_000) {
      const deadline = performance.now() + timeoutMs;
      while (taken >= stdout.length) {
        if (child.exitCode !== null || performance.now() > deadline)
          throw new Error(
            `${role} ended without the expected output: ${stderr
              .slice(-5)
              .map((line) => line.text)
              .join(' | ')}`,
          );
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 500);
        });
      }
      return stdout[taken++]?.text ?? '';
    },
  };
}

/** Runs a child to its end; throws with its last stderr lines when it fails. */
export async function runToEnd(child: BenchChild): Promise<{ ms: number; code: number }> {
  const code = await child.exited;
  const ms = performance.now() - child.started;
  if (code !== 0 && code !== 1)
    throw new Error(
      `${child.role} exited with ${code}: ${child.stderr
        .slice(-8)
        .map((line) => line.text)
        .join('\n')}`,
    );
  return { ms, code };
}
