import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';

import type { Worksheet } from 'exceljs';

/** What a Node (or readable-stream) writable exposes about its buffer. */
interface BufferedWritable {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
  once(event: 'drain', listener: () => void): unknown;
}

interface PipingBuffer {
  pipes?: unknown[];
}

const MAX_WAIT_MS = 2_000;

function isBufferedWritable(value: unknown): value is BufferedWritable {
  return (
    typeof value === 'object' && value !== null && typeof (value as BufferedWritable).once === 'function'
  );
}

/**
 * Lets the zip compressor catch up with a streaming worksheet. exceljs's sheet buffer ignores
 * backpressure, so without a pause a sheet of 100,000 rows would be held in memory uncompressed:
 * when the stream archiver reads the sheet from reports that it needs draining, wait for 'drain'
 * (bounded, so an unexpected internal shape can slow the writer but never stall it); otherwise
 * yield one event-loop turn.
 */
export async function relieveCompressor(worksheet: Worksheet): Promise<void> {
  const buffer = (worksheet as unknown as { stream?: PipingBuffer }).stream;
  const target = buffer?.pipes?.[0];
  if (
    isBufferedWritable(target) &&
    (target.writableNeedDrain === true || target._writableState?.needDrain === true)
  ) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), MAX_WAIT_MS);
    try {
      await once(target as unknown as NodeJS.EventEmitter, 'drain', { signal: controller.signal });
    } catch {
      // Timed out: carry on; the data is buffered, not lost.
    } finally {
      clearTimeout(timer);
    }
    return;
  }
  await nextTurn();
}
