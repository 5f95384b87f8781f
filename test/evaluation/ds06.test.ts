import { describe, expect, it } from 'vitest';

import {
  OTHER_SUBSCRIPTION,
  type Row,
  agentPool,
  aksArcCluster,
  aksArcOnAzureLocal,
  aksCluster,
  applianceId,
  arcCluster,
  asResourceGraphRow,
  azureLocalCluster,
  azureLocalClusterId,
  bridgeExtension,
  connectedClusterId,
  customLocation,
  customLocationId,
  instanceIdOf,
  managedClusterId,
  provisionedClusterInstance,
  securitySettings,
  securitySettingsIdOf,
} from '../support/azureRows.js';
import { checkAt, evaluate, evidenceText, expectSources } from '../support/scan.js';

const ARC = connectedClusterId('arc-06');
const AKS = managedClusterId('aks-06');

/** The Azure Local site: its own subscription and resource group, as in the instance example. */
const SITE = { subscriptionId: OTHER_SUBSCRIPTION, resourceGroup: 'hci-site-rg' };
const EDGE = connectedClusterId('edge-06');
const CUSTOM_LOCATION = customLocationId('edge-cl', SITE);
const BRIDGE = applianceId('edge-bridge', SITE);
const HCI_A = azureLocalClusterId('hci-a', SITE);
const HCI_B = azureLocalClusterId('hci-b', SITE);
const CLOUD_ID_A = 'a3c0468f-e38e-4dda-ac48-817f620536f0';

/** The AKS Arc cluster and its instance naming the custom location. */
function edgeCluster(): Row[] {
  return [aksArcCluster({ name: 'edge-06' }), provisionedClusterInstance(EDGE, CUSTOM_LOCATION)];
}

/** Two Azure Local clusters in the custom location's resource group: A Compliant, B NonCompliant. */
function twoAzureLocalClusters(): Row[] {
  return [
    azureLocalCluster({ ...SITE, name: 'hci-a', cloudId: CLOUD_ID_A }),
    securitySettings(HCI_A, { dataAtRestEncrypted: 'Compliant' }),
    azureLocalCluster({ ...SITE, name: 'hci-b', cloudId: 'b7f1c9d2-0000-4000-8000-000000000002' }),
    securitySettings(HCI_B, { dataAtRestEncrypted: 'NonCompliant' }),
  ];
}

/** The custom location with one resource-bridge extension whose HCIClusterID is `hciClusterId`. */
function customLocationNaming(hciClusterId: string | undefined): Row[] {
  const extension = bridgeExtension(BRIDGE, 'hci-vmoperator', hciClusterId);
  return [customLocation(CUSTOM_LOCATION, [String(extension['id'])], BRIDGE), extension];
}

