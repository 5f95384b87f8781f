import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { getCi } from '../../shared/inventory/caseInsensitive.js';
import {
  splitInventoryFiles,
  type InventoryBatches,
  type SplitOptions,
} from '../../shared/inventory/inventoryBatches.js';
import { InventoryFileError } from '../../shared/inventory/inventoryFileError.js';
import { loadInventoryFiles } from '../../shared/inventory/loadInventoryFiles.js';
import type { DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';

let dir = '';

beforeEach(async () => {
  dir = await makeTempDir();
});

afterEach(async () => {
  await removeTempDir(dir);
});

/** Splits with the temporary files in the test's directory, removed even when a test fails. */
function split(paths: readonly string[], options: SplitOptions = {}): Promise<InventoryBatches> {
  return splitInventoryFiles(paths, { directory: dir, ...options });
}

const STREAMED: SplitOptions = { streamFrom: 0, pieceBytes: 7 };

function clusterId(subscription: string, name: string): string {
  return `/subscriptions/${subscription}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

function cluster(subscription: string, name: string): Record<string, unknown> {
  return {
    id: clusterId(subscription, name),
    name,
    type: 'Microsoft.Kubernetes/connectedClusters',
    properties: {},
  };
}

function extension(subscription: string, name: string): Record<string, unknown> {
  return {
    id: `${clusterId(subscription, name)}/providers/Microsoft.KubernetesConfiguration/extensions/flux`,
    name: 'flux',
    type: 'Microsoft.KubernetesConfiguration/extensions',
    properties: { extensionType: 'microsoft.flux' },
  };
}

async function write(name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
}

async function allBatches(batches: InventoryBatches): Promise<DocumentRow[][]> {
  const rows: DocumentRow[][] = [];
  for (let index = 0; index < batches.count; index++) rows.push(await batches.read(index));
  return rows;
}

async function rejection(promise: Promise<unknown>): Promise<InventoryFileError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryFileError);
    return error as InventoryFileError;
  }
  throw new Error('expected an InventoryFileError');
}

const SUBSCRIPTIONS = Array.from(
  { length: 12 },
  (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
);

describe('splitInventoryFiles', () => {
  for (const [label, options] of [
    ['read whole', {}],
    ['streamed', STREAMED],
  ] as const) {
    it(`puts every row of a subscription in one batch, whatever the case of its ID, extensions with their cluster (${label})`, async () => {
      const rows = SUBSCRIPTIONS.flatMap((subscription, i) => [
        cluster(i % 2 === 0 ? subscription : subscription.toUpperCase(), `c${i}`),
        extension(subscription, `c${i}`),
      ]);
      const path = await write('fleet.json', { count: rows.length, data: rows, $skipToken: null });
      const batches = await split([path], { ...options, batches: 4 });
      const batchOf = new Map<string, number>();
      (await allBatches(batches)).forEach((batch, index) => {
        for (const row of batch) {
          const subscription = String(getCi(row.value, 'id')).split('/')[2]?.toLowerCase() ?? '';
          expect(batchOf.get(subscription) ?? index).toBe(index);
          batchOf.set(subscription, index);
        }
      });
      expect(batchOf.size).toBe(SUBSCRIPTIONS.length);
      expect(new Set(batchOf.values()).size).toBeGreaterThan(1);
      await batches.dispose();
    });
  }

  it('puts rows without a subscription in their ID, and rows that are not resources, in batch 0', async () => {
    const path = await write('odd.json', [
      cluster(SUBSCRIPTIONS[1] ?? '', 'a'),
      'junk',
      { id: '/providers/Microsoft.Management/managementGroups/mg', type: 't' },
      { name: 'no id' },
    ]);
    const batches = await split([path], { ...STREAMED, batches: 5 });
    const first = await batches.read(0);
    expect(first.map((row) => row.where)).toEqual(
      expect.arrayContaining([`${path}: [1]`, `${path}: [2]`, `${path}: [3]`]),
    );
    await batches.dispose();
  });

  it('reads a Resource Graph table whose rows come before its columns', async () => {
    const names = ['type', 'name', 'id'];
    const rows = SUBSCRIPTIONS.map((subscription, i) => {
      const row = cluster(subscription, `c${i}`);
      return names.map((name) => row[name]);
    });
    const path = await write(
      'table.json',
      `{"data": {"rows": ${JSON.stringify(rows)}, "columns": ${JSON.stringify(names.map((name) => ({ name })))}}}`,
    );
    const batches = await split([path], { ...STREAMED, batches: 3 });
    const read = await allBatches(batches);
    const expected = await loadInventoryFiles([path]);
    const byName = (a: unknown, b: unknown): number =>
      String(getCi(a, 'name')).localeCompare(String(getCi(b, 'name')));
    expect(
      read
        .flat()
        .map((row) => row.value)
        .sort(byName),
    ).toEqual(expected.resources.map((resource) => resource.raw).sort(byName));
    // Routed by the `id` column, though the rows came first.
    const batchOf = new Map<string, number>();
    read.forEach((batch, index) => {
      for (const row of batch) {
        const subscription = String(getCi(row.value, 'id')).split('/')[2] ?? '';
        expect(batchOf.get(subscription) ?? index).toBe(index);
        batchOf.set(subscription, index);
      }
    });
    expect(new Set(batchOf.values()).size).toBeGreaterThan(1);
    await batches.dispose();
  });

  for (const [label, options] of [
    ['read whole', {}],
    ['streamed', STREAMED],
  ] as const) {
    it(`gives numbers exactly as JSON.parse does, -0 and underflow included (${label})`, async () => {
      const row = (sign: string): string =>
        `{"id": "${clusterId(SUBSCRIPTIONS[0] ?? '', `n${sign}`)}", "type": "Microsoft.Kubernetes/connectedClusters", "properties": {"a": ${sign}0, "b": [${sign}0.0, ${sign}1e-400], "c": ${sign}1e400, "d": ${sign}1${'0'.repeat(400)}}}`;
      const path = await write('numbers.json', `[${row('-')}, ${row('')}]`);
      const expected = await loadInventoryFiles([path]);
      const batches = await split([path], { ...options, batches: 1 });
      const [rows] = await allBatches(batches);
      expect(rows?.map((item) => item.value)).toStrictEqual(
        expected.resources.map((resource) => resource.raw),
      );
      const properties = getCi(rows?.[0]?.value, 'properties');
      expect(Object.is(getCi(properties, 'a'), -0)).toBe(true);
      await batches.dispose();
    });
  }

  it('makes one batch per bytesPerBatch of input, at least one', async () => {
    const path = await write(
      'fleet.json',
      SUBSCRIPTIONS.map((subscription, i) => cluster(subscription, `c${i}`)),
    );
    const batches = await split([path], { bytesPerBatch: 1000 });
    expect(batches.count).toBeGreaterThan(1);
    await batches.dispose();
    const none = await split([]);
    expect(none.count).toBe(1);
    expect(await none.read(0)).toEqual([]);
    await none.dispose();
  });

  it('rejects a batch that does not exist', async () => {
    const batches = await split([], { batches: 2 });
    await expect(batches.read(2)).rejects.toThrow(RangeError);
    await batches.dispose();
  });

  it('removes its temporary files on dispose', async () => {
    const spool = join(dir, 'spool');
    await mkdir(spool);
    const path = await write('fleet.json', [cluster(SUBSCRIPTIONS[0] ?? '', 'a')]);
    const batches = await splitInventoryFiles([path], { ...STREAMED, directory: spool });
    expect(await readdir(spool)).toHaveLength(1);
    await batches.dispose();
    expect(await readdir(spool)).toEqual([]);
  });

  for (const [label, options] of [
    ['read whole', {}],
    ['streamed', STREAMED],
  ] as const) {
    it(`names a file that cannot be read as loadInventoryFiles does (${label})`, async () => {
      const missing = join(dir, 'missing.json');
      const folder = join(dir, 'folder.json');
      await mkdir(folder);
      for (const path of [missing, folder]) {
        const expected = await rejection(loadInventoryFiles([path]));
        const actual = await rejection(split([path], options));
        expect(actual.message).toBe(expected.message);
      }
    });

    it(`rejects an empty file and a document that is no inventory as loadInventoryFiles does (${label})`, async () => {
      for (const text of ['', ' \n\u00a0', '42', '{"data": 3}', '{"data": {"rows": []}}', 'null']) {
        const path = await write('odd.json', text);
        const expected = await rejection(loadInventoryFiles([path]));
        const actual = await rejection(split([path], options));
        expect(actual.message).toBe(expected.message);
      }
    });
  }
});
