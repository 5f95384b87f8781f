import { randomBytes } from 'node:crypto';

import { beforeEach, describe, expect, it } from 'vitest';

import type { ApiDependencies, ApiRequest } from '../../shared/api/complianceApi.js';
import { handleRunResource } from '../../shared/api/complianceApi.js';
import {
  handleCreateRecord,
  handleGetRecord,
  handleListRecords,
  handleRecordAction,
} from '../../shared/api/governanceApi.js';
import type { ApiResponse } from '../../shared/api/problem.js';
import { applyGovernance } from '../../shared/governance/applyGovernance.js';
import type { GovernanceRepository } from '../../shared/governance/governanceRepository.js';
import { importRecords, recordsForScan } from '../../shared/governance/governanceService.js';
import { parseGovernanceSettings } from '../../shared/governance/governanceSettings.js';
import type { GovernanceRecord } from '../../shared/governance/records.js';
import { GovernanceValidationError } from '../../shared/governance/validateRecords.js';
import {
  ensureGovernanceTables,
  governanceTables,
  tableGovernanceRepository,
  type GovernanceTables,
} from '../../shared/storage/governanceTables.js';
import { parseStorageSettings } from '../../shared/storage/storageSettings.js';
import { storeRun } from '../../shared/storage/storeRun.js';
import { memorySource } from '../../shared/scan/runSource.js';
import { freshStore } from '../storage/storageHarness.js';
import { governedSampleRun, sampleRecords } from './governedSample.js';

const NOW = new Date('2026-11-20T06:00:00Z');
const SUB = 'b77901c8-0e14-551d-b793-41f4cb2fd39c';

function principal(name: string, roles: string[]): string {
  return Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      name_typ: 'name',
      claims: [{ typ: 'name', val: name }, ...roles.map((val) => ({ typ: 'roles', val }))],
    }),
  ).toString('base64');
}

/** A principal with an object ID claim of the given type (the platform's URI form or `oid`). */
function principalWithId(name: string, roles: string[], objectId: string, typ: string): string {
  return Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      name_typ: 'name',
      claims: [
        { typ: 'name', val: name },
        { typ, val: objectId },
        ...roles.map((val) => ({ typ: 'roles', val })),
      ],
    }),
  ).toString('base64');
}
const OID_URI = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const CAROL_ID = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const ALICE = principal('alice@contoso.test', ['Compliance.Admin', 'Compliance.Approver']);
const ALICE_OTHER_CASE = principal('Alice@Contoso.test', ['Compliance.Approver']);
const BOB = principal('bob@contoso.test', ['Compliance.Approver']);
const READER = principal('rita@contoso.test', ['Compliance.Reader']);

function request(options: {
  params: Record<string, string>;
  principal?: string;
  body?: unknown;
  query?: Record<string, string>;
}): ApiRequest {
  return {
    method: options.body === undefined ? 'GET' : 'POST',
    url: 'https://app.test/api',
    params: options.params,
    query: new URLSearchParams(options.query ?? {}),
    header: (name) => (name.toLowerCase() === 'x-ms-client-principal' ? (options.principal ?? null) : null),
    jsonBody: async () => {
      if (typeof options.body === 'string') return JSON.parse(options.body) as unknown;
      return options.body;
    },
  };
}

const exceptionBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'EXC-API-1',
  control: 'DS-08',
  scope: { subscriptions: [SUB], kinds: ['arc'] },
  owner: 'Store platform team',
  justification: 'GitOps rollout to stores in Q1',
  ticket: 'STORE-500',
  expires: '2027-02-01T00:00:00Z',
  ...overrides,
});

function detail(response: ApiResponse): string {
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  return (response.jsonBody as { detail: string }).detail;
}

