/**
 * One Functions invocation of the benchmark in a process of its own, as on a cold instance: loads
 * the app, then reads one job — `{"function": NAME, "message": BASE64, "dequeueCount": N}` — as a
 * line on stdin, runs the real queue handler on it, prints `{"kind", "ok"}` and exits 0 when the
 * handler succeeded, 1 when it threw (the worker then retries or poisons the message, as the host
 * does). The process's peak RSS is recorded (BENCH_RSS_FILE) under the kind of invocation it turned
 * out to be: a batch read whose invocation finalized the run is a finalisation. A process whose
 * stdin ends without a job did no work and records nothing. Logs go to stderr.
 */
import { createInterface } from 'node:readline';

import functionsRuntime from '@azure/functions';

import { scanBatch, scanBatchPoison } from '../../functions/scanBatch.js';
import { invocationKindOfMessage, invocationRole } from './invocationKinds.js';
import { appendPeakRss } from './peakRssRecord.js';

const { InvocationContext } = functionsRuntime;
type QueueHandler = (message: unknown, context: functionsRuntime.InvocationContext) => Promise<void>;

/** The queue-triggered functions the benchmark's workers run, by function name. */
const HANDLERS: Record<string, QueueHandler> = { scanBatch, scanBatchPoison };

export interface InvocationJob {
  function: string;
  /** The queue message's text, base64 as the queue holds it. */
  message: string;
  dequeueCount: number;
}

let line: string | undefined;
for await (const text of createInterface({ input: process.stdin })) {
  line = text;
  break;
}
if (line === undefined) process.exit(0);

const job = JSON.parse(line) as InvocationJob;
const handler = HANDLERS[job.function];
if (!handler) throw new RangeError(`no queue function named ${job.function}`);
const text = Buffer.from(job.message, 'base64').toString('utf8');
let message: unknown = text;
try {
  message = JSON.parse(text) as unknown;
} catch {
  // handed over as it is: the function decides what an unreadable message means
}
let kind =
  job.function === 'scanBatchPoison'
    ? 'poison batch'
    : invocationKindOfMessage((message as { kind?: unknown } | null)?.kind);
const context = new InvocationContext({
  functionName: job.function,
  triggerMetadata: { dequeueCount: job.dequeueCount },
  logHandler: (level, ...args) => {
    const entry = args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
    if (/^run \S+ finalized: /.test(entry)) kind = 'finalisation and publishing';
    process.stderr.write(`${level}: ${entry}\n`);
  },
});
let ok = true;
try {
  await handler(message, context);
} catch (error) {
  ok = false;
  process.stderr.write(
    `failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
}
if (process.env.BENCH_RSS_FILE) appendPeakRss(process.env.BENCH_RSS_FILE, invocationRole(kind));
process.stdout.write(`${JSON.stringify({ kind, ok })}\n`);
process.exit(ok ? 0 : 1);
