import { describe, expect, it } from 'vitest';

import type { StatusCounts } from '../../shared/catalog/types.js';
import { complianceScore, countStatuses } from '../../shared/runCalculations/summarise.js';

function counts(partial: Partial<StatusCounts>): StatusCounts {
  return { PASS: 0, FAIL: 0, MANUAL: 0, NOT_APPLICABLE: 0, ERROR: 0, ...partial };
}

/** The catalog's score (docs/findings.md): score = PASS / (PASS + FAIL + MANUAL + ERROR); NOT_APPLICABLE excluded. */
describe('compliance score', () => {
  it.each([
    [{ PASS: 3, FAIL: 1 }, 0.75],
    [{ PASS: 1, MANUAL: 1, ERROR: 2 }, 0.25],
    [{ PASS: 5, NOT_APPLICABLE: 95 }, 1],
    [{ PASS: 2, FAIL: 2, NOT_APPLICABLE: 1_000 }, 0.5],
    [{ FAIL: 3, NOT_APPLICABLE: 2 }, 0],
  ])('%j scores %d', (partial, expected) => {
    expect(complianceScore(counts(partial))).toBe(expected);
  });

  it('excludes NOT_APPLICABLE: adding N/A findings never changes the score', () => {
    const base = counts({ PASS: 7, FAIL: 2, MANUAL: 1 });
    expect(complianceScore({ ...base, NOT_APPLICABLE: 123 })).toBe(complianceScore(base));
  });

  it('counts MANUAL and ERROR as not compliant', () => {
    expect(complianceScore(counts({ PASS: 1, MANUAL: 1 }))).toBe(0.5);
    expect(complianceScore(counts({ PASS: 1, ERROR: 1 }))).toBe(0.5);
  });

  it('is the ratio itself, and never 1 (100%) while a FAIL exists', () => {
    const large = counts({ PASS: 199_999, FAIL: 1 });
    expect(complianceScore(large), 'score of 199,999 PASS and 1 FAIL').toBeLessThan(1);
    expect(complianceScore(large)).toBeCloseTo(199_999 / 200_000, 10);
    expect(complianceScore(counts({ PASS: 1, FAIL: 2 }))).toBeCloseTo(1 / 3, 10);
  });

  it('counts findings by status with every status present', () => {
    const tally = countStatuses([{ status: 'PASS' }, { status: 'PASS' }, { status: 'ERROR' }]);
    expect(tally).toEqual({ PASS: 2, FAIL: 0, MANUAL: 0, NOT_APPLICABLE: 0, ERROR: 1 });
  });
});
