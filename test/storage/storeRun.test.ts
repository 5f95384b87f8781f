import { TableClient } from '@azure/data-tables';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';

import type { Finding } from '../../shared/catalog/types.js';
import { computeRunChanges } from '../../shared/runCalculations/runChanges.js';
import { readClusterState } from '../../shared/storage/clusterState.js';
import type { StoredFinding } from '../../shared/storage/findingEntity.js';
import { deleteExpiredRuns } from '../../shared/storage/retention.js';
import {
  changesBetween,
  clusterHistory,
  InvalidQueryError,
  listRunFindings,
  listRuns,
  readRunFindings,
  readTrend,
} from '../../shared/storage/runQueries.js';
import { storeRun, StorageWriteError } from '../../shared/storage/storeRun.js';
import { memorySource } from '../../shared/scan/runSource.js';
import { decodeKey, encodeKey } from '../../shared/storage/tableKeys.js';
import { countEntities, freshStore } from './storageHarness.js';
import { sampleRun } from './scanResults.js';
import { readRun } from '../../shared/storage/runReads.js';
import { findingKey, firstSeenFailingResolver } from '../../shared/reports/firstSeenFailing.js';

const DAY = 86_400_000;
const TODAY = new Date('2026-11-20T06:00:00Z');
const YESTERDAY = new Date(TODAY.getTime() - DAY);

async function allFindings(
  store: Awaited<ReturnType<typeof freshStore>>,
  runId: string,
): Promise<StoredFinding[]> {
  const findings: StoredFinding[] = [];
  for await (const finding of readRunFindings(store, runId)) findings.push(finding);
  return findings;
}

const byKey = (findings: Finding[]): Map<string, Finding> =>
  new Map(findings.map((f) => [`${f.clusterId.toLowerCase()}|${f.controlId}`, f]));

