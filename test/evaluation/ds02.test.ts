import { describe, expect, it } from 'vitest';

import {
  EXTENSION_TYPE,
  SUBSCRIPTION,
  aksArcCluster,
  aksCluster,
  arcCluster,
  armExtension,
  asResourceGraphRow,
  connectedClusterId,
  extensionIdOf,
  managedClusterId,
  resourceGraphExtension,
} from '../support/azureRows.js';
import { daysBeforeNow } from '../support/clock.js';
import { checkAt, evaluate, evidenceText, expectSources } from '../support/scan.js';

const ARC = connectedClusterId('arc-02');
const AKS_ARC = connectedClusterId('aksarc-02');
const AKS = managedClusterId('aks-02');

describe('DS-02 Secrets stay available while the cluster is disconnected', () => {
  it('is a medium-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-02' })], ARC, 'DS-02');
    expect(finding.controlTitle).toBe('Secrets stay available while the cluster is disconnected');
    expect(finding.severity).toBe('medium');
  });

  describe('arc', () => {
    it('passes when the Secret Store extension is healthy', () => {
      const rows = [
        arcCluster({ name: 'arc-02' }),
        armExtension(ARC, { name: 'ssarcextension', extensionType: EXTENSION_TYPE.secretStore }),
      ];
      const finding = evaluate(rows, ARC, 'DS-02');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('ssarcextension');
      expect(checkAt(finding, /provisioningState/i, extensionIdOf(ARC, 'ssarcextension')).observed).toBe(
        'Succeeded',
      );
      expectSources(finding, extensionIdOf(ARC, 'ssarcextension'));
    });

    it('fails when only the Secrets Provider is present, saying why that is not enough offline', () => {
      const rows = [
        arcCluster({ name: 'arc-02' }),
        armExtension(ARC, { name: 'akvsecretsprovider', extensionType: EXTENSION_TYPE.secretsProvider }),
      ];
      const finding = evaluate(rows, ARC, 'DS-02');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/Secrets Provider/i);
      expect(finding.reason).toMatch(/disconnect|offline|connection/i);
      expect(finding.reason).toMatch(/mount|reads Key Vault/i);
      expectSources(finding, extensionIdOf(ARC, 'akvsecretsprovider'));
    });

    it('fails when no vault sync is present', () => {
      const finding = evaluate([arcCluster({ name: 'arc-02' })], ARC, 'DS-02');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/no vault sync|not installed|neither/i);
      expect(evidenceText(finding)).toContain('microsoft.azure.secretstore');
      expectSources(finding, ARC);
    });

    it('fails when the Secret Store extension is present but not healthy, naming its state', () => {
      const rows = [
        arcCluster({ name: 'arc-02' }),
        resourceGraphExtension(ARC, {
          name: 'ssarcextension',
          extensionType: EXTENSION_TYPE.secretStore,
          provisioningState: 'Failed',
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-02');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Failed');
      expect(checkAt(finding, /provisioningState/i).observed).toBe('Failed');
    });

    it('reads a PascalCase Resource Graph row with an upper-case extension type', () => {
      const rows = [
        asResourceGraphRow(arcCluster({ name: 'arc-02' })),
        resourceGraphExtension(ARC, { name: 'sse', extensionType: 'Microsoft.Azure.SecretStore' }),
      ];
      expect(evaluate(rows, ARC, 'DS-02').status).toBe('PASS');
    });

    it('marks the verdict stale for an Offline cluster, with the offline date in the reason', () => {
      const since = daysBeforeNow(3);
      const rows = [
        arcCluster({
          name: 'arc-02',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
        }),
        armExtension(ARC, { name: 'sse', extensionType: EXTENSION_TYPE.secretStore }),
      ];
      const finding = evaluate(rows, ARC, 'DS-02');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.stale).toBe(true);
      expect(finding.reason).toContain(since.slice(0, 10));
    });

    it('is ERROR when the extensions could not be read', () => {
      const finding = evaluate([arcCluster({ name: 'arc-02' })], ARC, 'DS-02', {
        gaps: [
          { kind: 'scope', subscriptionId: SUBSCRIPTION, category: 'extensions', reason: 'query timed out' },
        ],
      });
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toContain('query timed out');
    });
  });

  describe('aks-arc', () => {
    it('passes when the Secret Store extension is healthy', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-02' }),
        armExtension(AKS_ARC, { name: 'ssarcextension', extensionType: EXTENSION_TYPE.secretStore }),
      ];
      expect(evaluate(rows, AKS_ARC, 'DS-02').status).toBe('PASS');
    });

    it('fails when only the Secrets Provider is present, saying why', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-02' }),
        resourceGraphExtension(AKS_ARC, {
          name: 'akv',
          extensionType: 'microsoft.azurekeyvaultsecretsprovider',
        }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-02');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/Secrets Provider/i);
      expect(finding.reason).toMatch(/disconnect|offline|connection/i);
    });

    it('fails when no vault sync is present', () => {
      expect(evaluate([aksArcCluster({ name: 'aksarc-02' })], AKS_ARC, 'DS-02').status).toBe('FAIL');
    });

    it('fails when the Secret Store extension is not healthy, naming its state', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-02' }),
        armExtension(AKS_ARC, {
          name: 'ssarcextension',
          extensionType: EXTENSION_TYPE.secretStore,
          provisioningState: 'Updating',
        }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-02');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Updating');
      expect(checkAt(finding, /provisioningState/i, extensionIdOf(AKS_ARC, 'ssarcextension')).observed).toBe(
        'Updating',
      );
    });

    it('marks the verdict stale for an Expired cluster', () => {
      const since = daysBeforeNow(45);
      const rows = [
        aksArcCluster({
          name: 'aksarc-02',
          properties: { connectivityStatus: 'Expired', lastConnectivityTime: since },
        }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-02');
      expect(finding.status).toBe('FAIL');
      expect(finding.evidence.stale).toBe(true);
      expect(finding.reason).toContain(since.slice(0, 10));
    });
  });

  describe('aks', () => {
    it('is NOT_APPLICABLE because AKS runs in Azure, whatever it has installed', () => {
      const rows = [
        aksCluster({ name: 'aks-02', from: 'keyvault-addon' }),
        armExtension(AKS, {
          name: 'sse',
          extensionType: EXTENSION_TYPE.secretStore,
          provisioningState: 'Failed',
        }),
      ];
      const finding = evaluate(rows, AKS, 'DS-02');
      expect(finding.status).toBe('NOT_APPLICABLE');
      expect(finding.reason).toMatch(/Azure/);
    });

    it('names the cluster whose kind made it NOT_APPLICABLE in the evidence', () => {
      const finding = evaluate([aksCluster({ name: 'aks-02' })], AKS, 'DS-02');
      expect(finding.status).toBe('NOT_APPLICABLE');
      expectSources(finding, AKS);
    });
  });
});
