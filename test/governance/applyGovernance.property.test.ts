import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { countStatuses } from '../../shared/runCalculations/summarise.js';
import { applyGovernance, GovernanceConflictError } from '../../shared/governance/applyGovernance.js';
import type { ActiveRecord, GovernanceRecord } from '../../shared/governance/records.js';
import { scopeMatches, scopeRank } from '../../shared/governance/scopeMatch.js';
import { AS_OF, clusterAt, findingFor, findingsArb, recordsArb } from './governanceArbitraries.js';

const options = { asOf: AS_OF, complete: true };
const live = (entry: ActiveRecord): boolean =>
  entry.approval === 'approved' && new Date(entry.record.expires).getTime() > AS_OF.getTime();

describe('governance rule engine (properties)', () => {
  it('never changes a finding apart from adding effectiveStatus and governance, and does not mutate its input', () => {
    fc.assert(
      fc.property(findingsArb, recordsArb, (findings, records) => {
        const before = JSON.stringify(findings);
        const recordsBefore = JSON.stringify(records);
        const outcome = applyGovernance(findings, records, options);
        expect(JSON.stringify(findings)).toBe(before);
        expect(JSON.stringify(records)).toBe(recordsBefore);
        expect(outcome.findings).toHaveLength(findings.length);
        outcome.findings.forEach((governed, i) => {
          const { effectiveStatus, governance, ...rest } = governed;
          expect(rest).toEqual(findings[i]);
          expect(typeof effectiveStatus).toBe('string');
          if (governance) expect(Object.keys(governance).length).toBeGreaterThan(0);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('changes verdicts only as the rules allow: exceptions FAIL/MANUAL → EXCEPTED, attestations MANUAL → result', () => {
    fc.assert(
      fc.property(findingsArb, recordsArb, (findings, records) => {
        const outcome = applyGovernance(findings, records, options);
        const byId = new Map(records.map((entry) => [entry.record.id, entry]));
        for (const governed of outcome.findings) {
          const { status, effectiveStatus, governance } = governed;
          if (governance?.exceptionId) {
            expect(['FAIL', 'MANUAL']).toContain(status);
            expect(effectiveStatus).toBe('EXCEPTED');
            expect(governance.attestationId).toBeUndefined();
          } else if (governance?.attestationId) {
            const entry = byId.get(governance.attestationId);
            expect(status).toBe('MANUAL');
            expect(entry?.record.kind === 'attestation' && entry.record.result).toBe(effectiveStatus);
          } else expect(effectiveStatus).toBe(status);
          if (status === 'ERROR' || status === 'PASS' || status === 'NOT_APPLICABLE')
            expect(effectiveStatus).toBe(status);
          const appliedId = governance?.exceptionId ?? governance?.attestationId;
          if (appliedId) {
            const entry = byId.get(appliedId);
            expect(entry && live(entry)).toBe(true);
            expect(entry?.record.controlId).toBe(governed.controlId);
            expect(entry && scopeMatches(entry.record.scope, governed)).toBe(true);
            expect(governance?.expires).toBe(entry?.record.expires);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('applies the narrowest usable matching record, and applies one whenever one is usable', () => {
    fc.assert(
      fc.property(findingsArb, recordsArb, (findings, records) => {
        const outcome = applyGovernance(findings, records, options);
        for (const governed of outcome.findings) {
          const usable = records
            .filter(live)
            .map((entry) => entry.record)
            .filter(
              (record) =>
                record.controlId === governed.controlId &&
                scopeMatches(record.scope, governed) &&
                (record.kind === 'exception'
                  ? governed.status === 'FAIL' || governed.status === 'MANUAL'
                  : governed.status === 'MANUAL'),
            );
          const appliedId = governed.governance?.exceptionId ?? governed.governance?.attestationId;
          if (usable.length === 0) expect(appliedId).toBeUndefined();
          else {
            const narrowest = Math.min(...usable.map((record) => scopeRank(record.scope)));
            const applied = usable.find((record) => record.id === appliedId);
            expect(applied && scopeRank(applied.scope)).toBe(narrowest);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps effective counts consistent with the findings and observed counts as they were', () => {
    fc.assert(
      fc.property(findingsArb, recordsArb, fc.boolean(), (findings, records, complete) => {
        const outcome = applyGovernance(findings, records, { asOf: AS_OF, complete });
        const counts = outcome.effectiveCounts;
        const observed = countStatuses(findings);
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(findings.length);
        for (const status of Object.keys(counts) as Array<keyof typeof counts>)
          expect(counts[status]).toBe(outcome.findings.filter((f) => f.effectiveStatus === status).length);
        expect(counts.ERROR).toBe(observed.ERROR);
        expect(counts.NOT_APPLICABLE).toBe(observed.NOT_APPLICABLE);
        expect(counts.PASS).toBeGreaterThanOrEqual(observed.PASS);
        expect(counts.MANUAL).toBeLessThanOrEqual(observed.MANUAL);
        expect(counts.EXCEPTED + counts.PASS + counts.FAIL + counts.MANUAL).toBe(
          observed.PASS + observed.FAIL + observed.MANUAL,
        );
        const denominator = counts.PASS + counts.FAIL + counts.MANUAL + counts.ERROR;
        expect(outcome.effectiveScore).toBe(denominator === 0 ? 0 : counts.PASS / denominator);
        expect(outcome.effectiveScore).toBeGreaterThanOrEqual(0);
        expect(outcome.effectiveScore).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('reports each record once with a state that matches what it did', () => {
    fc.assert(
      fc.property(findingsArb, recordsArb, fc.boolean(), (findings, records, complete) => {
        const outcome = applyGovernance(findings, records, { asOf: AS_OF, complete });
        expect(outcome.governance.map((entry) => entry.id)).toEqual(records.map((entry) => entry.record.id));
        for (const entry of outcome.governance) {
          const source = records.find((r) => r.record.id === entry.id) as ActiveRecord;
          const applied = outcome.findings.filter(
            (f) => f.governance?.exceptionId === entry.id || f.governance?.attestationId === entry.id,
          ).length;
          const ignored = outcome.findings.filter((f) =>
            f.governance?.ignored?.some((i) => i.id === entry.id),
          ).length;
          expect(entry.findingsApplied).toBe(applied);
          expect(entry.findingsIgnored).toBe(ignored);
          expect(entry.record).toEqual(source.record);
          const expected =
            source.approval !== 'approved'
              ? source.approval
              : !live(source)
                ? 'expired'
                : applied > 0
                  ? 'applied'
                  : ignored > 0
                    ? 'ignored'
                    : complete
                      ? 'unused'
                      : 'unmatched';
          expect(entry.state).toBe(expected);
          if (!live(source)) expect(applied + ignored).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(findingsArb, recordsArb, (findings, records) => {
        expect(applyGovernance(findings, records, options)).toEqual(
          applyGovernance(findings, records, options),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('governance rule engine (examples)', () => {
  const cluster = clusterAt(0);
  const exception = (
    id: string,
    scope: GovernanceRecord['scope'],
    expires = '2027-01-01T00:00:00.000Z',
  ): ActiveRecord => ({
    approval: 'approved',
    record: {
      kind: 'exception',
      id,
      controlId: 'DS-05',
      scope,
      owner: 'Data team',
      justification: 'Vendor fix due',
      expires,
    },
  });
  const attestation = (id: string, result: 'PASS' | 'FAIL'): ActiveRecord => ({
    approval: 'approved',
    record: {
      kind: 'attestation',
      id,
      controlId: 'DS-05',
      scope: { kinds: [cluster.kind] },
      result,
      attestedBy: 'Platform lead',
      statement: 'Checked',
      evidence: [{ title: 'Run book', sha256: 'a'.repeat(64) }],
      attestedAt: '2026-11-01T00:00:00.000Z',
      expires: '2027-01-01T00:00:00.000Z',
    },
  });

  it('an exception on an ERROR finding is ignored with the reason; the finding stays ERROR', () => {
    const outcome = applyGovernance(
      [findingFor(cluster, 'DS-05', 'ERROR')],
      [exception('EXC-1', { clusters: [cluster.id] })],
      options,
    );
    expect(outcome.findings[0]?.effectiveStatus).toBe('ERROR');
    expect(outcome.findings[0]?.governance?.ignored).toEqual([
      { id: 'EXC-1', reason: 'the finding is ERROR: a failed read is fixed, not accepted' },
    ]);
    expect(outcome.governance[0]?.state).toBe('ignored');
  });

  it('an observed PASS or FAIL wins over an attestation', () => {
    const outcome = applyGovernance(
      [findingFor(cluster, 'DS-05', 'FAIL'), findingFor(clusterAt(2), 'DS-05', 'PASS')],
      [attestation('ATT-1', 'PASS')],
      options,
    );
    expect(outcome.findings.map((f) => f.effectiveStatus)).toEqual(['FAIL', 'PASS']);
    expect(outcome.governance[0]?.state).toBe('ignored');
    expect(outcome.effectiveScore).toBe(0.5);
  });

  it('a cluster-scoped exception wins over a kind-scoped attestation on a MANUAL finding', () => {
    const outcome = applyGovernance(
      [findingFor(cluster, 'DS-05', 'MANUAL'), findingFor(clusterAt(2), 'DS-05', 'MANUAL')],
      [attestation('ATT-1', 'FAIL'), exception('EXC-1', { clusters: [cluster.id.toUpperCase()] })],
      options,
    );
    expect(outcome.findings.map((f) => f.effectiveStatus)).toEqual(['EXCEPTED', 'FAIL']);
    expect(outcome.effectiveCounts.EXCEPTED).toBe(1);
    expect(outcome.effectiveScore).toBe(0);
    expect(outcome.governance.map((g) => [g.id, g.state, g.findingsApplied])).toEqual([
      ['ATT-1', 'applied', 1],
      ['EXC-1', 'applied', 1],
    ]);
  });

  it('an expired record does not apply and is listed expired; the as-of instant itself counts as expired', () => {
    const outcome = applyGovernance(
      [findingFor(cluster, 'DS-05', 'FAIL')],
      [exception('EXC-1', { clusters: [cluster.id] }, AS_OF.toISOString())],
      options,
    );
    expect(outcome.findings[0]?.effectiveStatus).toBe('FAIL');
    expect(outcome.governance[0]?.state).toBe('expired');
  });

  it('an unmatched record is unused in a complete run only', () => {
    const records = [exception('EXC-1', { subscriptions: ['99999999-9999-9999-9999-999999999999'] })];
    expect(applyGovernance([], records, { asOf: AS_OF, complete: true }).governance[0]?.state).toBe('unused');
    expect(applyGovernance([], records, { asOf: AS_OF, complete: false }).governance[0]?.state).toBe(
      'unmatched',
    );
  });

  it('refuses to choose between two equally narrow records that both apply', () => {
    expect(() =>
      applyGovernance(
        [findingFor(cluster, 'DS-05', 'FAIL')],
        [exception('EXC-1', { clusters: [cluster.id] }), exception('EXC-2', { clusters: [cluster.id] })],
        options,
      ),
    ).toThrow(GovernanceConflictError);
  });
});
