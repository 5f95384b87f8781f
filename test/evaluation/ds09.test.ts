import { describe, expect, it } from 'vitest';

import {
  EXTENSION_TYPE,
  SUBSCRIPTION,
  aksArcCluster,
  aksCluster,
  arcCluster,
  armExtension,
  asResourceGraphRow,
  backupInstance,
  connectedClusterId,
  extensionIdOf,
  managedClusterId,
  resourceGraphExtension,
} from '../support/azureRows.js';
import { daysBeforeNow } from '../support/clock.js';
import { checkAt, evaluate, expectSources } from '../support/scan.js';

const ARC = connectedClusterId('arc-09');
const AKS_ARC = connectedClusterId('aksarc-09');
const AKS = managedClusterId('aks-09');
const OTHER_AKS = managedClusterId('aks-09-other');
const VAULT = { vaultName: 'backup-vault-01', resourceGroup: 'backup-rg' };

const backupExtension = (clusterId: string, provisioningState = 'Succeeded') =>
  armExtension(clusterId, {
    name: 'azure-aks-backup',
    extensionType: EXTENSION_TYPE.backup,
    provisioningState,
    configurationSettings: { blobContainer: 'backups', storageAccount: 'backupsa01' },
  });

const containerStorage = (
  clusterId: string,
  type: string = EXTENSION_TYPE.containerStorage,
  state = 'Succeeded',
) =>
  armExtension(clusterId, {
    name: 'azure-arc-containerstorage',
    extensionType: type,
    provisioningState: state,
  });

