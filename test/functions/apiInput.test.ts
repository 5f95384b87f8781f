import { randomBytes } from 'node:crypto';

import { HttpRequest } from '@azure/functions';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { toApiRequest } from '../../functions/httpApi.js';
import {
  handleClusterHistory,
  handleDeadLetters,
  handleGetRun,
  handleListRuns,
  handleRescan,
  handleRunResource,
  handleStartScan,
  type ApiDependencies,
  type ApiRequest,
} from '../../shared/api/complianceApi.js';
import type { ApiResponse } from '../../shared/api/problem.js';
import type { LiveScope } from '../../shared/collection/liveScope.js';
import { blobReportStore } from '../../shared/fanout/reportPublisher.js';
import type { HistoryStore } from '../../shared/storage/historyStore.js';
import { RUN_STATUSES } from '../../shared/storage/runRecord.js';
import { storeRun } from '../../shared/storage/storeRun.js';
import { memorySource } from '../../shared/scan/runSource.js';
import { sampleRun } from '../storage/scanResults.js';
import { freshStore } from '../storage/storageHarness.js';
import { apiRequest, principalHeader } from './apiRequests.js';

/**
 * Every body, query parameter and continuation token the API takes is accepted only in its
 * documented form; anything else is a 400 problem+json — never a 500, never a wider scan, never
 * the first page again.
 */

const READER = principalHeader(['Compliance.Reader']);
const ADMIN = principalHeader(['Compliance.Admin']);
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MANAGEMENT_GROUP_RE = /^[A-Za-z0-9\-_().]{1,90}$/;

function expectProblem(response: ApiResponse, status: number, label: string): void {
  expect(response.status, label).toBe(status);
  expect(response.headers['content-type'], label).toMatch(/application\/problem\+json/);
  expect((response.jsonBody as { detail?: unknown }).detail, label).toEqual(expect.any(String));
}

/** The documented shapes of `POST /api/scans`, judged independently of the implementation. */
function documentedScope(body: unknown): LiveScope | undefined | 'refused' {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'refused';
  const entries = Object.entries(body);
  if (entries.length === 0) return undefined;
  if (entries.length !== 1) return 'refused';
  const [key, ids] = entries[0] as [string, unknown];
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 1000) return 'refused';
  if (!ids.every((id): id is string => typeof id === 'string')) return 'refused';
  if (key === 'subscriptions' && ids.every((id) => GUID_RE.test(id.trim())))
    return { kind: 'subscriptions', subscriptionIds: [...new Set(ids.map((id) => id.trim().toLowerCase()))] };
  if (key === 'managementGroups' && ids.every((id) => MANAGEMENT_GROUP_RE.test(id.trim())))
    return { kind: 'managementGroups', managementGroupIds: [...new Set(ids.map((id) => id.trim()))] };
  return 'refused';
}

