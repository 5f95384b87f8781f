/**
 * Request bodies are read as JSON without duplicate keys: `{"subscriptions":[A],"subscriptions":[B]}`
 * would otherwise be read as its last key alone, so what a reviewer sees in the request text is not
 * what runs. A key given twice in one object, at any depth and however it is escaped, is refused;
 * every other JSON text reads exactly as JSON.parse reads it.
 */
import { HttpRequest } from '@azure/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { toApiRequest } from '../../functions/httpApi.js';
import { handleRescan, handleStartScan, type ApiDependencies } from '../../shared/api/complianceApi.js';
import { readRequestJson } from '../../shared/api/requestJson.js';
import type { LiveScope } from '../../shared/collection/liveScope.js';
import { principalHeader } from './apiRequests.js';

const ADMIN = principalHeader(['Compliance.Admin']);
const SUB_A = '5a000000-0000-4000-8000-00000000000a';
const SUB_B = '5a000000-0000-4000-8000-00000000000b';

/** JSON text of an object whose `key` is written twice (the second time escaped as `\uXXXX` or not). */
function withDuplicate(key: string, first: unknown, second: unknown, escape: boolean): string {
  const written = escape
    ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`
    : JSON.stringify(key);
  return `{${JSON.stringify(key)}:${JSON.stringify(first)},${written}:${JSON.stringify(second)}}`;
}

describe('readRequestJson', () => {
  it('reads every JSON text without duplicate keys exactly as JSON.parse does (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(readRequestJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a key given twice in one object, at any depth, escaped or not (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 0, maxLength: 12 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (key, first, second, escape, depth) => {
          let text = withDuplicate(key, first, second, escape);
          for (let i = 0; i < depth; i++) text = i % 2 === 0 ? `[1,${text}]` : `{"outer":${text}}`;
          expect(() => readRequestJson(text)).toThrow(/more than once/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the same key in different objects, or keys differing in case, are not duplicates', () => {
    expect(readRequestJson('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(readRequestJson('{"a":{"a":1},"b":{"a":2}}')).toEqual({ a: { a: 1 }, b: { a: 2 } });
    expect(readRequestJson('{"a":1,"A":2}')).toEqual({ a: 1, A: 2 });
    expect(readRequestJson('{"a":"\\"a\\":","b":"}{"}')).toEqual({ a: '"a":', b: '}{' });
  });

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const value = readRequestJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('bodies with duplicate keys, as they arrive from the host', () => {
  const scans: Array<LiveScope | undefined> = [];
  const rescans: string[] = [];
  const deps = {
    startScan: async (scope: LiveScope | undefined) => {
      scans.push(scope);
      return { runId: '20261120T070000Z-00000001', batches: 1, inline: true };
    },
    rescan: async (clusterId: string) => {
      rescans.push(clusterId);
      return { runId: '20261120T070000Z-00000002', status: 'complete', score: 1 };
    },
  } as unknown as ApiDependencies;
  const post = (url: string, text: string) =>
    toApiRequest(
      new HttpRequest({
        method: 'POST',
        url,
        headers: { 'x-ms-client-principal': ADMIN, 'content-type': 'application/json' },
        body: { string: text },
      }),
    );

  it('POST /api/scans with a scope key given twice is a 400 and starts nothing', async () => {
    const bodies = [
      withDuplicate('subscriptions', [SUB_A], [SUB_B], false),
      withDuplicate('subscriptions', [SUB_A], [SUB_B], true),
      withDuplicate('managementGroups', ['mg-a'], ['mg-b'], false),
      withDuplicate('subscriptions', [SUB_A], [SUB_A], false),
    ];
    for (const text of bodies) {
      const response = await handleStartScan(post('https://app.test/api/scans', text), deps);
      expect(response.status, text).toBe(400);
      expect(JSON.stringify(response.jsonBody), text).toContain('more than once');
    }
    expect(scans).toEqual([]);
  });

  it('POST /api/clusters/rescan with clusterId given twice is a 400', async () => {
    const id = (name: string) =>
      `/subscriptions/${SUB_A}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
    const response = await handleRescan(
      post('https://app.test/api/clusters/rescan', withDuplicate('clusterId', id('a'), id('b'), false)),
      deps,
    );
    expect(response.status).toBe(400);
    expect(rescans).toEqual([]);
  });
});