describe('storing runs in Table Storage', () => {
  it('round-trips a run: record, every finding with its evidence, clusters, history, scores', async () => {
    const store = await freshStore();
    const result = sampleRun('current', TODAY);
    const outcome = await storeRun({
      store,
      source: memorySource(result),
      scopeKey: 'sample',
      findingsJsonSha256: 'ab'.repeat(32),
    });
    expect(outcome.record.status).toBe('complete');
    const record = await readRun(store, result.run.id);
    expect(record?.status).toBe('complete');
    expect(record?.findingsWritten).toBe(result.findings.length);
    expect(record?.metadata).toEqual(result.run);
    expect(record?.findingsJsonSha256).toBe('ab'.repeat(32));
    const stored = await allFindings(store, result.run.id);
    expect(stored).toHaveLength(result.findings.length);
    const expected = byKey(result.findings);
    for (const finding of stored) {
      const original = expected.get(`${finding.clusterId.toLowerCase()}|${finding.controlId}`);
      const { firstSeenFailing, ...rest } = finding;
      expect(rest).toEqual(original);
      expect(firstSeenFailing === undefined).toBe(finding.status !== 'FAIL');
    }
    const counts = await countEntities(store);
    expect(counts.findings).toBe(result.findings.length);
    expect(counts.clusters).toBe(result.clusters.length);
    expect(counts.history).toBe(result.clusters.length);
    expect(counts.state).toBe(result.findings.length);
    expect(counts.runs).toBe(1);
    const trend = await readTrend(store, 'sample');
    expect(trend).toHaveLength(1);
    expect(trend[0]?.score).toBeCloseTo(result.run.score, 10);
  });

  it('keeps the control version each finding was evaluated with', async () => {
    const store = await freshStore();
    const base = sampleRun('current', TODAY);
    const result = {
      ...base,
      findings: base.findings.map((finding, index) => ({ ...finding, controlVersion: 2 + (index % 3) })),
    };
    await storeRun({
      store,
      source: memorySource(result),
      scopeKey: 'versions',
      findingsJsonSha256: 'cd'.repeat(32),
    });
    const stored = byKey(await allFindings(store, result.run.id));
    for (const finding of result.findings)
      expect(stored.get(`${finding.clusterId.toLowerCase()}|${finding.controlId}`)?.controlVersion).toBe(
        finding.controlVersion,
      );
  });

  it('re-running or retrying the same run duplicates nothing and converges', async () => {
    const store = await freshStore();
    const result = sampleRun('current', TODAY);
    await storeRun({ store, source: memorySource(result), scopeKey: 'sample' });
    const first = await countEntities(store);
    const again = await storeRun({ store, source: memorySource(result), scopeKey: 'sample' });
    expect(await countEntities(store)).toEqual(first);
    expect(again.record.status).toBe('complete');
    expect(again.stateRowsChanged).toBe(0);
    expect((await listRuns(store)).items).toHaveLength(1);
  });

  it('computes changes against the previous complete run of the same scope, and keeps first-seen-failing', async () => {
    const store = await freshStore();
    const yesterday = sampleRun('previous', YESTERDAY);
    const today = sampleRun('current', TODAY);
    const other = sampleRun('current', new Date(TODAY.getTime() - 2 * DAY));
    await storeRun({ store, source: memorySource(other), scopeKey: 'another-scope' });
    await storeRun({ store, source: memorySource(yesterday), scopeKey: 'sample' });
    const outcome = await storeRun({ store, source: memorySource(today), scopeKey: 'sample' });
    expect(outcome.previous?.runId).toBe(yesterday.run.id);
    const expected = computeRunChanges(
      { runId: yesterday.run.id, findings: yesterday.findings },
      { runId: today.run.id, findings: today.findings },
    );
    const keys = (list: Array<{ clusterId: string; controlId: string }>) =>
      list.map((c) => `${c.clusterId}|${c.controlId}`).sort();
    for (const kind of ['newlyFailing', 'resolved', 'stillFailing', 'newlyUnobservable'] as const) {
      expect(keys(outcome.changes[kind]), kind).toEqual(keys(expected[kind]));
    }
    expect(outcome.changes.resolved.length).toBeGreaterThan(0);
    expect(outcome.changes.newlyFailing.length).toBeGreaterThan(0);
    expect(outcome.changes.clustersAdded.map((c) => c.clusterName)).toEqual(['store-0311-k3s']);
    expect(outcome.changes.clustersRemoved.map((c) => c.clusterName)).toEqual(['store-0118-k3s']);
    expect((await readRun(store, today.run.id))?.changeCounts?.newlyFailing).toBe(
      expected.newlyFailing.length,
    );
    const between = await changesBetween(store, yesterday.run.id, today.run.id);
    expect(keys(between.resolved)).toEqual(keys(expected.resolved));

    const still = outcome.changes.stillFailing[0];
    const page = await listRunFindings(store, today.run.id, {
      clusterId: still?.clusterId,
      controlId: still?.controlId,
    });
    expect(page.items[0]?.firstSeenFailing).toBe(yesterday.run.asOf);
    const fresh = outcome.changes.newlyFailing.find((c) => c.previousStatus !== null);
    const freshPage = await listRunFindings(store, today.run.id, {
      clusterId: fresh?.clusterId,
      controlId: fresh?.controlId,
    });
    expect(freshPage.items[0]?.firstSeenFailing).toBe(today.run.asOf);
    // The outcome keeps only the streaks carried over; with the changes, a report resolves every
    // failing finding's first-seen time to what was stored with it.
    expect([...outcome.firstSeenFailing.keys()].sort()).toEqual(
      outcome.changes.stillFailing.map(findingKey).sort(),
    );
    const firstSeen = firstSeenFailingResolver({
      source: memorySource(today),
      findingsJsonSha256: '',
      changes: outcome.changes,
      firstSeenFailing: outcome.firstSeenFailing,
      trend: [],
      generatedAt: TODAY,
    });
    const storedToday = await allFindings(store, today.run.id);
    expect(storedToday.filter((f) => f.status === 'FAIL').length).toBeGreaterThan(0);
    for (const finding of storedToday)
      expect(firstSeen(finding)?.toISOString(), finding.controlId).toBe(
        finding.firstSeenFailing === undefined ? undefined : new Date(finding.firstSeenFailing).toISOString(),
      );

    const history = await clusterHistory(store, still?.clusterId ?? '');
    // A cluster's history spans every scope that scanned it, newest first.
    expect(history.map((h) => h.runId)).toEqual([today.run.id, yesterday.run.id, other.run.id]);
    expect(history[2]?.scopeKey).toBe('another-scope');
    const state = await readClusterState(store.tables.state, still?.clusterId ?? '');
    const row = state.find((s) => s.controlId === still?.controlId);
    expect(row?.status).toBe('FAIL');
    // The state spans every scope: the other scope's run saw it failing first.
    expect(row?.firstSeenFailing).toBe(other.run.asOf);
    expect(row?.lastSeenRunId).toBe(today.run.id);
    expect((await readTrend(store, 'sample')).map((p) => p.runId)).toEqual([yesterday.run.id, today.run.id]);
  });

  it('lists runs newest first and pages findings with filters', async () => {
    const store = await freshStore();
    const yesterday = sampleRun('previous', YESTERDAY);
    const today = sampleRun('current', TODAY);
    await storeRun({ store, source: memorySource(yesterday), scopeKey: 'sample' });
    await storeRun({ store, source: memorySource(today), scopeKey: 'sample' });
    expect((await listRuns(store)).items.map((r) => r.runId)).toEqual([today.run.id, yesterday.run.id]);
    const failing = today.findings.filter((f) => f.status === 'FAIL');
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await listRunFindings(
        store,
        today.run.id,
        { status: 'FAIL' },
        { maxPageSize: 7, continuationToken: token },
      );
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((f) => `${f.clusterId}|${f.controlId}`));
      token = page.continuationToken;
    } while (token);
    expect(seen.sort()).toEqual(failing.map((f) => `${f.clusterId}|${f.controlId}`).sort());
    const sub = today.findings[0]?.subscriptionId ?? '';
    const bySub = await listRunFindings(
      store,
      today.run.id,
      { subscriptionId: sub.toUpperCase(), controlId: 'DS-01' },
      { maxPageSize: 1000 },
    );
    expect(bySub.items.length).toBe(
      today.findings.filter((f) => f.subscriptionId === sub && f.controlId === 'DS-01').length,
    );
  });

  it('escapes filter values: quotes and "or 1 eq 1" match nothing, malformed values are rejected', async () => {
    const store = await freshStore();
    const today = sampleRun('current', TODAY);
    await storeRun({ store, source: memorySource(today), scopeKey: 'sample' });
    const injected = await listRunFindings(store, today.run.id, {
      clusterId: "/subscriptions/x' or PartitionKey ne 'a' or '1' eq '1",
    });
    expect(injected.items).toHaveLength(0);
    expect((await listRuns(store, { scopeKey: "sample' or 1 eq 1 or scopeKey eq '" })).items).toHaveLength(0);
    await expect(
      listRunFindings(store, today.run.id, { subscriptionId: "x' or 1 eq 1" }),
    ).rejects.toBeInstanceOf(InvalidQueryError);
    await expect(
      listRunFindings(store, today.run.id, { status: 'PASS or 1 eq 1' as never }),
    ).rejects.toBeInstanceOf(InvalidQueryError);
    await expect(listRunFindings(store, "x' or 1 eq 1", {})).rejects.toBeInstanceOf(InvalidQueryError);
  });

  it('stores awkward IDs and evidence larger than a property or an entity, whole', async () => {
    const store = await freshStore();
    const result = sampleRun('current', TODAY);
    const awkward = [
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg #1?/providers/Microsoft.Kubernetes/connectedClusters/naïve\\cluster'%",
      `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/${'x'.repeat(600)}`,
    ];
    const [template] = result.findings;
    if (!template) throw new Error('no findings');
    const big = 'e'.repeat(100_000);
    const huge = 'h'.repeat(400_000);
    result.findings = [
      { ...template, clusterId: awkward[0] ?? '', evidence: { ...template.evidence, notes: [big] } },
      {
        ...template,
        clusterId: awkward[1] ?? '',
        reason: `long ${'r'.repeat(40_000)}`,
        evidence: { ...template.evidence, notes: [huge] },
      },
    ];
    result.clusters = [];
    const outcome = await storeRun({ store, source: memorySource(result), scopeKey: 'awkward' });
    expect(outcome.record.status).toBe('complete');
    const stored = await allFindings(store, result.run.id);
    const back = byKey(stored);
    for (const original of result.findings) {
      const found = back.get(`${original.clusterId.toLowerCase()}|${original.controlId}`);
      expect(found?.clusterId).toBe(original.clusterId);
      expect(found?.reason).toBe(original.reason);
      expect(found?.evidence).toEqual(original.evidence);
    }
    expect(decodeKey(encodeKey(awkward[0] ?? ''))).toBe((awkward[0] ?? '').toLowerCase());
    expect(encodeKey(awkward[1] ?? '')).toMatch(/^~h[0-9a-f]{64}$/);
    expect(encodeKey(awkward[0] ?? '')).not.toMatch(/[/\\#?]/);
  });

  it('writes and reads back a 20,000-finding run', async () => {
    const store = await freshStore();
    const base = sampleRun('current', TODAY);
    const findings: Finding[] = [];
    for (let i = 0; i < 2000; i++) {
      for (const template of base.findings.slice(0, 10)) {
        findings.push({
          ...template,
          clusterId: `${template.clusterId}-${i}`,
          clusterName: `${template.clusterName}-${i}`,
        });
      }
    }
    base.findings = findings;
    const outcome = await storeRun({ store, source: memorySource(base), scopeKey: 'big', concurrency: 8 });
    expect(outcome.record.findingsWritten).toBe(20_000);
    expect(outcome.counters.fullBatches).toBeGreaterThanOrEqual(190);
    const stored = await allFindings(store, base.run.id);
    expect(stored).toHaveLength(20_000);
  }, 120_000);

  it('marks the run failed (never complete) when storage keeps failing mid-run', async () => {
    const store = await freshStore();
    const result = sampleRun('current', TODAY);
    let transactions = 0;
    const failAfterTwo: PipelinePolicy = {
      name: 'failAfterTwo',
      async sendRequest(request, next) {
        if (request.url.includes('$batch') && ++transactions > 2)
          throw Object.assign(new Error('injected outage'), { code: 'ECONNRESET' });
        return next(request);
      },
    };
    const findingsTable = store.tables.findings;
    const broken = TableClient.fromConnectionString(
      process.env.STORAGE_TEST_CONNECTION ?? '',
      findingsTable.tableName,
      {
        allowInsecureConnection: true,
        retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 20 },
        additionalPolicies: [{ policy: failAfterTwo, position: 'perRetry' }],
      },
    );
    const failing = { ...store, tables: { ...store.tables, findings: broken } };
    const error = await storeRun({ store: failing, source: memorySource(result), scopeKey: 'sample' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageWriteError);
    expect((error as StorageWriteError).message).toMatch(/injected outage/);
    const record = await readRun(store, result.run.id);
    expect(record?.status).toBe('failed');
    expect(record?.findingsWritten).toBeLessThan(result.findings.length);
    expect(record?.error).toMatch(/injected outage/);
  });

  it('two runs of the same scope written at once both complete; state follows the newer one', async () => {
    const store = await freshStore();
    const yesterday = sampleRun('previous', YESTERDAY);
    const today = sampleRun('current', TODAY);
    const [a, b] = await Promise.all([
      storeRun({ store, source: memorySource(today), scopeKey: 'sample' }),
      storeRun({ store, source: memorySource(yesterday), scopeKey: 'sample' }),
    ]);
    expect(a.record.status).toBe('complete');
    expect(b.record.status).toBe('complete');
    const anyCluster = today.findings.find((f) =>
      yesterday.findings.some((y) => y.clusterId === f.clusterId),
    );
    const state = await readClusterState(store.tables.state, anyCluster?.clusterId ?? '');
    expect(state).toHaveLength(10);
    expect(state.every((row) => row.lastSeenRunId === today.run.id)).toBe(true);
  });

  it('deletes runs past the retention period in batches and keeps the rest', async () => {
    const store = await freshStore();
    const old = sampleRun('previous', new Date(TODAY.getTime() - 500 * DAY));
    const recent = sampleRun('current', TODAY);
    await storeRun({ store, source: memorySource(old), scopeKey: 'sample' });
    await storeRun({ store, source: memorySource(recent), scopeKey: 'sample' });
    const before = await countEntities(store);
    const outcome = await deleteExpiredRuns(store, 400, TODAY);
    expect(outcome.runsDeleted).toEqual([old.run.id]);
    const after = await countEntities(store);
    expect(after.runs).toBe(1);
    expect(after.findings).toBe(recent.findings.length);
    expect(after.clusters).toBe(recent.clusters.length);
    expect(after.history).toBe(recent.clusters.length);
    expect(after.state).toBe(before.state);
    expect(await readRun(store, old.run.id)).toBeUndefined();
    expect((await deleteExpiredRuns(store, 400, TODAY)).runsDeleted).toEqual([]);
  });
});
