/**
 * Writes the sample fleet as of 2026-11-20T06:00:00Z to `sample/fleet/` (one pretty-printed JSON
 * file per inventory file, so `--inventory sample/fleet/*.json` scans it), and its settings and
 * expected verdicts beside it as `sample/fleet.settings.json` and `sample/fleet.expected.json`.
 * Run with `npm run sample:generate`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSampleFleet } from './sampleFleet.js';

const AS_OF = new Date('2026-11-20T06:00:00Z');

/** The project root: the nearest directory above this file that holds package.json. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the sample writer');
    dir = parent;
  }
  return dir;
}

async function main(): Promise<void> {
  const outDir = join(projectRoot(), 'sample', 'fleet');
  const fleet = buildSampleFleet({ asOf: AS_OF });
  await mkdir(outDir, { recursive: true });
  // Drop files of an earlier run that this run no longer writes.
  for (const name of await readdir(outDir)) {
    if (name.endsWith('.json')) await rm(join(outDir, name));
  }
  const outputs = [
    ...fleet.files.map((file) => ({ path: join(outDir, file.name), content: file.content })),
    { path: join(outDir, '..', 'fleet.settings.json'), content: fleet.settings },
    { path: join(outDir, '..', 'fleet.expected.json'), content: fleet.expected },
  ];
  for (const file of outputs) {
    await writeFile(file.path, `${JSON.stringify(file.content, null, 2)}\n`, 'utf8');
  }
  const clusters = Object.keys(fleet.expected).length;
  process.stdout.write(
    `Wrote ${outputs.length} files to ${outDir}: ${clusters} clusters, ` +
      `${fleet.malformedRowCount} malformed rows, ${fleet.orphanCount} orphans.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
