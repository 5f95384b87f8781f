import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import type { DocumentRow } from './parseInventoryDocument.js';

/**
 * Rows of inventory files spooled to one temporary file per batch, as a JSON text sequence
 * (RFC 7464: each record is RS, the JSON text, LF): `[list, index, row]` — the list the row
 * belongs to (a document's rows, or a candidate list of a streamed document until its end says
 * which list is the document's), the row's position in it, and the row's JSON text as the file
 * gave it (line breaks included: RS can appear in no JSON text, so it alone separates records).
 * Records keep the order rows were added in; only rows of accepted lists are read back, turned into
 * document rows by their list.
 */
export interface SpooledList {
  /** The row as the document gives it, from the spooled JSON (a table row: keyed by column name). */
  valueOf(row: unknown): unknown;
  /** The row's position, as the document's rows give it. */
  whereOf(index: number): string;
}

/** Characters buffered across all batches before they are written out. */
const FLUSH_CHARS = 4 * 1024 * 1024;

export class RowBatchSpool {
  /** The accepted lists by ID; a list not (yet) accepted has none. */
  private readonly lists: (SpooledList | undefined)[] = [];
  private readonly buffers: string[][];
  private readonly handles: (FileHandle | undefined)[];
  private buffered = 0;
  private closed = false;

  constructor(
    private readonly directory: string,
    readonly count: number,
  ) {
    this.buffers = Array.from({ length: count }, () => []);
    this.handles = Array.from({ length: count }, () => undefined);
  }

  /** A new list's ID; its rows are read back only once it is accepted. */
  addList(): number {
    this.lists.push(undefined);
    return this.lists.length - 1;
  }

  /** Accepts a list: its rows are read back, as `list` says. */
  accept(listId: number, list: SpooledList): void {
    this.lists[listId] = list;
  }

  /** Adds a row to a batch; `json` is its JSON text. */
  add(batch: number, listId: number, index: number, json: string): void {
    const record = `\u001e[${listId},${index},${json}]\n`;
    this.buffers[batch]?.push(record);
    this.buffered += record.length;
  }

  /** Writes the buffered rows out once enough have gathered. */
  async drain(): Promise<void> {
    if (this.buffered >= FLUSH_CHARS) await this.flush();
  }

  /** Writes every buffered row and closes the files: the batches can then be read. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await Promise.all(this.handles.map((handle) => handle?.close()));
  }

  /** The rows of a batch, in the order they were added. */
  async read(batch: number): Promise<DocumentRow[]> {
    if (!this.closed) throw new Error('the batches are still being written');
    if (batch < 0 || batch >= this.count || !Number.isInteger(batch))
      throw new RangeError(`no batch ${batch}`);
    const rows: DocumentRow[] = [];
    if (this.handles[batch] === undefined) return rows;
    const take = (record: string): void => {
      if (record === '') return;
      const [listId, index, row] = JSON.parse(record) as [number, number, unknown];
      const list = this.lists[listId];
      if (list !== undefined) rows.push({ value: list.valueOf(row), where: list.whereOf(index) });
    };
    let carry = '';
    const stream = createReadStream(this.pathOf(batch), { encoding: 'utf8', highWaterMark: 1024 * 1024 });
    for await (const chunk of stream as AsyncIterable<string>) {
      if (!chunk.includes('\u001e')) {
        carry += chunk;
        continue;
      }
      const records = (carry + chunk).split('\u001e');
      carry = records.pop() ?? '';
      records.forEach(take);
    }
    take(carry);
    return rows;
  }

  /** Closes and removes the files. */
  async dispose(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await Promise.allSettled(this.handles.map((handle) => handle?.close()));
    }
    await rm(this.directory, { recursive: true, force: true });
  }

  private pathOf(batch: number): string {
    return join(this.directory, `batch-${batch}.json-seq`);
  }

  private async flush(): Promise<void> {
    const writes: Promise<unknown>[] = [];
    for (let batch = 0; batch < this.count; batch++) {
      const records = this.buffers[batch];
      if (records === undefined || records.length === 0) continue;
      const text = records.join('');
      records.length = 0;
      writes.push(this.write(batch, text));
    }
    this.buffered = 0;
    await Promise.all(writes);
  }

  private async write(batch: number, text: string): Promise<void> {
    let handle = this.handles[batch];
    if (handle === undefined) {
      handle = await open(this.pathOf(batch), 'w');
      this.handles[batch] = handle;
    }
    await handle.write(text);
  }
}
