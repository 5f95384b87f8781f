import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';

import type { InventoryBatches } from './inventoryBatches.js';
import type { DocumentRow } from './parseInventoryDocument.js';

const FLUSH_AT = 1024 * 1024;

/**
 * The rows of a run's batches, each written to its own temporary file (one JSON row a line) as soon
 * as it is collected, so that only the batch being collected or judged is held in memory. Batches
 * may be written in any order and read back as often as needed; `dispose()` removes the files.
 */
export class CollectedBatches implements InventoryBatches {
  private readonly written = new Set<number>();

  private constructor(
    private readonly folder: string,
    readonly count: number,
  ) {}

  /** Room for `count` batches in a new temporary folder (under `parent`, the system's by default). */
  static async create(count: number, options: { parent?: string } = {}): Promise<CollectedBatches> {
    return new CollectedBatches(await mkdtemp(join(options.parent ?? tmpdir(), 'collected-batches-')), count);
  }

  private fileOf(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.count)
      throw new RangeError(`no batch ${index} of ${this.count}`);
    return join(this.folder, `batch-${index}.ndjson`);
  }

  /** Writes the rows of batch `index` (replacing any written before). */
  async write(index: number, rows: readonly DocumentRow[]): Promise<void> {
    const file = this.fileOf(index);
    await pipeline(
      function* () {
        let buffered = '';
        for (const row of rows) {
          buffered += `${JSON.stringify({ value: row.value, where: row.where })}\n`;
          if (buffered.length < FLUSH_AT) continue;
          yield buffered;
          buffered = '';
        }
        if (buffered !== '') yield buffered;
      },
      createWriteStream(file, { encoding: 'utf8' }),
    );
    this.written.add(index);
  }

  /** The rows of batch `index`, in the order they were written. */
  async read(index: number): Promise<DocumentRow[]> {
    const file = this.fileOf(index);
    if (!this.written.has(index)) throw new RangeError(`batch ${index} was not written`);
    const rows: DocumentRow[] = [];
    const lines = createInterface({
      input: createReadStream(file, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) if (line !== '') rows.push(JSON.parse(line) as DocumentRow);
    return rows;
  }

  /** Removes every batch's file and the folder. */
  async dispose(): Promise<void> {
    this.written.clear();
    await rm(this.folder, { recursive: true, force: true });
  }
}
