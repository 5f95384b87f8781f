/**
 * Live-scan benchmark against the local HTTPS fake of Resource Manager:
 *  1. a live scan (the real CLI in a child process, real SDK clients, managed-identity protocol)
 *     of a synthetic fleet, with a share of Resource Graph responses throttled (429, half with
 *     Retry-After) and the documented quota of 15 queries per 5 s;
 *  2. the offline scan of the same snapshot, whose findings must be identical;
 *  3. the request count of listing extensions and Flux configurations cluster by cluster through
 *     the Kubernetes configuration API, as a script looping `az k8s-extension list` would.
 *   npm run bench:live -- [--clusters 5000] [--subscriptions 50] [--throttle 0.3]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';

import { generate } from 'selfsigned';

import { startFakeArm, type Fault } from '../test/fakes/fakeArmServer.js';
import { syntheticFleet } from '../test/fakes/syntheticFleet.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '5000' },
    subscriptions: { type: 'string', default: '50' },
    throttle: { type: 'string', default: '0.3' },
  },
});
const throttleShare = Number(values.throttle);
const folder = await mkdtemp(join(tmpdir(), 'bench-live-'));
const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
  keySize: 2048,
  extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
});
const certFile = join(folder, 'cert.pem');
await writeFile(certFile, pems.cert);
await writeFile(join(folder, 'key.pem'), pems.private);
process.env.TEST_TLS_CERT_FILE = certFile;
process.env.TEST_TLS_KEY_FILE = join(folder, 'key.pem');

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

const node = process.execPath;
const env = { ...process.env, ...fake.env, NODE_EXTRA_CA_CERTS: certFile };
async function cli(args: string[]): Promise<{
  ms: number;
  document: { run: Record<string, unknown>; findings: Array<Record<string, unknown>> };
}> {
  const out = await mkdtemp(join(folder, 'out-'));
  const started = performance.now();
  await run(node, ['dist/cli/scan.js', ...args, '--out', out, '--as-of', '2026-11-20T06:00:00Z'], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  return { ms, document: JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) };
}

const live = await cli(['--live']);
const graphMinimum = fake.counts.graphServed;
const graphTotal = fake.counts.graph;
const armGets = fake.counts.get;
const snapshot = join(folder, 'snapshot.json');
await writeFile(snapshot, JSON.stringify(fleet.resources));
const offline = await cli(['--inventory', snapshot]);
const key = (f: Record<string, unknown>): string =>
  `${String(f.clusterId).toLowerCase()}|${String(f.controlId)}`;
const offlineFindings = new Map(offline.document.findings.map((f) => [key(f), JSON.stringify(f)]));
const differing = live.document.findings.filter(
  (f) => offlineFindings.get(key(f)) !== JSON.stringify(f),
).length;

const before = { get: fake.counts.get, list: fake.counts.list };
const perClusterStarted = performance.now();
const clusterIds = fleet.resources
  .filter((r) => /connectedclusters|managedclusters/i.test(String(r.type)))
  .map((r) => String(r.id));
await writeFile(join(folder, 'clusters.json'), JSON.stringify(clusterIds));
await run(node, ['dist/scripts/listExtensionsPerCluster.js', join(folder, 'clusters.json')], {
  env,
  maxBuffer: 16 * 1024 * 1024,
});
const perClusterMs = performance.now() - perClusterStarted;
const perClusterRequests = fake.counts.list - before.list + (fake.counts.get - before.get);

const stats = live.document.run.stats as Record<string, number>;
process.stdout.write(
  [
    `Node ${process.version}; ${clusterIds.length} clusters, ${fleet.resources.length} resources, ${values.subscriptions} subscriptions; ` +
      `${Math.round(throttleShare * 100)}% of Resource Graph responses throttled; quota 15 queries / 5 s`,
    `live scan:        ${(live.ms / 1000).toFixed(1)} s wall; findings ${live.document.findings.length}; complete ${String(live.document.run.complete)}`,
    `  Resource Graph: ${graphTotal} requests for ${graphMinimum} pages needed (minimum possible); ` +
      `${stats.throttledResponses} throttled, ${stats.quotaPauses} quota pauses, ${stats.retries} retries`,
    `  waiting on throttling: ${((stats.throttleWaitMs ?? 0) / 1000).toFixed(1)} s (summed over concurrent readers)`,
    `  Resource Manager GETs: ${armGets} (AKS Arc instances and Azure Local security settings)`,
    `offline scan:     ${(offline.ms / 1000).toFixed(1)} s wall; findings ${offline.document.findings.length}; ` +
      `findings differing from the live scan: ${differing}`,
    `per-cluster listing (extensions.list + fluxConfigurations.list per cluster): ${perClusterRequests} requests, ` +
      `${(perClusterMs / 1000).toFixed(1)} s — versus ${graphMinimum} Resource Graph pages for the same data and more`,
    '',
  ].join('\n'),
);
await fake.close();
await rm(folder, { recursive: true, force: true });
if (differing > 0) process.exitCode = 1;
