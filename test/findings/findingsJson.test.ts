import { describe, expect, it } from 'vitest';

import { findingsJsonChunks } from '../../shared/findings/findingsJson.js';
import type { CollectionGap } from '../../shared/inventory/inventory.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import {
  inventoryAksCluster,
  inventoryArcCluster,
  inventoryConnectedClusterId,
  extension,
  SUBSCRIPTION,
} from '../support/azureRows.js';
import {
  checkFindingsDocument,
  expectedScore,
  specControls,
  tally,
  type FindingsDocument,
} from './findingsDocument.js';
import {
  aksArcRows,
  compliantArcRows,
  evaluate,
  FINISHED,
  inventoryFrom,
  mixedFleetRows,
  NOW,
} from './mixedFleet.js';

function serialise(result: ScanResult): FindingsDocument {
  const text = [...findingsJsonChunks(result)].join('');
  return checkFindingsDocument(JSON.parse(text));
}

describe('findings.json (findingsJsonChunks)', () => {
  const result = evaluate(inventoryFrom(mixedFleetRows()));
  const doc = serialise(result);

  it('carries schemaVersion 1 and catalogVersion "1"', () => {
    expect(doc.schemaVersion).toBe(1);
    expect(doc.catalogVersion).toBe('1');
  });

  it('describes the run: id, start and finish times, source, completeness', () => {
    expect(doc.run.id).toBe('20260501T120000Z-0a1b2c3d');
    expect(doc.run.startedAt).toBe(NOW.toISOString());
    expect(doc.run.finishedAt).toBe(FINISHED.toISOString());
    expect(doc.run.source).toBe('snapshot');
    expect(doc.run.complete).toBe(true);
  });

  it('lists every cluster once, with the ARM id as found and the contract fields', () => {
    const names = doc.clusters.map((c) => c.name).sort();
    expect(names).toEqual(
      ['aks-1', 'arc-bare', 'arc-expired', 'arc-malformed', 'arc-offline', 'arc-ok', 'hybrid-1'].sort(),
    );
    expect(doc.run.clusterCount).toBe(7);
    const ok = doc.clusters.find((c) => c.name === 'arc-ok');
    expect(ok).toMatchObject({
      id: inventoryConnectedClusterId('arc-ok'),
      kind: 'arc',
      subscriptionId: SUBSCRIPTION,
      resourceGroup: 'fleet-rg',
      location: 'East US',
      distribution: 'AKS',
      kubernetesVersion: '1.17.0',
      connectivityStatus: 'Connected',
    });
    expect(doc.clusters.find((c) => c.name === 'hybrid-1')?.kind).toBe('aks-arc');
    expect(doc.clusters.find((c) => c.name === 'aks-1')?.kind).toBe('aks');
    expect(doc.clusters.find((c) => c.name === 'arc-offline')?.connectivityStatus).toBe('Offline');
  });

  it('keeps the ID casing of the resource as found', () => {
    const mixed = inventoryArcCluster({ name: 'MiXeD-Case', resourceGroup: 'Rg-UPPER' });
    const single = serialise(evaluate(inventoryFrom([mixed])));
    expect(single.clusters[0]?.id).toBe(mixed.id);
    expect(single.findings.every((f) => f.clusterId === mixed.id)).toBe(true);
  });

  it('has exactly one finding per cluster per control of the catalog', () => {
    expect(doc.findings).toHaveLength(7 * 10);
    const pairs = new Set(doc.findings.map((f) => `${f.clusterId.toLowerCase()}|${f.controlId}`));
    expect(pairs.size).toBe(doc.findings.length);
    expect(new Set(doc.findings.map((f) => f.controlId))).toEqual(new Set(specControls().map((c) => c.id)));
  });

  it('counts findings by status, and the counts sum to the number of findings', () => {
    expect(doc.run.counts).toEqual(tally(doc.findings));
    expect(Object.values(doc.run.counts).reduce((a, b) => a + b, 0)).toBe(doc.findings.length);
    // The mixed fleet has every status.
    for (const count of Object.values(doc.run.counts)) expect(count).toBeGreaterThan(0);
  });

  it('scores PASS / (PASS + FAIL + MANUAL + ERROR), NOT_APPLICABLE excluded', () => {
    const c = doc.run.counts;
    expect(c.NOT_APPLICABLE).toBeGreaterThan(0);
    expect(doc.run.score).toBeCloseTo(c.PASS / (c.PASS + c.FAIL + c.MANUAL + c.ERROR), 4);
    expect(doc.run.score).not.toBeCloseTo(c.PASS / doc.findings.length, 4);
  });

  it('scores an AKS-only fleet from its applicable findings only', () => {
    const aks = serialise(
      evaluate(inventoryFrom([inventoryAksCluster({ name: 'a' }), inventoryAksCluster({ name: 'b' })])),
    );
    const c = aks.run.counts;
    expect(c.NOT_APPLICABLE).toBe(2 * 3); // DS-02, DS-05, DS-10
    expect(aks.run.score).toBeCloseTo(expectedScore(c), 4);
  });

  it('lists inventory warnings with where and message: bad rows and orphan extensions', () => {
    const wheres = doc.run.inventoryWarnings.map((w) => w.where);
    const rows = mixedFleetRows();
    const orphanIndex = rows.findIndex(
      (row) =>
        typeof row === 'object' &&
        row !== null &&
        String((row as { id?: unknown }).id).includes('not-in-inventory'),
    );
    expect(wheres).toContain(`fleet.json: [${rows.indexOf('not a resource')}]`);
    expect(wheres).toContain(`fleet.json: [${rows.length - 1}]`);
    expect(wheres).toContain(`fleet.json: [${orphanIndex}]`);
    expect(doc.run.inventoryWarnings).toHaveLength(3);
  });

  it('serialises the scan result faithfully (parsing the chunks gives the result back)', () => {
    const parsed = JSON.parse([...findingsJsonChunks(result)].join('')) as Record<string, unknown>;
    expect(parsed.run).toEqual(JSON.parse(JSON.stringify(result.run)));
    expect(parsed.clusters).toEqual(JSON.parse(JSON.stringify(result.clusters)));
    expect(parsed.findings).toEqual(JSON.parse(JSON.stringify(result.findings)));
  });

  it('writes a valid document for an empty inventory', () => {
    const empty = serialise(evaluate(inventoryFrom([])));
    expect(empty.clusters).toEqual([]);
    expect(empty.findings).toEqual([]);
    expect(empty.run.clusterCount).toBe(0);
    expect(empty.run.counts).toEqual({ PASS: 0, FAIL: 0, MANUAL: 0, NOT_APPLICABLE: 0, ERROR: 0 });
    expect(empty.run.complete).toBe(true);
  });

  it('gives a cluster with missing properties a finding for every control, ERROR where data is needed', () => {
    const malformed = doc.findings.filter((f) => f.clusterName === 'arc-malformed');
    expect(malformed).toHaveLength(10);
    const ds10 = malformed.find((f) => f.controlId === 'DS-10');
    expect(ds10?.status).toBe('ERROR');
    expect(ds10?.reason).toMatch(/connectivityStatus|agentVersion|properties/);
  });

  it('marks extension-based findings of an offline cluster stale, with the offline time in the reason', () => {
    const offline = doc.findings.filter((f) => f.clusterName === 'arc-offline');
    const ds01 = offline.find((f) => f.controlId === 'DS-01');
    expect(ds01?.evidence.stale).toBe(true);
    expect(ds01?.reason).toContain('Offline');
  });

  it('marks the inferred AKS Arc KMS verdict as inferred', () => {
    const ds04 = doc.findings.find((f) => f.clusterName === 'hybrid-1' && f.controlId === 'DS-04');
    expect(ds04?.status).toBe('PASS');
    expect(ds04?.evidence.inferred).toBe(true);
  });

  it('carries benchmark references with framework, version, id, title and relation', () => {
    const ds01 = doc.findings.find((f) => f.controlId === 'DS-01');
    expect(ds01?.benchmarks).toContainEqual(
      expect.objectContaining({
        framework: 'CIS Kubernetes Benchmark',
        version: 'v1.10.0',
        id: '5.4.2',
        relation: 'direct',
      }),
    );
    expect(ds01?.benchmarks).toContainEqual(
      expect.objectContaining({
        framework: 'Microsoft cloud security benchmark',
        version: 'v1',
        id: 'DP-6',
        relation: 'related',
      }),
    );
    const ds05 = doc.findings.find((f) => f.controlId === 'DS-05');
    expect(ds05?.benchmarks.some((b) => b.framework === 'CIS Azure Kubernetes Service (AKS) Benchmark')).toBe(
      false,
    );
  });
});

