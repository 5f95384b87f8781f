import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

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

  /** The parts, read back from disk in the order they were appended. */
  async *parts(): AsyncIterable<RunPart> {
    if (!this.closed) throw new Error('close the spool before reading it');
    if (!this.stream) return;
    const lines = createInterface({
      input: createReadStream(this.path, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) if (line !== '') yield JSON.parse(line) as RunPart;
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
