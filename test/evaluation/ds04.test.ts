import { describe, expect, it } from 'vitest';

import {
  aksArcCluster,
  aksCluster,
  arcCluster,
  asResourceGraphRow,
  connectedClusterId,
  managedClusterId,
} from '../support/azureRows.js';
import { daysBeforeNow } from '../support/clock.js';
import { checkAt, evaluate, evidenceText, expectSources } from '../support/scan.js';

const ARC = connectedClusterId('arc-04');
const AKS_ARC = connectedClusterId('aksarc-04');
const AKS = managedClusterId('aks-04');

const KMS_KEY = 'https://contoso-kv.vault.azure.net/keys/etcd-kek/0123456789abcdef0123456789abcdef';

describe('DS-04 Kubernetes secrets are encrypted at rest with a KMS provider', () => {
  it('is a high-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-04' })], ARC, 'DS-04');
    expect(finding.controlTitle).toBe('Kubernetes secrets are encrypted at rest with a KMS provider');
    expect(finding.severity).toBe('high');
  });

  describe('aks-arc', () => {
    it('passes, inferred from the platform, naming the in-cluster check that confirms it', () => {
      const finding = evaluate([aksArcCluster({ name: 'aksarc-04' })], AKS_ARC, 'DS-04');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.inferred).toBe(true);
      expect(finding.reason).toMatch(/KMS/);
      expect(finding.reason).toMatch(/30 days/);
      expect(evidenceText(finding)).toContain("kubectl get --raw='/readyz?verbose'");
      expect(evidenceText(finding)).toContain('kms-providers ok');
      expectSources(finding, AKS_ARC);
    });

    it('recognises the kind ProvisionedCluster in any case', () => {
      const finding = evaluate(
        [asResourceGraphRow(aksArcCluster({ name: 'aksarc-04', kind: 'provisionedcluster' }))],
        AKS_ARC,
        'DS-04',
      );
      expect(finding.clusterKind).toBe('aks-arc');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.inferred).toBe(true);
    });

    it("does not depend on extensions, so an Offline cluster's verdict is not marked stale", () => {
      const rows = [
        aksArcCluster({
          name: 'aksarc-04',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: daysBeforeNow(4) },
        }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-04');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.stale).toBe(false);
    });
  });

  describe('aks', () => {
    it('passes when securityProfile.azureKeyVaultKms.enabled is true', () => {
      const cluster = aksCluster({
        name: 'aks-04',
        properties: {
          securityProfile: {
            workloadIdentity: { enabled: true },
            azureKeyVaultKms: { enabled: true, keyId: KMS_KEY, keyVaultNetworkAccess: 'Public' },
          },
        },
      });
      const finding = evaluate([cluster], AKS, 'DS-04');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.inferred).toBe(false);
      expect(finding.reason).toMatch(/Key Vault|KMS/);
      const check = checkAt(finding, /azureKeyVaultKms\.enabled/i, AKS);
      expect(check.observed).toBe(true);
      expect(check.expected).toContain('true');
    });

    it('passes when kubernetesResourceObjectEncryptionProfile.infrastructureEncryption is Enabled', () => {
      const cluster = aksCluster({
        name: 'aks-04',
        properties: {
          securityProfile: {
            kubernetesResourceObjectEncryptionProfile: { infrastructureEncryption: 'Enabled' },
          },
        },
      });
      const finding = evaluate([cluster], AKS, 'DS-04');
      expect(finding.status).toBe('PASS');
      expect(checkAt(finding, /infrastructureEncryption/i, AKS).observed).toBe('Enabled');
    });

    it('compares infrastructureEncryption ignoring case, and reads lower-cased property keys', () => {
      const cluster = aksCluster({
        name: 'aks-04',
        properties: {
          securityProfile: undefined,
          securityprofile: {
            kubernetesresourceobjectencryptionprofile: { infrastructureencryption: 'enabled' },
          },
        },
      });
      expect(evaluate([asResourceGraphRow(cluster)], AKS, 'DS-04').status).toBe('PASS');
    });

    it('fails for the security profile example, which has neither', () => {
      const finding = evaluate([aksCluster({ name: 'aks-04' })], AKS, 'DS-04');
      expect(finding.status).toBe('FAIL');
      expect(checkAt(finding, /azureKeyVaultKms\.enabled/i, AKS).observed).toBeNull();
      expect(checkAt(finding, /infrastructureEncryption/i, AKS).observed).toBeNull();
      expectSources(finding, AKS);
    });

    it('fails when KMS is disabled and infrastructure encryption is Disabled, naming both values', () => {
      const cluster = aksCluster({
        name: 'aks-04',
        properties: {
          securityProfile: {
            azureKeyVaultKms: { enabled: false },
            kubernetesResourceObjectEncryptionProfile: { infrastructureEncryption: 'Disabled' },
          },
        },
      });
      const finding = evaluate([cluster], AKS, 'DS-04');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('false');
      expect(finding.reason).toContain('Disabled');
      expect(checkAt(finding, /azureKeyVaultKms\.enabled/i).observed).toBe(false);
    });

    it('is ERROR when the cluster properties are missing', () => {
      const finding = evaluate([aksCluster({ name: 'aks-04', rawProperties: null })], AKS, 'DS-04');
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/properties/i);
      expect(finding.reason).toMatch(/securityProfile/);
    });
  });

  describe('arc', () => {
    it('is MANUAL: it depends on the distribution, whose vendor guidance applies', () => {
      const finding = evaluate(
        [arcCluster({ name: 'arc-04', properties: { distribution: 'openshift' } })],
        ARC,
        'DS-04',
      );
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toContain('openshift');
      expect(finding.reason).toMatch(/vendor/i);
      expect(finding.evidence.inferred).toBe(false);
      expectSources(finding, ARC);
    });
  });
});
