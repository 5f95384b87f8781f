/**
 * splitInventoryFiles against loadInventoryFiles: for generated inventories written as 1–3 files in
 * every accepted shape and encoding, read whole or streamed in pieces of any size, split into 1–5
 * batches, merging each batch and summing gives what loading all the files at once gives; with one
 * batch the rows are the very rows, in order. A file with invalid JSON anywhere fails the same way
 * in both, and leaves no temporary files.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getCi } from '../../shared/inventory/caseInsensitive.js';
import type { Inventory } from '../../shared/inventory/inventory.js';
import { splitInventoryFiles, type SplitOptions } from '../../shared/inventory/inventoryBatches.js';
import { InventoryFileError } from '../../shared/inventory/inventoryFileError.js';
import { loadInventoryFiles } from '../../shared/inventory/loadInventoryFiles.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { parseInventoryDocument, type DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';
import { subscriptionOf } from '../../shared/inventory/resourceId.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';

type Json = Record<string, unknown>;

let root = '';
let runs = 0;

beforeAll(async () => {
  root = await makeTempDir('inventory-batches-');
});

afterAll(async () => {
  await removeTempDir(root);
});

const SUBSCRIPTIONS = [
  '0f0e0d0c-1111-2222-3333-444455556666',
  '5a000000-0000-4000-8000-000000000001',
  'abcdef01-2345-6789-abcd-ef0123456789',
  'ffffffff-0000-0000-0000-00000000000a',
];

const TYPES = [
  'Microsoft.Kubernetes/connectedClusters',
  'Microsoft.ContainerService/managedClusters',
  'Microsoft.AzureStackHCI/clusters',
  'Microsoft.Compute/virtualMachines',
  'Microsoft.Storage/storageAccounts',
];

/** Changes the letter case of some characters, by a seed. */
function recase(text: string, seed: number): string {
  if (seed % 3 === 0) return text;
  return [...text]
    .map((character, index) => ((index * 7 + seed) % 5 === 0 ? character.toUpperCase() : character))
    .join('');
}

const awkwardText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'clúster-東京',
    'line\nbreak',
    'quote " and \\ back',
    'tab\there',
    '\u2028\u2029',
    '😀',
    '{"not": "json"}',
  ),
);

const properties = fc.dictionary(
  fc.constantFrom('distribution', 'agentVersion', 'connectivityStatus', 'nested', 'list', 'n', 'text'),
  fc.oneof(fc.jsonValue({ maxDepth: 2 }), awkwardText),
  { maxKeys: 4 },
);

/** A resource: IDs from a small pool, so the same ID recurs (in other letter case too). */
const resource: fc.Arbitrary<Json> = fc
  .record({
    sub: fc.nat({ max: SUBSCRIPTIONS.length - 1 }),
    group: fc.nat({ max: 2 }),
    type: fc.nat({ max: TYPES.length - 1 }),
    name: fc.nat({ max: 5 }),
    child: fc.boolean(),
    seed: fc.nat(),
    idKey: fc.constantFrom('id', 'id', 'id', 'ID', 'Id'),
    properties,
    location: fc.option(awkwardText, { nil: undefined }),
    trailingSlash: fc.boolean(),
  })
  .map((r) => {
    const type = TYPES[r.type] ?? '';
    let id = `/subscriptions/${SUBSCRIPTIONS[r.sub] ?? ''}/resourceGroups/rg-${r.group}/providers/${type}/c${r.name}`;
    let rowType = type;
    if (r.child) {
      id += '/providers/Microsoft.KubernetesConfiguration/extensions/flux';
      rowType = 'Microsoft.KubernetesConfiguration/extensions';
    }
    const row: Json = {
      [r.idKey]: recase(id, r.seed) + (r.trailingSlash ? '/' : ''),
      name: `c${r.name}`,
      type: recase(rowType, r.seed + 1),
      properties: r.properties,
    };
    if (r.location !== undefined) row.location = r.location;
    return row;
  });

/** Rows that are not resources: they become warnings, at their position. */
const badRow: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({ name: 'no-id' }),
  fc.constant({ id: 5, type: 'Microsoft.Kubernetes/connectedClusters' }),
  fc
    .nat({ max: SUBSCRIPTIONS.length - 1 })
    .map((sub) => ({ id: `/subscriptions/${SUBSCRIPTIONS[sub] ?? ''}/x`, type: ' ' })),
);

const row = fc.oneof({ weight: 5, arbitrary: resource }, { weight: 1, arbitrary: badRow });

type Shape = 'array' | 'data' | 'value' | 'table' | 'single';
type Encoding = 'utf8' | 'utf8-bom' | 'utf16le-bom';

