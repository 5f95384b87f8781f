/**
 * The streaming scanner against V8's JSON.parse of the whole text: for any text (valid JSON, JSON
 * with one character inserted, deleted or replaced, or cut short), given in pieces of any size, the
 * scanner accepts exactly what JSON.parse accepts, reports an error at the line and column the
 * whole-file parser reports, with the same explanation, and hands over each captured value's text
 * exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { InventoryFileError } from '../../shared/inventory/inventoryFileError.js';
import {
  JsonElementScanner,
  JsonScanError,
  type ElementListener,
  type ScanAction,
  type ValueStart,
} from '../../shared/inventory/jsonElementScanner.js';
import { parseInventoryJson } from '../../shared/inventory/parseInventoryDocument.js';

const FILE = 'f.json';

/** Characters that break JSON in many ways, and some that String.trim() takes for space. */
const NOISE = [
  ...'{}[]",:\\ -+0123456789.eEtfnulrsax/\n\t\r',
  '\u0001',
  '\u0000',
  '\u00a0',
  '\ufeff',
  '\u2028',
  '\ud83d',
  'é',
  '東',
  '\u000b',
];

const jsonText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc
    .tuple(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2, '\t'))
    .map(([value, indent]) => JSON.stringify(value, null, indent)),
  fc
    .array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 })
    .map((values) => `[\n  ${values.map((value) => JSON.stringify(value, null, 1)).join(',\n  ')}\n]\n`),
);

type Mutation =
  { kind: 'insert' | 'replace'; at: number; noise: string } | { kind: 'delete' | 'cut'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('insert' as const, 'replace' as const),
    at: fc.nat(),
    noise: fc.constantFrom(...NOISE),
  }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'cut' as const), at: fc.nat() }),
);

function mutate(text: string, change: Mutation): string {
  const at = text.length === 0 ? 0 : change.at % (text.length + 1);
  switch (change.kind) {
    case 'insert':
      return text.slice(0, at) + change.noise + text.slice(at);
    case 'replace':
      return text.slice(0, at) + change.noise + text.slice(at + 1);
    case 'delete':
      return text.slice(0, at) + text.slice(at + 1);
    case 'cut':
      return text.slice(0, at);
  }
}

/** Splits a text into pieces at the given cut points. */
function piecesOf(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => (text.length === 0 ? 0 : cut % text.length)))].sort(
    (a, b) => a - b,
  );
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point));
    from = point;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** A listener acting by `policy` that records the texts it captured. */
function recorder(policy: (start: ValueStart) => ScanAction): ElementListener & { texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    value: policy,
    captured(text: string) {
      texts.push(text);
    },
    closed() {},
  };
}

type Outcome = { ok: true } | { ok: false; message: string };

function wholeOutcome(text: string): Outcome {
  try {
    parseInventoryJson(FILE, text);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof InventoryFileError)) throw error;
    return { ok: false, message: error.message };
  }
}

function scanOutcome(pieces: string[], listener: ElementListener): Outcome {
  const scanner = new JsonElementScanner(listener);
  try {
    pieces.forEach((piece) => scanner.write(piece));
    scanner.end();
    return { ok: true };
  } catch (error) {
    if (!(error instanceof JsonScanError)) throw error;
    const message = error.empty
      ? new InventoryFileError(FILE, 'file is empty, expected JSON').message
      : new InventoryFileError(FILE, `not valid JSON: ${error.detail}`, error.line, error.column).message;
    return { ok: false, message };
  }
}

/** The values at depth `depth` of a parsed JSON value, in document order. */
function valuesAt(value: unknown, depth: number): unknown[] {
  if (depth === 0) return [value];
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, depth - 1));
  if (typeof value === 'object' && value !== null)
    return Object.values(value).flatMap((item) => valuesAt(item, depth - 1));
  return [];
}

describe('JsonElementScanner', () => {
  it('accepts and rejects exactly what JSON.parse does, at the same line and column with the same explanation', () => {
    fc.assert(
      fc.property(
        jsonText,
        fc.array(mutation, { maxLength: 2 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.constantFrom<ScanAction>('descend', 'capture', 'skip'), { minLength: 1, maxLength: 8 }),
        (valid, changes, cuts, actions) => {
          const text = changes.reduce(mutate, valid);
          let turn = 0;
          const listener = recorder(() => actions[turn++ % actions.length] ?? 'skip');
          expect(scanOutcome(piecesOf(text, cuts), listener)).toEqual(wholeOutcome(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('hands over the exact text of every value it was asked to capture', () => {
    fc.assert(
      fc.property(
        jsonText,
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (text, depth, cuts) => {
          const listener = recorder((start) => (start.depth < depth ? 'descend' : 'capture'));
          expect(scanOutcome(piecesOf(text, cuts), listener)).toEqual({ ok: true });
          const expected = valuesAt(JSON.parse(text) as unknown, depth);
          const parsed = listener.texts.map((captured) => JSON.parse(captured) as unknown);
          expect(parsed).toEqual(expected);
          for (const captured of listener.texts) expect(captured.trim()).toBe(captured);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('offers member names and element positions of the containers it descends into', () => {
    const seen: string[] = [];
    const scanner = new JsonElementScanner({
      value(start) {
        seen.push(`${start.depth}:${start.key ?? ''}:${start.index}:${String.fromCharCode(start.first)}`);
        return start.depth < 2 ? 'descend' : 'skip';
      },
      captured() {},
      closed(depth) {
        seen.push(`closed ${depth}`);
      },
    });
    for (const piece of ['{"a\\u0062":', '[1, {"x": [2]}, "s"], "', 'c": tr', 'ue}']) scanner.write(piece);
    scanner.end();
    expect(seen).toEqual([
      '0::-1:{',
      '1:ab:-1:[',
      '2::0:1',
      '2::1:{',
      '2::2:"',
      'closed 1',
      '1:c:-1:t',
      'closed 0',
    ]);
  });

  it('counts lines and columns across pieces', () => {
    const scanner = new JsonElementScanner(recorder(() => 'descend'));
    const error = (() => {
      try {
        for (const piece of ['[\n  1,\n', '  2\n  3', ']']) scanner.write(piece);
        scanner.end();
      } catch (caught) {
        return caught as JsonScanError;
      }
      throw new Error('expected a JsonScanError');
    })();
    expect([error.detail, error.line, error.column]).toEqual([
      "Expected ',' or ']' after array element in JSON",
      4,
      3,
    ]);
  });
});
