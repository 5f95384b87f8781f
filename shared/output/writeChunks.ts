import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

const FLUSH_AT = 256 * 1024;

/**
 * Writes text chunks to `path` through a temporary file renamed into place, so a reader never sees
 * a half-written file. Returns the SHA-256 of what was written.
 */
export async function writeChunksAtomically(path: string, chunks: Iterable<string>): Promise<string> {
  const temporary = `${path}.${process.pid}.tmp`;
  const hash = createHash('sha256');
  const stream = createWriteStream(temporary, { encoding: 'utf8' });
  try {
    let buffered: string[] = [];
    let size = 0;
    const flush = async (): Promise<void> => {
      const text = buffered.join('');
      buffered = [];
      size = 0;
      hash.update(text, 'utf8');
      if (!stream.write(text)) await once(stream, 'drain');
    };
    for (const chunk of chunks) {
      buffered.push(chunk);
      size += chunk.length;
      if (size >= FLUSH_AT) await flush();
    }
    await flush();
    stream.end();
    await once(stream, 'finish');
    await rename(temporary, path);
  } catch (error) {
    stream.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
  return hash.digest('hex');
}
