import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** What must match between two scans of the same tenant, read from findings.json line by line. */
export interface FindingsDigest {
  clusters: number;
  findings: number;
  clustersSha256: string;
  findingsSha256: string;
  counts: unknown;
  score: unknown;
  complete: unknown;
  asOf: unknown;
}

/** Line hashes held in memory before a sorted run of them is written to disk. */
export const HASHES_IN_MEMORY = 65_536;

/**
 * The SHA-256 of a list of line hashes sorted and joined with newlines, computed with a bounded
 * external sort: hashes are kept up to `inMemory` at a time, each full batch is sorted and written
 * to a temporary file, and the files are merged into the hash at the end.
 */
class SortedHashDigest {
  private batch: string[] = [];
  private readonly runs: string[] = [];
  private folder: string | undefined;

  constructor(private readonly inMemory: number) {}

  async add(lineHash: string): Promise<void> {
    this.batch.push(lineHash);
    if (this.batch.length >= this.inMemory) await this.spill();
  }

  private async spill(): Promise<void> {
    this.folder ??= await mkdtemp(join(tmpdir(), 'findings-digest-'));
    const path = join(this.folder, `${this.runs.length}.txt`);
    await writeFile(path, this.batch.sort().join('\n'));
    this.runs.push(path);
    this.batch = [];
  }

  async digest(): Promise<string> {
    const hash = createHash('sha256');
    if (this.runs.length === 0) hash.update(this.batch.sort().join('\n'));
    else {
      if (this.batch.length > 0) await this.spill();
      await merge(this.runs, hash);
    }
    return hash.digest('hex');
  }

  /** Removes the sorted runs written to disk. */
  async dispose(): Promise<void> {
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
    this.folder = undefined;
  }
}

/** Feeds the lines of sorted files into `hash` in sorted order, newline-separated. */
async function merge(paths: readonly string[], hash: Hash): Promise<void> {
  const readers = paths.map((path) =>
    createInterface({ input: createReadStream(path), crlfDelay: Infinity })[Symbol.asyncIterator](),
  );
  try {
    const heads: Array<string | undefined> = [];
    for (const reader of readers) {
      const next = await reader.next();
      heads.push(next.done ? undefined : next.value);
    }
    let first = true;
    for (;;) {
      let at = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i];
        if (head !== undefined && (at < 0 || head < (heads[at] as string))) at = i;
      }
      if (at < 0) return;
      hash.update(first ? (heads[at] as string) : `\n${heads[at] as string}`);
      first = false;
      const next = await (readers[at] as AsyncIterator<string>).next();
      heads[at] = next.done ? undefined : next.value;
    }
  } finally {
    for (const reader of readers) await reader.return?.();
  }
}

/**
 * Digests a findings.json without holding it: one line per cluster and per finding (the layout
 * findings.json is written in), each hashed, the hashes sorted and hashed again — so the digest
 * does not depend on the order in which concurrently read batches arrived; plus the run's counts,
 * score and completeness. Memory holds at most `inMemory` line hashes per section (the sort spills
 * to temporary files beyond that), whatever the number of findings.
 */
export async function digestFindingsJson(
  source: string | Readable,
  inMemory = HASHES_IN_MEMORY,
): Promise<FindingsDigest> {
  const input = typeof source === 'string' ? createReadStream(source) : source;
  let section: 'head' | 'run' | 'clusters' | 'findings' = 'head';
  const runLines: string[] = [];
  const hashes = { clusters: new SortedHashDigest(inMemory), findings: new SortedHashDigest(inMemory) };
  const rows = { clusters: 0, findings: 0 };
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.startsWith('  "run": ')) {
        section = 'run';
        runLines.push(line.slice('  "run": '.length));
        continue;
      }
      if (line.startsWith('  "clusters": [')) {
        section = 'clusters';
        continue;
      }
      if (line.startsWith('  "findings": [')) {
        section = 'findings';
        continue;
      }
      if (section === 'run') runLines.push(line);
      else if ((section === 'clusters' || section === 'findings') && line.startsWith('    ')) {
        await hashes[section].add(
          createHash('sha256').update(line.trim().replace(/,$/, '')).digest('base64'),
        );
        rows[section]++;
      }
    }
    const run = JSON.parse(runLines.join('\n').replace(/,\s*$/, '')) as Record<string, unknown>;
    return {
      clusters: rows.clusters,
      findings: rows.findings,
      clustersSha256: await hashes.clusters.digest(),
      findingsSha256: await hashes.findings.digest(),
      counts: run.counts,
      score: run.score,
      complete: run.complete,
      asOf: run.asOf,
    };
  } finally {
    await Promise.all([hashes.clusters.dispose(), hashes.findings.dispose()]);
  }
}
