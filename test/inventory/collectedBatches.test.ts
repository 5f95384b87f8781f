import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CollectedBatches } from '../../shared/inventory/collectedBatches.js';
import type { DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';

const row = fc.record({
  value: fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown),
  where: fc.string(),
});

describe('the rows of collected batches, kept on disk', () => {
  let parent = '';
  beforeEach(async () => {
    parent = await makeTempDir();
  });
  afterEach(() => removeTempDir(parent));

  it('reads back every batch as written, whatever the order of writing, as often as asked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.array(row, { maxLength: 30 }), { minLength: 1, maxLength: 6 })
          .chain((batches: DocumentRow[][]) => {
            const indices = batches.map((_, index) => index);
            return fc.tuple(
              fc.constant(batches),
              fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
            );
          }),
        async ([batches, order]) => {
          const spool = await CollectedBatches.create(batches.length, { parent });
          try {
            for (const index of order) await spool.write(index, batches[index] ?? []);
            expect(spool.count).toBe(batches.length);
            for (let pass = 0; pass < 2; pass++)
              for (const [index, rows] of batches.entries()) expect(await spool.read(index)).toEqual(rows);
          } finally {
            await spool.dispose();
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(await readdir(parent)).toEqual([]);
  });

  it('refuses a batch it has no room for or that was never written, and removes its folder', async () => {
    const spool = await CollectedBatches.create(2, { parent: parent });
    await expect(spool.write(2, [])).rejects.toThrow(RangeError);
    await expect(spool.read(1)).rejects.toThrow(/not written/);
    const [folder] = await readdir(parent);
    await spool.dispose();
    await expect(access(join(parent, folder ?? ''))).rejects.toThrow();
  });
});
