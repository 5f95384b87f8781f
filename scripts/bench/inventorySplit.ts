/**
 * Reading one large offline inventory file: writes a synthetic tenant as one file — what
 * `az graph query` prints (`{count, data, skip_token, total_records}`, indented) — then, each in a
 * process of its own, times and takes the peak RSS of: splitting it into batches by subscription
 * (`splitInventoryFiles`) and merging the batches one at a time; `readFile` + `JSON.parse` of the
 * whole file; and `loadInventoryFiles` (the whole-file loader).
 *   node dist/scripts/bench/inventorySplit.js --clusters 50000 [--subscriptions 500] [--file PATH]
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

import { splitInventoryFiles } from '../../shared/inventory/inventoryBatches.js';
import { loadInventoryFiles } from '../../shared/inventory/loadInventoryFiles.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { toResourceGraphRow, type JsonObject } from '../../sample/resourceShapes.js';
import { syntheticFleet } from '../../test/fakes/syntheticFleet.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    clusters: { type: 'string', default: '50000' },
    subscriptions: { type: 'string' },
    file: { type: 'string' },
    /** Passed to splitInventoryFiles (defaults: 32 MiB, one batch per 16 MiB). */
    'stream-from': { type: 'string' },
    batches: { type: 'string' },
  },
});
const MIB = 1024 * 1024;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** Peak resident set size and CPU time (user + system) of this process so far. */
function usage(): { peakRssMiB: number; cpuMs: number } {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  return { peakRssMiB: Math.round(maxRSS / 1024), cpuMs: Math.round((userCPUTime + systemCPUTime) / 1000) };
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function generate(path: string, clusters: number, subscriptions: number): Promise<void> {
  const fleet = syntheticFleet({ clusters, subscriptions });
  const out = createWriteStream(path);
  const indent = (text: string): string => text.replace(/\n/g, '\n    ');
  out.write(`{\n  "count": ${fleet.resources.length},\n  "data": [`);
  for (const [index, resource] of fleet.resources.entries()) {
    const row = toResourceGraphRow(resource as JsonObject, TENANT);
    const text = `${index === 0 ? '' : ','}\n    ${indent(JSON.stringify(row, null, 2))}`;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end(`\n  ],\n  "skip_token": null,\n  "total_records": ${fleet.resources.length}\n}\n`);
  await once(out, 'close');
  print({ resources: fleet.resources.length });
}

async function measure(mode: string, path: string): Promise<void> {
  const started = performance.now();
  if (mode === 'split') {
    const batches = await splitInventoryFiles([path], {
      ...(values['stream-from'] === undefined ? {} : { streamFrom: Number(values['stream-from']) }),
      ...(values.batches === undefined ? {} : { batches: Number(values.batches) }),
    });
    const split = performance.now() - started;
    const afterSplit = usage();
    let resources = 0;
    let rows = 0;
    let largest = 0;
    for (let index = 0; index < batches.count; index++) {
      const batch = await batches.read(index);
      rows += batch.length;
      largest = Math.max(largest, batch.length);
      resources += mergeResources([batch]).resources.length;
    }
    await batches.dispose();
    print({
      mode,
      batches: batches.count,
      rows,
      largestBatch: largest,
      resources,
      splitMs: Math.round(split),
      splitCpuMs: afterSplit.cpuMs,
      splitPeakRssMiB: afterSplit.peakRssMiB,
      ms: Math.round(performance.now() - started),
      ...usage(),
    });
  } else if (mode === 'parse') {
    const document = JSON.parse(await readFile(path, 'utf8')) as { data: unknown[] };
    print({ mode, rows: document.data.length, ms: Math.round(performance.now() - started), ...usage() });
  } else {
    const inventory = await loadInventoryFiles([path]);
    print({
      mode,
      resources: inventory.resources.length,
      ms: Math.round(performance.now() - started),
      ...usage(),
    });
  }
}

const run = promisify(execFile);
const self = fileURLToPath(import.meta.url);

async function child(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [self, ...args], { maxBuffer: 16 * MIB });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as unknown;
}

const [mode, path] = positionals;
if (mode === 'generate' && path) await generate(path, Number(values.clusters), Number(values.subscriptions));
else if (mode && path) await measure(mode, path);
else {
  const clusters = Number(values.clusters);
  const subscriptions = Number(values.subscriptions ?? Math.max(10, Math.round(clusters / 100)));
  const folder = await mkdtemp(join(tmpdir(), 'inventory-split-'));
  const file = values.file ?? join(folder, 'inventory.json');
  try {
    const generated = await child(
      'generate',
      file,
      '--clusters',
      String(clusters),
      '--subscriptions',
      String(subscriptions),
    );
    const { size } = await stat(file);
    print({ clusters, subscriptions, fileMiB: Math.round(size / MIB), ...(generated as object) });
    const passed = Object.entries({
      '--stream-from': values['stream-from'],
      '--batches': values.batches,
    }).flatMap(([option, value]) => (value === undefined ? [] : [option, value]));
    for (const measured of ['split', 'parse', 'load']) print(await child(measured, file, ...passed));
  } finally {
    if (values.file === undefined) await rm(folder, { recursive: true, force: true });
  }
}
