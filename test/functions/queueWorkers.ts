import { QueueClient } from '@azure/storage-queue';

/**
 * Workers that poll a Storage queue the way the Functions host does: receive with a visibility
 * timeout, run the handler, delete on success, leave the message to reappear on failure, and move
 * it to `{queue}-poison` once its dequeue count passes the limit.
 */
export interface WorkerOptions {
  connectionString: string;
  queueName: string;
  visibilityTimeoutSeconds: number;
  maxDequeueCount: number;
  handler: (message: unknown, dequeueCount: number) => Promise<void>;
  poisonHandler: (message: unknown, dequeueCount: number) => Promise<void>;
  /** Called with each received message; returning true makes the worker die holding it. */
  crashOn?: (message: unknown, dequeueCount: number) => boolean;
}

export interface WorkerPool {
  processed: number;
  crashes: number;
  poisoned: number;
  staleReceipts: number;
  failures: string[];
  stop(): Promise<void>;
  idle(quietMs: number, timeoutMs: number): Promise<void>;
}

export function startWorkers(count: number, options: WorkerOptions): WorkerPool {
  const queue = new QueueClient(options.connectionString, options.queueName);
  const poison = new QueueClient(options.connectionString, `${options.queueName}-poison`);
  let running = true;
  let lastActivity = Date.now();
  const pool: WorkerPool = {
    processed: 0,
    crashes: 0,
    poisoned: 0,
    staleReceipts: 0,
    failures: [],
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
    idle: async (quietMs, timeoutMs) => {
      const started = Date.now();
      while (Date.now() - lastActivity < quietMs) {
        if (Date.now() - started > timeoutMs) throw new Error('the workers did not go idle in time');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
  const decode = (text: string): unknown => JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  const loop = async (): Promise<void> => {
    await poison.createIfNotExists();
    while (running) {
      const received = await queue.receiveMessages({
        numberOfMessages: 1,
        visibilityTimeout: options.visibilityTimeoutSeconds,
      });
      const item = received.receivedMessageItems[0];
      if (!item) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      lastActivity = Date.now();
      const message = decode(item.messageText);
      if (item.dequeueCount > options.maxDequeueCount) {
        await poison.sendMessage(item.messageText);
        await queue.deleteMessage(item.messageId, item.popReceipt);
        pool.poisoned++;
        await options.poisonHandler(message, item.dequeueCount);
        lastActivity = Date.now();
        continue;
      }
      if (options.crashOn?.(message, item.dequeueCount)) {
        pool.crashes++;
        continue;
      }
      try {
        await options.handler(message, item.dequeueCount);
        pool.processed++;
        // As with the host: if processing outlived the visibility timeout, the message was handed to
        // another worker and this receipt is stale; the handler is idempotent, so that is benign.
        await queue.deleteMessage(item.messageId, item.popReceipt).catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 404) throw error;
          pool.staleReceipts++;
        });
      } catch (error) {
        pool.failures.push(error instanceof Error ? error.message : String(error));
      }
      lastActivity = Date.now();
    }
  };
  const loops = Array.from({ length: count }, () => loop());
  return pool;
}
