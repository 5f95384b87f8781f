/**
 * A Functions worker of the benchmark: polls the batch queue the way the host does (visibility
 * timeout, delete on success, poison after the dequeue limit) and runs the real queue handlers.
 * Stops after its current message on SIGTERM. Settings come from the environment, as in the host.
 */
import functionsRuntime from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';

import { scanBatch, scanBatchPoison } from '../../functions/scanBatch.js';

const { InvocationContext } = functionsRuntime;
const connection = process.env.AzureWebJobsStorage ?? '';
const queueName = process.env.SCAN_BATCH_QUEUE ?? '';
const queue = new QueueClient(connection, queueName);
const poison = new QueueClient(connection, `${queueName}-poison`);
await queue.createIfNotExists();
await poison.createIfNotExists();
let running = true;
process.removeAllListeners('SIGTERM');
process.on('SIGTERM', () => {
  running = false;
});
let processed = 0;
while (running) {
  const item = (await queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 600 }))
    .receivedMessageItems[0];
  if (!item) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    continue;
  }
  const message: unknown = JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8'));
  const context = new InvocationContext({
    functionName: 'scanBatch',
    triggerMetadata: { dequeueCount: item.dequeueCount },
    logHandler: () => undefined,
  });
  try {
    if (item.dequeueCount > 5) {
      await poison.sendMessage(item.messageText);
      await scanBatchPoison(message, context);
    } else await scanBatch(message, context);
    await queue.deleteMessage(item.messageId, item.popReceipt).catch(() => undefined);
    processed++;
  } catch (error) {
    process.stderr.write(
      `worker ${process.pid}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
process.stdout.write(`${JSON.stringify({ processed })}\n`);
process.exit(0);