describe('DS-09 Workload data is backed up or synchronised to the cloud', () => {
  it('is a high-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-09' })], ARC, 'DS-09');
    expect(finding.controlTitle).toBe('Workload data is backed up or synchronised to the cloud');
    expect(finding.severity).toBe('high');
  });

  describe('Azure Backup extension', () => {
    it('aks: passes when healthy and the inventory holds no backup instances', () => {
      const finding = evaluate([aksCluster({ name: 'aks-09' }), backupExtension(AKS)], AKS, 'DS-09');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('azure-aks-backup');
      expect(checkAt(finding, /provisioningState/i, extensionIdOf(AKS, 'azure-aks-backup')).observed).toBe(
        'Succeeded',
      );
    });

    it('aks: passes when a backup instance protects this cluster', () => {
      const rows = [
        aksCluster({ name: 'aks-09' }),
        backupExtension(AKS),
        backupInstance({ ...VAULT, name: 'aks-09-bi', dataSourceId: AKS }),
      ];
      const finding = evaluate(rows, AKS, 'DS-09');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toMatch(/backup instance/i);
      expect(JSON.stringify(finding.evidence.checks)).toContain('aks-09-bi');
    });

    it('aks: matches the data source ID ignoring case (Resource Graph lower-cases it)', () => {
      const instance = asResourceGraphRow(
        backupInstance({ ...VAULT, name: 'aks-09-bi', dataSourceId: AKS.toLowerCase() }),
        { lowerCaseId: true },
      );
      const rows = [aksCluster({ name: 'aks-09' }), backupExtension(AKS), instance];
      expect(evaluate(rows, AKS, 'DS-09').status).toBe('PASS');
    });

    it('aks: fails when backup instances exist but none protects this cluster', () => {
      const rows = [
        aksCluster({ name: 'aks-09' }),
        aksCluster({ name: 'aks-09-other' }),
        backupExtension(AKS),
        backupInstance({ ...VAULT, name: 'other-bi', dataSourceId: OTHER_AKS }),
      ];
      const finding = evaluate(rows, AKS, 'DS-09');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/installed/i);
      expect(finding.reason).toMatch(/no backup instance|nothing/i);
      expect(finding.reason).toMatch(/protect/i);
      expectSources(finding, extensionIdOf(AKS, 'azure-aks-backup'), AKS);
    });

    it('arc: passes when healthy (Resource Graph row)', () => {
      const rows = [
        arcCluster({ name: 'arc-09' }),
        resourceGraphExtension(ARC, {
          name: 'azure-aks-backup',
          extensionType: 'Microsoft.DataProtection.Kubernetes',
        }),
      ];
      expect(evaluate(rows, ARC, 'DS-09').status).toBe('PASS');
    });

    it('aks-arc: fails when backup instances exist for other clusters only', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-09' }),
        backupExtension(AKS_ARC),
        backupInstance({ ...VAULT, name: 'other-bi', dataSourceId: OTHER_AKS }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-09');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/protect/i);
    });

    it('aks-arc: passes when a backup instance protects it', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-09' }),
        backupExtension(AKS_ARC),
        backupInstance({ ...VAULT, name: 'edge-bi', dataSourceId: AKS_ARC }),
      ];
      expect(evaluate(rows, AKS_ARC, 'DS-09').status).toBe('PASS');
    });

    it('is not enough when unhealthy: MANUAL, naming its state', () => {
      const rows = [aksCluster({ name: 'aks-09' }), backupExtension(AKS, 'Failed')];
      const finding = evaluate(rows, AKS, 'DS-09');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toContain('Failed');
      expect(checkAt(finding, /provisioningState/i).observed).toBe('Failed');
    });

    it('is ERROR when the backup instances could not be read', () => {
      const rows = [aksCluster({ name: 'aks-09' }), backupExtension(AKS)];
      const finding = evaluate(rows, AKS, 'DS-09', {
        gaps: [
          { kind: 'scope', subscriptionId: SUBSCRIPTION, category: 'backupInstances', reason: 'Forbidden' },
        ],
      });
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/backup instances/i);
      expect(finding.reason).toContain('Forbidden');
    });

    it('is ERROR when the extensions could not be read', () => {
      const finding = evaluate([aksCluster({ name: 'aks-09' })], AKS, 'DS-09', {
        gaps: [{ kind: 'scope', subscriptionId: SUBSCRIPTION, category: 'extensions', reason: 'Forbidden' }],
      });
      expect(finding.status).toBe('ERROR');
    });
  });

  describe('Azure Container Storage enabled by Azure Arc', () => {
    it('arc: passes when it is healthy (data synchronised to the cloud)', () => {
      const finding = evaluate([arcCluster({ name: 'arc-09' }), containerStorage(ARC)], ARC, 'DS-09');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('azure-arc-containerstorage');
      expectSources(finding, extensionIdOf(ARC, 'azure-arc-containerstorage'));
    });

    it('aks-arc: passes with the legacy type microsoft.edgestorageaccelerator', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-09' }),
        containerStorage(AKS_ARC, EXTENSION_TYPE.edgeStorageAccelerator),
      ];
      expect(evaluate(rows, AKS_ARC, 'DS-09').status).toBe('PASS');
    });

    it('arc: is MANUAL when it is unhealthy, naming its state', () => {
      const rows = [
        arcCluster({ name: 'arc-09' }),
        containerStorage(ARC, EXTENSION_TYPE.containerStorage, 'Failed'),
      ];
      const finding = evaluate(rows, ARC, 'DS-09');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toContain('Failed');
    });

    it('aks: does not count (cloud sync applies to arc and aks-arc only)', () => {
      const finding = evaluate([aksCluster({ name: 'aks-09' }), containerStorage(AKS)], AKS, 'DS-09');
      expect(finding.status).toBe('MANUAL');
    });

    it('arc: still passes through healthy Container Storage when the backup extension protects nothing', () => {
      const rows = [
        arcCluster({ name: 'arc-09' }),
        aksCluster({ name: 'aks-09-other' }),
        backupExtension(ARC),
        containerStorage(ARC),
        backupInstance({ ...VAULT, name: 'other-bi', dataSourceId: OTHER_AKS }),
      ];
      expect(evaluate(rows, ARC, 'DS-09').status).toBe('PASS');
    });
  });

  describe('nothing visible from Azure', () => {
    it.each([
      ['arc', ARC, () => arcCluster({ name: 'arc-09' })],
      ['aks-arc', AKS_ARC, () => aksArcCluster({ name: 'aksarc-09' })],
      ['aks', AKS, () => aksCluster({ name: 'aks-09' })],
    ] as const)('%s: MANUAL, a tool such as Velero must be attested', (_kind, id, cluster) => {
      const finding = evaluate([cluster()], id, 'DS-09');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toMatch(/Velero/);
      expect(finding.reason).toMatch(/attest/i);
      expectSources(finding, id);
    });
  });

  it("marks an Offline aks-arc cluster's verdict stale, naming since when", () => {
    const since = daysBeforeNow(6);
    const rows = [
      aksArcCluster({
        name: 'aksarc-09',
        properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
      }),
      containerStorage(AKS_ARC),
    ];
    const finding = evaluate(rows, AKS_ARC, 'DS-09');
    expect(finding.status).toBe('PASS');
    expect(finding.evidence.stale).toBe(true);
    expect(finding.reason).toContain(since.slice(0, 10));
  });
});
