import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
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

/**
 * Digests a findings.json without holding it: one line per cluster and per finding (the layout
 * findings.json is written in), each hashed, the hashes sorted and hashed again — so the digest
 * does not depend on the order in which concurrently read batches arrived; plus the run's counts,
 * score and completeness.
 */
export async function digestFindingsJson(source: string | Readable): Promise<FindingsDigest> {
  const input = typeof source === 'string' ? createReadStream(source) : source;
  let section: 'head' | 'run' | 'clusters' | 'findings' = 'head';
  const runLines: string[] = [];
  const hashes: Record<'clusters' | 'findings', string[]> = { clusters: [], findings: [] };
  const rows = { clusters: 0, findings: 0 };
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
      hashes[section].push(createHash('sha256').update(line.trim().replace(/,$/, '')).digest('base64'));
      rows[section]++;
    }
  }
  const run = JSON.parse(runLines.join('\n').replace(/,\s*$/, '')) as Record<string, unknown>;
  return {
    clusters: rows.clusters,
    findings: rows.findings,
    clustersSha256: digestOf(hashes.clusters),
    findingsSha256: digestOf(hashes.findings),
    counts: run.counts,
    score: run.score,
    complete: run.complete,
    asOf: run.asOf,
  };
}

function digestOf(lineHashes: string[]): string {
  return createHash('sha256').update(lineHashes.sort().join('\n')).digest('hex');
}