describe('DS-06 Workload volumes are encrypted at rest', () => {
  it('is a high-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-06' })], ARC, 'DS-06');
    expect(finding.controlTitle).toBe('Workload volumes are encrypted at rest');
    expect(finding.severity).toBe('high');
  });

  describe("aks-arc: the hosting Azure Local cluster's dataAtRestEncrypted", () => {
    it('passes when it is Compliant, with evidence along the whole link', () => {
      const site = aksArcOnAzureLocal('edge-a', { dataAtRestEncrypted: 'Compliant' });
      const finding = evaluate(site.rows, site.clusterId, 'DS-06');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain(site.azureLocalClusterId);
      expect(finding.reason).toContain('Compliant');
      const check = checkAt(
        finding,
        /securityComplianceStatus\.dataAtRestEncrypted/i,
        site.securitySettingsId,
      );
      expect(check.observed).toBe('Compliant');
      expect(check.expected).toBe('Compliant');
      expectSources(finding, site.clusterId, site.instanceId, site.customLocationId, site.securitySettingsId);
      expect(evidenceText(finding)).toContain(site.bridgeExtensionId);
    });

    it('fails when it is NonCompliant', () => {
      const site = aksArcOnAzureLocal('edge-b', { dataAtRestEncrypted: 'NonCompliant' });
      const finding = evaluate(site.rows, site.clusterId, 'DS-06');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('NonCompliant');
      expect(finding.reason).toContain(site.azureLocalClusterId);
      expect(checkAt(finding, /dataAtRestEncrypted/i, site.securitySettingsId).observed).toBe('NonCompliant');
    });

    it('compares the status ignoring case', () => {
      const site = aksArcOnAzureLocal('edge-c', { dataAtRestEncrypted: 'NONCOMPLIANT' });
      expect(evaluate(site.rows, site.clusterId, 'DS-06').status).toBe('FAIL');
    });

    it('is MANUAL while Azure Local is still evaluating (Pending), saying so', () => {
      const site = aksArcOnAzureLocal('edge-d', { dataAtRestEncrypted: 'Pending' });
      const finding = evaluate(site.rows, site.clusterId, 'DS-06');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toMatch(/Azure Local/);
      expect(finding.reason).toMatch(/not (yet )?finished|still evaluating/i);
      expect(checkAt(finding, /dataAtRestEncrypted/i).observed).toBe('Pending');
    });

    describe('finding the hosting Azure Local cluster (first match wins)', () => {
      it('1. uses an explicit custom location → Azure Local mapping from the settings', () => {
        const rows = [...edgeCluster(), ...customLocationNaming(HCI_A), ...twoAzureLocalClusters()];
        const settings = { azureLocalHosts: { [CUSTOM_LOCATION.toLowerCase()]: HCI_B } };
        const finding = evaluate(rows, EDGE, 'DS-06', { settings });
        expect(finding.status).toBe('FAIL');
        expect(finding.reason).toContain(HCI_B);
        expect(checkAt(finding, /dataAtRestEncrypted/i, securitySettingsIdOf(HCI_B)).observed).toBe(
          'NonCompliant',
        );
      });

      it("2a. follows the custom location's cluster extension whose HCIClusterID is the ARM ID", () => {
        const rows = [
          ...edgeCluster(),
          ...customLocationNaming(HCI_A.toLowerCase()),
          ...twoAzureLocalClusters(),
        ];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('PASS');
        expect(finding.reason).toContain(HCI_A);
        expectSources(finding, EDGE, instanceIdOf(EDGE), CUSTOM_LOCATION, securitySettingsIdOf(HCI_A));
      });

      it("2b. follows an HCIClusterID that is the Azure Local cluster's cloudId", () => {
        const rows = [
          ...edgeCluster(),
          ...customLocationNaming(CLOUD_ID_A.toUpperCase()),
          ...twoAzureLocalClusters(),
        ];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('PASS');
        expect(finding.reason).toContain(HCI_A);
      });

      it('2c. prefers the HCIClusterID link over the only cluster of the resource group', () => {
        const elsewhere = { subscriptionId: OTHER_SUBSCRIPTION, resourceGroup: 'hci-other-rg' };
        const hciX = azureLocalClusterId('hci-x', elsewhere);
        const rows = [
          ...edgeCluster(),
          ...customLocationNaming(hciX),
          azureLocalCluster({ ...elsewhere, name: 'hci-x' }),
          securitySettings(hciX, { dataAtRestEncrypted: 'NonCompliant' }),
          azureLocalCluster({ ...SITE, name: 'hci-a' }),
          securitySettings(HCI_A, { dataAtRestEncrypted: 'Compliant' }),
        ];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('FAIL');
        expect(finding.reason).toContain(hciX);
      });

      it("3. takes the only Azure Local cluster in the custom location's subscription and resource group", () => {
        const rows = [
          ...edgeCluster(),
          asResourceGraphRow(azureLocalCluster({ ...SITE, name: 'hci-a' })),
          securitySettings(HCI_A, { dataAtRestEncrypted: 'Compliant' }),
          // Another Azure Local cluster in the AKS Arc cluster's own resource group must not be picked.
          azureLocalCluster({ name: 'hci-fleet-rg' }),
          securitySettings(azureLocalClusterId('hci-fleet-rg'), { dataAtRestEncrypted: 'NonCompliant' }),
        ];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('PASS');
        expect(finding.reason).toContain(HCI_A);
      });

      it("3. also applies when the custom location's extensions carry no HCIClusterID", () => {
        const rows = [
          ...edgeCluster(),
          ...customLocationNaming(undefined),
          azureLocalCluster({ ...SITE, name: 'hci-b' }),
          securitySettings(HCI_B, { dataAtRestEncrypted: 'NonCompliant' }),
        ];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('FAIL');
        expect(finding.reason).toContain(HCI_B);
      });

      it('is MANUAL, never a guess, when two Azure Local clusters share the resource group', () => {
        const rows = [...edgeCluster(), ...customLocationNaming(undefined), ...twoAzureLocalClusters()];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('MANUAL');
        expect(finding.reason).toMatch(/\b2\b|two/i);
        expect(finding.reason).toMatch(/resource group/i);
        expectSources(finding, EDGE);
      });

      it("is MANUAL when the custom location's extensions point to two Azure Local clusters", () => {
        const first = bridgeExtension(BRIDGE, 'hci-vmoperator', HCI_A);
        const second = bridgeExtension(BRIDGE, 'hybridaksextension', HCI_B);
        const rows = [
          ...edgeCluster(),
          customLocation(CUSTOM_LOCATION, [String(first['id']), String(second['id'])], BRIDGE),
          first,
          second,
          ...twoAzureLocalClusters(),
        ];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('MANUAL');
        expect(finding.reason).toMatch(/\b2\b|two/i);
      });

      it('is MANUAL naming the missing AKS Arc instance when it is not in the inventory', () => {
        const rows = [
          aksArcCluster({ name: 'edge-06' }),
          ...customLocationNaming(HCI_A),
          ...twoAzureLocalClusters(),
        ];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('MANUAL');
        expect(finding.reason).toMatch(/instance/i);
        expect(finding.reason).toMatch(/provisionedClusterInstances/i);
        expectSources(finding, EDGE);
      });

      it('is MANUAL naming extendedLocation when the instance names no custom location', () => {
        const rows = [aksArcCluster({ name: 'edge-06' }), provisionedClusterInstance(EDGE, undefined)];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('MANUAL');
        expect(finding.reason).toMatch(/custom location/i);
        expect(finding.reason).toMatch(/extendedLocation/);
      });

      it('is MANUAL naming the custom location when no Azure Local cluster can be linked to it', () => {
        const finding = evaluate(edgeCluster(), EDGE, 'DS-06');
        expect(finding.status).toBe('MANUAL');
        expect(finding.reason).toContain(CUSTOM_LOCATION);
        expectSources(finding, EDGE, instanceIdOf(EDGE));
      });

      it('is MANUAL naming the security settings when the host is known but they are not in the inventory', () => {
        const rows = [
          ...edgeCluster(),
          ...customLocationNaming(HCI_A),
          azureLocalCluster({ ...SITE, name: 'hci-a' }),
        ];
        const finding = evaluate(rows, EDGE, 'DS-06');
        expect(finding.status).toBe('MANUAL');
        expect(finding.reason).toContain(HCI_A);
        expect(finding.reason).toMatch(/security ?settings/i);
      });
    });

    describe('failed reads are ERROR, never PASS', () => {
      it('is ERROR when reading the security settings failed', () => {
        const site = aksArcOnAzureLocal('edge-e', { dataAtRestEncrypted: 'Compliant' });
        const rows = site.rows.filter((row) => row['id'] !== site.securitySettingsId);
        const finding = evaluate(rows, site.clusterId, 'DS-06', {
          gaps: [{ kind: 'resource', id: site.securitySettingsId, reason: 'HTTP 403 AuthorizationFailed' }],
        });
        expect(finding.status).toBe('ERROR');
        expect(finding.reason).toMatch(/security ?settings/i);
        expect(finding.reason).toContain('AuthorizationFailed');
      });

      it('is ERROR when reading the AKS Arc instance failed', () => {
        const rows = [
          aksArcCluster({ name: 'edge-06' }),
          ...customLocationNaming(HCI_A),
          ...twoAzureLocalClusters(),
        ];
        const finding = evaluate(rows, EDGE, 'DS-06', {
          gaps: [{ kind: 'resource', id: instanceIdOf(EDGE), reason: 'HTTP 500 InternalServerError' }],
        });
        expect(finding.status).toBe('ERROR');
        expect(finding.reason).toContain('InternalServerError');
      });

      it("is ERROR when the Azure Local clusters of the site's subscription could not be read", () => {
        const finding = evaluate(edgeCluster(), EDGE, 'DS-06', {
          gaps: [
            {
              kind: 'scope',
              subscriptionId: OTHER_SUBSCRIPTION,
              category: 'azureLocal',
              reason: 'Forbidden',
            },
          ],
        });
        expect(finding.status).toBe('ERROR');
        expect(finding.reason).toContain('Forbidden');
      });
    });
  });

  describe('aks', () => {
    it('passes when every agent pool encrypts at host (spec example)', () => {
      const finding = evaluate([aksCluster({ name: 'aks-06', from: 'keyvault-addon' })], AKS, 'DS-06');
      expect(finding.status).toBe('PASS');
      const check = checkAt(finding, /agentPoolProfiles.*nodepool1.*enableEncryptionAtHost/i, AKS);
      expect(check.observed).toBe(true);
      expect(check.expected).toContain('true');
    });

    it('fails naming only the pools without encryption at host', () => {
      const cluster = aksCluster({
        name: 'aks-06',
        properties: {
          agentPoolProfiles: [
            agentPool('sysnp', { enableEncryptionAtHost: true, mode: 'System' }),
            agentPool('usernp', { mode: 'User' }),
            agentPool('gpunp', { enableEncryptionAtHost: false, mode: 'User' }),
          ],
        },
      });
      const finding = evaluate([cluster], AKS, 'DS-06');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('usernp');
      expect(finding.reason).toContain('gpunp');
      expect(finding.reason).not.toContain('sysnp');
      expect(checkAt(finding, /usernp.*enableEncryptionAtHost/i).observed).toBeNull();
      expect(checkAt(finding, /gpunp.*enableEncryptionAtHost/i).observed).toBe(false);
      expect(checkAt(finding, /sysnp.*enableEncryptionAtHost/i).observed).toBe(true);
    });

    it('fails for the security profile example, whose pool does not set enableEncryptionAtHost', () => {
      const finding = evaluate([asResourceGraphRow(aksCluster({ name: 'aks-06' }))], AKS, 'DS-06');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('nodepool1');
    });

    it('is ERROR when the cluster properties are missing', () => {
      const finding = evaluate(
        [aksCluster({ name: 'aks-06', rawProperties: 'not-an-object' })],
        AKS,
        'DS-06',
      );
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/agentPoolProfiles|properties/);
    });
  });

  describe('arc', () => {
    it('is MANUAL', () => {
      const finding = evaluate([arcCluster({ name: 'arc-06' })], ARC, 'DS-06');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toMatch(/attest|person|cannot observe/i);
      expectSources(finding, ARC);
    });
  });
});
