import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { findingsCsvChunks } from '../../shared/findings/findingsCsv.js';
import { findingsJsonChunks } from '../../shared/findings/findingsJson.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { FORMULA_START, parseCsvStrict } from '../findings/rfc4180.js';
import {
  buildMessyRows,
  buildValidRows,
  clusterSpec,
  junk,
  messyFleet,
  prng,
  randomCase,
  reachesAsObject,
  recaseKeys,
  runEngine,
  validCluster,
  type JsonObject,
} from './arbitraries.js';

const RUNS = { numRuns: 200 };
const STATUSES = new Set(['PASS', 'FAIL', 'MANUAL', 'NOT_APPLICABLE', 'ERROR']);
const CONTROL_COUNT = 10;

/** The invariants every scan result must satisfy, whatever the input. */
function checkInvariants(result: ScanResult): void {
  const { clusters, findings, run } = result;
  const perCluster = new Map<string, Set<string>>();
  for (const finding of findings) {
    const key = finding.clusterId.toLowerCase();
    const controls = perCluster.get(key) ?? new Set<string>();
    if (controls.has(finding.controlId)) throw new Error(`two ${finding.controlId} findings for ${key}`);
    controls.add(finding.controlId);
    perCluster.set(key, controls);

    if (!STATUSES.has(finding.status)) throw new Error(`status ${String(finding.status)}`);
    if (typeof finding.reason !== 'string' || finding.reason.trim() === '') {
      throw new Error(`empty reason for ${key} ${finding.controlId}`);
    }
    const evidence = finding.evidence as unknown as JsonObject;
    if (evidence === null || typeof evidence !== 'object') throw new Error('evidence is not an object');
    if (!Array.isArray(evidence.checks)) throw new Error('evidence.checks is not an array');
    if (!Array.isArray(evidence.sourceIds)) throw new Error('evidence.sourceIds is not an array');
    if (typeof evidence.stale !== 'boolean') throw new Error('evidence.stale is not a boolean');
    if (typeof evidence.inferred !== 'boolean') throw new Error('evidence.inferred is not a boolean');
  }
  expect(perCluster.size).toBe(clusters.length);
  for (const cluster of clusters) expect(perCluster.get(cluster.id.toLowerCase())?.size).toBe(CONTROL_COUNT);
  expect(findings).toHaveLength(clusters.length * CONTROL_COUNT);
  expect(run.clusterCount).toBe(clusters.length);
  const sum = Object.values(run.counts).reduce((a, b) => a + b, 0);
  expect(sum).toBe(findings.length);
  for (const status of STATUSES) {
    expect(run.counts[status as keyof typeof run.counts]).toBe(
      findings.filter((f) => f.status === status).length,
    );
  }
  const { PASS, FAIL, MANUAL, ERROR } = run.counts;
  const denominator = PASS + FAIL + MANUAL + ERROR;
  expect(Math.abs(run.score - (denominator === 0 ? 0 : PASS / denominator))).toBeLessThanOrEqual(0.0001);
}

/** Every string that is an ARM ID (`/subscriptions/…`), wherever it occurs, in random casing. */
function recaseIds(value: unknown, random: () => number): unknown {
  if (typeof value === 'string') return /^\/subscriptions\//i.test(value) ? randomCase(value, random) : value;
  if (Array.isArray(value)) return value.map((item) => recaseIds(item, random));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as JsonObject).map(([k, v]) => [k, recaseIds(v, random)]));
}

/** Keys whose string values are enums (compared case-insensitively). */
const ENUM_KEYS = new Set(
  [
    'kind',
    'type',
    'connectivityStatus',
    'provisioningState',
    'complianceState',
    'extensionType',
    'dataAtRestEncrypted',
    'dataInTransitProtected',
    'mode',
    'infrastructureEncryption',
    'enableSecretRotation',
    'secrets-store-csi-driver.enableSecretRotation',
  ].map((key) => key.toLowerCase()),
);