interface FileSpec {
  shape: Shape;
  encoding: Encoding;
  indent: 0 | 1 | 2 | '\t';
  /** Order of the wrapper's members, and of a table's columns and rows. */
  order: number;
  /** A list beside the document's rows that a wrapper object carries but is not the document's. */
  decoy: unknown[] | undefined;
}

const fileSpec: fc.Arbitrary<FileSpec> = fc.record({
  shape: fc.constantFrom<Shape>('array', 'data', 'value', 'table', 'single'),
  encoding: fc.constantFrom<Encoding>('utf8', 'utf8-bom', 'utf16le-bom'),
  indent: fc.constantFrom<FileSpec['indent']>(0, 1, 2, '\t'),
  order: fc.nat(),
  decoy: fc.option(fc.array(row, { maxLength: 2 }), { nil: undefined }),
});

/** Members in an order given by a seed (a permutation). */
function ordered(members: [string, unknown][], seed: number): Json {
  const rest = [...members];
  const result: [string, unknown][] = [];
  let s = seed;
  while (rest.length > 0) {
    const [member] = rest.splice(s % rest.length, 1);
    if (member !== undefined) result.push(member);
    s = Math.floor(s / 3) + 7;
  }
  const object: Json = {};
  for (const [key, value] of result) object[key] = value;
  return object;
}

function tableOf(rows: unknown[], seed: number): Json {
  const names = [
    ...new Set(
      rows.flatMap((item) =>
        typeof item === 'object' && item !== null && !Array.isArray(item) ? Object.keys(item) : [],
      ),
    ),
  ];
  if (seed % 4 === 0) names.push('extra');
  const cells = rows.map((item) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? names.map((name) => (item as Json)[name] ?? null)
      : item,
  );
  return ordered(
    [
      ['columns', names.map((name) => ({ name, type: 'string' }))],
      ['rows', cells],
    ],
    seed,
  );
}

function documentOf(rows: unknown[], spec: FileSpec): unknown {
  const only = rows[0];
  switch (spec.shape) {
    case 'single':
      if (
        rows.length === 1 &&
        typeof only === 'object' &&
        only !== null &&
        !Array.isArray(only) &&
        'type' in only &&
        'id' in only
      )
        return only;
      return rows;
    case 'array':
      return rows;
    case 'data':
      return ordered(
        [
          ['totalRecords', rows.length],
          ['count', rows.length],
          ['data', rows],
          ['facets', []],
          ['resultTruncated', 'false'],
          ['$skipToken', spec.order % 2 === 0 ? null : 'ew0KICAiJGlkIjogIjEi'],
          ...(spec.decoy === undefined ? [] : ([['value', spec.decoy]] as [string, unknown][])),
        ],
        spec.order,
      );
    case 'value':
      return ordered(
        [
          ['value', rows],
          ['nextLink', null],
          ...(spec.decoy === undefined ? [] : ([['data', null]] as [string, unknown][])),
        ],
        spec.order,
      );
    case 'table':
      return ordered(
        [
          ['totalRecords', rows.length],
          ['data', tableOf(rows, spec.order)],
          ['$skipToken', null],
          ...(spec.decoy === undefined ? [] : ([['value', spec.decoy]] as [string, unknown][])),
        ],
        spec.order,
      );
  }
}

function textOf(rows: unknown[], spec: FileSpec): string {
  const text = JSON.stringify(documentOf(rows, spec), null, spec.indent);
  return spec.encoding === 'utf16le-bom' ? text.replace(/\n/g, '\r\n') : text;
}

function bytesOf(text: string, encoding: Encoding): Buffer {
  if (encoding === 'utf16le-bom')
    return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf8-bom')
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  return Buffer.from(text, 'utf8');
}

/** The files of an inventory: its rows cut into consecutive slices, one per file. */
const inventoryFiles = fc
  .tuple(
    fc.array(row, { maxLength: 24 }),
    fc.array(fileSpec, { minLength: 1, maxLength: 3 }),
    fc.array(fc.nat(), { maxLength: 2 }),
  )
  .map(([rows, specs, cuts]) => {
    const points = [0, ...cuts.map((cut) => cut % (rows.length + 1)).sort((a, b) => a - b), rows.length];
    return specs.map((spec, index) => ({
      spec,
      text: textOf(
        rows.slice(
          points[index] ?? rows.length,
          index === specs.length - 1 ? rows.length : (points[index + 1] ?? rows.length),
        ),
        spec,
      ),
    }));
  });

const splitOptions: fc.Arbitrary<SplitOptions> = fc.record({
  streamFrom: fc.constantFrom(0, 0, 0, 64, 1024 * 1024),
  batches: fc.integer({ min: 1, max: 5 }),
  pieceBytes: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 4096 })),
});

