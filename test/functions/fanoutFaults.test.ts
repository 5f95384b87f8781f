import { randomBytes } from 'node:crypto';

import { TableClient } from '@azure/data-tables';
import { InvocationContext } from '@azure/functions';
import { createHttpHeaders, type PipelinePolicy } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import { deliverNotification } from '../../functions/deliverNotifications.js';
import { scanBatch, scanBatchPoison } from '../../functions/scanBatch.js';
import { handleGetRun, handleListRuns, type ApiDependencies } from '../../shared/api/complianceApi.js';
import { batchBlobName } from '../../shared/fanout/batchPayload.js';
import { evaluatedBlobName, type EvaluatedBatch } from '../../shared/fanout/evaluatedBatch.js';
import type { ReportStore } from '../../shared/fanout/reportPublisher.js';
import { RunCoordinatorTable } from '../../shared/fanout/runCoordinator.js';
import { lentRowsBlobName, runFactsBlobName, type RunFacts } from '../../shared/fanout/runFacts.js';
import {
  failPoisonBatch,
  finalizeStaleRuns,
  processBatch,
  startScan,
  type ScanApp,
} from '../../shared/fanout/scanApplication.js';
import type { BatchMessage, WorkQueue } from '../../shared/fanout/workQueue.js';
import { AS_OF } from '../collection/liveScanHarness.js';
import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import { readRun } from '../../shared/storage/runReads.js';
import { apiRequest, principalHeader } from './apiRequests.js';

/**
 * Faults injected at each step of the fan-out — a batch's stored rows missing or damaged, storage
 * answering 500 for the run's coordinator row, an evaluation delivered twice or dying before it is
 * recorded, a batch's evaluated part missing or damaged, a worker dying between claiming the
 * finalization and storing the run — and, whatever happened, every run ends complete or partial
 * and readable through the API no later than the sweeps after the run timeout.
 */

/** The stale-run sweep's timer runs every five minutes. */
const SWEEP_INTERVAL_MS = 5 * 60_000;

type CoordinatorOperation = 'read' | 'update' | 'list';

/** Storage answering 500 for chosen operations on coordinator rows (through the real SDK pipeline). */
class CoordinatorFaults {
  private rules: Array<{ operation: CoordinatorOperation; runId?: string; remaining: number }> = [];
  injected = 0;

