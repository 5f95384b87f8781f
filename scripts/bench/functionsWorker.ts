/**
 * A Functions instance of the benchmark: polls the scan queues the way the host's queue trigger
 * does and runs each message as one invocation in a process of its own
 * (scripts/bench/functionsInvocation.ts), so every invocation's peak RSS is its own, as on a cold
 * instance. The next invocation's process is started (and loads the app) while the current one
 * runs, so the load time does not add to the run's. As the host: a received message stays
 * invisible while its invocation runs (the lease is renewed), is deleted when the invocation
 * succeeds, becomes visible again after host.json's `visibilityTimeout` when it fails, and is moved
 * to the poison queue once it has failed `maxDequeueCount` times. One invocation at a time; stops
 * after the current one on SIGTERM. Prints one JSON line per invocation (`kind`, `ms`, `ok`).
 * Settings come from the environment, as in the host.
 */
import { readFile } from 'node:fs/promises';

import { QueueClient } from '@azure/storage-queue';

import { INSTANCE_NODE_ARGUMENTS } from './instanceHeap.js';
import { spawnNode, type BenchChild } from './childProcess.js';
import type { InvocationJob } from './functionsInvocation.js';

interface HostQueueSettings {
  maxDequeueCount: number;
  /** The back-off before a failed message is retried. */
  visibilityTimeoutSeconds: number;
}

async function hostQueueSettings(): Promise<HostQueueSettings> {
  const host = JSON.parse(await readFile('host.json', 'utf8')) as {
    extensions?: { queues?: { maxDequeueCount?: number; visibilityTimeout?: string } };
  };
  const queues = host.extensions?.queues ?? {};
  const [h = 0, m = 0, s = 0] = (queues.visibilityTimeout ?? '00:00:00').split(':').map(Number);
  return { maxDequeueCount: queues.maxDequeueCount ?? 5, visibilityTimeoutSeconds: h * 3600 + m * 60 + s };
}

/** How long a message being processed stays invisible; renewed at half of it, as the host does. */
const LEASE_SECONDS = 600;

const connection = process.env.AzureWebJobsStorage ?? '';
const queueName = process.env.SCAN_BATCH_QUEUE ?? '';
const host = await hostQueueSettings();
/** The queues this instance polls, the function each one triggers and where its poison goes. */
const triggers = [
  { name: queueName, functionName: 'scanBatch' },
  { name: `${queueName}-poison`, functionName: 'scanBatchPoison' },
].map((trigger) => ({
  ...trigger,
  queue: new QueueClient(connection, trigger.name),
  poison: new QueueClient(connection, `${trigger.name}-poison`),
}));
for (const trigger of triggers) {
  await trigger.queue.createIfNotExists();
  await trigger.poison.createIfNotExists();
}

let running = true;
process.on('SIGTERM', () => {
  running = false;
});
const echo = (text: string): void => {
  process.stderr.write(`${text}\n`);
};
/** A process with the app loaded, waiting for its one job on stdin; it records its own peak RSS. */
const startInvocation = (): BenchChild =>
  spawnNode('invocation', 'dist/scripts/bench/functionsInvocation.js', [], {
    env: process.env,
    rssFile: process.env.BENCH_RSS_FILE ?? '',
    echo: true,
    recordPeakRss: false,
    nodeArguments: INSTANCE_NODE_ARGUMENTS,
  });
let spare = startInvocation();

async function invoke(trigger: (typeof triggers)[number]): Promise<boolean> {
  const item = (
    await trigger.queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: LEASE_SECONDS })
  ).receivedMessageItems[0];
  if (!item) return false;
  let popReceipt = item.popReceipt;
  const renew = setInterval(
    () => {
      trigger.queue
        .updateMessage(item.messageId, popReceipt, undefined, LEASE_SECONDS)
        .then((updated) => {
          if (updated.popReceipt) popReceipt = updated.popReceipt;
        })
        .catch((error: unknown) => {
          echo(`lease of message ${item.messageId} not renewed: ${String(error)}`);
        });
    },
    (LEASE_SECONDS / 2) * 1000,
  );
  const invocation = spare;
  spare = startInvocation();
  const started = performance.now();
  const job: InvocationJob = {
    function: trigger.functionName,
    message: item.messageText,
    dequeueCount: item.dequeueCount,
  };
  invocation.process.stdin?.end(`${JSON.stringify(job)}\n`);
  const code = await invocation.exited;
  clearInterval(renew);
  const outcome = JSON.parse(invocation.stdout.at(-1)?.text ?? '{}') as { kind?: string };
  process.stdout.write(
    `${JSON.stringify({ kind: outcome.kind ?? 'ended before its kind was known', ms: performance.now() - started, ok: code === 0 })}\n`,
  );
  if (code === 0) {
    await trigger.queue.deleteMessage(item.messageId, popReceipt).catch(() => undefined);
  } else if (item.dequeueCount >= host.maxDequeueCount) {
    echo(`message ${item.messageId} failed ${item.dequeueCount} time(s): moved to ${trigger.poison.name}`);
    await trigger.poison.sendMessage(item.messageText);
    await trigger.queue.deleteMessage(item.messageId, popReceipt).catch(() => undefined);
  } else {
    await trigger.queue
      .updateMessage(item.messageId, popReceipt, undefined, host.visibilityTimeoutSeconds)
      .catch(() => undefined);
  }
  return true;
}

while (running) {
  let busy = false;
  for (const trigger of triggers) if (running && (await invoke(trigger))) busy = true;
  if (!busy) await new Promise((resolve) => setTimeout(resolve, 200));
}
spare.process.stdin?.end();
await spare.exited;
process.exit(0);
