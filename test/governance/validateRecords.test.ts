import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { readGovernanceDocument } from '../../shared/governance/governanceDocument.js';
import {
  GovernanceValidationError,
  validateGovernanceDocument,
  validateRecord,
} from '../../shared/governance/validateRecords.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const SUB = '11111111-1111-1111-1111-111111111111';
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/rg-a/providers/Microsoft.Kubernetes/connectedClusters/edge-1`;

const exception = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'EXC-1',
  control: 'DS-05',
  scope: { clusters: [CLUSTER] },
  owner: 'Data platform team',
  justification: 'Vendor fix due in Q1',
  expires: '2027-03-01',
  ...overrides,
});
const attestation = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'ATT-1',
  control: 'DS-04',
  scope: { kinds: ['arc'] },
  result: 'PASS',
  attestedBy: 'Jane Auditor',
  statement: 'etcd encryption with KMS verified on every Arc cluster',
  evidence: [
    { title: 'Runbook output', url: 'https://wiki.example.com/etcd' },
    { title: 'Config', sha256: 'ab'.repeat(32) },
  ],
  attestedAt: '2026-11-20T10:00:00Z',
  expires: '2027-05-01T00:00:00Z',
  ...overrides,
});

function problemsOf(document: unknown, mode: 'create' | 'load' = 'load'): string[] {
  try {
    validateGovernanceDocument(document, { now: NOW, mode });
  } catch (error) {
    if (error instanceof GovernanceValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('governance record validation', () => {
  it('accepts a well-formed document and normalises times', () => {
    const records = validateGovernanceDocument(
      { exceptions: [exception()], attestations: [attestation()] },
      { now: NOW, mode: 'create' },
    );
    expect(records.map((r) => [r.kind, r.id, r.controlId, r.expires])).toEqual([
      ['exception', 'EXC-1', 'DS-05', '2027-03-01T00:00:00.000Z'],
      ['attestation', 'ATT-1', 'DS-04', '2027-05-01T00:00:00.000Z'],
    ]);
  });

  it('names every bad record and field in one error', () => {
    const problems = problemsOf({
      exceptions: [
        exception({ owner: undefined, colour: 'red' }),
        exception({ id: 'bad id!', control: 'DS-99', justification: '  ' }),
        exception({ id: 'EXC-3', scope: {} }),
        exception({ id: 'EXC-4', expires: '2029-01-01' }),
      ],
      attestations: [
        attestation({ evidence: [] }),
        attestation({ id: 'ATT-2', control: 'DS-02' }),
        attestation({ id: 'ATT-3', evidence: [{ title: 'x', url: 'javascript:alert(1)' }], result: 'MAYBE' }),
      ],
      extra: true,
    });
    const expected = [
      'extra: is not a known field',
      'exceptions[0] (EXC-1): colour is not a known field',
      'exceptions[0] (EXC-1): owner is required',
      'exceptions[1]: id must be 1-64 letters',
      'exceptions[1]: control must be one of',
      'exceptions[1]: justification must not be empty',
      'exceptions[2] (EXC-3): scope must name at least one cluster',
      'exceptions[3] (EXC-4): expires is more than 365 days away',
      'attestations[0] (ATT-1): evidence must be a non-empty list',
      'attestations[1] (ATT-2): control DS-02 has no MANUAL outcome',
      'attestations[2] (ATT-3): evidence[0].url must be an http(s) URL',
      'attestations[2] (ATT-3): result must be PASS or FAIL',
    ];
    for (const text of expected)
      expect(
        problems.some((p) => p.startsWith(text)),
        text,
      ).toBe(true);
  });

  it('refuses duplicate IDs (ignoring case) across exceptions and attestations', () => {
    expect(
      problemsOf({ exceptions: [exception({ id: 'X-1' })], attestations: [attestation({ id: 'x-1' })] }),
    ).toEqual(['id x-1: used by 2 records; IDs must be unique']);
  });

  it('refuses an expiry in the past when creating, but loads it (to list it expired)', () => {
    const past = { exceptions: [exception({ expires: '2026-11-01' })] };
    expect(problemsOf(past, 'create')[0]).toMatch(/expires is in the past/);
    expect(problemsOf(past, 'load')).toEqual([]);
  });

  it('refuses two equally narrow records that can match one finding, and allows narrower ones', () => {
    const sameRank = problemsOf({
      exceptions: [exception(), exception({ id: 'EXC-2', scope: { clusters: [CLUSTER.toUpperCase()] } })],
    });
    expect(sameRank[0]).toMatch(/exception EXC-1 and exception EXC-2: both cover DS-05 at cluster scope/);
    expect(
      problemsOf({ exceptions: [exception(), exception({ id: 'EXC-2', scope: { subscriptions: [SUB] } })] }),
    ).toEqual([]);
    expect(
      problemsOf({
        exceptions: [
          exception({ scope: { subscriptions: [SUB], kinds: ['arc'] } }),
          exception({ id: 'EXC-2', scope: { subscriptions: [SUB], kinds: ['aks'] } }),
        ],
      }),
    ).toEqual([]);
  });

  it('refuses malformed scope IDs and evidence hashes', () => {
    const problems = problemsOf({
      exceptions: [
        exception({
          scope: {
            clusters: ['/subscriptions/x/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/v'],
            subscriptions: ['not-a-guid'],
            resourceGroups: [`/subscriptions/${SUB}`],
            kinds: ['eks'],
          },
        }),
      ],
      attestations: [attestation({ evidence: [{ title: 't', sha256: 'xyz' }, { title: 't2' }] })],
    });
    expect(problems.filter((p) => p.includes('scope.')).length).toBe(4);
    expect(problems).toContain('attestations[0] (ATT-1): evidence[0].sha256 must be 64 hexadecimal digits');
    expect(problems).toContain('attestations[0] (ATT-1): evidence[1] needs a url or a sha256');
  });

  it('refuses a record too large to store', () => {
    const evidence = Array.from({ length: 50 }, (_, i) => ({
      title: `evidence ${i} ${'x'.repeat(250)}`,
      url: `https://e.example/${'y'.repeat(1500)}`,
    }));
    expect(problemsOf({ attestations: [attestation({ evidence })] })[0]).toMatch(
      /record is larger than 30000 characters/,
    );
  });

  it('refuses attestations dated in the future or expiring more than the maximum after attestedAt', () => {
    expect(problemsOf({ attestations: [attestation({ attestedAt: '2027-01-01T00:00:00Z' })] })[0]).toMatch(
      /attestedAt is in the future/,
    );
    expect(
      problemsOf({
        attestations: [attestation({ attestedAt: '2026-01-01T00:00:00Z', expires: '2027-02-01' })],
      })[0],
    ).toMatch(/more than 365 days after attestedAt/);
  });

  it('never accepts a document whose records have wrong-typed fields (property)', () => {
    const fields = ['id', 'control', 'scope', 'owner', 'justification', 'expires', 'ticket'];
    const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object());
    fc.assert(
      fc.property(fc.constantFrom(...fields), wrong, (field, value) => {
        if (field === 'ticket' && value === null) return;
        expect(() =>
          validateRecord('exception', exception({ [field]: value }), { now: NOW, mode: 'load' }),
        ).toThrow(GovernanceValidationError);
      }),
      { numRuns: 200 },
    );
  });

  it('reads YAML and JSON files and reports syntax errors with the file name', () => {
    const yaml = `exceptions:\n  - id: EXC-1\n    control: DS-05\n    scope:\n      clusters: ["${CLUSTER}"]\n    owner: Team\n    justification: Because\n    expires: 2027-03-01\n`;
    expect(readGovernanceDocument(yaml, 'g.yaml', { now: NOW, mode: 'load' })).toHaveLength(1);
    expect(() => readGovernanceDocument('{"exceptions": [', 'g.json', { now: NOW, mode: 'load' })).toThrow(
      /g\.json: not valid JSON/,
    );
    expect(() => readGovernanceDocument('a: [', 'g.yaml', { now: NOW, mode: 'load' })).toThrow(
      /g\.yaml: not valid YAML/,
    );
    expect(() => readGovernanceDocument('a: 1\na: 2\n', 'g.yml', { now: NOW, mode: 'load' })).toThrow(
      /not valid YAML/,
    );
  });
});