describe('findings.json when part of the scope was not read', () => {
  const failedSubscription = 'ffffffff-0000-0000-0000-000000000001';
  const unreadId = inventoryConnectedClusterId('unread', failedSubscription);
  const rows = [
    ...compliantArcRows('read-ok'),
    inventoryArcCluster({ name: 'unread', subscriptionId: failedSubscription }),
    // Present from an earlier export, but this run's read of the subscription's extensions failed.
    extension(unreadId, 'ssarcextension', 'microsoft.azure.secretstore'),
    extension(unreadId, 'flux', 'microsoft.flux'),
    ...aksArcRows('hybrid-unread', 'Compliant', 'Compliant'),
  ];

  function withGaps(gaps: CollectionGap[]): FindingsDocument {
    const unreadIds = new Set(gaps.flatMap((gap) => (gap.kind === 'resource' ? [gap.id.toLowerCase()] : [])));
    const inventory = inventoryFrom(rows.filter((row) => !unreadIds.has(String(row.id).toLowerCase())));
    inventory.gaps.push(...gaps);
    return serialise(evaluate(inventory));
  }

  it('is complete when nothing failed', () => {
    expect(withGaps([]).run.complete).toBe(true);
  });

  it('sets complete to false and lists what was not read', () => {
    const reason = 'AuthorizationFailed: reading extensions of the subscription was denied';
    const doc = withGaps([
      { kind: 'scope', subscriptionId: failedSubscription, category: 'extensions', reason },
    ]);
    expect(doc.run.complete).toBe(false);
    const run = JSON.stringify(doc.run);
    expect(run).toContain(reason);
    expect(run).toContain(failedSubscription);
  });

  it('reports nothing unread as passing', () => {
    const doc = withGaps([
      { kind: 'scope', subscriptionId: failedSubscription, category: 'extensions', reason: 'denied' },
    ]);
    const unread = doc.findings.filter((f) => f.clusterName === 'unread');
    expect(unread).toHaveLength(10);
    for (const controlId of ['DS-01', 'DS-02', 'DS-03', 'DS-08', 'DS-09']) {
      const finding = unread.find((f) => f.controlId === controlId);
      expect(finding?.status, `${controlId} of a cluster whose extensions were not read`).not.toBe('PASS');
    }
    expect(unread.find((f) => f.controlId === 'DS-01')?.status).toBe('ERROR');
    // The readable cluster is unaffected.
    expect(doc.findings.find((f) => f.clusterName === 'read-ok' && f.controlId === 'DS-01')?.status).toBe(
      'PASS',
    );
  });

  it('does not pass DS-06/DS-07 of an AKS Arc cluster whose security settings read failed', () => {
    const hci = doc0HciId();
    const readable = withGaps([]);
    const doc = withGaps([{ kind: 'resource', id: `${hci}/securitySettings/default`, reason: 'HTTP 500' }]);
    expect(doc.run.complete).toBe(false);
    for (const controlId of ['DS-06', 'DS-07']) {
      const pick = (d: FindingsDocument) =>
        d.findings.find((f) => f.clusterName === 'hybrid-unread' && f.controlId === controlId);
      expect(pick(readable)?.status).toBe('PASS');
      expect(pick(doc)?.status).toBe('ERROR');
      expect(pick(doc)?.reason).toContain('HTTP 500');
    }
  });

  function doc0HciId(): string {
    const hci = rows.find((row) => String(row.type).toLowerCase() === 'microsoft.azurestackhci/clusters');
    return String(hci?.id);
  }
});
