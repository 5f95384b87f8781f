import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** JSON characters of items held in memory before they are sorted and written out as one run. */
export const RUN_CHARS = 4 * 1024 * 1024;
/** Runs merged at once; more are first merged in groups of this many. */
export const MAX_FAN_IN = 128;
const WRITE_CHUNK_CHARS = 64 * 1024;

export interface SortedSpoolOptions {
  /** Folder under which the temporary folder is made (the system's temporary folder by default). */
  parent?: string;
  runChars?: number;
  maxFanIn?: number;
}

/**
 * Items added in any order and read back sorted (a stable sort: items that compare equal keep the
 * order they were added in), holding at most about `runChars` of them in memory: past that, the
 * items held are sorted and written to a temporary file (a run), and reading merges the runs. A
 * spool that never filled a run stays in memory. `dispose()` removes its files.
 */
export class SortedSpool<T> {
  private buffered: T[] = [];
  private bufferedChars = 0;
  private readonly runs: string[] = [];
  private folder: string | undefined;
  private written = 0;
  /** Items added. */
  count = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly options: SortedSpoolOptions = {},
  ) {}

  async add(item: T): Promise<void> {
    this.buffered.push(item);
    this.bufferedChars += JSON.stringify(item).length;
    this.count++;
    if (this.bufferedChars >= (this.options.runChars ?? RUN_CHARS)) await this.writeRun();
  }

  /** Every item added so far, sorted; may be read more than once. */
  async *sorted(): AsyncGenerator<T> {
    if (this.runs.length === 0) {
      yield* this.buffered.sort(this.compare);
      return;
    }
    if (this.buffered.length > 0) await this.writeRun();
    const fanIn = Math.max(2, this.options.maxFanIn ?? MAX_FAN_IN);
    while (this.runs.length > fanIn) {
      const group = this.runs.splice(0, fanIn);
      const merged = await this.nextPath();
      await writeItems(merged, mergeRuns(group, this.compare));
      await Promise.all(group.map((path) => rm(path, { force: true })));
      this.runs.unshift(merged);
    }
    yield* mergeRuns(this.runs, this.compare);
  }

  /** Removes the spool's temporary files. */
  async dispose(): Promise<void> {
    this.buffered = [];
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
  }

  private async writeRun(): Promise<void> {
    const items = this.buffered.sort(this.compare);
    this.buffered = [];
    this.bufferedChars = 0;
    const path = await this.nextPath();
    await writeItems(path, items);
    this.runs.push(path);
  }

  private async nextPath(): Promise<string> {
    this.folder ??= await mkdtemp(join(this.options.parent ?? tmpdir(), 'report-sort-'));
    return join(this.folder, `run-${this.written++}.ndjson`);
  }
}

async function writeItems<T>(path: string, items: Iterable<T> | AsyncIterable<T>): Promise<void> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  const finished = once(stream, 'finish');
  finished.catch(() => undefined); // awaited below; an early error must not go unhandled meanwhile
  try {
    let chunk = '';
    for await (const item of items) {
      chunk += `${JSON.stringify(item)}\n`;
      if (chunk.length >= WRITE_CHUNK_CHARS) {
        if (!stream.write(chunk)) await once(stream, 'drain');
        chunk = '';
      }
    }
    stream.end(chunk);
    await finished;
  } catch (error) {
    stream.destroy();
    throw error;
  }
}

async function* readItems<T>(path: string): AsyncGenerator<T> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line !== '') yield JSON.parse(line) as T;
  } finally {
    lines.close();
    input.destroy();
  }
}

interface Head<T> {
  item: T;
  run: number;
}

/** The runs' items in order; of equal items, the one from the earlier run first. */
async function* mergeRuns<T>(paths: readonly string[], compare: (a: T, b: T) => number): AsyncGenerator<T> {
  const readers = paths.map((path) => readItems<T>(path));
  const heap = new MinHeap<Head<T>>((a, b) => compare(a.item, b.item) || a.run - b.run);
  try {
    for (const [run, reader] of readers.entries()) {
      const next = await reader.next();
      if (!next.done) heap.push({ item: next.value, run });
    }
    for (let head = heap.pop(); head !== undefined; head = heap.pop()) {
      yield head.item;
      const next = await (readers[head.run] as AsyncGenerator<T>).next();
      if (!next.done) heap.push({ item: next.value, run: head.run });
    }
  } finally {
    await Promise.all(readers.map((reader) => reader.return(undefined)));
  }
}

/** A binary min-heap. */
class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  push(item: T): void {
    const { items } = this;
    items.push(item);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.compare(items[at] as T, items[parent] as T) >= 0) break;
      [items[at], items[parent]] = [items[parent] as T, items[at] as T];
      at = parent;
    }
  }

  pop(): T | undefined {
    const { items } = this;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let least = at;
      if (left < items.length && this.compare(items[left] as T, items[least] as T) < 0) least = left;
      if (right < items.length && this.compare(items[right] as T, items[least] as T) < 0) least = right;
      if (least === at) return top;
      [items[at], items[least]] = [items[least] as T, items[at] as T];
      at = least;
    }
  }
}
