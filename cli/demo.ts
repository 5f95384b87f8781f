import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { createHistoryStore } from '../shared/storage/historyStore.js';
import { listRuns } from '../shared/storage/runQueries.js';
import { parseStorageSettings } from '../shared/storage/storageSettings.js';
import { buildSampleFleet, type SampleDay } from '../sample/sampleFleet.js';
import { renderSampleGovernance } from '../sample/sampleGovernance.js';
import { readTrend } from '../shared/storage/runQueries.js';
import { processIo, type CommandIo } from './commandIo.js';
import { deliverRunEventsNow } from './demoNotifications.js';
import { startDemoReceiver, type ReceivedEvent } from './demoReceiver.js';
import { startLocalAzurite, type LocalAzurite } from './localAzurite.js';
import type { RunSource } from '../shared/scan/runSource.js';
import type { StoreRunOutcome } from '../shared/storage/storeRun.js';
import { scanFromArguments, type ScanOutcome } from './runScanCommand.js';

/**
 * The embedded default, with no Azure account: starts Azurite (unless storage is configured),
 * writes the bundled sample fleet as it was yesterday and as it is today (timestamps relative to
 * now), scans and stores both runs exactly as `npm run scan` would, prints the summary and the
 * changes since yesterday, delivers each run's events (signed webhooks) to a receiver it starts on
 * a loopback port and prints those of today's run, and stops everything.
 *   npm run demo -- [--out DIR] [--data DIR]
 */
const { values } = parseArgs({
  options: { out: { type: 'string', default: 'out/demo' }, data: { type: 'string' } },
});
const io = processIo();
const folder = resolve(values.out);
const DAY_MS = 86_400_000;

async function scanDay(
  day: SampleDay,
  asOf: Date,
  out: string,
  env: CommandIo['env'],
): Promise<{ outcome: ScanOutcome; events: ReceivedEvent[] }> {
  const inventoryFolder = join(out, 'inventory');
  await rm(inventoryFolder, { recursive: true, force: true });
  await mkdir(inventoryFolder, { recursive: true });
  const fleet = buildSampleFleet({ asOf, day });
  const inventories: string[] = [];
  for (const file of fleet.files) {
    const path = join(inventoryFolder, file.name);
    await writeFile(path, `${JSON.stringify(file.content, null, 2)}\n`);
    inventories.push(path);
  }
  const settingsFile = join(out, 'settings.json');
  await writeFile(settingsFile, `${JSON.stringify(fleet.settings, null, 2)}\n`);
  const governanceFile = join(out, 'governance.yaml');
  await writeFile(governanceFile, renderSampleGovernance(asOf));
  io.stdout(
    `\n=== ${day === 'previous' ? "Yesterday's" : "Today's"} scan of the sample fleet (as of ${asOf.toISOString()}) ===\n`,
  );
  let events: ReceivedEvent[] = [];
  const outcome = await scanFromArguments(
    {
      inventories,
      out,
      failOn: [],
      failOnEffective: [],
      settingsFile,
      asOf,
      live: false,
      subscriptions: [],
      managementGroups: [],
      cluster: undefined,
      store: true,
      scopeLabel: 'sample-fleet',
      governanceFile,
    },
    { ...io, env, now: () => asOf },
    { onPublished: async (run) => void (events = await deliverEvents(run, env)) },
  );
  return { outcome, events };
}

/** Delivers a stored run's events to the demo's webhook receiver; returns what it received. */
async function deliverEvents(
  run: { source: RunSource; stored?: StoreRunOutcome },
  env: CommandIo['env'],
): Promise<ReceivedEvent[]> {
  const storage = parseStorageSettings(env);
  if (!run.stored || !storage) return [];
  const before = receiver.events.length;
  const trend = await readTrend(createHistoryStore(storage), run.stored.record.scopeKey, { top: 30 });
  const sent = await deliverRunEventsNow(env, storage, {
    source: run.source,
    stored: run.stored,
    trend,
  });
  io.stderr(
    `Notifications: ${sent.events} event(s) planned, ${sent.delivered} delivered, ${sent.dead} dead\n`,
  );
  return receiver.events.slice(before);
}

