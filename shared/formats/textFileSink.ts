import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

const FLUSH_AT = 256 * 1024;

/**
 * Text written in order to a file through a bounded buffer, honouring the stream's backpressure:
 * memory stays at about {@link FLUSH_AT} characters whatever the file's size.
 */
export class TextFileSink {
  private buffered: string[] = [];
  private size = 0;
  private closed = false;
  private failure: Error | undefined;
  readonly stream: WriteStream;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    // Kept and thrown by the next write or close, never left unhandled.
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  async write(text: string): Promise<void> {
    this.check();
    this.buffered.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) await this.flush();
  }

  /** Appends the bytes of another file, streamed. */
  async append(path: string): Promise<void> {
    await this.flush();
    for await (const chunk of createReadStream(path)) {
      if (!this.stream.write(chunk as Buffer)) await once(this.stream, 'drain');
    }
  }

  async flush(): Promise<void> {
    if (this.size === 0 && this.buffered.length === 0) return;
    const text = this.buffered.join('');
    this.buffered = [];
    this.size = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    this.check();
    this.stream.end();
    await once(this.stream, 'finish');
    this.check();
  }

  /** Stops writing and removes the file. */
  async discard(): Promise<void> {
    this.closed = true;
    this.buffered = [];
    this.stream.destroy();
    await rm(this.path, { force: true });
  }
}

/** Writes a file under a temporary name and renames it into place on commit: no half-written file. */
export class AtomicTextFile extends TextFileSink {
  constructor(readonly finalPath: string) {
    super(`${finalPath}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  }

  async commit(): Promise<void> {
    await this.close();
    await rename(this.path, this.finalPath);
  }
}

/** JSON values appended to a temporary file, comma-separated, to be spliced into a document later. */
export class JsonSpool {
  private readonly sink: TextFileSink;
  count = 0;

  constructor(
    path: string,
    private readonly indent: string,
  ) {
    this.sink = new TextFileSink(path);
  }

  get path(): string {
    return this.sink.path;
  }

  async add(value: unknown): Promise<void> {
    await this.sink.write(`${this.count === 0 ? '' : ','}\n${this.indent}${JSON.stringify(value)}`);
    this.count++;
  }

  close(): Promise<void> {
    return this.sink.close();
  }

  discard(): Promise<void> {
    return this.sink.discard();
  }
}
