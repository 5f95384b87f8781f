import { describe, expect, it } from 'vitest';

import { mergeBatchFacts, type BatchFacts } from '../../shared/fanout/batchFacts.js';
import type { DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';

describe('the facts of every batch merged', () => {
  it('keeps every linking row, in batch order, however many a batch holds', () => {
    // More rows than a function call takes arguments: a subscription with very many backup instances.
    const many = 300_000;
    const rowsOf = (batch: number, count: number): DocumentRow[] =>
      Array.from({ length: count }, (_, index) => ({
        where: `batch ${batch}: [${index}]`,
        value: { index },
      }));
    const facts: BatchFacts[] = [
      { agentCandidates: [], linkingRows: rowsOf(0, many) },
      { agentCandidates: [], linkingRows: rowsOf(1, 2) },
    ];
    const merged = mergeBatchFacts(facts);
    expect(merged.linkingRows).toHaveLength(many + 2);
    expect(merged.linkingRows[0]?.where).toBe('batch 0: [0]');
    expect(merged.linkingRows[many]?.where).toBe('batch 1: [0]');
    expect(merged.fleet).toEqual({ newestAgentVersion: undefined, warnings: [] });
  });
});
