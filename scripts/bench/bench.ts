/**
 * The benchmark: one synthetic tenant behind the local HTTPS fake of Resource Manager (throttling
 * and the Resource Graph quota), Azurite in a process of its own, and the whole pipeline through
 * both paths — the CLI (live scan, store, reports) and the Functions fan-out with several workers.
 * Each phase is set against its I/O floor measured in the same run (fetch only; store only; write
 * the outputs only), with request counts and the peak RSS of every process. Writes the figures as
 * JSON; `npm run bench:doc` turns such files into BENCHMARKS.md.
 *   npm run bench -- --clusters 10000 [--subscriptions 100] [--workers 3] [--paths cli,fanout]
 *                    [--throttle 0.3] [--identity] [--out bench-results] [--merge]
 * With --merge, the figures are merged into the same tenant's earlier results in the out folder
 * (the phases and processes measured again replace theirs), for a run measured in pieces.
 */
import { appendFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { BlobServiceClient } from '@azure/storage-blob';
import type { Readable } from 'node:stream';
import { generate } from 'selfsigned';

import { createHistoryStore } from '../../shared/storage/historyStore.js';
import { readRun } from '../../shared/storage/runReads.js';
import { parseStorageSettings } from '../../shared/storage/storageSettings.js';
import { runToEnd, spawnNode, type BenchChild } from './childProcess.js';
import { dropTables } from './dropTables.js';
import { CLI_NODE_ARGUMENTS, CLI_OLD_SPACE_MIB } from './cliHeap.js';
import { INSTANCE_NODE_ARGUMENTS, INSTANCE_OLD_SPACE_MIB } from './instanceHeap.js';
import { digestFindingsJson, type FindingsDigest } from './findingsDigest.js';
import { invocationRole } from './invocationKinds.js';
import { LoadSampler } from './loadSampler.js';
import { mergeReports } from './mergeReports.js';
import type { BenchReport, InvocationFigure, PhaseFigure, ProcessPeak } from './benchReport.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    subscriptions: { type: 'string' },
    workers: { type: 'string', default: '3' },
    paths: { type: 'string', default: 'cli,fanout' },
    floors: { type: 'string', default: 'fetch,store,storerun,outputs' },
    throttle: { type: 'string', default: '0.3' },
    identity: { type: 'boolean' },
    'per-cluster-limit': { type: 'string', default: '10000' },
    out: { type: 'string', default: 'bench-results' },
    echo: { type: 'boolean', default: false },
    merge: { type: 'boolean', default: false },
  },
});
const clusters = Number(values.clusters);
if (!Number.isInteger(clusters) || clusters < 10)
  throw new RangeError('--clusters must be a whole number ≥ 10');
const subscriptions = Number(values.subscriptions ?? Math.max(10, Math.round(clusters / 100)));
const workers = Number(values.workers);
const paths = new Set((values.paths ?? '').split(','));
const floors = new Set((values.floors ?? '').split(','));
const identity = values.identity ?? (paths.has('cli') && paths.has('fanout') && clusters <= 20_000);
const AS_OF = '2026-11-20T06:00:00Z';
/**
 * Subscriptions per batch (`RESOURCE_GRAPH_BATCH_SIZE`, of the fan-out and of the CLI): about 1,000
 * clusters each, whatever the tenant's size, so a batch's work (and memory) stays the same as the
 * tenant grows and only the number of batches grows.
 */
const CLUSTERS_PER_BATCH = 1000;
const batchSubscriptions = Math.max(1, Math.round((CLUSTERS_PER_BATCH * subscriptions) / clusters));
const MIB = 1024 * 1024;
const AZURITE_OLD_SPACE_MIB = 16 * 1024;

