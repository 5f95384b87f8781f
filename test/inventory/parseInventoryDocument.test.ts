import { describe, expect, it } from 'vitest';

import { InventoryFileError } from '../../shared/inventory/inventoryFileError.js';
import {
  decodeInventoryBytes,
  parseInventoryDocument,
} from '../../shared/inventory/parseInventoryDocument.js';
import {
  inventoryArcCluster,
  azGraphQueryOutput,
  extension,
  fixtureBody,
  FIXTURE,
  resourceGraphRow,
  type Row,
} from '../support/azureRows.js';

const FILE = 'fleet.json';

function catchError(action: () => unknown): InventoryFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryFileError);
    return error as InventoryFileError;
  }
  throw new Error('expected an InventoryFileError, nothing was thrown');
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
}

describe('parseInventoryDocument: accepted shapes', () => {
  it('reads a JSON array of resources, one row per element with its index', () => {
    const resources = [inventoryArcCluster({ name: 'a' }), inventoryArcCluster({ name: 'b' })];
    const rows = parseInventoryDocument(FILE, JSON.stringify(resources));
    expect(rows.map((row) => row.value)).toEqual(resources);
    expect(rows[0]?.where).toContain(FILE);
    expect(rows[0]?.where).toContain('[0]');
    expect(rows[1]?.where).toContain('[1]');
  });

  it('reads an empty array as no rows', () => {
    expect(parseInventoryDocument(FILE, '[]')).toEqual([]);
  });

  it('reads what `az graph query` prints: { count, data, skip_token, total_records }', () => {
    const data = [
      resourceGraphRow(inventoryArcCluster({ name: 'a' })),
      resourceGraphRow(inventoryArcCluster({ name: 'b' })),
    ];
    const rows = parseInventoryDocument(FILE, JSON.stringify(azGraphQueryOutput(data), null, 2));
    expect(rows.map((row) => row.value)).toEqual(data);
    expect(rows[1]?.where).toContain(FILE);
    expect(rows[1]?.where).toContain('data[1]');
  });

  it('reads a Resource Graph REST objectArray response (fixture with totalRecords, count, $skipToken)', () => {
    const body = fixtureBody(FIXTURE.graphFirstPage);
    const rows = parseInventoryDocument(FILE, JSON.stringify(body));
    expect(rows.map((row) => row.value)).toEqual(body.data);
    expect(rows).toHaveLength(3);
  });

  it('reads a Resource Graph table response { data: { columns, rows } } into objects keyed by column', () => {
    const cluster = resourceGraphRow(inventoryArcCluster({ name: 'tabled' }));
    const names = ['id', 'name', 'type', 'kind', 'properties'];
    const document = {
      totalRecords: 2,
      count: 2,
      data: {
        columns: names.map((name) => ({ name, type: name === 'properties' ? 'object' : 'string' })),
        rows: [
          names.map((name) => cluster[name]),
          [
            '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/disks/d',
            'd',
            'microsoft.compute/disks',
          ],
        ],
      },
    };
    const rows = parseInventoryDocument(FILE, JSON.stringify(document));
    expect(rows).toHaveLength(2);
    expect(rows[0]?.value).toEqual(Object.fromEntries(names.map((name) => [name, cluster[name]])));
    const second = rows[1]?.value as Row;
    expect(second.id).toBe('/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/disks/d');
    expect(second.type).toBe('microsoft.compute/disks');
    expect(rows[1]?.where).toContain(FILE);
    expect(rows[1]?.where).toMatch(/rows\[1\]/);
  });

  it('keeps a table row that is not an array as a row (to be reported), with its position', () => {
    const document = { data: { columns: [{ name: 'id' }], rows: [['/a'], 'oops'] } };
    const rows = parseInventoryDocument(FILE, JSON.stringify(document));
    expect(rows).toHaveLength(2);
    expect(rows[1]?.value).toBe('oops');
    expect(rows[1]?.where).toMatch(/rows\[1\]/);
  });

  it('reads an ARM list response { value, nextLink } (extensions list fixture)', () => {
    const body = fixtureBody(FIXTURE.extensionList);
    const rows = parseInventoryDocument(FILE, JSON.stringify(body));
    expect(rows.map((row) => row.value)).toEqual(body.value);
    expect(rows[2]?.where).toContain('value[2]');
  });

  it('reads an ARM list page whose nextLink is a URL', () => {
    const items = [
      extension(
        '/subscriptions/s/resourceGroups/r/providers/Microsoft.Kubernetes/connectedClusters/c',
        'e',
        'microsoft.flux',
      ),
    ];
    const rows = parseInventoryDocument(
      FILE,
      JSON.stringify({ value: items, nextLink: 'https://management.azure.com/next?page=2' }),
    );
    expect(rows.map((row) => row.value)).toEqual(items);
  });

  it('reads a single resource object (has id and type)', () => {
    const body = fixtureBody(FIXTURE.arcCluster);
    const rows = parseInventoryDocument(FILE, JSON.stringify(body, null, 2));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).toEqual(body);
    expect(rows[0]?.where).toContain(FILE);
  });
});

