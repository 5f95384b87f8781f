import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CLUSTERS_PER_PART, type RunPart } from './runSource.js';

const FLUSH_AT = 1024 * 1024;

/**
 * Parts of a run kept in a temporary file, one JSON line per part, so that a run of any size is
 * held on disk rather than in memory while it is being judged and written. Parts larger than
 * `clustersPerPart` clusters are split on the way in. `parts()` streams them back in the order
 * they were appended, as often as needed; `dispose()` removes the file.
 */
export class PartSpool {
  private stream: WriteStream | undefined;
  private buffered: string[] = [];
  private size = 0;
  private closed = false;
  partCount = 0;
  clusterCount = 0;
  findingCount = 0;

  private constructor(
    private readonly folder: string,
    readonly path: string,
    private readonly clustersPerPart: number,
  ) {}

  /** A spool in a new temporary folder (under `parent`, the system's temporary folder by default). */
  static async create(options: { parent?: string; clustersPerPart?: number } = {}): Promise<PartSpool> {
    const folder = await mkdtemp(join(options.parent ?? tmpdir(), 'run-spool-'));
    return new PartSpool(folder, join(folder, 'parts.ndjson'), options.clustersPerPart ?? CLUSTERS_PER_PART);
  }

  /** Appends a part (split when larger than the spool's part size). */
  async append(part: RunPart): Promise<void> {
    if (this.closed) throw new Error('the spool is closed');
    for (const piece of splitPart(part, this.clustersPerPart)) {
      this.buffered.push(`${JSON.stringify(piece)}\n`);
      this.size += this.buffered[this.buffered.length - 1]?.length ?? 0;
      this.partCount++;
      this.clusterCount += piece.clusters.length;
      this.findingCount += piece.findings.length;
      if (this.size >= FLUSH_AT) await this.flush();
    }
  }

  /** Finishes writing; parts() may be called from now on. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.stream) {
      this.stream.end();
      await once(this.stream, 'finish');
    }
  }

  /**
   * The parts, read back from disk in the order they were appended: one part at a time, the file
   * read only as fast as the parts are taken (a line reader would queue up to 1,024 parts ahead).
   */
  async *parts(): AsyncIterable<RunPart> {
    if (!this.closed) throw new Error('close the spool before reading it');
    if (!this.stream) return;
    yield* partsIn(this.path);
  }

  /** Removes the spool's file and folder. */
  async dispose(): Promise<void> {
    this.stream?.destroy();
    this.closed = true;
    await rm(this.folder, { recursive: true, force: true });
  }

  private async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    this.stream ??= createWriteStream(this.path, { encoding: 'utf8' });
    const text = this.buffered.join('');
    this.buffered = [];
    this.size = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}

/**
 * The parts of a spool file, one JSON line each, read chunk by chunk as they are taken; a line's
 * text is released as soon as it is parsed (only the part is held while it is being used).
 */
async function* partsIn(path: string): AsyncGenerator<RunPart> {
  let pieces: string[] = [];
  for await (const chunk of createReadStream(path, { encoding: 'utf8' }) as AsyncIterable<string>) {
    let from = 0;
    for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', from)) {
      pieces.push(chunk.slice(from, end));
      from = end + 1;
      const part = parseLine(pieces);
      pieces = [];
      if (part) yield part;
    }
    if (from < chunk.length) pieces.push(chunk.slice(from));
  }
  const last = parseLine(pieces);
  if (last) yield last;
}

/** The part a line (in pieces) holds; undefined for an empty line. */
function parseLine(pieces: readonly string[]): RunPart | undefined {
  const line = pieces.join('');
  return line.trim() === '' ? undefined : (JSON.parse(line) as RunPart);
}

/** A part split into parts of at most `clustersPerPart` clusters, each with its clusters' findings. */
export function* splitPart(part: RunPart, clustersPerPart: number): Generator<RunPart> {
  if (part.clusters.length <= clustersPerPart) {
    yield part;
    return;
  }
  const byCluster = new Map<string, number>();
  part.clusters.forEach((cluster, index) =>
    byCluster.set(cluster.id.toLowerCase(), Math.floor(index / clustersPerPart)),
  );
  const pieces: RunPart[] = [];
  for (let first = 0; first < part.clusters.length; first += clustersPerPart)
    pieces.push({ clusters: part.clusters.slice(first, first + clustersPerPart), findings: [] });
  for (const finding of part.findings) {
    const index = byCluster.get(finding.clusterId.toLowerCase()) ?? pieces.length - 1;
    (pieces[index]?.findings as RunPart['findings'][number][]).push(finding);
  }
  yield* pieces;
}
