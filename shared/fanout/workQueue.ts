import { QueueClient } from '@azure/storage-queue';
import { DefaultAzureCredential } from '@azure/identity';

/** What a fan-out message asks for: read a batch (`scan-batch`) or evaluate a batch read (`evaluate-batch`). */
export type BatchMessageKind = 'scan-batch' | 'evaluate-batch';

const BATCH_MESSAGE_KINDS: readonly unknown[] = ['scan-batch', 'evaluate-batch'] satisfies BatchMessageKind[];

/** A message of the scan fan-out: one step for one subscription batch of one run. */
export interface BatchMessage {
  kind: BatchMessageKind;
  runId: string;
  batchIndex: number;
}

/** Where messages go; the seam between the use cases and Storage Queues. */
export interface MessageQueue<T> {
  /** `delaySeconds`: the message stays invisible that long (a retry's back-off). */
  send(message: T, options?: { delaySeconds?: number }): Promise<void>;
}

export type WorkQueue = MessageQueue<BatchMessage>;

/** Messages are base64-encoded JSON, the encoding the Functions queue trigger expects by default. */
export function encodeQueueMessage(message: unknown): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
}

/**
 * Parses and validates a message of the scan-batch queue (the host gives it decoded, as an object
 * or a string): `{"kind":"scan-batch"|"evaluate-batch","runId":…,"batchIndex":…}`.
 */
export function parseBatchMessage(raw: unknown): BatchMessage {
  let value = raw;
  if (typeof value === 'string') {
    const text = value.trim().startsWith('{') ? value : Buffer.from(value, 'base64').toString('utf8');
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      throw new TypeError('not a scan-batch message: the text is not JSON');
    }
  }
  const message = value as Partial<BatchMessage> | null;
  if (
    !message ||
    !BATCH_MESSAGE_KINDS.includes(message.kind) ||
    typeof message.runId !== 'string' ||
    !/^\d{8}T\d{6}Z-[0-9a-f]{8}$/.test(message.runId) ||
    !Number.isSafeInteger(message.batchIndex) ||
    (message.batchIndex ?? -1) < 0
  ) {
    throw new TypeError('not a scan-batch message');
  }
  return {
    kind: message.kind as BatchMessageKind,
    runId: message.runId,
    batchIndex: message.batchIndex as number,
  };
}

/** Storage Queue visibility delays are capped at seven days. */
const MAX_DELAY_SECONDS = 7 * 24 * 3600;

export function storageWorkQueue<T = BatchMessage>(
  target: { connectionString: string } | { serviceUrl: string },
  queueName: string,
): MessageQueue<T> & { client: QueueClient } {
  const client =
    'connectionString' in target
      ? new QueueClient(target.connectionString, queueName)
      : new QueueClient(
          `${target.serviceUrl.replace(/\/+$/, '')}/${queueName}`,
          new DefaultAzureCredential(),
        );
  let created = false;
  return {
    client,
    async send(message, options) {
      if (!created) {
        await client.createIfNotExists();
        created = true;
      }
      const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(options?.delaySeconds ?? 0)));
      await client.sendMessage(encodeQueueMessage(message), delay > 0 ? { visibilityTimeout: delay } : {});
    },
  };
}