async function writeFiles(
  files: { spec: FileSpec; text: string }[],
): Promise<{ folder: string; paths: string[] }> {
  const folder = join(root, `run-${runs++}`);
  await mkdir(folder);
  const paths: string[] = [];
  for (const [index, file] of files.entries()) {
    const path = join(folder, `inventory-${index}.json`);
    await writeFile(path, bytesOf(file.text, file.spec.encoding));
    paths.push(path);
  }
  return { folder, paths };
}

/** Merges each batch and sums: the inventory the batches give together. */
async function batchedInventory(
  paths: string[],
  options: SplitOptions,
): Promise<{ inventory: Inventory; rows: DocumentRow[][] }> {
  const batches = await splitInventoryFiles(paths, options);
  try {
    const rows: DocumentRow[][] = [];
    for (let index = 0; index < batches.count; index++) rows.push(await batches.read(index));
    const merged = rows.map((batch) => mergeResources([batch]));
    const ignoredByType: Record<string, number> = {};
    for (const part of merged) {
      for (const [type, count] of Object.entries(part.ignoredByType))
        ignoredByType[type] = (ignoredByType[type] ?? 0) + count;
    }
    return {
      rows,
      inventory: {
        resources: merged.flatMap((part) => part.resources),
        warnings: merged.flatMap((part) => part.warnings),
        ignoredByType,
        duplicateCount: merged.reduce((sum, part) => sum + part.duplicateCount, 0),
        gaps: [],
      },
    };
  } finally {
    await batches.dispose();
  }
}

const byKey = <T extends { key: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const byText = <T>(items: readonly T[]): string[] => items.map((item) => JSON.stringify(item)).sort();

/** The same inventory, whatever order the batches put resources and warnings in. */
function expectSameInventory(actual: Inventory, expected: Inventory): void {
  expect(byKey(actual.resources)).toStrictEqual(byKey(expected.resources));
  expect(actual.duplicateCount).toBe(expected.duplicateCount);
  expect(actual.ignoredByType).toStrictEqual(expected.ignoredByType);
  expect(byText(actual.warnings)).toStrictEqual(byText(expected.warnings));
}

async function outcome<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (!(error instanceof InventoryFileError)) throw error;
    return { ok: false, message: error.message };
  }
}

describe('splitInventoryFiles', () => {
  it('gives, summed over its batches, the inventory loadInventoryFiles gives (the very rows with one batch)', async () => {
    await fc.assert(
      fc.asyncProperty(inventoryFiles, splitOptions, async (files, options) => {
        const { paths } = await writeFiles(files);
        const expected = await loadInventoryFiles(paths);
        const { inventory, rows } = await batchedInventory(paths, options);
        expectSameInventory(inventory, expected);
        if (rows.length === 1) {
          const whole = await Promise.all(
            files.map((file, index) => parseInventoryDocument(paths[index] ?? '', file.text)),
          );
          expect(rows[0]).toStrictEqual(whole.flat());
        }
        // Every row of a subscription is in one batch.
        const batchesOf = new Map<string, Set<number>>();
        rows.forEach((batch, index) => {
          for (const { value } of batch) {
            const id = getCi(value, 'id');
            const subscription = typeof id === 'string' ? subscriptionOf(id)?.toLowerCase() : undefined;
            if (subscription !== undefined)
              batchesOf.set(subscription, (batchesOf.get(subscription) ?? new Set()).add(index));
          }
        });
        for (const batches of batchesOf.values()) expect(batches.size).toBe(1);
      }),
      { numRuns: 100 },
    );
  });

  it('fails on invalid JSON anywhere as loadInventoryFiles does (file, line, column, explanation), leaving no files', async () => {
    const noise = fc.constantFrom(...'{}[]",:\\ -0.etx\n', '\u0001', '\u00a0', '東');
    await fc.assert(
      fc.asyncProperty(
        inventoryFiles,
        splitOptions,
        fc.nat(),
        fc.nat(),
        fc.oneof(
          noise.map((character) => ({ insert: character })),
          fc.constant({ cut: true }),
        ),
        async (files, options, which, at, change) => {
          const target = files[which % files.length];
          if (target === undefined) return;
          const position = at % (target.text.length + 1);
          target.text =
            'cut' in change
              ? target.text.slice(0, position)
              : target.text.slice(0, position) + change.insert + target.text.slice(position);
          const { folder, paths } = await writeFiles(files);
          const directory = join(folder, 'spool');
          await mkdir(directory);
          const expected = await outcome(loadInventoryFiles(paths));
          const actual = await outcome(batchedInventory(paths, { ...options, directory }));
          if (expected.ok && actual.ok) expectSameInventory(actual.value.inventory, expected.value);
          else
            expect(actual.ok ? 'resolved' : actual.message).toBe(expected.ok ? 'resolved' : expected.message);
          expect(await readdir(directory)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