function recaseEnumValues(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => recaseEnumValues(item, random));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as JsonObject).map(([key, inner]) => [
      key,
      typeof inner === 'string' && ENUM_KEYS.has(key.toLowerCase())
        ? randomCase(inner, random)
        : recaseEnumValues(inner, random),
    ]),
  );
}

function verdicts(result: ScanResult): Map<string, string> {
  return new Map(
    result.findings.map((f) => [
      `${f.clusterId.toLowerCase()}|${f.controlId}`,
      `${f.status} stale=${f.evidence.stale} inferred=${f.evidence.inferred}`,
    ]),
  );
}

describe('property: the engine never throws and keeps its invariants', () => {
  it('on arrays of random JSON values as rows', () => {
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 20 }), (rows) => {
        checkInvariants(runEngine(rows));
      }),
      RUNS,
    );
  });

  it('on random values mixed with rows that look like resources of every known type', () => {
    const typed = fc.record({
      id: fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.constant('/subscriptions/s/resourceGroups/r/providers/a/b/c'),
      ),
      type: fc.mixedCase(
        fc.constantFrom(
          'Microsoft.Kubernetes/connectedClusters',
          'Microsoft.ContainerService/managedClusters',
          'Microsoft.KubernetesConfiguration/extensions',
          'Microsoft.KubernetesConfiguration/fluxConfigurations',
          'Microsoft.HybridContainerService/provisionedClusterInstances',
          'Microsoft.ExtendedLocation/customLocations',
          'Microsoft.AzureStackHCI/clusters',
          'Microsoft.AzureStackHCI/clusters/securitySettings',
          'Microsoft.DataProtection/backupVaults/backupInstances',
        ),
      ),
      kind: junk,
      properties: junk,
      extendedLocation: junk,
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(typed, junk), { maxLength: 15 }), (rows) => {
        checkInvariants(runEngine(rows));
      }),
      RUNS,
    );
  });

  it('on clusters with malformed properties, random casing, extensions, Flux configurations and junk rows', () => {
    fc.assert(
      fc.property(messyFleet, (fleet) => {
        const built = buildMessyRows(fleet);
        const result = runEngine(built.rows);
        checkInvariants(result);
        const listed = new Set(result.clusters.map((c) => c.id.toLowerCase()));
        for (const id of built.clusters.keys()) expect(listed.has(id), `cluster ${id} evaluated`).toBe(true);
        for (const cluster of result.clusters) {
          const spec = built.clusters.get(cluster.id.toLowerCase());
          if (spec) expect(cluster.kind).toBe(spec.kind);
        }
      }),
      RUNS,
    );
  });
});

describe('property: malformed properties never pass the controls that read them', () => {
  it('DS-10 (arc, aks-arc) and DS-04/DS-06/DS-07 (aks) are never PASS when properties are not an object', () => {
    const fleetWithBadProperties = fc.array(
      clusterSpec.filter((spec) => !reachesAsObject(spec.properties)),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(fleetWithBadProperties, fc.integer(), fc.boolean(), (clusters, seed, recase) => {
        const built = buildMessyRows({ clusters, junkRows: [], seed, recase });
        const result = runEngine(built.rows);
        checkInvariants(result);
        for (const finding of result.findings) {
          const spec = built.clusters.get(finding.clusterId.toLowerCase());
          if (!spec) continue;
          const guarded = spec.kind === 'aks' ? ['DS-04', 'DS-06', 'DS-07'] : ['DS-10'];
          if (guarded.includes(finding.controlId)) {
            expect(
              finding.status,
              `${finding.controlId} of ${spec.kind} with ${spec.properties.shape} properties`,
            ).not.toBe('PASS');
          }
          if (spec.kind !== 'aks' && finding.controlId === 'DS-10') expect(finding.status).toBe('ERROR');
        }
      }),
      RUNS,
    );
  });
});

