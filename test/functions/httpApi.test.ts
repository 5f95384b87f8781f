import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { route } from '../../functions/httpApi.js';
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
import { blobReportStore } from '../../shared/fanout/reportPublisher.js';
import { writeScanOutputs } from '../../shared/output/writeScanOutputs.js';
import type { HistoryStore } from '../../shared/storage/historyStore.js';
import { storeRun } from '../../shared/storage/storeRun.js';
import { memorySource } from '../../shared/scan/runSource.js';
import { sampleRun } from '../storage/scanResults.js';
import { freshStore } from '../storage/storageHarness.js';
import { apiRequest, principalHeader } from './apiRequests.js';

const READER = principalHeader(['Compliance.Reader']);
const ADMIN = principalHeader(['Compliance.Admin']);
const NOBODY = principalHeader([]);
const request = apiRequest;

async function problemOf(response: ApiResponse): Promise<{ status: number; detail: string }> {
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  return response.jsonBody as { status: number; detail: string };
}

describe('HTTP API', () => {
  let store: HistoryStore;
  let deps: ApiDependencies;
  const scans: unknown[] = [];
  const result = sampleRun('current', new Date('2026-11-20T06:00:00Z'));
  const runId = result.run.id;
  const cluster = result.findings[0]?.clusterId ?? '';

  beforeAll(async () => {
    store = await freshStore();
    const reports = blobReportStore(
      { kind: 'connectionString', connectionString: process.env.STORAGE_TEST_CONNECTION ?? '' },
      `reports-${randomBytes(4).toString('hex')}`,
    );
    await reports.publish(runId, async (folder) => {
      await writeScanOutputs(folder, result);
      await writeFile(join(folder, 'report.html'), '<!doctype html><title>r</title>');
    });
    await storeRun({ store, source: memorySource(result), scopeKey: 'sample' });
    deps = {
      store,
      reports,
      startScan: async (scope) => {
        scans.push(scope);
        return { runId: '20261120T070000Z-00000001', batches: 2, inline: false };
      },
      rescan: async () => ({ runId: '20261120T070000Z-00000002', status: 'complete', score: 0.5 }),
      deadLetters: async () => [{ eventId: 'e1', destination: 'hook', status: 'dead' }],
    };
  });
  afterAll(async () => undefined);

  const cases: Array<
    [
      string,
      (r: ApiRequest, d: ApiDependencies) => Promise<ApiResponse>,
      Parameters<typeof request>[0],
      'reader' | 'admin',
    ]
  > = [
    ['GET /api/runs', handleListRuns, {}, 'reader'],
    ['GET /api/runs/{runId}', handleGetRun, { params: { runId } }, 'reader'],
    [
      'GET /api/runs/{runId}/findings',
      handleRunResource,
      { params: { runId, resource: 'findings' } },
      'reader',
    ],
    [
      'GET /api/runs/{runId}/report.json',
      handleRunResource,
      { params: { runId, resource: 'report.json' } },
      'reader',
    ],
    [
      'GET /api/clusters/{id}/history',
      handleClusterHistory,
      { params: { clusterId: encodeURIComponent(cluster) } },
      'reader',
    ],
    ['GET /api/notifications/dead-letters', handleDeadLetters, {}, 'reader'],
    ['POST /api/scans', handleStartScan, { method: 'POST', body: '{}' }, 'admin'],
    [
      'POST /api/clusters/rescan',
      handleRescan,
      { method: 'POST', body: JSON.stringify({ clusterId: cluster }) },
      'admin',
    ],
  ];

  for (const [name, handler, options, role] of cases) {
    it(`${name}: 200/202 with the right role, 401 without or with a forged principal, 403 with the wrong role`, async () => {
      const ok = await handler(request({ ...options, principal: role === 'admin' ? ADMIN : READER }), deps);
      expect([200, 202]).toContain(ok.status);
      expect((await problemOf(await handler(request(options), deps))).status).toBe(401);
      expect((await handler(request({ ...options, principal: 'not-base64!!' }), deps)).status).toBe(401);
      expect(
        (
          await handler(
            request({ ...options, principal: Buffer.from('{"claims":"x"}').toString('base64') }),
            deps,
          )
        ).status,
      ).toBe(401);
      const wrongRole = role === 'admin' ? READER : NOBODY;
      expect(
        (await problemOf(await handler(request({ ...options, principal: wrongRole }), deps))).status,
      ).toBe(403);
    });
  }

  it('lists runs and returns a run with links', async () => {
    const list = await handleListRuns(request({ principal: READER }), deps);
    const body = list.jsonBody as { runs: Array<{ runId: string; links: Record<string, string> }> };
    expect(body.runs[0]?.runId).toBe(runId);
    expect(body.runs[0]?.links.xlsx).toBe(`/api/runs/${runId}/report.xlsx`);
    const one = await handleGetRun(request({ principal: READER, params: { runId } }), deps);
    expect((one.jsonBody as { counts: unknown }).counts).toEqual(result.run.counts);
  });

  it('filters and pages findings; rejects invalid filters with 400 and unknown runs with 404', async () => {
    const failing = await handleRunResource(
      request({
        principal: READER,
        params: { runId, resource: 'findings' },
        query: { status: 'FAIL', control: 'DS-08', top: '5' },
      }),
      deps,
    );
    const body = failing.jsonBody as {
      findings: Array<{ status: string; controlId: string }>;
      continuationToken: string | null;
    };
    expect(body.findings.length).toBe(5);
    expect(body.findings.every((f) => f.status === 'FAIL' && f.controlId === 'DS-08')).toBe(true);
    expect(body.continuationToken).not.toBeNull();
    const bad: Array<Record<string, string>> = [
      { status: "FAIL' or 1 eq 1" },
      { control: 'DS-99' },
      { subscription: "x' or 1 eq 1" },
      { cluster: '../../etc/passwd' },
      { top: '100000' },
    ];
    for (const query of bad) {
      const response = await handleRunResource(
        request({ principal: READER, params: { runId, resource: 'findings' }, query }),
        deps,
      );
      expect(response.status, JSON.stringify(query)).toBe(400);
    }
    expect(
      (await handleGetRun(request({ principal: READER, params: { runId: '../../x' } }), deps)).status,
    ).toBe(400);
    expect(
      (
        await handleGetRun(
          request({ principal: READER, params: { runId: '20990101T000000Z-00000000' } }),
          deps,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await handleRunResource(
          request({ principal: READER, params: { runId, resource: 'report.exe' } }),
          deps,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await handleRunResource(
          request({ principal: READER, params: { runId, resource: 'report.xlsx' } }),
          deps,
        )
      ).status,
    ).toBe(404);
  });

  it('streams stored reports with content types and download names', async () => {
    for (const [resource, type] of [
      ['report.json', 'application/json'],
      ['report.csv', 'text/csv'],
      ['report.html', 'text/html'],
    ] as const) {
      const response = await handleRunResource(
        request({ principal: READER, params: { runId, resource } }),
        deps,
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain(type);
      expect(response.headers['content-disposition']).toMatch(
        new RegExp(`attachment; filename="compliance-${runId}-`),
      );
      expect(Number(response.headers['content-length'])).toBeGreaterThan(10);
    }
  });

  it('cluster history: by URL-encoded or base64url ID; 400 for anything else, 404 when never scanned', async () => {
    const encoded = await handleClusterHistory(
      request({ principal: READER, params: { clusterId: encodeURIComponent(cluster) } }),
      deps,
    );
    expect((encoded.jsonBody as { history: unknown[] }).history).toHaveLength(1);
    const b64 = Buffer.from(cluster).toString('base64url');
    expect(
      (await handleClusterHistory(request({ principal: READER, params: { clusterId: b64 } }), deps)).status,
    ).toBe(200);
    expect(
      (
        await handleClusterHistory(
          request({ principal: READER, params: { clusterId: '..%2F..%2Fsecrets' } }),
          deps,
        )
      ).status,
    ).toBe(400);
    const unknown = encodeURIComponent(
      '/subscriptions/0000/resourceGroups/x/providers/Microsoft.Kubernetes/connectedClusters/nope',
    );
    expect(
      (await handleClusterHistory(request({ principal: READER, params: { clusterId: unknown } }), deps))
        .status,
    ).toBe(404);
  });

  it('starts scans for a validated scope and rescans a validated cluster', async () => {
    const started = await handleStartScan(
      request({
        method: 'POST',
        principal: ADMIN,
        body: JSON.stringify({ subscriptions: ['5a000000-0000-4000-8000-000000000001'] }),
      }),
      deps,
    );
    expect(started.status).toBe(202);
    expect(scans.at(-1)).toEqual({
      kind: 'subscriptions',
      subscriptionIds: ['5a000000-0000-4000-8000-000000000001'],
    });
    expect(
      (
        await handleStartScan(
          request({ method: 'POST', principal: ADMIN, body: '{"subscriptions":["not a guid"]}' }),
          deps,
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await handleStartScan(
          request({ method: 'POST', principal: ADMIN, body: '{"subscriptions":"x"}' }),
          deps,
        )
      ).status,
    ).toBe(400);
    expect(
      (await handleStartScan(request({ method: 'POST', principal: ADMIN, body: 'not json' }), deps)).status,
    ).toBe(400);
    expect(
      (
        await handleRescan(
          request({ method: 'POST', principal: ADMIN, body: '{"clusterId":"/subscriptions/x"}' }),
          deps,
        )
      ).status,
    ).toBe(400);
  });

  it('the registered handler maps results and failures (problem+json with the invocation ID)', async () => {
    const handler = route(handleListRuns, { API_AUTHENTICATION: 'LocalDevelopment' });
    const saved = process.env.AzureWebJobsStorage;
    process.env.AzureWebJobsStorage =
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Zm9v;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;';
    try {
      const context = new InvocationContext({
        functionName: 'listRuns',
        invocationId: 'inv-1',
        logHandler: () => undefined,
      });
      const response = await handler(
        new HttpRequest({
          method: 'GET',
          url: 'https://app.test/api/runs',
          headers: { 'x-ms-client-principal': READER },
        }),
        context,
      );
      expect(response.status).toBe(500);
      expect((response.jsonBody as { instance: string }).instance).toBe('inv-1');
    } finally {
      if (saved === undefined) Reflect.deleteProperty(process.env, 'AzureWebJobsStorage');
      else process.env.AzureWebJobsStorage = saved;
    }
  }, 60_000);
});
