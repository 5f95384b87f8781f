import { describe, expect, it } from 'vitest';

import { computeRunChanges } from '../../shared/runCalculations/runChanges.js';
import { dedupeKey, eventId, isFindingEvent, type RunEvent } from '../../shared/notifications/events.js';
import { planEvents, type LedgerEntry } from '../../shared/notifications/planEvents.js';
import { sampleRun } from '../storage/scanResults.js';
import { byKey, deriveRun } from './notificationHarness.js';

const DAY = 86_400_000;
const TODAY = new Date('2026-11-20T06:00:00Z');
const YESTERDAY = new Date(TODAY.getTime() - DAY);

const yesterday = sampleRun('previous', YESTERDAY);
const today = sampleRun('current', TODAY);
const changes = computeRunChanges(
  { runId: yesterday.run.id, findings: yesterday.findings },
  { runId: today.run.id, findings: today.findings },
);

describe('planEvents', () => {
  it('is pure and deterministic: the same input gives the same events with the same IDs', () => {
    const input = { run: today.run, changes, findings: today.findings };
    const first = planEvents(input);
    expect(planEvents(input)).toEqual(first);
    expect(new Set(first.map((event) => event.id)).size).toBe(first.length);
    const opened = first.find((event) => event.type === 'finding.opened');
    expect(opened && isFindingEvent(opened)).toBe(true);
    if (opened && isFindingEvent(opened))
      expect(opened.id).toBe(
        eventId(today.run.id, 'finding.opened', opened.data.clusterId, opened.data.controlId),
      );
  });

  it('emits run.completed, an opening per newly failing finding and a resolution per resolved one', () => {
    const events = planEvents({ run: today.run, changes, findings: today.findings });
    expect(events[0]?.type).toBe('run.completed');
    expect(events.filter((event) => event.type === 'finding.opened')).toHaveLength(
      changes.newlyFailing.length,
    );
    expect(events.filter((event) => event.type === 'finding.resolved')).toHaveLength(changes.resolved.length);
    expect(events.some((event) => event.type === 'run.partial')).toBe(false);
    const opened = events.find(isFindingEvent);
    expect(opened?.data.remediation).toMatch(/\w/);
    expect(opened?.data.evidence?.checks.length).toBeGreaterThan(0);
    expect(opened?.data.dedupeKey).toBe(
      dedupeKey(opened?.data.clusterId ?? '', opened?.data.controlId ?? ''),
    );
  });

  it('states score, change in points, trend, coverage and report links in run.completed', () => {
    const trend = [
      {
        runId: yesterday.run.id,
        asOf: yesterday.run.asOf,
        score: yesterday.run.score,
        counts: yesterday.run.counts,
      },
    ];
    const links = {
      html: 'https://reports.example.com/r.html',
      workbook: 'https://reports.example.com/r.xlsx',
    };
    const [completed] = planEvents({ run: today.run, changes, trend, reportLinks: links }) as RunEvent[];
    expect(completed?.data.run.previousScore).toBeCloseTo(yesterday.run.score, 10);
    expect(completed?.data.run.scoreChange).toBeCloseTo(
      Math.round((today.run.score - yesterday.run.score) * 1000) / 10,
      10,
    );
    expect(completed?.data.trend.map((point) => point.runId)).toEqual([yesterday.run.id, today.run.id]);
    expect(completed?.data.coverage).toEqual({ complete: true, notReadCount: 0, notRead: [] });
    expect(completed?.data.reportLinks).toEqual(links);
    expect(completed?.data.changes.newlyFailing).toBe(changes.newlyFailing.length);
    expect(completed?.data.newlyFailing[0]?.severity).toBe('high');
  });

  it('never resolves or reopens from a partial run, and reports the gap with run.partial', () => {
    const resolvedKey = dedupeKey(changes.resolved[0]?.clusterId ?? '', changes.resolved[0]?.controlId ?? '');
    const partial = deriveRun(today, new Date(TODAY.getTime() + DAY), new Map(), { complete: false });
    const partialChanges = computeRunChanges(
      { runId: yesterday.run.id, findings: yesterday.findings },
      { runId: partial.run.id, findings: partial.findings },
    );
    expect(partialChanges.resolved.length).toBeGreaterThan(0);
    const ledger = new Map<string, LedgerEntry>([[resolvedKey, { state: 'resolved', status: 'PASS' }]]);
    const events = planEvents({ run: partial.run, changes: partialChanges, ledger });
    expect(events.map((event) => event.type)).toContain('run.partial');
    expect(events.filter((event) => event.type === 'finding.resolved')).toHaveLength(0);
    expect(events.filter((event) => event.type === 'finding.reopened')).toHaveLength(0);
    const [completed] = events as RunEvent[];
    expect(completed?.data.changes.resolved).toBe(0);
    expect(completed?.data.coverage.complete).toBe(false);
  });

  it('tells a reopening from a first opening by the ledger, and skips what was already notified', () => {
    const fixed = changes.resolved[0];
    if (!fixed) throw new Error('the sample has resolved findings');
    const key = dedupeKey(fixed.clusterId, fixed.controlId);
    const tomorrow = deriveRun(today, new Date(TODAY.getTime() + DAY), new Map([[key, 'FAIL' as const]]));
    const again = computeRunChanges(
      { runId: today.run.id, findings: today.findings },
      { runId: tomorrow.run.id, findings: tomorrow.findings },
    );
    const still = again.stillFailing[0];
    if (!still) throw new Error('the sample has findings still failing');
    const ledger = new Map<string, LedgerEntry>([
      [key, { state: 'resolved', status: 'PASS' }],
      [dedupeKey(still.clusterId, still.controlId), { state: 'open', status: 'FAIL' }],
    ]);
    const events = planEvents({ run: tomorrow.run, changes: again, ledger }).filter(isFindingEvent);
    expect(events.find((event) => event.data.dedupeKey === key)?.type).toBe('finding.reopened');
    expect(events.some((event) => event.data.dedupeKey === dedupeKey(still.clusterId, still.controlId))).toBe(
      false,
    );
    // Still failing but never notified (e.g. notifications enabled on an existing deployment): opened once.
    expect(events.filter((event) => event.type === 'finding.opened')).toHaveLength(
      again.stillFailing.length - 1,
    );
  });

  it('in a complete run, reconciles every finding with the ledger: resolves what a partial run opened', () => {
    const passing = today.findings.find((finding) => finding.status === 'PASS');
    if (!passing) throw new Error('sample has PASS findings');
    const key = dedupeKey(passing.clusterId, passing.controlId);
    // Seen failing only by a partial run (which changes never compare with), passing again now.
    const ledger = new Map<string, LedgerEntry>([[key, { state: 'open', status: 'FAIL' }]]);
    const next = deriveRun(today, new Date(TODAY.getTime() + DAY), new Map());
    const unchanged = computeRunChanges(
      { runId: today.run.id, findings: today.findings },
      { runId: next.run.id, findings: next.findings },
    );
    const run = (complete: boolean) => ({ ...next.run, complete });
    const resolved = planEvents({ run: run(true), changes: unchanged, ledger, findings: next.findings })
      .filter(isFindingEvent)
      .filter((event) => event.data.dedupeKey === key);
    expect(resolved.map((event) => [event.type, event.data.previousStatus, event.data.status])).toEqual([
      ['finding.resolved', 'FAIL', 'PASS'],
    ]);
    const partial = planEvents({ run: run(false), changes: unchanged, ledger, findings: next.findings });
    expect(partial.filter(isFindingEvent).some((event) => event.data.dedupeKey === key)).toBe(false);
  });

  it('opens on ERROR only in complete runs and updates an open finding whose status changed', () => {
    const target = today.findings.find((finding) => finding.status === 'FAIL');
    const passing = today.findings.find((finding) => finding.status === 'PASS');
    if (!target || !passing) throw new Error('sample has FAIL and PASS findings');
    const failKey = dedupeKey(target.clusterId, target.controlId);
    const passKey = dedupeKey(passing.clusterId, passing.controlId);
    const statuses = new Map([
      [failKey, 'ERROR' as const],
      [passKey, 'ERROR' as const],
    ]);
    const ledger = new Map<string, LedgerEntry>([[failKey, { state: 'open', status: 'FAIL' }]]);
    for (const complete of [true, false]) {
      const next = deriveRun(today, new Date(TODAY.getTime() + DAY), statuses, { complete });
      const nextChanges = computeRunChanges(
        { runId: today.run.id, findings: today.findings },
        { runId: next.run.id, findings: next.findings },
      );
      const events = planEvents({ run: next.run, changes: nextChanges, ledger }).filter(isFindingEvent);
      const of = (key: string): string | undefined =>
        events.find((event) => event.data.dedupeKey === key)?.type;
      expect(of(failKey)).toBe(complete ? 'finding.updated' : undefined);
      expect(of(passKey)).toBe(complete ? 'finding.opened' : undefined);
    }
    expect(byKey(today).get(failKey)?.status).toBe('FAIL');
  });
});
