import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

/**
 * Writes text chunks to `path` through a temporary file renamed into place, so a reader never sees
 * a half-written file. Returns the SHA-256 of what was written.
 */
export async function writeChunksAtomically(path: string, chunks: Iterable<string>): Promise<string> {
  const temporary = `${path}.${process.pid}.tmp`;
  const hash = createHash('sha256');
  const stream = createWriteStream(temporary, { encoding: 'utf8' });
  try {
    for (const chunk of chunks) {
      hash.update(chunk, 'utf8');
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
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
