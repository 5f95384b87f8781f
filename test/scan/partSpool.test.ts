import { truncate } from 'node:fs/promises';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { PartSpool } from '../../shared/scan/partSpool.js';
import type { RunPart } from '../../shared/scan/runSource.js';

/** A part whose one finding carries `text` (any size, any characters). */
const partWith = (text: string, index: number): RunPart =>
  ({ clusters: [], findings: [{ clusterId: `c${index}`, reason: text }] }) as unknown as RunPart;

async function readBack(spool: PartSpool): Promise<RunPart[]> {
  const parts: RunPart[] = [];
  for await (const part of spool.parts()) parts.push(part);
  return parts;
}

describe('PartSpool', () => {
  it('gives back every part as appended, whatever its size and characters, as often as asked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 40 }),
            fc
              .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }), fc.nat(70_000))
              .map(([unit, times]) => unit.repeat(times)),
          ),
          { maxLength: 6 },
        ),
        async (texts) => {
          const spool = await PartSpool.create();
          try {
            const parts = texts.map(partWith);
            for (const part of parts) await spool.append(part);
            await spool.close();
            expect(await readBack(spool)).toEqual(parts);
            expect(await readBack(spool)).toEqual(parts);
          } finally {
            await spool.dispose();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reads the file only as fast as the parts are taken', async () => {
    const spool = await PartSpool.create();
    try {
      const parts = Array.from({ length: 40 }, (_, index) => partWith('x'.repeat(1024 * 1024), index));
      for (const part of parts) await spool.append(part);
      await spool.close();
      const reading = spool.parts()[Symbol.asyncIterator]();
      expect((await reading.next()).value).toEqual(parts[0]);
      // Give a reader that runs ahead every chance to, then cut the file after its second part:
      // only what had already been read can still come out.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await truncate(spool.path, 2 * `${JSON.stringify(parts[0])}\n`.length);
      let more = 0;
      for (let next = await reading.next(); !next.done; next = await reading.next()) more++;
      expect(more).toBe(1);
    } finally {
      await spool.dispose();
    }
  });
});
