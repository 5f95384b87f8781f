import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { InventoryFileError } from '../../shared/inventory/inventoryFileError.js';
import { loadInventoryFiles } from '../../shared/inventory/loadInventoryFiles.js';
import {
  inventoryArcCluster,
  azGraphQueryOutput,
  inventoryConnectedClusterId,
  extension,
  fixtureBody,
  fixturePath,
  FIXTURE,
  resourceGraphRow,
  type Row,
} from '../support/azureRows.js';
import { makeTempDir, removeTempDir } from '../support/tempDir.js';

let dir: string | undefined;

beforeEach(async () => {
  dir = await makeTempDir();
});

afterEach(async () => {
  await removeTempDir(dir);
  dir = undefined;
});

function tempPath(name: string): string {
  if (dir === undefined) throw new Error('no temp dir');
  return join(dir, name);
}

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = tempPath(name);
  await writeFile(path, JSON.stringify(value, null, 2), 'utf8');
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<InventoryFileError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryFileError);
    return error as InventoryFileError;
  }
  throw new Error('expected loadInventoryFiles to reject');
}

describe('loadInventoryFiles', () => {
  it('reads the response bodies of the fixtures (ARM list, single resource, Resource Graph page)', async () => {
    const list = await writeJson('list.json', fixtureBody(FIXTURE.extensionList));
    const single = await writeJson('single.json', fixtureBody(FIXTURE.arcCluster));
    const page = await writeJson('page.json', fixtureBody(FIXTURE.graphFirstPage));
    const inventory = await loadInventoryFiles([list, single, page]);
    expect(inventory.resources.map((r) => r.name).sort()).toEqual([
      'App1Monitor',
      'ClusterMonitor',
      'azureVote',
      'connectedCluster1',
    ]);
    expect(Object.values(inventory.ignoredByType).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('rejects a whole example document (not an inventory), naming the file', async () => {
    const path = fixturePath(FIXTURE.arcCluster);
    const error = await rejection(loadInventoryFiles([path]));
    expect(error.file).toBe(path);
    expect(error.message).toContain(path);
  });

  it('merges resources from several files in any shape', async () => {
    const cluster = inventoryConnectedClusterId('edge-01');
    const a = await writeJson(
      'clusters.json',
      azGraphQueryOutput([resourceGraphRow(inventoryArcCluster({ name: 'edge-01' }))]),
    );
    const b = await writeJson('extensions.json', {
      value: [extension(cluster, 'flux', 'microsoft.flux')],
      nextLink: null,
    });
    const c = await writeJson('one.json', inventoryArcCluster({ name: 'edge-02' }));
    const d = await writeJson('array.json', [inventoryArcCluster({ name: 'edge-03' })]);
    const inventory = await loadInventoryFiles([a, b, c, d]);
    expect(inventory.resources.map((r) => r.name).sort()).toEqual(['edge-01', 'edge-02', 'edge-03', 'flux']);
    expect(inventory.warnings).toEqual([]);
  });

  it('merges the same ID in different case across files: later file wins, counted once', async () => {
    const early = inventoryArcCluster({ name: 'Edge-01', set: { distribution: 'k3s' } });
    const late = { ...inventoryArcCluster({ name: 'Edge-01', set: { distribution: 'rancher' } }) };
    late.id = String(late.id).toUpperCase();
    const first = await writeJson('first.json', [early]);
    const second = await writeJson('second.json', [late]);
    const inventory = await loadInventoryFiles([first, second]);
    expect(inventory.resources).toHaveLength(1);
    expect(inventory.resources[0]?.origin).toContain(second);
    expect((inventory.resources[0]?.properties as Row).distribution).toBe('rancher');
    expect(inventory.duplicateCount).toBe(1);

    const reversed = await loadInventoryFiles([second, first]);
    expect((reversed.resources[0]?.properties as Row).distribution).toBe('k3s');
  });

  it('reports rows that are not resources with the file and position, and keeps the rest', async () => {
    const path = await writeJson('mixed.json', {
      count: 3,
      data: [inventoryArcCluster({ name: 'ok' }), 'junk', { name: 'no-id' }],
      skip_token: null,
      total_records: 3,
    });
    const inventory = await loadInventoryFiles([path]);
    expect(inventory.resources).toHaveLength(1);
    expect(inventory.warnings).toHaveLength(2);
    expect(inventory.warnings[0]?.where).toContain(path);
    expect(inventory.warnings[0]?.where).toContain('[1]');
    expect(inventory.warnings[1]?.where).toContain('[2]');
  });

  it('reads a UTF-8 file with a BOM', async () => {
    const path = tempPath('bom8.json');
    const text = JSON.stringify([inventoryArcCluster({ name: 'clúster-東京' })]);
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const inventory = await loadInventoryFiles([path]);
    expect(inventory.resources.map((r) => r.name)).toEqual(['clúster-東京']);
  });

  it('reads a UTF-16LE file with a BOM (PowerShell `>` redirection)', async () => {
    const path = tempPath('bom16.json');
    const text = JSON.stringify([inventoryArcCluster({ name: 'clúster-東京' })], null, 2).replace(
      /\n/g,
      '\r\n',
    );
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const inventory = await loadInventoryFiles([path]);
    expect(inventory.resources.map((r) => r.name)).toEqual(['clúster-東京']);
  });

  it('parses properties given as a JSON string in a file', async () => {
    const properties = { connectivityStatus: 'Connected', agentVersion: '1.21.10' };
    const path = await writeJson('stringly.json', [
      inventoryArcCluster({ name: 's', properties: JSON.stringify(properties) }),
    ]);
    const inventory = await loadInventoryFiles([path]);
    expect(inventory.resources[0]?.properties).toEqual(properties);
  });

  it('rejects invalid JSON with an InventoryFileError naming the file and line:column', async () => {
    const path = tempPath('broken.json');
    await writeFile(path, '[\n  {"id": "/x", "type": "t"}\n  {"id": "/y", "type": "t"}\n]\n', 'utf8');
    const error = await rejection(loadInventoryFiles([path]));
    expect(error.file).toBe(path);
    expect(error.line).toBe(3);
    expect(error.column).toBe(3);
    expect(error.message).toContain(`${path}:3:3`);
  });

  it('rejects the whole load when any one file is invalid, even after good files', async () => {
    const good = await writeJson('good.json', [inventoryArcCluster({ name: 'fine' })]);
    const bad = tempPath('bad.json');
    await writeFile(bad, '{"data": [', 'utf8');
    const error = await rejection(loadInventoryFiles([good, bad]));
    expect(error.file).toBe(bad);
  });

  it('rejects an empty file, naming it', async () => {
    const path = tempPath('empty.json');
    await writeFile(path, '');
    const error = await rejection(loadInventoryFiles([path]));
    expect(error.file).toBe(path);
    expect(error.message).toContain(path);
  });

  it('rejects a missing file, naming it', async () => {
    const path = tempPath('does-not-exist.json');
    const error = await rejection(loadInventoryFiles([path]));
    expect(error.file).toBe(path);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/ENOENT|not found|cannot be read/i);
  });

  it('rejects a path that cannot be read as a file (a directory), naming it', async () => {
    const path = tempPath('a-directory.json');
    await mkdir(path);
    const error = await rejection(loadInventoryFiles([path]));
    expect(error.file).toBe(path);
    expect(error.message).toContain(path);
  });

  it('returns an empty inventory for no files', async () => {
    const inventory = await loadInventoryFiles([]);
    expect(inventory.resources).toEqual([]);
    expect(inventory.warnings).toEqual([]);
  });
});