describe('parseInventoryDocument: documents that are not inventories', () => {
  it.each([
    ['a number', '42'],
    ['a string', '"fleet"'],
    ['null', 'null'],
    ['an object without data, value or id/type', '{"foo": 1}'],
    ['an object with an id but no type', '{"id": "/subscriptions/s"}'],
    ['an object whose data is a number', '{"data": 3}'],
  ])('rejects %s, naming the file', (_label, text) => {
    const error = catchError(() => parseInventoryDocument(FILE, text));
    expect(error.file).toBe(FILE);
    expect(error.message).toContain(FILE);
  });

  it.each([
    ['an empty file', ''],
    ['a file of whitespace', '  \r\n\t\n'],
  ])('rejects %s, naming the file', (_label, text) => {
    const error = catchError(() => parseInventoryDocument(FILE, text));
    expect(error.file).toBe(FILE);
    expect(error.message).toContain(FILE);
  });
});

describe('parseInventoryDocument: invalid JSON names the file and the line:column', () => {
  it('reports a missing comma between properties at its line and column', () => {
    const text = '{\n  "id": "/x"\n  "type": "t"\n}';
    const error = catchError(() => parseInventoryDocument(FILE, text));
    expect(error.file).toBe(FILE);
    expect({ line: error.line, column: error.column }).toEqual(positionOf(text, '"type"'));
    expect(error.message).toContain(`${FILE}:3:3`);
  });

  it('reports a missing comma between array elements at its line and column', () => {
    const text = '[\n  {"id": "/x"}\n  {"id": "/y"}\n]';
    const error = catchError(() => parseInventoryDocument(FILE, text));
    expect({ line: error.line, column: error.column }).toEqual({ line: 3, column: 3 });
    expect(error.message).toContain(`${FILE}:3:3`);
  });

  it('reports an unexpected token in the middle of the file at that token, not at the end', () => {
    const text = [
      '[',
      '  {"id": "/subscriptions/s/x", "type": "t"},',
      '  {"id": "/subscriptions/s/y", "type": ,"t"},',
      '  {"id": "/subscriptions/s/z", "type": "t"}',
      ']',
      '',
    ].join('\n');
    const error = catchError(() => parseInventoryDocument(FILE, text));
    const expected = positionOf(text, ': ,"t"');
    expected.column += 2; // the stray comma
    expect(error.file).toBe(FILE);
    expect({ line: error.line, column: error.column }).toEqual(expected);
    expect(error.message).toContain(`${FILE}:${expected.line}:${expected.column}`);
  });

  it('reports a truncated document at its end', () => {
    const text = '[\n  {"id": "/x", "type": "t"';
    const error = catchError(() => parseInventoryDocument(FILE, text));
    expect(error.line).toBe(2);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.message).toMatch(new RegExp(`^${FILE}:2:\\d+: `));
  });

  it('reports trailing garbage after the document', () => {
    const text = '[]\n\nextra';
    const error = catchError(() => parseInventoryDocument(FILE, text));
    expect({ line: error.line, column: error.column }).toEqual({ line: 3, column: 1 });
  });
});

describe('decodeInventoryBytes', () => {
  const text = '[{"id":"/subscriptions/s/x","type":"t","name":"clúster-東京"}]';

  it('decodes UTF-8 without a BOM, keeping non-ASCII characters', () => {
    expect(decodeInventoryBytes(new TextEncoder().encode(text))).toBe(text);
  });

  it('strips a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const decoded = decodeInventoryBytes(bytes);
    expect(decoded).toBe(text);
    expect(() => JSON.parse(decoded) as unknown).not.toThrow();
  });

  it('decodes UTF-16LE with a BOM (PowerShell redirection)', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeInventoryBytes(bytes)).toBe(text);
  });

  it('decodes UTF-16BE with a BOM', () => {
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1] ?? 0;
      be[i + 1] = le[i] ?? 0;
    }
    expect(decodeInventoryBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
  });

  it('decodes an empty buffer as an empty string', () => {
    expect(decodeInventoryBytes(new Uint8Array())).toBe('');
  });
});
