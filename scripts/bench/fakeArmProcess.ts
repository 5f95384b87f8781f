/**
 * The local HTTPS fake of Resource Manager in a process of its own, serving a synthetic tenant with
 * a share of Resource Graph responses throttled (429, half with Retry-After: 1) and the documented
 * quota of 15 queries per 5 seconds. Prints one JSON line (environment, sizes) on stdout, then
 * answers stdin commands: `counts` (prints the request counters), `snapshot PATH` (writes the tenant
 * as an offline inventory file), `clusters PATH LIMIT` (writes up to LIMIT cluster IDs).
 *   node dist/scripts/bench/fakeArmProcess.js --clusters N --subscriptions S --throttle 0.3
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import { startFakeArm, type Fault } from '../../test/fakes/fakeArmServer.js';
import { syntheticFleet } from '../../test/fakes/syntheticFleet.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    subscriptions: { type: 'string', default: '10' },
    throttle: { type: 'string', default: '0.3' },
  },
});
const throttleShare = Number(values.throttle);
let seed = 42;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const fleet = syntheticFleet({
  clusters: Number(values.clusters),
  subscriptions: Number(values.subscriptions),
});
let throttledHalf = 0;
const fake = await startFakeArm({
  resources: fleet.resources,
  quota: { limit: 15, windowMs: 5000, retryAfterOnExhaustion: true },
  faults: ({ route }): Fault | undefined => {
    if (route !== 'graph' || random() >= throttleShare) return undefined;
    return throttledHalf++ % 2 === 0 ? { kind: 'throttle', retryAfterSeconds: 1 } : { kind: 'throttle' };
  },
});
const clusterIds = fleet.resources
  .filter((r) => /connectedclusters|managedclusters/i.test(String(r.type)))
  .map((r) => String(r.id));
const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};
print({ env: fake.env, resources: fleet.resources.length, clusters: clusterIds.length });

async function writeSnapshot(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('[');
  fleet.resources.forEach((resource, index) => {
    out.write(`${index === 0 ? '' : ','}\n${JSON.stringify(resource)}`);
  });
  out.end(']\n');
  await once(out, 'close');
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, path, limit] = line.trim().split(' ');
  if (command === 'counts') print({ ...fake.counts });
  else if (command === 'snapshot' && path) {
    await writeSnapshot(path);
    print({ written: path });
  } else if (command === 'clusters' && path) {
    await writeFile(path, JSON.stringify(clusterIds.slice(0, Number(limit ?? clusterIds.length))));
    print({ written: path });
  } else print({ error: `unknown command ${command ?? ''}` });
}
await fake.close();