describe('property: casing does not change verdicts', () => {
  const validFleet = fc.array(validCluster, { minLength: 1, maxLength: 6 });

  it('mutating the casing of every key of valid rows never changes a verdict', () => {
    fc.assert(
      fc.property(validFleet, fc.integer(), (fleet, seed) => {
        const rows = buildValidRows(fleet);
        const random = prng(seed);
        const baseline = runEngine(rows);
        const mutated = runEngine(rows.map((row) => recaseKeys(row, random)));
        expect(verdicts(mutated)).toEqual(verdicts(baseline));
      }),
      RUNS,
    );
  });

  it('mutating the casing of type strings and of every resource ID (also inside properties) never changes a verdict', () => {
    fc.assert(
      fc.property(validFleet, fc.integer(), (fleet, seed) => {
        const rows = buildValidRows(fleet) as JsonObject[];
        const random = prng(seed);
        const baseline = runEngine(rows);
        const mutated = runEngine(
          rows.map((row) => ({
            ...(recaseIds(row, random) as JsonObject),
            type: randomCase(String(row.type), random),
          })),
        );
        expect(verdicts(mutated)).toEqual(verdicts(baseline));
      }),
      RUNS,
    );
  });

  it('mutating the casing of enum values (states, kinds, types, modes, "true") never changes a verdict', () => {
    fc.assert(
      fc.property(validFleet, fc.integer(), (fleet, seed) => {
        const rows = buildValidRows(fleet);
        const random = prng(seed);
        const baseline = runEngine(rows);
        const mutated = runEngine(rows.map((row) => recaseEnumValues(row, random)));
        expect(verdicts(mutated)).toEqual(verdicts(baseline));
      }),
      RUNS,
    );
  });

  it('the valid fleets reach the verdicts the casing properties must preserve', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(validFleet, (fleet) => {
        for (const f of runEngine(buildValidRows(fleet)).findings) {
          seen.add(f.status);
          seen.add(`${f.clusterKind} ${f.controlId} ${f.status}`);
        }
      }),
      { numRuns: 100, seed: 42 },
    );
    for (const expected of [
      'PASS',
      'FAIL',
      'MANUAL',
      'NOT_APPLICABLE',
      'aks-arc DS-06 PASS',
      'aks-arc DS-06 FAIL',
      'aks-arc DS-07 MANUAL',
      'aks DS-01 PASS',
      'aks DS-03 PASS',
      'aks DS-04 PASS',
      'aks DS-06 FAIL',
      'aks DS-07 PASS',
      'arc DS-01 PASS',
      'arc DS-02 FAIL',
      'arc DS-03 FAIL',
      'arc DS-08 PASS',
      'arc DS-09 PASS',
      'arc DS-10 PASS',
      'arc DS-10 FAIL',
    ]) {
      expect(seen.has(expected), expected).toBe(true);
    }
  });
});

describe('property: outputs stay well-formed', () => {
  it('findings.json parses and findings.csv is strict RFC 4180 with spreadsheet-safe cells', () => {
    const hostileName = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc
        .constantFrom('=', '+', '-', '@', '\t', '\r')
        .chain((c) => fc.string({ maxLength: 8 }).map((s) => `${c}${s}`)),
    );
    fc.assert(
      fc.property(messyFleet, fc.array(hostileName, { minLength: 6, maxLength: 6 }), (fleet, names) => {
        const clusters = fleet.clusters.map((spec, index) => ({ ...spec, name: names[index] }));
        const result = runEngine(buildMessyRows({ ...fleet, clusters }).rows);
        const json = JSON.parse([...findingsJsonChunks(result)].join('')) as { findings: unknown[] };
        expect(json.findings).toHaveLength(result.findings.length);
        const records = parseCsvStrict([...findingsCsvChunks(result.findings)].join(''));
        expect(records).toHaveLength(result.findings.length + 1);
        for (const record of records) {
          for (const cell of record)
            if (FORMULA_START.test(cell)) throw new Error(`unsafe cell ${JSON.stringify(cell)}`);
        }
      }),
      RUNS,
    );
  });
});
