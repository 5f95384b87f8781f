import { describe, expect, it } from 'vitest';

import {
  EXTENSION_TYPE,
  OTHER_SUBSCRIPTION,
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
import { checkAt, evaluate, evidenceText, expectSources, findingOf, scan } from '../support/scan.js';

const ARC = connectedClusterId('arc-01');
const AKS_ARC = connectedClusterId('aksarc-01');
const AKS = managedClusterId('aks-01');

describe('DS-01 Secrets are sourced from Azure Key Vault', () => {
  it('is a high-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-01' })], ARC, 'DS-01');
    expect(finding.controlTitle).toBe('Secrets are sourced from Azure Key Vault');
    expect(finding.severity).toBe('high');
    expect(finding.clusterKind).toBe('arc');
  });

  describe('arc', () => {
    it('passes when the Secret Store extension is healthy (ARM row)', () => {
      const sse = armExtension(ARC, { name: 'ssarcextension', extensionType: EXTENSION_TYPE.secretStore });
      const finding = evaluate([arcCluster({ name: 'arc-01' }), sse], ARC, 'DS-01');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('ssarcextension');
      expect(finding.reason).toContain('Succeeded');
      const check = checkAt(finding, /provisioningState/i, extensionIdOf(ARC, 'ssarcextension'));
      expect(check.observed).toBe('Succeeded');
      expect(check.expected).toContain('Succeeded');
      expectSources(finding, extensionIdOf(ARC, 'ssarcextension'));
    });

    it('passes when the Key Vault Secrets Provider is healthy (Resource Graph row, PascalCase keys)', () => {
      const csi = resourceGraphExtension(ARC, {
        name: 'akvsecretsprovider',
        extensionType: 'microsoft.azurekeyvaultsecretsprovider',
      });
      expect(csi['type']).toBe('microsoft.kubernetesconfiguration/extensions');
      expect(Object.keys(csi['properties'] as object)).toEqual(
        expect.arrayContaining(['ExtensionType', 'ProvisioningState', 'ConfigurationSettings']),
      );
      const finding = evaluate([asResourceGraphRow(arcCluster({ name: 'arc-01' })), csi], ARC, 'DS-01');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('akvsecretsprovider');
      expect(checkAt(finding, /provisioningState/i).observed).toBe('Succeeded');
      expectSources(finding, extensionIdOf(ARC, 'akvsecretsprovider'));
    });

    it('compares extension types and provisioning states ignoring case', () => {
      const sse = resourceGraphExtension(ARC, {
        name: 'sse',
        extensionType: 'MICROSOFT.Azure.SecretStore',
        provisioningState: 'succeeded',
      });
      const finding = evaluate([arcCluster({ name: 'arc-01' }), sse], ARC, 'DS-01');
      expect(finding.status).toBe('PASS');
    });

    it('fails when neither extension is installed, and shows the extension types it saw', () => {
      const flux = armExtension(ARC, { name: 'flux', extensionType: EXTENSION_TYPE.flux });
      const finding = evaluate([arcCluster({ name: 'arc-01' }), flux], ARC, 'DS-01');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/neither|no /i);
      expect(finding.reason).toMatch(/Secret Store/i);
      expect(finding.reason).toMatch(/Secrets Provider/i);
      expect(evidenceText(finding)).toContain('microsoft.flux');
      expect(evidenceText(finding)).toContain('microsoft.azure.secretstore');
      expectSources(finding, ARC);
    });

    it('fails when the installed Secret Store extension is not healthy, naming its state', () => {
      const sse = armExtension(ARC, {
        name: 'ssarcextension',
        extensionType: EXTENSION_TYPE.secretStore,
        provisioningState: 'Failed',
      });
      const finding = evaluate([arcCluster({ name: 'arc-01' }), sse], ARC, 'DS-01');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('ssarcextension');
      expect(finding.reason).toContain('Failed');
      const check = checkAt(finding, /provisioningState/i, extensionIdOf(ARC, 'ssarcextension'));
      expect(check.observed).toBe('Failed');
      expect(check.expected).toContain('Succeeded');
    });

    it('fails when the installed Secrets Provider is still Creating', () => {
      const csi = armExtension(ARC, {
        name: 'akvsecretsprovider',
        extensionType: EXTENSION_TYPE.secretsProvider,
        provisioningState: 'Creating',
      });
      const finding = evaluate([arcCluster({ name: 'arc-01' }), csi], ARC, 'DS-01');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Creating');
    });

    it('passes when one of the two is healthy even if the other failed', () => {
      const rows = [
        arcCluster({ name: 'arc-01' }),
        armExtension(ARC, {
          name: 'sse',
          extensionType: EXTENSION_TYPE.secretStore,
          provisioningState: 'Failed',
        }),
        armExtension(ARC, { name: 'akv', extensionType: EXTENSION_TYPE.secretsProvider }),
      ];
      const finding = evaluate(rows, ARC, 'DS-01');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('akv');
    });

    it('judges an Offline cluster from its last known state, marked stale since its last contact', () => {
      const since = daysBeforeNow(12);
      const rows = [
        arcCluster({
          name: 'arc-01',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
        }),
        armExtension(ARC, { name: 'sse', extensionType: EXTENSION_TYPE.secretStore }),
      ];
      const finding = evaluate(rows, ARC, 'DS-01');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.stale).toBe(true);
      expect(finding.reason).toMatch(/offline/i);
      expect(finding.reason).toContain(since.slice(0, 10));
    });

    it('is not stale while the cluster is Connected', () => {
      const rows = [
        arcCluster({ name: 'arc-01' }),
        armExtension(ARC, { name: 'sse', extensionType: EXTENSION_TYPE.secretStore }),
      ];
      expect(evaluate(rows, ARC, 'DS-01').evidence.stale).toBe(false);
    });

    it("is ERROR, not a verdict, when the subscription's extensions could not be read", () => {
      const finding = evaluate([arcCluster({ name: 'arc-01' })], ARC, 'DS-01', {
        gaps: [
          {
            kind: 'scope',
            subscriptionId: SUBSCRIPTION,
            category: 'extensions',
            reason: 'AuthorizationFailed on kubernetesconfigurationresources',
          },
        ],
      });
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/extensions/i);
      expect(finding.reason).toContain('AuthorizationFailed');
    });
  });

  describe('failed reads', () => {
    it('leaves the scan incomplete and lists what was not read', () => {
      const gap = {
        kind: 'scope' as const,
        subscriptionId: SUBSCRIPTION,
        category: 'extensions' as const,
        reason: 'AuthorizationFailed',
      };
      const result = scan([arcCluster({ name: 'arc-01' })], { gaps: [gap] });
      expect(result.run.complete).toBe(false);
      expect(result.run.notRead).toContainEqual(gap);
      expect(findingOf(result, ARC, 'DS-01').status).toBe('ERROR');
    });

    it('affects only clusters of the subscription whose extensions could not be read', () => {
      const elsewhere = connectedClusterId('arc-01b', { subscriptionId: OTHER_SUBSCRIPTION });
      const rows = [
        arcCluster({ name: 'arc-01' }),
        arcCluster({ name: 'arc-01b', subscriptionId: OTHER_SUBSCRIPTION }),
        armExtension(elsewhere, { name: 'sse', extensionType: EXTENSION_TYPE.secretStore }),
      ];
      const result = scan(rows, {
        gaps: [{ kind: 'scope', subscriptionId: SUBSCRIPTION, category: 'extensions', reason: 'Forbidden' }],
      });
      expect(findingOf(result, ARC, 'DS-01').status).toBe('ERROR');
      expect(findingOf(result, elsewhere, 'DS-01').status).toBe('PASS');
    });
  });

  describe('aks-arc', () => {
    it('passes when the Secret Store extension is healthy', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-01' }),
        resourceGraphExtension(AKS_ARC, {
          name: 'ssarcextension',
          extensionType: EXTENSION_TYPE.secretStore,
        }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-01');
      expect(finding.clusterKind).toBe('aks-arc');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('ssarcextension');
      expectSources(finding, extensionIdOf(AKS_ARC, 'ssarcextension'));
    });

    it('passes when the Key Vault Secrets Provider is healthy', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-01' }),
        armExtension(AKS_ARC, { name: 'akvsecretsprovider', extensionType: EXTENSION_TYPE.secretsProvider }),
      ];
      expect(evaluate(rows, AKS_ARC, 'DS-01').status).toBe('PASS');
    });

    it('fails when no vault sync is installed', () => {
      const finding = evaluate([aksArcCluster({ name: 'aksarc-01' })], AKS_ARC, 'DS-01');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/Secret Store/i);
      expectSources(finding, AKS_ARC);
    });

    it('fails when the only vault sync is unhealthy, naming its state', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-01' }),
        armExtension(AKS_ARC, {
          name: 'akvsecretsprovider',
          extensionType: EXTENSION_TYPE.secretsProvider,
          provisioningState: 'Deleting',
        }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-01');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Deleting');
      expect(checkAt(finding, /provisioningState/i).observed).toBe('Deleting');
    });

    it('marks the verdict of an Expired cluster stale, saying since when', () => {
      const since = daysBeforeNow(90);
      const rows = [
        aksArcCluster({
          name: 'aksarc-01',
          properties: { connectivityStatus: 'Expired', lastConnectivityTime: since },
        }),
        armExtension(AKS_ARC, {
          name: 'sse',
          extensionType: EXTENSION_TYPE.secretStore,
          provisioningState: 'Failed',
        }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-01');
      expect(finding.status).toBe('FAIL');
      expect(finding.evidence.stale).toBe(true);
      expect(finding.reason).toContain(since.slice(0, 10));
    });
  });

  describe('aks', () => {
    it('passes when addonProfiles.azureKeyvaultSecretsProvider.enabled is true (spec example)', () => {
      const finding = evaluate([aksCluster({ name: 'aks-01', from: 'keyvault-addon' })], AKS, 'DS-01');
      expect(finding.clusterKind).toBe('aks');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toMatch(/azureKeyvaultSecretsProvider/i);
      const check = checkAt(finding, /addonProfiles\.azureKeyvaultSecretsProvider\.enabled/i, AKS);
      expect(check.observed).toBe(true);
      expect(check.expected).toContain('true');
    });

    it.each(['azurekeyvaultsecretsprovider', 'AzureKeyvaultSecretsProvider', 'AZUREKEYVAULTSECRETSPROVIDER'])(
      'reads the add-on under the key %s',
      (key) => {
        const cluster = aksCluster({
          name: 'aks-01',
          properties: {
            addonProfiles: { [key]: { enabled: true, config: { enableSecretRotation: 'true' } } },
          },
        });
        const finding = evaluate([asResourceGraphRow(cluster)], AKS, 'DS-01');
        expect(finding.status).toBe('PASS');
        expect(checkAt(finding, /addonProfiles/i).observed).toBe(true);
      },
    );

    it('fails when the add-on is present but disabled and no Secret Store extension exists', () => {
      const cluster = aksCluster({
        name: 'aks-01',
        properties: { addonProfiles: { azureKeyvaultSecretsProvider: { enabled: false, config: null } } },
      });
      const finding = evaluate([cluster], AKS, 'DS-01');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/azureKeyvaultSecretsProvider/i);
      expect(finding.reason).toMatch(/not enabled|disabled|false/i);
      expect(checkAt(finding, /addonProfiles/i, AKS).observed).toBe(false);
    });

    it('fails when there are no add-on profiles at all (security profile example)', () => {
      const finding = evaluate([aksCluster({ name: 'aks-01' })], AKS, 'DS-01');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/azureKeyvaultSecretsProvider/i);
      expect(checkAt(finding, /addonProfiles/i, AKS).observed).toBeNull();
      expectSources(finding, AKS);
    });

    it('passes through a healthy Secret Store extension when the add-on is off', () => {
      const rows = [
        aksCluster({ name: 'aks-01' }),
        armExtension(AKS, { name: 'azure-secret-store', extensionType: EXTENSION_TYPE.secretStore }),
      ];
      const finding = evaluate(rows, AKS, 'DS-01');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('azure-secret-store');
      expectSources(finding, extensionIdOf(AKS, 'azure-secret-store'));
    });

    it('fails when the add-on is off and the Secret Store extension is unhealthy, naming its state', () => {
      const rows = [
        aksCluster({ name: 'aks-01' }),
        armExtension(AKS, {
          name: 'azure-secret-store',
          extensionType: EXTENSION_TYPE.secretStore,
          provisioningState: 'Failed',
        }),
      ];
      const finding = evaluate(rows, AKS, 'DS-01');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Failed');
    });

    it('is ERROR when the cluster has no readable properties and no healthy Secret Store extension', () => {
      const finding = evaluate([aksCluster({ name: 'aks-01', rawProperties: null })], AKS, 'DS-01');
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/properties/i);
    });

    it('is ERROR when the extensions could not be read and the add-on is off', () => {
      const finding = evaluate([aksCluster({ name: 'aks-01' })], AKS, 'DS-01', {
        gaps: [
          {
            kind: 'scope',
            subscriptionId: SUBSCRIPTION,
            category: 'extensions',
            reason: 'HTTP 429 throttled',
          },
        ],
      });
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/extensions/i);
    });

    it('is never stale: AKS has no connectivity status', () => {
      const finding = evaluate([aksCluster({ name: 'aks-01', from: 'keyvault-addon' })], AKS, 'DS-01');
      expect(finding.evidence.stale).toBe(false);
    });
  });
});
