import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { buildSampleFleet } from '../sample/sampleFleet.js';
import { processIo } from './commandIo.js';
import { scanFromArguments } from './runScanCommand.js';

/**
 * The embedded default: writes the bundled sample fleet (timestamps relative to now) as inventory
 * files, scans them exactly as `npm run scan` would, and leaves everything in one folder.
 */
const { values } = parseArgs({ options: { out: { type: 'string', default: 'out/demo' } } });
const io = processIo();
const folder = resolve(values.out);
const inventoryFolder = join(folder, 'inventory');
const asOf = io.now();

await rm(inventoryFolder, { recursive: true, force: true });
await mkdir(inventoryFolder, { recursive: true });
const fleet = buildSampleFleet({ asOf, day: 'current' });
const inventories: string[] = [];
for (const file of fleet.files) {
  const path = join(inventoryFolder, file.name);
  await writeFile(path, `${JSON.stringify(file.content, null, 2)}\n`);
  inventories.push(path);
}
const settingsFile = join(folder, 'settings.json');
await writeFile(settingsFile, `${JSON.stringify(fleet.settings, null, 2)}\n`);

io.stderr(
  `Sample fleet written to ${relative(process.cwd(), inventoryFolder)} (${fleet.files.length} files)\n`,
);
const outcome = await scanFromArguments(
  {
    inventories,
    out: folder,
    failOn: [],
    settingsFile,
    asOf,
    live: false,
    subscriptions: [],
    managementGroups: [],
    cluster: undefined,
  },
  io,
);
io.stdout(
  `\nDemo outputs in ${relative(process.cwd(), folder) || '.'}/: findings.json, findings.csv, inventory/, settings.json\n`,
);
process.exitCode = outcome.exitCode;
