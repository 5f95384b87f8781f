import { describe, expect, it } from 'vitest';

import {
  EXTENSION_TYPE,
  SUBSCRIPTION,
  aksArcCluster,
  aksArcOnAzureLocal,
  aksCluster,
  arcCluster,
  armExtension,
  asResourceGraphRow,
  connectedClusterId,
  extensionIdOf,
  managedClusterId,
  provisionedClusterInstance,
  resourceGraphExtension,
} from '../support/azureRows.js';
import { daysBeforeNow } from '../support/clock.js';
import { checkAt, evaluate, evidenceText, expectSources } from '../support/scan.js';

const ARC = connectedClusterId('arc-07');
const AKS = managedClusterId('aks-07');

describe('DS-07 Data in transit is protected', () => {
  it('is a medium-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-07' })], ARC, 'DS-07');
    expect(finding.controlTitle).toBe('Data in transit is protected');
    expect(finding.severity).toBe('medium');
  });

  describe("aks-arc: the hosting Azure Local cluster's dataInTransitProtected", () => {
    it('passes when it is Compliant', () => {
      const site = aksArcOnAzureLocal('edge-t1', {
        dataAtRestEncrypted: 'NonCompliant',
        dataInTransitProtected: 'Compliant',
      });
      const finding = evaluate(site.rows, site.clusterId, 'DS-07');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('Compliant');
      expect(finding.reason).toContain(site.azureLocalClusterId);
      const check = checkAt(
        finding,
        /securityComplianceStatus\.dataInTransitProtected/i,
        site.securitySettingsId,
      );
      expect(check.observed).toBe('Compliant');
      expect(check.expected).toBe('Compliant');
      expectSources(finding, site.clusterId, site.instanceId, site.customLocationId, site.securitySettingsId);
    });

    it('fails when it is NonCompliant', () => {
      const site = aksArcOnAzureLocal('edge-t2', {
        dataAtRestEncrypted: 'Compliant',
        dataInTransitProtected: 'NonCompliant',
      });
      const finding = evaluate(site.rows, site.clusterId, 'DS-07');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('NonCompliant');
      expect(checkAt(finding, /dataInTransitProtected/i).observed).toBe('NonCompliant');
    });

    it('is MANUAL while it is Pending', () => {
      const site = aksArcOnAzureLocal('edge-t3', { dataInTransitProtected: 'Pending' });
      const finding = evaluate(site.rows, site.clusterId, 'DS-07');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toMatch(/Pending|not (yet )?finished/);
    });

    it('is MANUAL when the status is absent', () => {
      const site = aksArcOnAzureLocal('edge-t4', { dataInTransitProtected: undefined });
      const finding = evaluate(site.rows, site.clusterId, 'DS-07');
      expect(finding.status).toBe('MANUAL');
      expect(checkAt(finding, /dataInTransitProtected/i).observed).toBeNull();
    });

    it('is MANUAL naming the missing link when the hosting cluster cannot be determined', () => {
      const edge = connectedClusterId('edge-t5');
      const rows = [aksArcCluster({ name: 'edge-t5' }), provisionedClusterInstance(edge, undefined)];
      const finding = evaluate(rows, edge, 'DS-07');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toMatch(/custom location/i);
    });

    it('is ERROR when reading the security settings failed', () => {
      const site = aksArcOnAzureLocal('edge-t6');
      const rows = site.rows.filter((row) => row['id'] !== site.securitySettingsId);
      const finding = evaluate(rows, site.clusterId, 'DS-07', {
        gaps: [{ kind: 'resource', id: site.securitySettingsId.toLowerCase(), reason: 'GatewayTimeout' }],
      });
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toContain('GatewayTimeout');
    });

    it("does not come from the cluster's extensions, so it is not stale when the cluster is Offline", () => {
      const site = aksArcOnAzureLocal(
        'edge-t7',
        { dataInTransitProtected: 'Compliant' },
        { properties: { connectivityStatus: 'Offline', lastConnectivityTime: daysBeforeNow(2) } },
      );
      const finding = evaluate(site.rows, site.clusterId, 'DS-07');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.stale).toBe(false);
    });
  });

  describe('aks', () => {
    it('passes with Cilium WireGuard transit encryption', () => {
      const cluster = aksCluster({
        name: 'aks-07',
        properties: {
          networkProfile: {
            networkPlugin: 'azure',
            networkDataplane: 'cilium',
            advancedNetworking: { enabled: true, security: { transitEncryption: { type: 'WireGuard' } } },
          },
        },
      });
      const finding = evaluate([cluster], AKS, 'DS-07');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toMatch(/WireGuard/);
      const check = checkAt(finding, /transitEncryption\.type/i, AKS);
      expect(check.observed).toBe('WireGuard');
      expect(check.expected).toBe('WireGuard');
    });

    it('passes with the Istio service mesh add-on', () => {
      const cluster = aksCluster({
        name: 'aks-07',
        properties: { serviceMeshProfile: { mode: 'Istio', istio: { revisions: ['asm-1-25'] } } },
      });
      const finding = evaluate([cluster], AKS, 'DS-07');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toMatch(/Istio/);
      expect(checkAt(finding, /serviceMeshProfile\.mode/i, AKS).observed).toBe('Istio');
    });

    it('compares both values ignoring case (Resource Graph, lower-cased)', () => {
      const cluster = aksCluster({
        name: 'aks-07',
        properties: {
          networkProfile: { advancedNetworking: { security: { transitEncryption: { type: 'wireguard' } } } },
        },
      });
      expect(evaluate([asResourceGraphRow(cluster)], AKS, 'DS-07').status).toBe('PASS');
    });

    it('is MANUAL otherwise, because a mesh may be installed in the cluster', () => {
      const cluster = aksCluster({
        name: 'aks-07',
        properties: {
          networkProfile: { advancedNetworking: { security: { transitEncryption: { type: 'None' } } } },
          serviceMeshProfile: { mode: 'Disabled' },
        },
      });
      const finding = evaluate([cluster], AKS, 'DS-07');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toMatch(/WireGuard/);
      expect(finding.reason).toMatch(/Istio/);
      expect(finding.reason).toMatch(/mesh/i);
      expect(checkAt(finding, /transitEncryption\.type/i).observed).toBe('None');
      expect(checkAt(finding, /serviceMeshProfile\.mode/i).observed).toBe('Disabled');
    });
  });

  describe('arc', () => {
    it('passes when Open Service Mesh is healthy', () => {
      const rows = [
        arcCluster({ name: 'arc-07' }),
        armExtension(ARC, { name: 'osm', extensionType: EXTENSION_TYPE.openServiceMesh }),
      ];
      const finding = evaluate(rows, ARC, 'DS-07');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('osm');
      expect(checkAt(finding, /provisioningState/i, extensionIdOf(ARC, 'osm')).observed).toBe('Succeeded');
    });

    it('is MANUAL when Open Service Mesh is not healthy, naming its state', () => {
      const rows = [
        arcCluster({ name: 'arc-07' }),
        resourceGraphExtension(ARC, {
          name: 'osm',
          extensionType: 'microsoft.openservicemesh',
          provisioningState: 'Failed',
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-07');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toContain('Failed');
    });

    it('is MANUAL when no service mesh is installed', () => {
      const finding = evaluate([arcCluster({ name: 'arc-07' })], ARC, 'DS-07');
      expect(finding.status).toBe('MANUAL');
      expect(finding.reason).toMatch(/mesh/i);
      expectSources(finding, ARC);
    });

    it('names Azure Container Storage in the evidence when it is present', () => {
      const rows = [
        arcCluster({ name: 'arc-07' }),
        armExtension(ARC, {
          name: 'azure-arc-containerstorage',
          extensionType: EXTENSION_TYPE.containerStorage,
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-07');
      expect(finding.status).toBe('MANUAL');
      expect(evidenceText(finding)).toContain('azure-arc-containerstorage');
      expect(evidenceText(finding)).toMatch(/Container Storage/i);
    });

    it('names the legacy Edge Storage Accelerator in the evidence of a passing verdict too', () => {
      const rows = [
        arcCluster({ name: 'arc-07' }),
        armExtension(ARC, { name: 'osm', extensionType: EXTENSION_TYPE.openServiceMesh }),
        armExtension(ARC, { name: 'esa', extensionType: EXTENSION_TYPE.edgeStorageAccelerator }),
      ];
      const finding = evaluate(rows, ARC, 'DS-07');
      expect(finding.status).toBe('PASS');
      expect(evidenceText(finding)).toMatch(/Container Storage/i);
      expect(evidenceText(finding)).toContain('esa');
    });

    it('marks the verdict stale for an Offline cluster, naming since when', () => {
      const since = daysBeforeNow(8);
      const rows = [
        arcCluster({
          name: 'arc-07',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
        }),
        armExtension(ARC, { name: 'osm', extensionType: EXTENSION_TYPE.openServiceMesh }),
      ];
      const finding = evaluate(rows, ARC, 'DS-07');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.stale).toBe(true);
      expect(finding.reason).toContain(since.slice(0, 10));
    });

    it('is ERROR when the extensions could not be read', () => {
      const finding = evaluate([arcCluster({ name: 'arc-07' })], ARC, 'DS-07', {
        gaps: [
          {
            kind: 'scope',
            subscriptionId: SUBSCRIPTION,
            category: 'extensions',
            reason: 'ServiceUnavailable',
          },
        ],
      });
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toContain('ServiceUnavailable');
    });
  });
});