const folder = await mkdtemp(join(tmpdir(), 'bench-'));
const rssFile = join(folder, 'rss.jsonl');
await writeFile(rssFile, '');
const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
  keySize: 2048,
  extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
});
const certFile = join(folder, 'cert.pem');
await writeFile(certFile, pems.cert);
await writeFile(join(folder, 'key.pem'), pems.private, { mode: 0o600 });
const baseEnv: Record<string, string | undefined> = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_EXTRA_CA_CERTS: certFile,
  TEST_TLS_CERT_FILE: certFile,
  TEST_TLS_KEY_FILE: join(folder, 'key.pem'),
};
const loadBefore = loadavg();
const started = performance.now();
const load = new LoadSampler();
const log = (message: string): void => {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${message}\n`);
};
const spawnOptions = { rssFile, echo: values.echo ?? false };

// Azurite keeps every entity in its heap (about 4 GiB per million): more than V8's default limit at
// 50,000 clusters, where storing a run twice writes over a million entities.
const azurite = spawnNode('azurite', 'dist/scripts/azuriteProcess.js', [], {
  ...spawnOptions,
  env: baseEnv,
  nodeArguments: [`--max-old-space-size=${AZURITE_OLD_SPACE_MIB}`],
});
const { connectionString } = JSON.parse(await azurite.nextLine(60_000)) as { connectionString: string };
const fake = spawnNode(
  'fake Resource Manager',
  'dist/scripts/bench/fakeArmProcess.js',
  [
    '--clusters',
    String(clusters),
    '--subscriptions',
    String(subscriptions),
    '--throttle',
    String(values.throttle),
  ],
  { ...spawnOptions, env: baseEnv },
);
const tenant = JSON.parse(await fake.nextLine(600_000)) as {
  env: Record<string, string>;
  resources: number;
  clusters: number;
};
log(`tenant: ${tenant.clusters} clusters, ${tenant.resources} resources, ${subscriptions} subscriptions`);

/** The results already in `file` for --merge; none when there is no such file. */
async function readEarlierReport(file: string): Promise<BenchReport | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BenchReport;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

interface Counts {
  graph: number;
  graphServed: number;
  get: number;
  list: number;
  throttled: number;
}
async function fakeCommand(command: string): Promise<string> {
  fake.process.stdin?.write(`${command}\n`);
  return fake.nextLine(600_000);
}
const counts = async (): Promise<Counts> => JSON.parse(await fakeCommand('counts')) as Counts;
const requestsSince = (before: Counts, after: Counts): PhaseFigure['requests'] => ({
  graphMade: after.graph - before.graph,
  graphNeeded: after.graphServed - before.graphServed,
  throttled: after.throttled - before.throttled,
  armGets: after.get - before.get,
});

// Every live read (the fetch floor, the fan-out, the CLI) uses the same batches of subscriptions.
const liveEnv = {
  ...baseEnv,
  ...tenant.env,
  RETRY_MAX_DELAY_MS: '30000',
  RESOURCE_GRAPH_BATCH_SIZE: String(batchSubscriptions),
};
const phases: PhaseFigure[] = [];
/** Records a phase that ran from `from` to `to` (performance.now()), with the load around it. */
const phase = (figure: Omit<PhaseFigure, 'load'>, from: number, to: number): void => {
  phases.push({ ...figure, load: load.around(from, to) });
  log(`${figure.path} / ${figure.name}: ${(figure.ms / 1000).toFixed(1)} s`);
};
const children: BenchChild[] = [azurite, fake];
const invocations: InvocationFigure[] = [];
const track = (child: BenchChild): BenchChild => {
  children.push(child);
  return child;
};

try {
  // The floors.
  let before = await counts();
  if (floors.has('fetch')) {
    const fetchFloor = track(
      spawnNode('fetch only', 'dist/scripts/bench/fetchOnly.js', [], { ...spawnOptions, env: liveEnv }),
    );
    await runToEnd(fetchFloor);
    const fetched = JSON.parse(fetchFloor.stdout.at(-1)?.text ?? '{}') as { ms: number };
    phase(
      {
        path: 'floor',
        name: 'fetch only',
        ms: fetched.ms,
        requests: requestsSince(before, await counts()),
      },
      fetchFloor.started,
      performance.now(),
    );
  }
  if (floors.has('store')) {
    const storeFloor = track(
      spawnNode('store only', 'dist/scripts/bench/storeOnly.js', ['--clusters', String(clusters)], {
        ...spawnOptions,
        env: { ...baseEnv, STORAGE_CONNECTION: connectionString },
      }),
    );
    await runToEnd(storeFloor);
    const storedFloor = JSON.parse(storeFloor.stdout.at(-1)?.text ?? '{}') as {
      ms: number;
      entities: number;
    };
    phase(
      { path: 'floor', name: 'store only', ms: storedFloor.ms, entities: storedFloor.entities },
      storeFloor.started,
      performance.now(),
    );
    await dropTables(connectionString, 'floor');
  }
  if (floors.has('storerun')) {
    // Storing a run alone (a synthetic run of the same size, read from a spool), for its memory.
    const storeRun = track(
      spawnNode('store a run', 'dist/scripts/bench/storeRunOnly.js', ['--clusters', String(clusters)], {
        ...spawnOptions,
        env: { ...baseEnv, STORAGE_CONNECTION: connectionString },
        // Runs are stored by the finalising invocation: the same heap as an instance's.
        nodeArguments: INSTANCE_NODE_ARGUMENTS,
      }),
    );
    await runToEnd(storeRun);
    const storedRuns = storeRun.stdout.map(
      (line) => JSON.parse(line.text) as { run?: string; seconds?: number },
    );
    const firstRun = storedRuns.find((entry) => entry.run === 'first run');
    phase(
      { path: 'floor', name: 'store a run (storeRun, from a spool)', ms: (firstRun?.seconds ?? 0) * 1000 },
      storeRun.started,
      performance.now(),
    );
    await dropTables(connectionString, 'storerun');
  }
  if (floors.has('outputs')) {
    const snapshot = join(folder, 'snapshot.json');
    await fakeCommand(`snapshot ${snapshot}`);
    const offlineOut = join(folder, 'offline');
    const offline = track(
      spawnNode(
        'offline CLI',
        'dist/cli/scan.js',
        ['--inventory', snapshot, '--out', offlineOut, '--as-of', AS_OF, '--no-store'],
        { ...spawnOptions, env: baseEnv, nodeArguments: CLI_NODE_ARGUMENTS },
      ),
    );
    const offlineRun = await runToEnd(offline);
    phase(
      {
        path: 'floor',
        name: 'write outputs only (offline CLI: read file, evaluate, write)',
        ms: offlineRun.ms,
      },
      offline.started,
      performance.now(),
    );
    await rm(snapshot, { force: true });
  }

  let fanoutDigest: FindingsDigest | undefined;
  let cliDigest: FindingsDigest | undefined;
  let fanoutAsOf = AS_OF;
  if (paths.has('fanout')) {
    const env = {
      ...liveEnv,
      AzureWebJobsStorage: connectionString,
      STORAGE_TABLE_PREFIX: 'fan',
      SCAN_BATCH_QUEUE: 'bench-batches',
      REPORTS_CONTAINER: 'bench-reports',
      INLINE_SCAN_MAX_SUBSCRIPTIONS: '0',
      BENCH_AS_OF: AS_OF,
    };
    before = await counts();
    const t0 = performance.now();
    // Each worker stands in for an instance of the host: it runs every message as an invocation in
    // a fresh process, whose peak RSS is recorded under its kind (the workers' own is not).
    const pool = Array.from({ length: workers }, (_, i) =>
      track(
        spawnNode(`Functions worker ${i + 1}`, 'dist/scripts/bench/functionsWorker.js', [], {
          ...spawnOptions,
          env,
          recordPeakRss: false,
        }),
      ),
    );
    const starter = track(
      spawnNode(invocationRole('scan start'), 'dist/scripts/bench/startScanProcess.js', [], {
        ...spawnOptions,
        env,
        nodeArguments: INSTANCE_NODE_ARGUMENTS,
      }),
    );
    const startedRun = JSON.parse(await starter.nextLine()) as { runId: string; batches: number };
    const startRun = await runToEnd(starter);
    invocations.push({ kind: 'scan start', ms: startRun.ms, ok: startRun.code === 0 });
    phase(
      { path: 'fanout', name: 'start (resolve scope, enqueue batches)', ms: performance.now() - t0 },
      t0,
      performance.now(),
    );
    const settings = parseStorageSettings({
      STORAGE_CONNECTION: connectionString,
      STORAGE_TABLE_PREFIX: 'fan',
    });
    if (!settings) throw new Error('no storage settings');
    const store = createHistoryStore(settings);
    let record;
    for (;;) {
      record = await readRun(store, startedRun.runId);
      if (record && record.status !== 'running') break;
      if (performance.now() - t0 > 3 * 3_600_000)
        throw new Error('the fan-out run did not finish in 3 hours');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const total = performance.now() - t0;
    for (const worker of pool) worker.process.kill('SIGTERM');
    await Promise.all(pool.map((worker) => worker.exited));
    for (const worker of pool)
      for (const line of worker.stdout) invocations.push(JSON.parse(line.text) as InvocationFigure);
    phase(
      {
        path: 'fanout',
        name: `whole run (${startedRun.batches} batches, ${workers} workers, stored ${record.status})`,
        ms: total,
        requests: requestsSince(before, await counts()),
      },
      t0,
      t0 + total,
    );
    fanoutAsOf = String(record.metadata.asOf);
    if (identity) {
      const blob = BlobServiceClient.fromConnectionString(connectionString)
        .getContainerClient('bench-reports')
        .getBlockBlobClient(`${startedRun.runId}/findings.json`);
      const download = await blob.download();
      fanoutDigest = await digestFindingsJson(download.readableStreamBody as Readable);
    }
    await dropTables(connectionString, 'fan');
  }

  if (paths.has('cli')) {
    const out = join(folder, 'cli');
    before = await counts();
    const cli = track(
      spawnNode('CLI end-to-end', 'dist/cli/scan.js', ['--live', '--out', out, '--as-of', fanoutAsOf], {
        ...spawnOptions,
        env: { ...liveEnv, STORAGE_CONNECTION: connectionString, STORAGE_TABLE_PREFIX: 'cli' },
        nodeArguments: CLI_NODE_ARGUMENTS,
      }),
    );
    const run = await runToEnd(cli);
    const requests = requestsSince(before, await counts());
    const at = (pattern: RegExp): number | undefined =>
      cli.stderr.find((line) => pattern.test(line.text))?.at;
    const marks: Array<{ name: string; pattern: RegExp }> = [
      { name: 'fetch', pattern: /^Evaluating clusters/ },
      { name: 'evaluate + write findings.json/csv', pattern: /^Wrote .*findings\.csv/ },
      { name: 'store the run + retention', pattern: /^Building the reports/ },
      { name: 'workbook + HTML report', pattern: /^Wrote .*report\.xlsx/ },
    ];
    let previous = 0;
    for (const mark of marks) {
      const end = at(mark.pattern);
      if (end === undefined) continue;
      phase(
        {
          path: 'cli',
          name: mark.name,
          ms: end - previous,
          ...(mark.name === 'fetch' ? { requests } : {}),
        },
        cli.started + previous,
        cli.started + end,
      );
      previous = end;
    }
    phase({ path: 'cli', name: 'whole run', ms: run.ms, requests }, cli.started, cli.started + run.ms);
    if (identity) cliDigest = await digestFindingsJson(join(out, 'findings.json'));
    const sizes: Record<string, number> = {};
    for (const name of ['findings.json', 'findings.csv', 'report.xlsx', 'report.html'])
      sizes[name] = (await stat(join(out, name)).catch(() => ({ size: 0 }))).size;
    await appendFile(join(folder, 'sizes.json'), JSON.stringify(sizes));
  }

  // The per-cluster listing comparison, on up to --per-cluster-limit clusters.
  const limit = Math.min(clusters, Number(values['per-cluster-limit']));
  let perClusterListing = { clusters: 0, requests: 0, ms: 0 };
  if (limit > 0) {
    const idsFile = join(folder, 'clusters.json');
    await fakeCommand(`clusters ${idsFile} ${limit}`);
    before = await counts();
    const perCluster = track(
      spawnNode('per-cluster listing', 'dist/scripts/listExtensionsPerCluster.js', [idsFile], {
        ...spawnOptions,
        env: liveEnv,
      }),
    );
    const perClusterRun = await runToEnd(perCluster);
    const perClusterCounts = await counts();
    perClusterListing = {
      clusters: limit,
      requests: perClusterCounts.list - before.list + (perClusterCounts.get - before.get),
      ms: perClusterRun.ms,
    };
    log(`per-cluster listing: ${perClusterListing.requests} requests for ${limit} clusters`);
  }

  for (const child of [fake, azurite]) child.process.kill('SIGTERM');
  await Promise.all([fake.exited, azurite.exited]);
  const peaks: ProcessPeak[] = (await readFile(rssFile, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { role: string; peakRssBytes: number; cpuMicroseconds: number })
    .map((entry) => ({
      role: entry.role,
      peakRssMiB: Math.round(entry.peakRssBytes / MIB),
      cpuSeconds: Number((entry.cpuMicroseconds / 1e6).toFixed(1)),
    }));
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    clusters: tenant.clusters,
    resources: tenant.resources,
    findings: tenant.clusters * 10,
    subscriptions,
    workers,
    instanceOldSpaceMiB: INSTANCE_OLD_SPACE_MIB,
    cliOldSpaceMiB: CLI_OLD_SPACE_MIB,
    throttleShare: Number(values.throttle),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      loadBefore: loadBefore.map((n) => Number(n.toFixed(2))),
      loadAfter: loadavg().map((n) => Number(n.toFixed(2))),
    },
    phases,
    peaks,
    invocations,
    perClusterListing,
    identity:
      fanoutDigest && cliDigest
        ? {
            checked: true,
            identical: JSON.stringify(fanoutDigest) === JSON.stringify(cliDigest),
            fanout: fanoutDigest,
            cli: cliDigest,
          }
        : { checked: false },
    totalMs: performance.now() - started,
  };
  await mkdir(values.out ?? 'bench-results', { recursive: true });
  const file = join(values.out ?? 'bench-results', `bench-${tenant.clusters}.json`);
  const earlier = values.merge ? await readEarlierReport(file) : undefined;
  const written = earlier ? mergeReports(earlier, report) : report;
  await writeFile(file, `${JSON.stringify(written, null, 2)}\n`);
  const { renderReport } = await import('./benchReport.js');
  process.stdout.write(renderReport(written));
  process.stdout.write(`\nWrote ${file}\n`);
  if (report.identity.checked && !report.identity.identical) process.exitCode = 1;
} finally {
  load.stop();
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGTERM');
  await Promise.all(children.map((child) => child.exited));
  await rm(folder, { recursive: true, force: true });
}
