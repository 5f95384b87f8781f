import { rm } from 'node:fs/promises';

import { CATALOG_VERSION } from '../catalog/controls.js';
import { csvHeader, csvRow } from '../findings/findingsCsv.js';
import { FINDINGS_SCHEMA_VERSION } from '../findings/findingsJson.js';
import type { RunMetadata } from '../scan/scanResult.js';
import type { RunPart } from '../scan/runSource.js';

export type { RunPart } from '../scan/runSource.js';
export { partsOf } from '../scan/runSource.js';
import { TextFile } from './textFile.js';

/**
 * Where findings stream to, part by part, so that no writer needs the whole run in memory: every
 * findings output (findings.json, findings.csv, and any format added later) is one of these.
 * `write` is called once per part in run order; `close` once with the run's metadata (known only
 * when every part is judged); `abort` when the run cannot be written, leaving nothing behind.
 */
export interface FindingsSink {
  write(part: RunPart): Promise<void>;
  close(run: RunMetadata): Promise<{ path: string; sha256: string }>;
  abort(): Promise<void>;
}

/** findings.csv: the header, then one row per finding as parts arrive. */
export function csvFindingsSink(path: string): FindingsSink {
  const file = new TextFile(path);
  let started = false;
  return {
    async write(part) {
      if (!started) await file.write(csvHeader());
      started = true;
      for (const finding of part.findings) await file.write(csvRow(finding));
    },
    async close() {
      if (!started) await file.write(csvHeader());
      return { path, sha256: await file.commit() };
    },
    abort: () => file.abort(),
  };
}

/**
 * findings.json (schema version 1): clusters and findings are spooled to two part files as parts
 * arrive; on close the document is stitched — head with the run's metadata, then both parts —
 * byte for byte as `findingsJsonChunks` writes it.
 */
export function jsonFindingsSink(path: string): FindingsSink {
  const clusters = new TextFile(`${path}.clusters.part`);
  const findings = new TextFile(`${path}.findings.part`);
  const written = { clusters: 0, findings: 0 };
  const cleanUp = async (): Promise<void> => {
    await Promise.all([clusters.abort(), findings.abort()]);
    await Promise.all([rm(clusters.path, { force: true }), rm(findings.path, { force: true })]);
  };
  return {
    async write(part) {
      for (const cluster of part.clusters)
        await clusters.write(`${written.clusters++ === 0 ? '\n' : ',\n'}    ${JSON.stringify(cluster)}`);
      for (const finding of part.findings)
        await findings.write(`${written.findings++ === 0 ? '\n' : ',\n'}    ${JSON.stringify(finding)}`);
    },
    async close(run) {
      const document = new TextFile(path);
      try {
        await Promise.all([clusters.commit(), findings.commit()]);
        await document.write(
          `{\n  "schemaVersion": ${FINDINGS_SCHEMA_VERSION},\n  "catalogVersion": ${JSON.stringify(CATALOG_VERSION)},\n`,
        );
        await document.write(`  "run": ${JSON.stringify(run, null, 2).replace(/\n/g, '\n  ')},\n`);
        await document.write('  "clusters": [');
        await document.append(clusters.path);
        await document.write(written.clusters === 0 ? '],\n' : '\n  ],\n');
        await document.write('  "findings": [');
        await document.append(findings.path);
        await document.write(written.findings === 0 ? ']\n}\n' : '\n  ]\n}\n');
        return { path, sha256: await document.commit() };
      } catch (error) {
        await document.abort();
        throw error;
      } finally {
        await cleanUp();
      }
    },
    abort: cleanUp,
  };
}

/** Streams every part into every sink, then closes them; on failure nothing is left half-written. */
export async function writeToSinks(
  sinks: readonly FindingsSink[],
  parts: Iterable<RunPart> | AsyncIterable<RunPart>,
  run: RunMetadata,
): Promise<Array<{ path: string; sha256: string }>> {
  try {
    for await (const part of parts) for (const sink of sinks) await sink.write(part);
    const closed: Array<{ path: string; sha256: string }> = [];
    for (const sink of sinks) closed.push(await sink.close(run));
    return closed;
  } catch (error) {
    await Promise.all(sinks.map((sink) => sink.abort()));
    throw error;
  }
}
