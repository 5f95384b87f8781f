import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { STATUSES } from '../../shared/catalog/types.js';
import { applyGovernance } from '../../shared/governance/applyGovernance.js';
import type { ActiveRecord } from '../../shared/governance/records.js';
import { dedupeKey, isFindingEvent } from '../../shared/notifications/events.js';
import { planEvents, RunEventPlanner, type LedgerEntry } from '../../shared/notifications/planEvents.js';
import { computeRunChanges } from '../../shared/runCalculations/runChanges.js';
import { partsOf } from '../../shared/scan/runSource.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { sampleRun } from '../storage/scanResults.js';
import { deriveRun } from './notificationHarness.js';

const DAY = 86_400_000;
const TODAY = new Date('2026-11-20T06:00:00Z');
const yesterday = sampleRun('previous', new Date(TODAY.getTime() - DAY));
const observed = sampleRun('current', TODAY);

/** Today's run with DS-01 excepted for every cluster (EXCEPTED findings close tickets as accepted risks). */
function governed(result: ScanResult): ScanResult {
  const records: ActiveRecord[] = [
    {
      approval: 'approved',
      record: {
        kind: 'exception',
        id: 'EXC-1',
        controlId: 'DS-01',
        scope: {},
        expires: new Date(TODAY.getTime() + 30 * DAY).toISOString(),
        owner: 'Dana Platform',
        justification: 'Legacy workload; migration planned.',
      },
    },
  ];
  const outcome = applyGovernance(result.findings, records, { asOf: TODAY, complete: true });
  return { ...result, run: { ...result.run, governance: outcome.governance }, findings: outcome.findings };
}

const today = governed(observed);
const changes = computeRunChanges(
  { runId: yesterday.run.id, findings: yesterday.findings },
  { runId: today.run.id, findings: today.findings },
);
/** Keys of both runs and of a cluster gone from today's run (its open findings may be closed). */
const gone = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/gone';
const keys = [
  ...new Set([...yesterday.findings, ...today.findings].map((f) => `${f.clusterId}\u0000${f.controlId}`)),
  `${gone}\u0000DS-01`,
  `${gone}\u0000DS-04`,
];

const ledgerArbitrary = fc.option(
  fc.uniqueArray(
    fc.record({
      at: fc.nat({ max: keys.length - 1 }),
      state: fc.constantFrom('open' as const, 'resolved' as const),
      status: fc.constantFrom(...STATUSES),
      absentRuns: fc.nat({ max: 4 }),
    }),
    { selector: (entry) => entry.at, maxLength: keys.length },
  ),
  { nil: undefined },
);

describe('planning from a run read part by part', () => {
  it('the sample has what the property needs: EXCEPTED findings, changes of every kind', () => {
    expect(today.findings.some((finding) => finding.effectiveStatus === 'EXCEPTED')).toBe(true);
    expect(changes.newlyFailing.length).toBeGreaterThan(0);
    expect(changes.resolved.length).toBeGreaterThan(0);
    expect(today.clusters.length).toBeGreaterThan(5);
  });

  it('gives the same events whatever the parts, as planning every finding at once', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: today.clusters.length + 1 }),
        ledgerArbitrary,
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        (clustersPerPart, entries, complete, removedAfterRuns) => {
          const ledger =
            entries &&
            new Map<string, LedgerEntry>(
              entries.map(({ at, ...entry }) => {
                const [clusterId, controlId] = (keys[at] as string).split('\u0000') as [string, string];
                return [dedupeKey(clusterId, controlId), { ...entry, clusterId, controlId }];
              }),
            );
          const run = complete ? today.run : deriveRun(today, TODAY, new Map(), { complete: false }).run;
          const input = { run, changes, ledger, removedAfterRuns };
          const planner = new RunEventPlanner(input);
          for (const part of partsOf(today, clustersPerPart)) planner.add(part.findings);
          const events = planner.events();
          expect(events).toEqual(planEvents({ ...input, findings: today.findings }));
          for (const event of events.filter(isFindingEvent)) {
            seen.add(event.type);
            if (event.data.removed) seen.add('removed');
            if (event.data.acceptedRisk) seen.add('accepted risk');
          }
        },
      ),
      {
        numRuns: 200,
        // Always tried, whatever the seed: a gone cluster's open finding past the removal threshold.
        examples: [
          [
            2,
            [
              { at: keys.length - 2, state: 'open', status: 'FAIL', absentRuns: 3 },
              { at: keys.length - 1, state: 'open', status: 'ERROR', absentRuns: 4 },
            ],
            true,
            2,
          ],
        ],
      },
    );
    // The runs tried exercised every way a finding event is decided.
    expect([...seen].sort()).toEqual([
      'accepted risk',
      'finding.opened',
      'finding.reopened',
      'finding.resolved',
      'finding.updated',
      'removed',
    ]);
  });
});
