/** Shared set-up of the notification tests: a fresh store, settings, a fake clock, run histories. */
import { randomBytes } from 'node:crypto';

import { STATUSES, type Finding, type Status, type StatusCounts } from '../../shared/catalog/types.js';
import { complianceScore } from '../../shared/runCalculations/summarise.js';
import { computeRunChanges, type RunChanges } from '../../shared/runCalculations/runChanges.js';
import type { CollectionGap } from '../../shared/inventory/inventory.js';
import { dedupeKey, type NotificationEvent } from '../../shared/notifications/events.js';
import {
  createNotificationStore,
  type NotificationStore,
} from '../../shared/notifications/notificationStore.js';
import {
  parseNotificationSettings,
  type NotificationSettings,
} from '../../shared/notifications/notificationSettings.js';
import {
  deliverOutboxEntry,
  type DeliveryDeps,
  type DeliveryOutcome,
} from '../../shared/notifications/outboxDelivery.js';
import type { OutboxMessage } from '../../shared/notifications/outbox.js';
import { planRunEvents } from '../../shared/notifications/planRunEvents.js';
import { newRunId } from '../../shared/scan/runId.js';
import { memorySource } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { parseStorageSettings } from '../../shared/storage/storageSettings.js';

/** A notification store on the test Azurite with tables of its own (a random prefix), created. */
export async function freshNotificationStore(): Promise<NotificationStore> {
  const connectionString = process.env.STORAGE_TEST_CONNECTION;
  if (!connectionString)
    throw new Error('STORAGE_TEST_CONNECTION is not set: the test global setup starts Azurite');
  const settings = parseStorageSettings({
    STORAGE_CONNECTION: connectionString,
    STORAGE_TABLE_PREFIX: `n${randomBytes(5).toString('hex')}`,
  });
  if (!settings) throw new Error('no storage settings');
  const store = createNotificationStore(settings);
  await store.ensure();
  return store;
}

/** A clock the tests move by hand. */
export class FakeClock {
  private time: number;
  constructor(start: Date = new Date()) {
    this.time = start.getTime();
  }
  readonly now = (): Date => new Date(this.time);
  advance(ms: number): void {
    this.time += ms;
  }
  advanceTo(time: number): void {
    this.time = Math.max(this.time, time);
  }
}

/** Settings for local receivers: http to 127.0.0.1 allowed (development mode) and allow-listed. */
export function notificationEnv(
  destinations: unknown[],
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NOTIFICATIONS_ALLOW_HTTP_LOOPBACK: 'true',
    NOTIFICATIONS_ALLOWED_HOSTS: '127.0.0.1',
    NOTIFICATIONS_TIMEOUT_SECONDS: '2',
    NOTIFICATION_DESTINATIONS: JSON.stringify(destinations),
    ...extra,
  };
}

export function settingsOf(env: Record<string, string>): NotificationSettings {
  return parseNotificationSettings(env);
}

/** A seeded pseudo-random source (mulberry32), for deterministic jitter. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface DrainStats {
  attempts: number;
  calls: number;
  outcomes: Record<DeliveryOutcome['outcome'], number>;
  retryDelays: number[];
}

/**
 * Plays the storage queue and the queue-triggered function: delivers every visible message once,
 * re-queues `retry` outcomes visible after `retryAfterMs` on the fake clock, and jumps the clock
 * to the next visible message, until the queue is empty. `beforeCall` runs before each call.
 */
export async function drainQueue(
  deps: DeliveryDeps & { clock: () => Date },
  clock: FakeClock,
  messages: OutboxMessage[],
  options: { beforeCall?: (call: number) => void; maxCalls?: number } = {},
): Promise<DrainStats> {
  const queue = messages.map((message) => ({ message, visibleAt: clock.now().getTime() }));
  const stats: DrainStats = {
    attempts: 0,
    calls: 0,
    outcomes: { delivered: 0, retry: 0, dead: 0 },
    retryDelays: [],
  };
  const maxCalls = options.maxCalls ?? 20_000;
  while (queue.length > 0) {
    queue.sort((a, b) => a.visibleAt - b.visibleAt);
    const next = queue[0];
    if (!next) break;
    if (next.visibleAt > clock.now().getTime()) clock.advanceTo(next.visibleAt);
    queue.shift();
    options.beforeCall?.(stats.calls + 1);
    stats.calls++;
    if (stats.calls > maxCalls) throw new Error(`the queue did not drain within ${maxCalls} calls`);
    const outcome = await deliverOutboxEntry(deps, next.message);
    if (outcome.attempted) stats.attempts++;
    stats.outcomes[outcome.outcome]++;
    if (outcome.outcome === 'retry') {
      stats.retryDelays.push(outcome.retryAfterMs ?? 0);
      queue.push({ message: next.message, visibleAt: clock.now().getTime() + (outcome.retryAfterMs ?? 0) });
    }
  }
  return stats;
}

/** A scan result with some findings changed: a new run at `asOf`, counts and score recomputed. */
export function deriveRun(
  base: ScanResult,
  asOf: Date,
  statuses: ReadonlyMap<string, Status>,
  options: { complete?: boolean; notRead?: CollectionGap[] } = {},
): ScanResult {
  const runId = newRunId(asOf);
  const findings: Finding[] = base.findings.map((finding) => {
    const status = statuses.get(dedupeKey(finding.clusterId, finding.controlId));
    if (status === undefined || status === finding.status) return finding;
    return { ...finding, status, reason: `${finding.controlId} is ${status} in run ${runId} (test change)` };
  });
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as StatusCounts;
  for (const finding of findings) counts[finding.status]++;
  const complete = options.complete ?? true;
  return {
    ...base,
    run: {
      ...base.run,
      id: runId,
      startedAt: asOf.toISOString(),
      finishedAt: asOf.toISOString(),
      asOf: asOf.toISOString(),
      complete,
      counts,
      score: complianceScore(counts),
      notRead: complete
        ? []
        : (options.notRead ?? [
            { kind: 'scope', subscriptionId: 'x', category: 'extensions', reason: 'test' },
          ]),
    },
    findings,
  };
}

/** A scope's runs in order; changes are against the previous COMPLETE run, as storeRun does. */
export class RunHistory {
  private lastComplete: ScanResult | null = null;
  readonly trend: Array<{ runId: string; asOf: string; score: number; counts: StatusCounts }> = [];

  add(result: ScanResult): RunChanges {
    const previous = this.lastComplete;
    const changes = computeRunChanges(
      previous ? { runId: previous.run.id, findings: previous.findings } : null,
      { runId: result.run.id, findings: result.findings },
    );
    this.trend.push({
      runId: result.run.id,
      asOf: result.run.asOf,
      score: result.run.score,
      counts: result.run.counts,
    });
    if (result.run.complete) this.lastComplete = result;
    return changes;
  }

  /** Adds the run and plans its events against the ledger in the store. */
  async plan(store: NotificationStore, result: ScanResult): Promise<NotificationEvent[]> {
    const changes = this.add(result);
    return planRunEvents(store, {
      run: result.run,
      changes,
      trend: this.trend,
      source: memorySource(result),
      reportLinks: { html: `https://reports.example.com/runs/${result.run.id}/report.html` },
    });
  }
}

/** The findings keyed by de-duplication key. */
export function byKey(result: ScanResult): Map<string, Finding> {
  return new Map(
    result.findings.map((finding) => [dedupeKey(finding.clusterId, finding.controlId), finding]),
  );
}