  fail(operation: CoordinatorOperation, options: { runId?: string; times?: number } = {}): void {
    this.rules.push({ operation, runId: options.runId, remaining: options.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  readonly policy: PipelinePolicy = {
    name: 'coordinatorFaults',
    sendRequest: async (request, next) => {
      const url = decodeURIComponent(request.url);
      const operation: CoordinatorOperation | undefined = /RowKey eq 'run'/.test(url)
        ? 'list'
        : /RowKey='run'\)/.test(url)
          ? request.method === 'GET'
            ? 'read'
            : 'update'
          : undefined;
      const rule = this.rules.find(
        (r) =>
          r.remaining > 0 &&
          r.operation === operation &&
          (r.runId === undefined || url.includes(`PartitionKey='${r.runId}'`)),
      );
      if (!rule) return next(request);
      rule.remaining--;
      this.injected++;
      return {
        request,
        status: 500,
        headers: createHttpHeaders({ 'content-type': 'application/json' }),
        bodyAsText: JSON.stringify({
          'odata.error': { code: 'InternalError', message: { value: 'injected server error' } },
        }),
      };
    },
  };
}

/** A report store whose worker "dies" (throws before producing anything) the first `times` calls. */
function crashingReports(reports: ReportStore, times: number): ReportStore & { crashes: number } {
  const store = {
    crashes: 0,
    open: reports.open.bind(reports),
    publish: async (runId: string, produce: (folder: string) => Promise<void>): Promise<string[]> => {
      if (store.crashes < times) {
        store.crashes++;
        throw new Error('the worker died after claiming the finalization');
      }
      return reports.publish(runId, produce);
    },
  };
  return store;
}

describe('fan-out under injected faults', () => {
  const fleet = syntheticFleet({ clusters: 30, subscriptions: 6 });
  const t0 = new Date(AS_OF);
  let fake: FakeArm;
  let env: Record<string, string>;
  let base: ScanApp;
  let runTimeoutMs: number;
  const logs: string[] = [];
  const faults = new CoordinatorFaults();
  /** Evaluation messages the runs queued; read messages are delivered by each test itself. */
  const evaluations: BatchMessage[] = [];
  const evaluationQueue: WorkQueue = {
    send: async (message) => {
      if (message.kind === 'evaluate-batch') evaluations.push(message);
    },
  };

  beforeAll(async () => {
    fake = await startFakeArm({ resources: fleet.resources });
    const suffix = randomBytes(4).toString('hex');
    env = {
      ...fake.env,
      AzureWebJobsStorage: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `x${suffix}`,
      SCAN_BATCH_QUEUE: `faults-${suffix}`,
      REPORTS_CONTAINER: `faults-${suffix}`,
      RESOURCE_GRAPH_BATCH_SIZE: '2',
      INLINE_SCAN_MAX_SUBSCRIPTIONS: '0',
      RUN_TIMEOUT_MINUTES: '120',
      RETRY_BASE_DELAY_MS: '5',
      RETRY_MAX_DELAY_MS: '50',
    };
    // The queue-triggered functions read app settings from the environment, as on the host.
    Object.assign(process.env, env);
    base = await scanAppFor(
      new InvocationContext({
        functionName: 'faults',
        logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
      }),
      process.env,
    );
    runTimeoutMs = base.settings.runTimeoutMs;
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) Reflect.deleteProperty(process.env, name);
    await fake.close();
  });

  /** The app as a worker sees it at `at`, its coordinator table behind the fault switch. */
  function appAt(at: Date, parts: Partial<ScanApp> = {}): ScanApp {
    const table = TableClient.fromConnectionString(
      env.AzureWebJobsStorage ?? '',
      base.store.tables.batches.tableName,
      {
        allowInsecureConnection: true,
        retryOptions: { maxRetries: 0 },
        additionalPolicies: [{ policy: faults.policy, position: 'perRetry' }],
      },
    );
    return {
      ...base,
      coordinator: new RunCoordinatorTable(table),
      queue: evaluationQueue,
      clock: () => at,
      ...parts,
    };
  }

  const deps = (): ApiDependencies => ({
    store: base.store,
    reports: base.reports,
    startScan: () => Promise.reject(new Error('not used')),
    rescan: () => Promise.reject(new Error('not used')),
    deadLetters: async () => [],
  });

  /** The run as the API shows it to a reader: 200 with its status, and listed among the runs. */
  async function seenThroughApi(
    runId: string,
  ): Promise<{ status: string; notRead: Array<{ subscriptionId?: string; reason: string }> }> {
    const reader = principalHeader(['Compliance.Reader']);
    const one = await handleGetRun(apiRequest({ principal: reader, params: { runId } }), deps());
    expect(one.status, `GET /api/runs/${runId}`).toBe(200);
    const body = one.jsonBody as {
      status: string;
      notRead: Array<{ subscriptionId?: string; reason: string }>;
    };
    const list = await handleListRuns(apiRequest({ principal: reader, query: { top: '1000' } }), deps());
    const listed = (list.jsonBody as { runs: Array<{ runId: string }> }).runs.map((run) => run.runId);
    expect(listed).toContain(runId);
    return body;
  }

  async function start(subscriptions: string[]): Promise<{ runId: string; messages: BatchMessage[] }> {
    const started = await startScan(appAt(t0), { kind: 'subscriptions', subscriptionIds: subscriptions });
    expect(started.inline).toBe(false);
    const messages = Array.from({ length: started.batches }, (_, batchIndex) => ({
      kind: 'scan-batch' as const,
      runId: started.runId,
      batchIndex,
    }));
    return { runId: started.runId, messages };
  }

  /** Delivers a message the way the host does: up to `maxDequeueCount` tries, then the poison queue. */
  async function deliverOne(
    app: ScanApp,
    message: BatchMessage,
    maxDequeueCount = 3,
  ): Promise<'done' | 'poisoned'> {
    for (let attempt = 1; attempt <= maxDequeueCount; attempt++) {
      try {
        await processBatch(app, message);
        return 'done';
      } catch {
        // Left on the queue; delivered again.
      }
    }
    await failPoisonBatch(app, message, maxDequeueCount + 1).catch(() => undefined);
    return 'poisoned';
  }

  /** Delivers every evaluation queued so far (and those they queue), in order. */
  async function evaluateQueued(app: ScanApp): Promise<void> {
    for (let message = evaluations.shift(); message; message = evaluations.shift())
      await deliverOne(app, message);
  }

  /** Delivers a read message, then the evaluations it led to; the outcome is the read's. */
  async function deliver(
    app: ScanApp,
    message: BatchMessage,
    maxDequeueCount = 3,
  ): Promise<'done' | 'poisoned'> {
    const outcome = await deliverOne(app, message, maxDequeueCount);
    await evaluateQueued(app);
    return outcome;
  }

  /** A batch's evaluation as stored (before the run is finalized). */
  async function evaluationOf(runId: string, index: number): Promise<EvaluatedBatch> {
    return JSON.parse(await base.store.largeValues.get(evaluatedBlobName(runId, index))) as EvaluatedBatch;
  }

  const sweepAfterTimeout = (parts: Partial<ScanApp> = {}): Promise<string[]> =>
    finalizeStaleRuns(appAt(new Date(t0.getTime() + runTimeoutMs + SWEEP_INTERVAL_MS), parts));

  const subscriptionsOf = (notRead: Array<{ subscriptionId?: string }>): Set<string | undefined> =>
    new Set(notRead.map((gap) => gap.subscriptionId));

  it('a batch whose stored rows are missing becomes a failed batch: the run is partial at once', async () => {
    const { runId, messages } = await start(fleet.subscriptions);
    const app = appAt(t0);
    await deliver(app, messages[0] as BatchMessage);
    await deliver(app, messages[1] as BatchMessage);
    await base.store.largeValues.deletePrefix(batchBlobName(runId, 0));
    expect(await deliver(app, messages[2] as BatchMessage)).toBe('done');
    const run = await seenThroughApi(runId);
    expect(run.status).toBe('partial');
    expect(subscriptionsOf(run.notRead)).toEqual(new Set(fleet.subscriptions.slice(0, 2)));
    expect(run.notRead[0]?.reason).toMatch(/stored rows .* are missing/);
    expect(await sweepAfterTimeout()).not.toContain(runId);
  });

  it('a batch whose stored rows are damaged becomes a failed batch, whatever the damage', async () => {
    const { runId, messages } = await start(fleet.subscriptions);
    const app = appAt(t0);
    await deliver(app, messages[0] as BatchMessage);
    await deliver(app, messages[2] as BatchMessage);
    // Cut short (not JSON), and JSON of the wrong shape.
    await base.store.largeValues.put(batchBlobName(runId, 0), '{"rows":[{"value":{"id":"/subs');
    await base.store.largeValues.put(
      batchBlobName(runId, 2),
      JSON.stringify({ rows: 'x', gaps: [], stats: {} }),
    );
    expect(await deliver(app, messages[1] as BatchMessage)).toBe('done');
    const run = await seenThroughApi(runId);
    expect(run.status).toBe('partial');
    expect(subscriptionsOf(run.notRead)).toEqual(
      new Set([...fleet.subscriptions.slice(0, 2), ...fleet.subscriptions.slice(4, 6)]),
    );
    expect(run.notRead.map((gap) => gap.reason).join('\n')).toMatch(/not JSON/);
    expect(run.notRead.map((gap) => gap.reason).join('\n')).toMatch(/"rows" is not an array/);
  });

  it('an evaluation delivered twice at once, and one dying before it is recorded, count once', async () => {
    const subscriptions = fleet.subscriptions.slice(0, 4);
    const clean = await start(subscriptions);
    for (const message of clean.messages) await deliver(appAt(t0), message);
    const expected = await base.coordinator.read(clean.runId);
    expect(expected?.status).toBe('finalized');

    const { runId, messages } = await start(subscriptions);
    // The evaluation of batch 0 is stored, then its worker dies before recording it, once.
    const parts: string[] = [];
    const coordinator = new RunCoordinatorTable(base.store.tables.batches);
    const dying = Object.assign(Object.create(coordinator) as RunCoordinatorTable, {
      completeEvaluation: async (
        id: string,
        index: number,
        outcome: Parameters<RunCoordinatorTable['completeEvaluation']>[2],
      ): Promise<void> => {
        if (index === 0 && outcome.status === 'evaluated') {
          parts.push((await evaluationOf(id, 0)).part.blobName);
          if (parts.length === 1) throw new Error('the worker died after storing the evaluation');
        }
        await coordinator.completeEvaluation(id, index, outcome);
      },
    });
    const app = appAt(t0, { coordinator: dying });
    for (const message of messages) expect(await deliverOne(app, message)).toBe('done');
    expect(evaluations.map((message) => message.batchIndex)).toEqual([0, 1]);
    // The queue hands batch 1's evaluation to two workers at once.
    const one = evaluations.find((message) => message.batchIndex === 1) as BatchMessage;
    await Promise.all([deliverOne(app, one), deliverOne(app, one)]);
    await evaluateQueued(app);
    // Evaluated again, batch 0 wrote the same part (named for its content).
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe(parts[0]);
    const run = await seenThroughApi(runId);
    expect(run.status).toBe('complete');
    const [record, cleanRecord] = await Promise.all([
      readRun(base.store, runId),
      readRun(base.store, clean.runId),
    ]);
    expect(record?.metadata.clusterCount).toBe(cleanRecord?.metadata.clusterCount);
    expect(record?.metadata.counts).toEqual(cleanRecord?.metadata.counts);
    expect(record?.findingsWritten).toBe(cleanRecord?.findingsWritten);
    expect(record?.metadata.clusterCount).toBeGreaterThan(0);
  });

  it('a batch whose evaluated part is missing, or whose evaluation is damaged, fails: the run is partial', async () => {
    const { runId, messages } = await start(fleet.subscriptions);
    const app = appAt(t0);
    for (const message of messages) await deliverOne(app, message);
    const [first, second, third] = evaluations.splice(0) as [BatchMessage, BatchMessage, BatchMessage];
    expect([first, second, third].map((message) => message.batchIndex)).toEqual([0, 1, 2]);
    await deliverOne(app, first);
    await deliverOne(app, second);
    await base.store.largeValues.deletePrefix((await evaluationOf(runId, 0)).part.blobName);
    await base.store.largeValues.put(evaluatedBlobName(runId, 1), '{"part":');
    expect(await deliverOne(app, third)).toBe('done');
    const run = await seenThroughApi(runId);
    expect(run.status).toBe('partial');
    expect(subscriptionsOf(run.notRead)).toEqual(new Set(fleet.subscriptions.slice(0, 4)));
    const reasons = run.notRead.map((gap) => gap.reason).join('\n');
    expect(reasons).toMatch(/evaluated part .* is missing/);
    expect(reasons).toMatch(/evaluation .* is not JSON/);
    expect(await sweepAfterTimeout()).not.toContain(runId);
  });

  it('a batch whose share of the linking rows is missing or damaged fails: the run is partial', async () => {
    const { runId, messages } = await start(fleet.subscriptions);
    const app = appAt(t0);
    for (const message of messages) await deliverOne(app, message);
    const [first, second, third] = evaluations.splice(0) as [BatchMessage, BatchMessage, BatchMessage];
    // Each batch's share is stored beside it; the run's facts keep no linking row of their own.
    const facts = JSON.parse(await base.store.largeValues.get(runFactsBlobName(runId))) as RunFacts;
    expect(facts.lentPerBatch).toBe(true);
    expect(facts.merged.linkingRows).toEqual([]);
    await base.store.largeValues.deletePrefix(lentRowsBlobName(runId, 0));
    await base.store.largeValues.put(lentRowsBlobName(runId, 1), JSON.stringify({ rows: 'x' }));
    for (const message of [first, second, third]) expect(await deliverOne(app, message)).toBe('done');
    const run = await seenThroughApi(runId);
    expect(run.status).toBe('partial');
    expect(subscriptionsOf(run.notRead)).toEqual(new Set(fleet.subscriptions.slice(0, 4)));
    const reasons = run.notRead.map((gap) => gap.reason).join('\n');
    expect(reasons).toMatch(/linking rows .* are missing/);
    expect(reasons).toMatch(/linking rows .* are damaged/);
  });

  it('storage 500 on the coordinator row at each step: every run ends complete, visible, by the sweep', async () => {
    const outcomes: Record<string, string> = {};
    for (const operation of ['read', 'update'] as const) {
      for (const times of [1, 2, Infinity]) {
        const { runId, messages } = await start(fleet.subscriptions.slice(0, 4));
        const app = appAt(t0);
        await deliver(app, messages[0] as BatchMessage);
        faults.fail(operation, { runId, times });
        const delivered = await deliver(app, messages[1] as BatchMessage);
        faults.clear();
        const finalizedBefore = (await base.coordinator.read(runId))?.status === 'finalized';
        await sweepAfterTimeout();
        // A run the sweep moved on has its evaluations queued: the workers deliver them.
        await evaluateQueued(appAt(new Date(t0.getTime() + runTimeoutMs + SWEEP_INTERVAL_MS)));
        const run = await seenThroughApi(runId);
        outcomes[`${operation} x${times}`] =
          `${delivered} → ${run.status}${finalizedBefore ? '' : ' (sweep)'}`;
        // Reading the coordinator row never succeeded: the batch could not even start, so it is
        // the one batch not read. Otherwise every batch was read and the run is complete.
        if (operation === 'read' && times === Infinity) {
          expect(run.status).toBe('partial');
          expect(subscriptionsOf(run.notRead)).toEqual(new Set(fleet.subscriptions.slice(2, 4)));
        } else {
          expect(run.status).toBe('complete');
        }
      }
    }
    expect(faults.injected).toBeGreaterThan(0);
    expect(outcomes).toMatchObject({
      'read x1': 'done → complete',
      'update x1': 'done → complete',
      'read xInfinity': 'poisoned → partial (sweep)',
      'update xInfinity': 'poisoned → complete (sweep)',
    });
  });

  it('storage 500 while a run is being recorded: the scan does not start, and the sweep is unaffected', async () => {
    faults.fail('update');
    const started = startScan(appAt(t0), {
      kind: 'subscriptions',
      subscriptionIds: fleet.subscriptions.slice(0, 2),
    });
    // The caller is told (the timer logs it, POST /api/scans answers 500); no run ID was handed out.
    await expect(started).rejects.toThrow(/injected server error|500/);
    faults.clear();
    await expect(sweepAfterTimeout()).resolves.toEqual(expect.any(Array));
  });

  it('storage 500 when the finalized run is marked: the run is stored and visible; the sweep finishes it', async () => {
    const { runId, messages } = await start(fleet.subscriptions.slice(0, 2));
    const app = appAt(t0);
    // Every claim passes; marking the run finalized keeps failing.
    const markFails: PipelinePolicy = {
      name: 'markFails',
      sendRequest: async (request, next) => {
        const url = decodeURIComponent(request.url);
        if (
          request.method !== 'GET' &&
          url.includes(`PartitionKey='${runId}',RowKey='run'`) &&
          /"status":"finalized"/.test(typeof request.body === 'string' ? request.body : '')
        )
          return { request, status: 500, headers: createHttpHeaders(), bodyAsText: '' };
        return next(request);
      },
    };
    const table = TableClient.fromConnectionString(
      env.AzureWebJobsStorage ?? '',
      base.store.tables.batches.tableName,
      {
        allowInsecureConnection: true,
        retryOptions: { maxRetries: 0 },
        additionalPolicies: [{ policy: markFails, position: 'perRetry' }],
      },
    );
    await deliver({ ...app, coordinator: new RunCoordinatorTable(table) }, messages[0] as BatchMessage);
    expect((await seenThroughApi(runId)).status).toBe('complete');
    expect((await base.coordinator.read(runId))?.status).toBe('finalizing');
    expect(await sweepAfterTimeout()).toContain(runId);
    expect((await base.coordinator.read(runId))?.status).toBe('finalized');
    expect((await seenThroughApi(runId)).status).toBe('complete');
  });

  it('a worker dying between the claim and the store: the run is finalized by the sweep after the timeout', async () => {
    const { runId, messages } = await start(fleet.subscriptions.slice(0, 4));
    const reports = crashingReports(base.reports, 1);
    const app = appAt(t0, { reports });
    await deliver(app, messages[0] as BatchMessage);
    // The last batch's finalization dies once; the redelivered message finds the claim taken.
    expect(await deliver(app, messages[1] as BatchMessage)).toBe('done');
    expect(reports.crashes).toBe(1);
    const reader = principalHeader(['Compliance.Reader']);
    expect((await handleGetRun(apiRequest({ principal: reader, params: { runId } }), deps())).status).toBe(
      404,
    );
    // Not yet stale a minute before the timeout; finalized by the first sweep after it.
    expect(
      await finalizeStaleRuns(appAt(new Date(t0.getTime() + runTimeoutMs - 60_000), { reports })),
    ).not.toContain(runId);
    expect(await sweepAfterTimeout({ reports })).toContain(runId);
    expect((await seenThroughApi(runId)).status).toBe('complete');
  });

  it('the sweep handles each run on its own: one that keeps failing does not hold up the others', async () => {
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { runId, messages } = await start(fleet.subscriptions.slice(0, 2));
      await deliver(appAt(t0, { reports: crashingReports(base.reports, 1) }), messages[0] as BatchMessage);
      runs.push(runId);
    }
    // Stale runs are swept in partition (run ID) order: the failing one goes first.
    const [stuck, first, last] = runs.sort() as [string, string, string];
    // A run whose evaluated part cannot be read is finalized as partial, not thrown on every sweep.
    await base.store.largeValues.put((await evaluationOf(first, 0)).part.blobName, 'garbage');
    faults.fail('update', { runId: stuck });
    logs.length = 0;
    const swept = await sweepAfterTimeout();
    faults.clear();
    expect(swept).toEqual(expect.arrayContaining([first, last]));
    expect(swept).not.toContain(stuck);
    expect(logs.join('\n')).toMatch(new RegExp(`run ${stuck} could not be finalized`));
    const partial = await seenThroughApi(first);
    expect(partial.status).toBe('partial');
    expect(partial.notRead[0]?.reason).toMatch(/evaluated part .* is damaged/);
    expect((await seenThroughApi(last)).status).toBe('complete');
    expect(await sweepAfterTimeout()).toContain(stuck);
    expect((await seenThroughApi(stuck)).status).toBe('complete');
  });

  it('messages that can never succeed are dropped once with a clear log, not retried to the poison queue', async () => {
    const { runId } = await start(fleet.subscriptions.slice(0, 2));
    const unknownRun = '20261120T060000Z-00000000';
    const cases: Array<[string, unknown, RegExp]> = [
      ['unknown run', { kind: 'scan-batch', runId: unknownRun, batchIndex: 0 }, /unknown run/],
      [
        'batch out of range',
        { kind: 'scan-batch', runId, batchIndex: 7 },
        /batch 7 .* dropped: the run has 1 batch/,
      ],
      [
        'evaluation of an unknown run',
        { kind: 'evaluate-batch', runId: unknownRun, batchIndex: 0 },
        /unknown run/,
      ],
      [
        'evaluation out of range',
        { kind: 'evaluate-batch', runId, batchIndex: 3 },
        /batch 3 .* dropped: the run has 1 batch/,
      ],
      [
        'huge batch index',
        { kind: 'scan-batch', runId, batchIndex: 2 ** 40 },
        /dropped: the run has 1 batch/,
      ],
      ['not JSON', Buffer.from('{"kind":').toString('base64'), /unreadable scan-batch message/],
      ['wrong kind', { kind: 'other', runId, batchIndex: 0 }, /unreadable scan-batch message/],
      ['negative index', { kind: 'scan-batch', runId, batchIndex: -1 }, /unreadable scan-batch message/],
    ];
    for (const [name, message, expected] of cases) {
      const seen: string[] = [];
      const context = new InvocationContext({
        functionName: 'scanBatch',
        triggerMetadata: { dequeueCount: 1 },
        logHandler: (level, ...args) => seen.push(`${level}: ${args.map(String).join(' ')}`),
      });
      await expect(scanBatch(message, context), name).resolves.toBeUndefined();
      expect(seen.filter((line) => line.startsWith('error')).join('\n'), name).toMatch(expected);
    }
    for (const [name, message, expected] of cases.slice(0, 5)) {
      const seen: string[] = [];
      const context = new InvocationContext({
        functionName: 'scanBatchPoison',
        triggerMetadata: { dequeueCount: 6 },
        logHandler: (level, ...args) => seen.push(`${level}: ${args.map(String).join(' ')}`),
      });
      await expect(scanBatchPoison(message, context), name).resolves.toBeUndefined();
      expect(seen.join('\n'), name).toMatch(new RegExp(`poison message .*${expected.source}`));
    }
    for (const message of ['{"outboxPartition":', { outboxPartition: 1 }, null, 'x']) {
      const seen: string[] = [];
      const context = new InvocationContext({
        functionName: 'deliverNotification',
        logHandler: (level, ...args) => seen.push(`${level}: ${args.map(String).join(' ')}`),
      });
      await expect(deliverNotification(message, context)).resolves.toBeUndefined();
      expect(seen.join('\n')).toMatch(/error: an unreadable notification message was dropped/);
    }
    // An evaluation for a batch of a run still being read is dropped: it can only be stray.
    const seen: string[] = [];
    await scanBatch(
      { kind: 'evaluate-batch', runId, batchIndex: 0 },
      new InvocationContext({
        functionName: 'scanBatch',
        triggerMetadata: { dequeueCount: 1 },
        logHandler: (level, ...args) => seen.push(`${level}: ${args.map(String).join(' ')}`),
      }),
    );
    expect(seen.join('\n')).toMatch(
      /warning: evaluation of batch 0 of run .* dropped: the run is collecting/,
    );
    // The real run is untouched by the stray messages.
    expect((await base.coordinator.batches(runId)).map((batch) => batch.status)).toEqual(['pending']);
  });
});
