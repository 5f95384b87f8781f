import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';

import type { Worksheet } from 'exceljs';

/** What a Node (or readable-stream) writable exposes about its buffer. */
interface BufferedWritable {
  writableLength?: number;
  _writableState?: { length?: number };
  once(event: 'drain', listener: () => void): unknown;
}

interface PipingBuffer {
  pipes?: unknown[];
}

/** Uncompressed sheet XML allowed to wait for the compressor before the writer pauses. */
export const BACKLOG_LIMIT_BYTES = 16 * 1024;
const MAX_WAIT_MS = 5_000;

function isBufferedWritable(value: unknown): value is BufferedWritable {
  return (
    typeof value === 'object' && value !== null && typeof (value as BufferedWritable).once === 'function'
  );
}

/**
 * Lets the zip compressor catch up with a streaming worksheet. exceljs's sheet buffer ignores
 * backpressure, so without a pause a sheet of 100,000 rows would sit in memory uncompressed. The
 * archiver reads each sheet through a stream whose buffered length shows the backlog: past
 * {@link BACKLOG_LIMIT_BYTES}, wait for it to drain (bounded, so an unexpected internal shape can slow
 * the writer but never stall it); otherwise yield one event-loop turn so compression proceeds.
 */
export async function relieveCompressor(worksheet: Worksheet): Promise<void> {
  const buffer = (worksheet as unknown as { stream?: PipingBuffer }).stream;
  const target = buffer?.pipes?.[0];
  const backlog = isBufferedWritable(target)
    ? (target._writableState?.length ?? target.writableLength ?? 0)
    : 0;
  if (backlog < BACKLOG_LIMIT_BYTES) {
    await nextTurn();
    return;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), MAX_WAIT_MS);
  try {
    await once(target as unknown as NodeJS.EventEmitter, 'drain', { signal: controller.signal });
  } catch {
    // Timed out: carry on; the rows are buffered, not lost.
  } finally {
    clearTimeout(timer);
  }
}