describe('governance API: exceptions and attestations with four-eyes approval', () => {
  let tables: GovernanceTables;
  let repository: GovernanceRepository;
  let deps: ApiDependencies;

  beforeEach(async () => {
    const settings = parseStorageSettings({
      STORAGE_CONNECTION: process.env.STORAGE_TEST_CONNECTION ?? '',
      STORAGE_TABLE_PREFIX: `g${randomBytes(5).toString('hex')}`,
    });
    if (!settings) throw new Error('no storage settings');
    tables = governanceTables(settings);
    await ensureGovernanceTables(tables);
    repository = tableGovernanceRepository(tables);
    deps = {
      store: undefined as never,
      reports: undefined as never,
      startScan: () => Promise.reject(new Error('not used')),
      rescan: () => Promise.reject(new Error('not used')),
      deadLetters: async () => [],
      governance: { repository, settings: parseGovernanceSettings({}), clock: () => NOW },
    };
  });

  const create = (principalHeader: string | undefined, body: unknown, collection = 'exceptions') =>
    handleCreateRecord(request({ params: { collection }, principal: principalHeader, body }), deps);
  const act = (principalHeader: string, id: string, action: string, collection = 'exceptions') =>
    handleRecordAction(
      request({ params: { collection, id, action }, principal: principalHeader, body: {} }),
      deps,
    );

  it('four eyes by object ID: the same person under another display name cannot approve; a namesake with another ID can', async () => {
    const carol = principalWithId('carol@contoso.test', ['Compliance.Admin'], CAROL_ID, OID_URI);
    expect((await create(carol, exceptionBody({ id: 'EXC-OID-1' }))).status).toBe(201);
    const stored = await repository.get('EXC-OID-1');
    expect(stored?.record).toMatchObject({ createdBy: 'carol@contoso.test', createdById: CAROL_ID });
    // Renamed (another display name), ID in either claim form and another case: still the creator.
    for (const [name, id, typ] of [
      ['Carol Married-Name', CAROL_ID, OID_URI],
      ['carol.new@contoso.test', CAROL_ID.toUpperCase(), 'oid'],
    ] as const) {
      const own = await act(principalWithId(name, ['Compliance.Approver'], id, typ), 'EXC-OID-1', 'approve');
      expect(own.status).toBe(403);
      expect(detail(own)).toMatch(/four eyes/);
    }
    // A claim type other than the two (or a value that is no GUID) is no object ID: the name decides.
    const lookalike = principalWithId(
      'carol@contoso.test',
      ['Compliance.Approver'],
      '0b0b0b0b-0000-4000-8000-000000000000',
      'http://schemas.microsoft.com/identity/claims/ObjectIdentifier',
    );
    expect((await act(lookalike, 'EXC-OID-1', 'approve')).status).toBe(403);
    expect((await repository.get('EXC-OID-1'))?.approval).toBe('pending');
    // Another person who happens to share the display name, with their own object ID.
    const namesake = principalWithId(
      'carol@contoso.test',
      ['Compliance.Approver'],
      '0b0b0b0b-0000-4000-8000-000000000000',
      'oid',
    );
    const approved = await act(namesake, 'EXC-OID-1', 'approve');
    expect(approved.status).toBe(200);
    expect((await repository.get('EXC-OID-1'))?.record).toMatchObject({
      approvedById: '0b0b0b0b-0000-4000-8000-000000000000',
    });
  });

  it('four eyes without object IDs on the creator falls back to the name', async () => {
    expect((await create(ALICE, exceptionBody({ id: 'EXC-OID-2' }))).status).toBe(201);
    const sameName = principalWithId('ALICE@contoso.test', ['Compliance.Approver'], CAROL_ID, 'oid');
    expect((await act(sameName, 'EXC-OID-2', 'approve')).status).toBe(403);
  });

  it('creates a pending record, refuses its creator as approver, and accepts another approver', async () => {
    const created = await create(ALICE, exceptionBody());
    expect(created.status).toBe(201);
    expect(created.jsonBody).toMatchObject({
      id: 'EXC-API-1',
      state: 'pending',
      createdBy: 'alice@contoso.test',
    });

    const own = await act(ALICE, 'EXC-API-1', 'approve');
    expect(own.status).toBe(403);
    expect(detail(own)).toMatch(/four eyes/);
    const ownOtherCase = await act(ALICE_OTHER_CASE, 'EXC-API-1', 'approve');
    expect(ownOtherCase.status).toBe(403);
    expect((await repository.get('EXC-API-1'))?.approval).toBe('pending');

    const approved = await act(BOB, 'EXC-API-1', 'approve');
    expect(approved.status).toBe(200);
    expect(approved.jsonBody).toMatchObject({
      state: 'approved',
      approvedBy: 'bob@contoso.test',
      approvedAt: NOW.toISOString(),
    });
    expect((await act(BOB, 'EXC-API-1', 'approve')).status).toBe(409);

    const revoked = await act(ALICE, 'EXC-API-1', 'revoke');
    expect(revoked.status).toBe(200);
    const again = await act(BOB, 'EXC-API-1', 'approve');
    expect(again.status).toBe(409);
    expect(detail(again)).toMatch(/revoked/);

    const read = await handleGetRecord(
      request({ params: { collection: 'exceptions', id: 'exc-api-1' }, principal: READER }),
      deps,
    );
    expect(read.status).toBe(200);
    const audit = (
      read.jsonBody as {
        audit: Array<{ action: string; actor: string; before: unknown; after: { approval: string } }>;
      }
    ).audit;
    expect(audit.map((entry) => [entry.action, entry.actor, entry.after.approval])).toEqual([
      ['create', 'alice@contoso.test', 'pending'],
      ['approve', 'bob@contoso.test', 'approved'],
      ['revoke', 'alice@contoso.test', 'revoked'],
    ]);
    expect(audit[0]?.before).toBeNull();
  });

  it('needs the roles: creating needs Compliance.Admin, approving Compliance.Approver', async () => {
    expect((await create(undefined, exceptionBody())).status).toBe(401);
    expect((await create(READER, exceptionBody())).status).toBe(403);
    expect((await create(BOB, exceptionBody())).status).toBe(403);
    expect((await create(ALICE, exceptionBody())).status).toBe(201);
    const readerApproves = await act(READER, 'EXC-API-1', 'approve');
    expect(readerApproves.status).toBe(403);
    const list = await handleListRecords(
      request({ params: { collection: 'exceptions' }, principal: READER, query: { state: 'pending' } }),
      deps,
    );
    expect((list.jsonBody as { exceptions: unknown[] }).exceptions).toHaveLength(1);
    expect(
      (
        await handleListRecords(
          request({ params: { collection: 'exceptions' }, principal: READER, query: { state: 'x' } }),
          deps,
        )
      ).status,
    ).toBe(400);
  });

  it('refuses bad records with 400 naming the fields, and writes nothing', async () => {
    const cases: Array<[Record<string, unknown> | string, RegExp, string?]> = [
      [exceptionBody({ owner: undefined }), /owner is required/],
      [exceptionBody({ justification: '' }), /justification must not be empty/],
      [exceptionBody({ colour: 'red' }), /colour is not a known field/],
      [exceptionBody({ control: 'DS-42' }), /control must be one of/],
      [exceptionBody({ expires: '2026-01-01' }), /expires is in the past/],
      [exceptionBody({ expires: '2028-06-01' }), /more than 365 days away/],
      [exceptionBody({ scope: {} }), /scope must name at least one/],
      [exceptionBody({ id: '../etc' }), /id must be 1-64/],
      [exceptionBody({ scope: { clusters: ['not-an-id'] } }), /scope.clusters\[0\] must be/],
      ['{"id": ', /the body must be a JSON object/],
      [
        {
          id: 'ATT-1',
          control: 'DS-02',
          scope: { kinds: ['aks'] },
          result: 'PASS',
          attestedBy: 'x',
          statement: 'y',
          evidence: [{ title: 't', url: 'https://e.example/x' }],
          attestedAt: '2026-11-01T00:00:00Z',
          expires: '2027-01-01T00:00:00Z',
        },
        /no MANUAL outcome/,
        'attestations',
      ],
      [
        {
          id: 'ATT-2',
          control: 'DS-04',
          scope: { kinds: ['arc'] },
          result: 'PASS',
          attestedBy: 'x',
          statement: 'y',
          attestedAt: '2026-11-01T00:00:00Z',
          expires: '2027-01-01T00:00:00Z',
        },
        /evidence is required/,
        'attestations',
      ],
    ];
    for (const [body, message, collection] of cases) {
      const response = await handleCreateRecord(
        request({
          params: { collection: collection ?? 'exceptions' },
          principal: ALICE,
          body: typeof body === 'string' ? body : body,
        }),
        deps,
      );
      expect(response.status, String(message)).toBe(400);
      expect(detail(response)).toMatch(message);
    }
    expect(await repository.list()).toEqual([]);
    let auditRows = 0;
    for await (const row of tables.audit.listEntities()) if (row) auditRows++;
    expect(auditRows).toBe(0);
  });

  it('refuses a duplicate ID (409), an unknown record (404) and an unknown action (404)', async () => {
    expect((await create(ALICE, exceptionBody())).status).toBe(201);
    const duplicate = await create(ALICE, exceptionBody({ id: 'exc-api-1', control: 'DS-02' }));
    expect(duplicate.status).toBe(409);
    expect((await act(BOB, 'EXC-NONE', 'approve')).status).toBe(404);
    expect((await act(BOB, 'EXC-API-1', 'approve', 'attestations')).status).toBe(404);
    expect((await act(BOB, 'EXC-API-1', 'delete')).status).toBe(404);
  });

  it('refuses to approve a record that would tie with an approved one at the same scope', async () => {
    expect((await create(ALICE, exceptionBody())).status).toBe(201);
    expect((await act(BOB, 'EXC-API-1', 'approve')).status).toBe(200);
    expect(
      (await create(ALICE, exceptionBody({ id: 'EXC-API-2', scope: { subscriptions: [SUB.toUpperCase()] } })))
        .status,
    ).toBe(201);
    const tie = await act(BOB, 'EXC-API-2', 'approve');
    expect(tie.status).toBe(409);
    expect(detail(tie)).toMatch(/EXC-API-1 and exception EXC-API-2/);
  });

  it('stored records reach scans by their state: pending and revoked never apply', async () => {
    expect((await create(ALICE, exceptionBody())).status).toBe(201);
    const pending = await recordsForScan(repository);
    const findings = governedSampleRun('current', NOW, []).findings;
    expect(applyGovernance(findings, pending, { asOf: NOW, complete: true }).governance[0]?.state).toBe(
      'pending',
    );
    await act(BOB, 'EXC-API-1', 'approve');
    const applied = applyGovernance(findings, await recordsForScan(repository), {
      asOf: NOW,
      complete: true,
    });
    expect(applied.governance[0]).toMatchObject({ state: 'applied' });
    expect(applied.governance[0]?.findingsApplied).toBeGreaterThan(0);
    await act(BOB, 'EXC-API-1', 'revoke');
    const revoked = applyGovernance(findings, await recordsForScan(repository), {
      asOf: NOW,
      complete: true,
    });
    expect(revoked.governance[0]?.state).toBe('revoked');
    expect(revoked.effectiveCounts.EXCEPTED).toBe(0);
  });

  it('imports a Git-kept file idempotently, marked with its source, and refuses to resurrect a revoked record', async () => {
    const records: GovernanceRecord[] = sampleRecords(NOW)
      .map((entry) => entry.record)
      .filter((record) => new Date(record.expires) > NOW);
    const actor = { name: 'pipeline@contoso.test' };
    const first = await importRecords(repository, records, 'file:governance.yaml', actor, NOW);
    expect(first.created).toHaveLength(records.length);
    const second = await importRecords(repository, records, 'file:governance.yaml', actor, NOW);
    expect(second).toEqual({ created: [], updated: [], unchanged: records.map((r) => r.id) });
    const stored = await repository.get('EXC-2026-014');
    expect(stored).toMatchObject({ approval: 'approved', record: { source: 'file:governance.yaml' } });
    expect(await repository.audit('EXC-2026-014')).toHaveLength(1);
    await act(BOB, 'EXC-2026-014', 'revoke');
    await expect(importRecords(repository, records, 'file:governance.yaml', actor, NOW)).rejects.toThrow(
      GovernanceValidationError,
    );
  });

  it('serves a run governance summary and findings filtered by effectiveStatus', async () => {
    const store = await freshStore();
    const result = governedSampleRun('current', NOW);
    await storeRun({ store, source: memorySource(result), scopeKey: 'sample' });
    const withStore = { ...deps, store };
    const summary = await handleRunResource(
      request({ params: { runId: result.run.id, resource: 'governance' }, principal: READER }),
      withStore,
    );
    expect(summary.status).toBe(200);
    expect(summary.jsonBody).toMatchObject({
      effectiveScore: result.run.effectiveScore,
      score: result.run.score,
    });
    const page = await handleRunResource(
      request({
        params: { runId: result.run.id, resource: 'findings' },
        principal: READER,
        query: { effectiveStatus: 'EXCEPTED', top: '1000' },
      }),
      withStore,
    );
    const excepted = (
      page.jsonBody as {
        findings: Array<{ status: string; effectiveStatus: string; governance: { exceptionId: string } }>;
      }
    ).findings;
    expect(excepted).toHaveLength(7);
    for (const finding of excepted) {
      expect(finding.effectiveStatus).toBe('EXCEPTED');
      expect(['FAIL', 'MANUAL']).toContain(finding.status);
      expect(finding.governance.exceptionId).toMatch(/^EXC-/);
    }
    const bad = await handleRunResource(
      request({
        params: { runId: result.run.id, resource: 'findings' },
        principal: READER,
        query: { effectiveStatus: "EXCEPTED' or 1 eq 1" },
      }),
      withStore,
    );
    expect(bad.status).toBe(400);

    // The next run with the same records: governance changes are read back from storage, so
    // nothing is newly excepted or attested; without the records, every exception has lapsed.
    const next = governedSampleRun('current', new Date(NOW.getTime() + 3_600_000), sampleRecords(NOW));
    const again = await storeRun({ store, source: memorySource(next), scopeKey: 'sample' });
    expect(again.changes.previousRunId).toBe(result.run.id);
    expect(again.changes.newlyExcepted ?? []).toEqual([]);
    expect(again.changes.newlyAttested ?? []).toEqual([]);
    const bare = governedSampleRun('current', new Date(NOW.getTime() + 7_200_000), []);
    const lapsed = await storeRun({ store, source: memorySource(bare), scopeKey: 'sample' });
    expect(lapsed.changes.exceptionExpired).toHaveLength(7);
    expect(lapsed.changes.attestationExpired?.length).toBeGreaterThan(0);
  });
});