function describeEvent(event: ReceivedEvent): string {
  if (event.type.startsWith('finding.')) {
    const data = event.data as { clusterName?: string; controlId?: string; status?: string };
    return `  ${event.type.padEnd(17)} ${data.controlId ?? ''} ${data.clusterName ?? ''} (${data.status ?? ''})`;
  }
  if (event.type.startsWith('governance.')) {
    const data = event.data as { recordId?: string; controlId?: string; expires?: string };
    return `  ${event.type.padEnd(19)} ${data.recordId ?? ''} ${data.controlId ?? ''} (expires ${data.expires ?? '?'})`;
  }
  const run = (event.data as { run?: { score?: number; scoreChange?: number | null } }).run;
  const change =
    typeof run?.scoreChange === 'number'
      ? ` (${run.scoreChange >= 0 ? '+' : ''}${run.scoreChange.toFixed(1)})`
      : '';
  return `  ${event.type.padEnd(17)} score ${typeof run?.score === 'number' ? `${(run.score * 100).toFixed(1)}%` : '?'}${change}`;
}

const configured = Boolean(
  io.env.STORAGE_CONNECTION || io.env.STORAGE_ACCOUNT_NAME || io.env.STORAGE_TABLE_URL,
);
let azurite: LocalAzurite | undefined;
const receiver = await startDemoReceiver();
try {
  let env: CommandIo['env'] = {
    ...io.env,
    DEMO_WEBHOOK_SECRET: receiver.secret,
    NOTIFICATIONS_ALLOW_HTTP_LOOPBACK: 'true',
    NOTIFICATIONS_ALLOWED_HOSTS: '127.0.0.1',
    NOTIFICATION_DESTINATIONS: JSON.stringify([
      { name: 'demo-receiver', type: 'webhook', url: receiver.url, secretSetting: 'DEMO_WEBHOOK_SECRET' },
    ]),
  };
  if (!configured) {
    azurite = await startLocalAzurite(values.data === undefined ? {} : { location: resolve(values.data) });
    io.stderr(
      `Started Azurite (${values.data === undefined ? 'in memory' : `data in ${values.data}`}) — tables at ${azurite.tableEndpoint}\n`,
    );
    env = { ...env, STORAGE_CONNECTION: azurite.connectionString };
  }
  const now = io.now();
  const { outcome: yesterday } = await scanDay(
    'previous',
    new Date(now.getTime() - DAY_MS),
    join(folder, 'yesterday'),
    env,
  );
  const { outcome: today, events: todaysEvents } = await scanDay('current', now, folder, env);
  const byType = new Map<string, number>();
  for (const event of todaysEvents) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
  io.stdout(
    `\nEvents of today's run received by the demo's webhook receiver (signatures verified, ${receiver.rejected} rejected): ` +
      `${[...byType].map(([type, count]) => `${count} ${type}`).join(', ') || 'none'}\n` +
      `${todaysEvents.map(describeEvent).join('\n')}\n`,
  );
  const run = today.run;
  if (run?.effectiveScore !== undefined)
    io.stdout(
      `\nToday's scores: observed ${(run.score * 100).toFixed(1)}%, effective ${(run.effectiveScore * 100).toFixed(1)}% ` +
        `(exceptions and attestations of governance.yaml: ${(run.governance ?? [])
          .map((entry) => `${entry.id} ${entry.state}`)
          .join(', ')})\n`,
    );
  const store = today.stored;
  if (store) {
    const settings = parseStorageSettings(env);
    if (settings) {
      const runs = await listRuns(createHistoryStore(settings), {
        scopeKey: 'snapshot:sample-fleet',
        maxPageSize: 5,
      });
      io.stdout(
        `\nStored runs of the sample fleet (newest first):\n${runs.items
          .map(
            (run) =>
              `  ${run.runId}  ${run.status.padEnd(8)}  as of ${run.metadata.asOf}  score ${(run.metadata.score * 100).toFixed(1)}%`,
          )
          .join('\n')}\n`,
      );
    }
  }
  io.stdout(
    `\nDemo outputs in ${relative(process.cwd(), folder) || '.'}/: findings.json, findings.csv, assessment-results.oscal.json, findings.ocsf.json, report.xlsx, report.html, inventory/, settings.json, governance.yaml ` +
      `(yesterday's in yesterday/)\n`,
  );
  process.exitCode = Math.max(yesterday.exitCode, today.exitCode);
} finally {
  await receiver.close();
  await azurite?.stop();
}
