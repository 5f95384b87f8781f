import { describe, expect, it } from 'vitest';

import {
  aksArcCluster,
  aksCluster,
  arcCluster,
  asResourceGraphRow,
  connectedClusterId,
  managedClusterId,
} from '../support/azureRows.js';
import { evaluate, expectSources } from '../support/scan.js';

const ARC = connectedClusterId('arc-05');
const AKS_ARC = connectedClusterId('aksarc-05');
const AKS = managedClusterId('aks-05');

describe('DS-05 The cluster store (etcd) is access-restricted and uses mutual TLS', () => {
  it('is a high-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-05' })], ARC, 'DS-05');
    expect(finding.controlTitle).toBe('The cluster store (etcd) is access-restricted and uses mutual TLS');
    expect(finding.severity).toBe('high');
  });

  it('aks-arc: passes, inferred from the platform restricting etcd access', () => {
    const finding = evaluate([aksArcCluster({ name: 'aksarc-05' })], AKS_ARC, 'DS-05');
    expect(finding.status).toBe('PASS');
    expect(finding.evidence.inferred).toBe(true);
    expect(finding.reason).toMatch(/etcd/);
    expectSources(finding, AKS_ARC);
  });

  it('aks-arc: recognised from a Resource Graph row with kind in upper case', () => {
    const row = asResourceGraphRow(aksArcCluster({ name: 'aksarc-05', kind: 'PROVISIONEDCLUSTER' }));
    const finding = evaluate([row], AKS_ARC, 'DS-05');
    expect(finding.status).toBe('PASS');
    expect(finding.evidence.inferred).toBe(true);
  });

  it('aks: NOT_APPLICABLE because Azure operates the control plane', () => {
    const finding = evaluate([aksCluster({ name: 'aks-05' })], AKS, 'DS-05');
    expect(finding.status).toBe('NOT_APPLICABLE');
    expect(finding.reason).toMatch(/control plane|Azure/);
  });

  it('aks: the NOT_APPLICABLE evidence names the cluster it was decided for', () => {
    const finding = evaluate([aksCluster({ name: 'aks-05' })], AKS, 'DS-05');
    expectSources(finding, AKS);
  });

  it('arc: MANUAL, not inferred', () => {
    const finding = evaluate([arcCluster({ name: 'arc-05' })], ARC, 'DS-05');
    expect(finding.status).toBe('MANUAL');
    expect(finding.evidence.inferred).toBe(false);
    expect(finding.reason).toMatch(/etcd/);
    expectSources(finding, ARC);
  });

  it('arc: a connected cluster whose top-level kind is something else (AWS) stays arc and MANUAL', () => {
    const cluster = arcCluster({ name: 'arc-05' });
    cluster['kind'] = 'AWS';
    const finding = evaluate([cluster], ARC, 'DS-05');
    expect(finding.clusterKind).toBe('arc');
    expect(finding.status).toBe('MANUAL');
  });
});
