/**
 * Evidence paths name where a value was really read: following a check's path on the resource it
 * names (its `source`) gives back the value the check observed. Extensions exported by
 * `az k8s-extension show` carry `extensionType`, `provisioningState` and `configurationSettings` at
 * the top level, so their evidence says `extensionType`, not `properties.extensionType`.
 */
import { describe, expect, it } from 'vitest';

import { CLUSTER_KINDS, CONTROL_IDS, type EvidenceCheck, type Finding } from '../../shared/catalog/types.js';
import {
  EXTENSION_TYPE,
  arcCluster,
  armExtension,
  connectedClusterId,
  fluxConfiguration,
  type Row,
} from '../support/azureRows.js';
import { checkAt, findingOf, scan } from '../support/scan.js';
import { PLACEMENTS, buildFixture, type Fixture } from './declaredReadFixtures.js';

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a dotted path, each key matched ignoring case; a key may itself contain dots. */
function resolve(value: unknown, path: string): { found: boolean; value?: unknown } {
  if (path === '') return { found: true, value };
  if (!isRow(value)) return { found: false };
  const wanted = path.toLowerCase();
  const keys = Object.keys(value).sort((a, b) => b.length - a.length);
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (wanted === lower) return { found: true, value: value[key] };
    if (wanted.startsWith(`${lower}.`)) {
      const inner = resolve(value[key], path.slice(key.length + 1));
      if (inner.found) return inner;
    }
  }
  return { found: false };
}

/** `az k8s-extension show` output: the extension's properties at the top level. */
function cliShape(row: Row): Row {
  const { properties, ...envelope } = row;
  return { ...envelope, ...(isRow(properties) ? properties : {}) };
}

/** Checks whose path does not resolve on their source row to the value they observed. */
function misplaced(rows: readonly Row[], findings: readonly Finding[]): string[] {
  const byId = new Map(rows.map((row) => [String(row['id']).toLowerCase(), row]));
  const wrong: string[] = [];
  for (const finding of findings) {
    for (const check of finding.evidence.checks as EvidenceCheck[]) {
      if (/\[|\s\|\s/.test(check.path)) continue;
      const row = byId.get(check.source.toLowerCase());
      if (!row) continue;
      const found = resolve(row, check.path);
      const value = found.found ? (found.value ?? null) : null;
      if (JSON.stringify(value) !== JSON.stringify(check.observed)) {
        wrong.push(
          `${finding.controlId} ${check.source} ${check.path}: observed ${JSON.stringify(check.observed)}, path gives ${found.found ? JSON.stringify(value) : 'nothing'}`,
        );
      }
    }
  }
  return wrong;
}

describe('evidence paths name where each value was read', () => {
  it('for an extension exported by az k8s-extension show: top-level extensionType, provisioningState and settings', () => {
    const id = connectedClusterId('cli-export');
    const rows = [
      arcCluster({ name: 'cli-export' }),
      cliShape(
        armExtension(id, {
          name: 'ssarcextension',
          extensionType: EXTENSION_TYPE.secretStore,
          configurationSettings: { rotationPollIntervalInSeconds: '7200' },
        }),
      ),
      cliShape(armExtension(id, { name: 'flux', extensionType: EXTENSION_TYPE.flux })),
      cliShape(fluxConfiguration(id, { name: 'cluster-config', complianceState: 'Non-Compliant' })),
    ];
    const result = scan(rows);
    const ds01 = findingOf(result, id, 'DS-01');
    expect(checkAt(ds01, /provisioningState/).path).toBe('provisioningState');
    const ds03 = findingOf(result, id, 'DS-03');
    expect(ds03.status).toBe('FAIL');
    expect(checkAt(ds03, /rotationPollIntervalInSeconds/).path).toBe(
      'configurationSettings.rotationPollIntervalInSeconds',
    );
    const ds08 = findingOf(result, id, 'DS-08');
    expect(checkAt(ds08, /complianceState/).path).toBe('complianceState');
    const ds07 = findingOf(result, id, 'DS-09');
    expect(ds07.evidence.checks.every((check) => !check.path.startsWith('properties.'))).toBe(true);
    expect(misplaced(rows, result.findings)).toEqual([]);
  });

  it('for the absence of an extension: the extension types as they were found, top level or under properties', () => {
    const id = connectedClusterId('absent-sync');
    const fluxArm = armExtension(id, { name: 'flux', extensionType: EXTENSION_TYPE.flux });
    const cli = findingOf(scan([arcCluster({ name: 'absent-sync' }), cliShape(fluxArm)]), id, 'DS-01');
    expect(checkAt(cli, /extensionType/).path).toBe('extensions[].extensionType');
    const arm = findingOf(scan([arcCluster({ name: 'absent-sync' }), fluxArm]), id, 'DS-01');
    expect(checkAt(arm, /extensionType/).path).toBe('extensions[].properties.extensionType');
    const mixed = findingOf(
      scan([
        arcCluster({ name: 'absent-sync' }),
        fluxArm,
        cliShape(armExtension(id, { name: 'backup', extensionType: EXTENSION_TYPE.backup })),
      ]),
      id,
      'DS-01',
    );
    expect(checkAt(mixed, /extensionType/).path).toBe(
      'extensions[].properties.extensionType | extensions[].extensionType',
    );
  });

  it('for every check of every control on every kind, with extensions as ARM, Resource Graph and CLI rows', () => {
    const fixtures: Fixture[] = [];
    for (const controlId of CONTROL_IDS) {
      for (const kind of CLUSTER_KINDS) {
        const base = buildFixture(controlId, kind);
        for (const placement of PLACEMENTS) {
          fixtures.push(buildFixture(controlId, kind, { placement }));
          for (const focus of base.reads) fixtures.push(buildFixture(controlId, kind, { placement, focus }));
        }
      }
    }
    let checked = 0;
    for (const fixture of fixtures) {
      const result = scan(fixture.rows);
      checked += result.findings.reduce((sum, finding) => sum + finding.evidence.checks.length, 0);
      expect(misplaced(fixture.rows, result.findings)).toEqual([]);
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