describe('API input', () => {
  let store: HistoryStore;
  let deps: ApiDependencies;
  const scans: Array<LiveScope | undefined> = [];
  const rescans: string[] = [];
  const runs = [0, 1, 2].map((i) => sampleRun('current', new Date(Date.UTC(2026, 10, 20, 6 + i))));
  const runId = runs[2]?.run.id ?? '';
  const cluster = runs[2]?.findings[0]?.clusterId ?? '';

  beforeAll(async () => {
    store = await freshStore();
    for (const result of runs) await storeRun({ store, source: memorySource(result), scopeKey: 'sample' });
    deps = {
      store,
      reports: blobReportStore(
        { kind: 'connectionString', connectionString: process.env.STORAGE_TEST_CONNECTION ?? '' },
        `reports-${randomBytes(4).toString('hex')}`,
      ),
      startScan: async (scope) => {
        scans.push(scope);
        return { runId: '20261120T070000Z-00000001', batches: 1, inline: true };
      },
      rescan: async (clusterId) => {
        rescans.push(clusterId);
        return { runId: '20261120T070000Z-00000002', status: 'complete', score: 1 };
      },
      deadLetters: async () => [],
    };
  });

  const startScanWith = (body: string): Promise<ApiResponse> =>
    handleStartScan(apiRequest({ method: 'POST', principal: ADMIN, body }), deps);

  describe('POST /api/scans', () => {
    it('refuses every body that is not one of the documented shapes (the reported examples and neighbours)', async () => {
      const sub = '5a000000-0000-4000-8000-000000000001';
      const refused = [
        'null',
        '[]',
        '5',
        '"x"',
        'true',
        '""',
        '{"subscription":["5a000000-0000-4000-8000-000000000001"]}',
        '{"Subscriptions":["5a000000-0000-4000-8000-000000000001"]}',
        '{"managementGroup":["retail"]}',
        '{"subscriptions":[]}',
        '{"managementGroups":[]}',
        '{"subscriptions":null}',
        `{"subscriptions":["${sub}"],"managementGroups":["retail"]}`,
        `{"subscriptions":["${sub}"],"extra":1}`,
        '{"scope":"tenant"}',
        '{"__proto__":{"subscriptions":["x"]}}',
        `{"subscriptions":[["${sub}"]]}`,
        `{"subscriptions":"${sub}"}`,
        `[{"subscriptions":["${sub}"]}]`,
      ];
      for (const body of refused) expectProblem(await startScanWith(body), 400, body);
      expect(scans).toEqual([]);
    });

    it('an empty or non-JSON body is refused as it arrives from the host', async () => {
      for (const text of ['', '   ', 'not json', '{"subscriptions":', 'x'.repeat(300_000)]) {
        const request = toApiRequest(
          new HttpRequest({
            method: 'POST',
            url: 'https://app.test/api/scans',
            headers: { 'x-ms-client-principal': ADMIN },
            body: { string: text },
          }),
        );
        expectProblem(await handleStartScan(request, deps), 400, JSON.stringify(text.slice(0, 20)));
      }
      expect(scans).toEqual([]);
    });

    it('accepts exactly the documented shapes: {} for the configured scope, or one non-empty list', async () => {
      expect((await startScanWith('{}')).status).toBe(202);
      expect(scans.pop()).toBeUndefined();
      expect((await startScanWith('{"managementGroups":["retail"]}')).status).toBe(202);
      expect(scans.pop()).toEqual({ kind: 'managementGroups', managementGroupIds: ['retail'] });
    });

    it('over arbitrary JSON values, only the documented shapes are accepted (property)', async () => {
      const guid = fc.uuid();
      const key = fc.oneof(
        fc.constantFrom('subscriptions', 'managementGroups', 'subscription', 'managementgroups', 'scope', ''),
        fc.string({ maxLength: 12 }),
      );
      const list = fc.oneof(
        fc.array(guid, { maxLength: 4 }),
        fc.array(fc.constantFrom('retail', 'mg-01', 'bad group!', ''), { maxLength: 3 }),
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
        fc.jsonValue({ maxDepth: 2 }),
      );
      const body = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.dictionary(key, list, { maxKeys: 3 }),
        fc.tuple(fc.constantFrom('subscriptions', 'managementGroups'), list).map(([k, v]) => ({ [k]: v })),
      );
      const outcomes = { accepted: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const text = JSON.stringify(value);
          const expected = documentedScope(JSON.parse(text));
          outcomes[expected === 'refused' ? 'refused' : 'accepted']++;
          scans.length = 0;
          const response = await startScanWith(text);
          if (expected === 'refused') {
            expectProblem(response, 400, text);
            expect(scans).toEqual([]);
          } else {
            expect(response.status, text).toBe(202);
            expect(scans, text).toEqual([expected]);
          }
        }),
        { numRuns: 400 },
      );
      // Both sides of the property were exercised.
      expect(outcomes.accepted).toBeGreaterThan(20);
      expect(outcomes.refused).toBeGreaterThan(100);
    });
  });

  describe('POST /api/clusters/rescan', () => {
    it('accepts only {"clusterId": "<cluster resource ID>"} (property over other JSON values)', async () => {
      expect(
        (
          await handleRescan(
            apiRequest({ method: 'POST', principal: ADMIN, body: JSON.stringify({ clusterId: cluster }) }),
            deps,
          )
        ).status,
      ).toBe(200);
      expect(rescans).toEqual([cluster]);
      const body = fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.jsonValue().map((clusterId) => ({ clusterId })),
        fc.string().map((extra) => ({ clusterId: cluster, [extra || 'x']: 1 })),
        fc.constant({ clusterID: cluster }),
      );
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const text = JSON.stringify(value);
          rescans.length = 0;
          const response = await handleRescan(
            apiRequest({ method: 'POST', principal: ADMIN, body: text }),
            deps,
          );
          expectProblem(response, 400, text);
          expect(rescans).toEqual([]);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('continuation tokens', () => {
    async function listRuns(query: Record<string, string>): Promise<ApiResponse> {
      return handleListRuns(apiRequest({ principal: READER, query }), deps);
    }
    async function findings(query: Record<string, string>): Promise<ApiResponse> {
      return handleRunResource(
        apiRequest({ principal: READER, params: { runId, resource: 'findings' }, query }),
        deps,
      );
    }
    type Page = { continuationToken: string | null; runs?: Array<{ runId: string }>; findings?: unknown[] };

    it('pages through runs and findings with the tokens the API issues', async () => {
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const response = await listRuns({ top: '1', ...(token ? { continuationToken: token } : {}) });
        expect(response.status).toBe(200);
        const page = response.jsonBody as Page;
        seen.push(...(page.runs ?? []).map((run) => run.runId));
        token = page.continuationToken;
      } while (token);
      expect(seen).toEqual(runs.map((result) => result.run.id).reverse());

      let total = 0;
      token = null;
      do {
        const response = await findings({
          status: 'FAIL',
          top: '7',
          ...(token ? { continuationToken: token } : {}),
        });
        expect(response.status).toBe(200);
        const page = response.jsonBody as Page;
        total += page.findings?.length ?? 0;
        token = page.continuationToken;
      } while (token);
      expect(total).toBe(runs[2]?.findings.filter((finding) => finding.status === 'FAIL').length);
    });

    it('filters runs by every run status the store knows and refuses any other status', async () => {
      for (const status of RUN_STATUSES) {
        const response = await listRuns({ status });
        expect(response.status, status).toBe(200);
        const expected = status === 'complete' ? runs.length : 0;
        expect((response.jsonBody as Page).runs?.length, status).toBe(expected);
      }
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 12 }).filter((text) => !(RUN_STATUSES as readonly string[]).includes(text)),
          async (status) => expectProblem(await listRuns({ status }), 400, status),
        ),
        { numRuns: 40 },
      );
    });

    it('refuses the reported examples: base64 of garbage, a token failing the format, an empty token', async () => {
      const examples = [
        Buffer.from('garbage').toString('base64'),
        Buffer.from('{"nextPartitionKey":').toString('base64'),
        // A raw storage token: well-formed, but not one this API issued.
        Buffer.from(JSON.stringify({ nextPartitionKey: 'run', nextRowKey: '0' })).toString('base64'),
        '!!!',
        'a b',
        '',
        'x'.repeat(5000),
      ];
      for (const continuationToken of examples) {
        expectProblem(await listRuns({ continuationToken }), 400, continuationToken.slice(0, 40));
        expectProblem(await findings({ continuationToken }), 400, continuationToken.slice(0, 40));
      }
    });

    it('a token is good only for the query that issued it', async () => {
      const runsToken = ((await listRuns({ top: '1' })).jsonBody as Page).continuationToken ?? '';
      const failToken =
        ((await findings({ status: 'FAIL', top: '3' })).jsonBody as Page).continuationToken ?? '';
      expect(runsToken).not.toBe('');
      expect(failToken).not.toBe('');
      expectProblem(await findings({ continuationToken: runsToken }), 400, 'runs token on findings');
      expectProblem(await findings({ status: 'PASS', continuationToken: failToken }), 400, 'other filter');
      expectProblem(
        await listRuns({ status: 'complete', continuationToken: runsToken }),
        400,
        'other status',
      );
      expect((await findings({ status: 'FAIL', top: '50', continuationToken: failToken })).status).toBe(200);
      // Every filter the route reads is part of the query a token belongs to, effectiveStatus too.
      const effectiveToken =
        ((await findings({ effectiveStatus: 'FAIL', top: '3' })).jsonBody as Page).continuationToken ?? '';
      expect(effectiveToken).not.toBe('');
      const others: Record<string, string>[] = [
        {},
        { effectiveStatus: 'PASS' },
        { effectiveStatus: 'EXCEPTED' },
      ];
      for (const other of others) {
        expectProblem(
          await findings({ ...other, continuationToken: effectiveToken }),
          400,
          `effectiveStatus token with ${JSON.stringify(other)}`,
        );
      }
      expectProblem(
        await findings({ effectiveStatus: 'PASS', continuationToken: failToken }),
        400,
        'status token with effectiveStatus',
      );
    });

    it('arbitrary and altered tokens are never a 500 and never silently the first page (property)', async () => {
      const issued = ((await findings({ top: '2' })).jsonBody as Page).continuationToken ?? '';
      const issuedRuns = ((await listRuns({ top: '1' })).jsonBody as Page).continuationToken ?? '';
      const altered = fc
        .tuple(fc.constantFrom(issued, issuedRuns), fc.nat(), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([token, at, text]) => {
          const i = at % token.length;
          return [token.slice(0, i) + text + token.slice(i + 1), token.slice(0, i), token + text][
            at % 3
          ] as string;
        })
        .filter((token) => token !== issued && token !== issuedRuns);
      const token = fc.oneof(
        fc.string(),
        fc.base64String(),
        fc.string().map((text) => Buffer.from(text).toString('base64')),
        fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
        fc
          .record({ nextPartitionKey: fc.string(), nextRowKey: fc.string() })
          .map((value) => `v1.${Buffer.from(JSON.stringify(value)).toString('base64url')}.${'0'.repeat(32)}`),
        altered,
      );
      await fc.assert(
        fc.asyncProperty(token, fc.boolean(), async (continuationToken, onRuns) => {
          const response = onRuns
            ? await listRuns({ top: '1', continuationToken })
            : await findings({ top: '2', continuationToken });
          expectProblem(response, 400, continuationToken.slice(0, 60));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('query parameters and route parameters', () => {
    const routes: Array<[string, (request: ApiRequest) => Promise<ApiResponse>, Record<string, string>]> = [
      ['GET /api/runs', (r) => handleListRuns(r, deps), {}],
      ['GET /api/runs/{runId}', (r) => handleGetRun(r, deps), { runId }],
      ['GET /api/runs/{runId}/findings', (r) => handleRunResource(r, deps), { runId, resource: 'findings' }],
      [
        'GET /api/runs/{runId}/report.json',
        (r) => handleRunResource(r, deps),
        { runId, resource: 'report.json' },
      ],
      [
        'GET /api/clusters/{id}/history',
        (r) => handleClusterHistory(r, deps),
        { clusterId: encodeURIComponent(cluster) },
      ],
      ['GET /api/notifications/dead-letters', (r) => handleDeadLetters(r, deps), {}],
    ];
    const known = new Set([
      'status',
      'top',
      'continuationToken',
      'control',
      'subscription',
      'cluster',
      'code',
    ]);

    it('a misspelt or unknown parameter is a 400, not a filter silently dropped (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes),
          fc.oneof(
            fc.constantFrom('stauts', 'Status', 'top ', 'continuation', 'controls', 'subscriptionId'),
            fc.string(),
          ),
          fc.string({ maxLength: 10 }),
          async ([name, handler, params], key, value) => {
            fc.pre(!known.has(key));
            const response = await handler(
              apiRequest({ principal: READER, params, query: { [key]: value } }),
            );
            expectProblem(response, 400, `${name} ?${key}=`);
          },
        ),
        { numRuns: 150 },
      );
    });

    it('a parameter given twice is a 400; the function key (code) is allowed everywhere', async () => {
      const twice = new URLSearchParams([
        ['status', 'FAIL'],
        ['status', 'PASS'],
      ]);
      expectProblem(
        await handleRunResource(
          apiRequest({ principal: READER, params: { runId, resource: 'findings' }, query: twice }),
          deps,
        ),
        400,
        'twice',
      );
      for (const [name, handler, params] of routes) {
        const response = await handler(
          apiRequest({ principal: READER, params, query: { code: 'function-key' } }),
        );
        expect([200, 404], name).toContain(response.status);
      }
    });

    it('top is a plain whole number from 1 to 1000; anything else is a 400 (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string(),
            fc.integer().map(String),
            fc.constantFrom('1e2', '0x10', ' 5', '5 ', '+5', '05', '5.0', '1001', '0', '-1', ''),
          ),
          async (top) => {
            const valid = /^[1-9][0-9]*$/.test(top) && Number(top) <= 1000;
            const response = await handleDeadLetters(apiRequest({ principal: READER, query: { top } }), deps);
            if (valid) expect(response.status, top).toBe(200);
            else expectProblem(response, 400, top);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('filters outside their vocabulary are a 400', async () => {
      const queries: Array<Record<string, string>> = [
        { subscription: '---' },
        { subscription: 'not-a-guid' },
        { status: 'fail' },
        { control: 'ds-01' },
        { cluster: 'x' },
      ];
      for (const query of queries) {
        expectProblem(
          await handleRunResource(
            apiRequest({ principal: READER, params: { runId, resource: 'findings' }, query }),
            deps,
          ),
          400,
          JSON.stringify(query),
        );
      }
      for (const runIdParam of ['', 'x', '../x', `${runId} `, runId.toUpperCase().replace('T', 't')]) {
        expectProblem(
          await handleGetRun(apiRequest({ principal: READER, params: { runId: runIdParam } }), deps),
          400,
          runIdParam,
        );
      }
    });
  });
});
