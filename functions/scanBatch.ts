import { app, type InvocationContext } from '@azure/functions';

import { failPoisonBatch, processBatch } from '../shared/fanout/scanApplication.js';
import { parseBatchMessage } from '../shared/fanout/workQueue.js';
import { scanAppFor } from '../shared/app/scanAppFactory.js';

/**
 * Queue: one step of a fanned-out run. `scan-batch` reads one subscription batch (the last batch
 * read prepares the run and queues one `evaluate-batch` per batch read); `evaluate-batch` evaluates
 * one batch (the last batch evaluated finalizes the run).
 */
export async function scanBatch(message: unknown, context: InvocationContext): Promise<void> {
  const scanApp = await scanAppFor(context);
  let batch;
  try {
    batch = parseBatchMessage(message);
  } catch (error) {
    // Retrying cannot make it readable: dropped now, not after every delivery up to the poison queue.
    scanApp.log('error', `an unreadable scan-batch message was dropped: ${(error as Error).message}`);
    return;
  }
  scanApp.log(
    'info',
    `run ${batch.runId} batch ${batch.batchIndex}: ${batch.kind} (delivery ${String(context.triggerMetadata?.dequeueCount ?? 1)})`,
  );
  await processBatch(scanApp, batch);
}

/**
 * Poison queue: a batch whose read or evaluation failed maxDequeueCount times is recorded as
 * failed; the run goes on without it and becomes partial.
 */
export async function scanBatchPoison(message: unknown, context: InvocationContext): Promise<void> {
  const scanApp = await scanAppFor(context);
  let batch;
  try {
    batch = parseBatchMessage(message);
  } catch {
    scanApp.log('error', 'an unreadable message reached the poison queue and was dropped');
    return;
  }
  await failPoisonBatch(scanApp, batch, Number(context.triggerMetadata?.dequeueCount ?? 0));
}

app.storageQueue('scanBatch', {
  queueName: '%SCAN_BATCH_QUEUE%',
  connection: 'AzureWebJobsStorage',
  handler: scanBatch,
});
app.storageQueue('scanBatchPoison', {
  queueName: '%SCAN_BATCH_QUEUE%-poison',
  connection: 'AzureWebJobsStorage',
  handler: scanBatchPoison,
});
