/**
 * A file's text read piece by piece is the text decodeInventoryBytes gives for the whole file, for
 * any bytes (valid or not, with any byte order mark) and any piece size.
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { inventoryTextPieces } from '../../shared/inventory/inventoryTextPieces.js';
import { decodeInventoryBytes } from '../../shared/inventory/parseInventoryDocument.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';

let dir = '';

beforeAll(async () => {
  dir = await makeTempDir();
});

afterAll(async () => {
  await removeTempDir(dir);
});

const MARKS = [
  [],
  [0xef, 0xbb, 0xbf],
  [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
  [0xfe, 0xff],
  [0xff],
  [0xef, 0xbb],
];

/** Bytes around the UTF-8 and UTF-16 edge cases: lead and continuation bytes, surrogates, ASCII. */
const edgyByte = fc.oneof(
  fc.constantFrom(
    0x00,
    0x22,
    0x41,
    0x7f,
    0x80,
    0xbf,
    0xc0,
    0xc2,
    0xdf,
    0xe0,
    0xed,
    0xef,
    0xf0,
    0xf4,
    0xf5,
    0xff,
    0xd8,
    0xdc,
    0xfe,
    0xbb,
  ),
  fc.integer({ min: 0, max: 255 }),
);

const textBytes = fc.oneof(
  fc.array(edgyByte, { maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }).map((text) => [...Buffer.from(text, 'utf8')]),
  fc.string({ unit: 'binary', maxLength: 20 }).map((text) => [...Buffer.from(text, 'utf16le')]),
);

let files = 0;

async function readPieces(bytes: Uint8Array, pieceBytes: number): Promise<string[]> {
  const path = join(dir, `f${files++}`);
  await writeFile(path, bytes);
  const handle = await open(path, 'r');
  try {
    const pieces: string[] = [];
    for await (const piece of inventoryTextPieces(path, handle, pieceBytes)) pieces.push(piece);
    return pieces;
  } finally {
    await handle.close();
  }
}

describe('inventoryTextPieces', () => {
  it('gives, piece by piece, the text decodeInventoryBytes gives for the whole file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...MARKS),
        textBytes,
        fc.integer({ min: 1, max: 9 }),
        async (mark, body, pieceBytes) => {
          const bytes = Uint8Array.from([...mark, ...body]);
          const pieces = await readPieces(bytes, pieceBytes);
          expect(pieces.join('')).toBe(decodeInventoryBytes(bytes));
          expect(pieces).not.toContain('');
        },
      ),
      { numRuns: 400 },
    );
  });
});
