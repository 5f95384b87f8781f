import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';

const FLUSH_AT = 256 * 1024;

/**
 * A text file written in pieces through a temporary file, renamed into place on `commit` (a reader
 * never sees half a file) or removed on `abort`. Buffers up to 256 KiB and honours back-pressure,
 * so memory stays flat however much is written. Tracks the SHA-256 of the content.
 */
export class TextFile {
  private readonly temporary: string;
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private buffered: string[] = [];
  private size = 0;

  constructor(readonly path: string) {
    this.temporary = `${path}.${process.pid}.tmp`;
    this.stream = createWriteStream(this.temporary, { encoding: 'utf8' });
  }

  async write(text: string): Promise<void> {
    this.buffered.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) await this.flush();
  }

  /** Appends another file's bytes (a part written earlier), streamed. */
  async append(partPath: string): Promise<void> {
    await this.flush();
    for await (const chunk of createReadStream(partPath)) {
      this.hash.update(chunk as Buffer);
      if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    }
  }

  /** Finishes the file and moves it into place; returns its SHA-256 (hex). */
  async commit(): Promise<string> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    await rename(this.temporary, this.path);
    return this.hash.digest('hex');
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.temporary, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const text = this.buffered.join('');
    this.buffered = [];
    this.size = 0;
    this.hash.update(text, 'utf8');
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}
