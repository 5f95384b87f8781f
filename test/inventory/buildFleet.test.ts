import { describe, expect, it } from 'vitest';

import { buildFleet } from '../../shared/inventory/buildFleet.js';
import type { Inventory } from '../../shared/inventory/inventory.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import type { DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';
import { DEFAULT_SETTINGS } from '../../shared/settings/scanSettings.js';
import {
  inventoryAksArcCluster,
  inventoryAksCluster,
  inventoryApplianceId,
  inventoryArcCluster,
  inventoryConnectedClusterId,
  extension,
  extensionIdOf,
  inventoryFluxConfiguration,
  inventoryManagedClusterId,
  resourceGraphRow,
  type Row,
} from '../support/azureRows.js';

function inventoryOf(...files: unknown[][]): Inventory {
  return mergeResources(
    files.map((values, file): DocumentRow[] =>
      values.map((value, index) => ({ value, where: `file${file}.json: [${index}]` })),
    ),
  );
}

function fleetOf(...files: unknown[][]) {
  return buildFleet(inventoryOf(...files), DEFAULT_SETTINGS.azureLocalHosts);
}

function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('buildFleet: cluster kinds', () => {
  it.each([
    ['ProvisionedCluster', 'aks-arc'],
    ['provisionedcluster', 'aks-arc'],
    ['PROVISIONEDCLUSTER', 'aks-arc'],
    ['provisionedCluster', 'aks-arc'],
    ['AWS', 'arc'],
    ['', 'arc'],
  ] as const)('a connected cluster with kind %j is %s', (kind, expected) => {
    const fleet = fleetOf([inventoryArcCluster({ name: 'c', kind })]);
    expect(fleet.clusters.map((c) => c.kind)).toEqual([expected]);
  });

  it('a connected cluster without kind is arc; the AKS Arc fixture (kind ProvisionedCluster) is aks-arc', () => {
    const fleet = fleetOf([
      inventoryArcCluster({ name: 'plain', kind: null }),
      inventoryAksArcCluster({ name: 'hybrid' }),
    ]);
    expect(Object.fromEntries(fleet.clusters.map((c) => [c.name, c.kind]))).toEqual({
      plain: 'arc',
      hybrid: 'aks-arc',
    });
  });

  it('reads the kind from a differently cased key and from Resource Graph rows', () => {
    const cased = inventoryArcCluster({ name: 'cased', kind: null });
    cased.Kind = 'ProvisionedCluster';
    const graph = resourceGraphRow(inventoryAksArcCluster({ name: 'graph' }));
    const fleet = fleetOf([cased, graph]);
    expect(fleet.clusters.map((c) => c.kind)).toEqual(['aks-arc', 'aks-arc']);
  });

  it('a managed cluster is aks, whatever its kind', () => {
    const fleet = fleetOf([
      inventoryAksCluster({ name: 'aks', kind: 'ProvisionedCluster' }),
      inventoryAksCluster({ name: 'aks2' }),
    ]);
    expect(fleet.clusters.map((c) => c.kind)).toEqual(['aks', 'aks']);
  });

  it('a type string in any casing is recognised', () => {
    const upper = inventoryArcCluster({ name: 'u' });
    upper.type = 'MICROSOFT.KUBERNETES/CONNECTEDCLUSTERS';
    const lower = inventoryAksCluster({ name: 'l' });
    lower.type = 'microsoft.containerservice/managedclusters';
    const fleet = fleetOf([upper, lower]);
    expect(fleet.clusters.map((c) => [c.name, c.kind])).toEqual([
      ['u', 'arc'],
      ['l', 'aks'],
    ]);
  });

  it('keeps a cluster with malformed properties, with the problem described', () => {
    const fleet = fleetOf([
      inventoryArcCluster({ name: 'null', properties: null }),
      inventoryArcCluster({ name: 'array', properties: [1, 2] }),
      inventoryArcCluster({ name: 'number', properties: 7 }),
      inventoryArcCluster({ name: 'text', properties: 'Connected' }),
      inventoryArcCluster({ name: 'json-text', properties: '{"agentVersion":"1.2.3"}' }),
    ]);
    const byName = Object.fromEntries(fleet.clusters.map((c) => [c.name, c]));
    for (const name of ['null', 'array', 'number', 'text']) {
      expect(byName[name]?.properties).toBeUndefined();
      expect(byName[name]?.propertiesProblem).toEqual(expect.any(String));
    }
    expect(byName['json-text']?.properties).toEqual({ agentVersion: '1.2.3' });
    expect(byName['json-text']?.propertiesProblem).toBeUndefined();
  });
});

describe('buildFleet: linking extensions and Flux configurations', () => {
  it('links extensions and Flux configurations to their cluster, ignoring the case of the IDs', () => {
    const clusterId = inventoryConnectedClusterId('Edge-01');
    const fleet = fleetOf(
      [inventoryArcCluster({ name: 'Edge-01' })],
      [
        extension(clusterId.toLowerCase(), 'flux', 'microsoft.flux'),
        extension(swapCase(clusterId), 'sse', 'Microsoft.Azure.SecretStore'),
        inventoryFluxConfiguration(clusterId.toUpperCase(), 'cfg', 'Compliant'),
      ],
    );
    const [cluster] = fleet.clusters;
    expect(cluster?.extensions.map((e) => e.name).sort()).toEqual(['flux', 'sse']);
    expect(cluster?.extensions.find((e) => e.name === 'sse')?.extensionType).toBe(
      'microsoft.azure.secretstore',
    );
    expect(cluster?.fluxConfigurations.map((f) => [f.name, f.complianceState])).toEqual([
      ['cfg', 'Compliant'],
    ]);
    expect(fleet.warnings).toEqual([]);
  });

  it('reads Resource Graph extension rows (PascalCase properties) like ARM rows', () => {
    const clusterId = inventoryConnectedClusterId('graph');
    const fleet = fleetOf([
      resourceGraphRow(inventoryArcCluster({ name: 'graph' })),
      resourceGraphRow(
        extension(clusterId, 'akv', 'Microsoft.AzureKeyVaultSecretsProvider', 'Failed', {
          'secrets-store-csi-driver.enableSecretRotation': 'true',
        }),
      ),
    ]);
    const [fact] = fleet.clusters[0]?.extensions ?? [];
    expect(fact?.extensionType).toBe('microsoft.azurekeyvaultsecretsprovider');
    expect(fact?.provisioningState).toBe('Failed');
    expect(fact?.field('configurationSettings')).toEqual({
      value: { 'secrets-store-csi-driver.enableSecretRotation': 'true' },
      path: 'properties.configurationSettings',
    });
  });

  it('links extensions of AKS clusters (managedClusters IDs)', () => {
    const clusterId = inventoryManagedClusterId('aks');
    const fleet = fleetOf([
      inventoryAksCluster({ name: 'aks' }),
      extension(clusterId, 'backup', 'microsoft.dataprotection.kubernetes'),
    ]);
    expect(fleet.clusters[0]?.extensions.map((e) => e.name)).toEqual(['backup']);
    expect(fleet.warnings).toEqual([]);
  });

  it('does not give one cluster the extensions of another with a similar name', () => {
    const fleet = fleetOf([
      inventoryArcCluster({ name: 'edge' }),
      inventoryArcCluster({ name: 'edge-2' }),
      extension(inventoryConnectedClusterId('edge-2'), 'flux', 'microsoft.flux'),
    ]);
    const byName = Object.fromEntries(fleet.clusters.map((c) => [c.name, c.extensions.length]));
    expect(byName).toEqual({ edge: 0, 'edge-2': 1 });
  });

  it('reports an extension whose cluster is not in the inventory in the warnings, with its origin', () => {
    const orphan = extension(inventoryConnectedClusterId('gone'), 'sse', 'microsoft.azure.secretstore');
    const fleet = fleetOf([inventoryArcCluster({ name: 'here' })], [orphan]);
    expect(fleet.clusters[0]?.extensions).toEqual([]);
    expect(fleet.warnings).toHaveLength(1);
    expect(fleet.warnings[0]?.where).toBe('file1.json: [0]');
    expect(fleet.warnings[0]?.message).toContain(String(orphan.id));
  });

  it('reports a Flux configuration whose cluster is not in the inventory', () => {
    const orphan = inventoryFluxConfiguration(inventoryManagedClusterId('gone'), 'cfg', 'Compliant');
    const fleet = fleetOf([orphan]);
    expect(fleet.warnings).toHaveLength(1);
    expect(fleet.warnings[0]?.message).toContain(String(orphan.id));
  });

  it('reports an extension whose ID names no parent resource', () => {
    const odd = extension('/nowhere', 'x', 'microsoft.flux');
    odd.id = 'not-an-arm-id';
    const fleet = fleetOf([odd]);
    expect(fleet.warnings).toHaveLength(1);
    expect(fleet.warnings[0]?.where).toBe('file0.json: [0]');
  });

  it('does not warn about extensions on an Arc resource bridge appliance', () => {
    const bridge = inventoryApplianceId('bridge');
    const fleet = fleetOf([
      inventoryArcCluster({ name: 'c' }),
      extension(bridge, 'hci-vmoperator', 'Microsoft.AZStackHCI.Operator', 'Succeeded', {
        HCIClusterID: '/x',
      }),
      extension(bridge.toLowerCase(), 'aks-operator', 'Microsoft.HybridAKSOperator'),
    ]);
    expect(fleet.warnings).toEqual([]);
    expect(fleet.clusters[0]?.extensions).toEqual([]);
  });

  it('carries row warnings of the inventory into the fleet warnings', () => {
    const fleet = fleetOf([null, inventoryArcCluster({ name: 'c' }), { id: '/x' }]);
    expect(fleet.warnings.map((w) => w.where)).toEqual(['file0.json: [0]', 'file0.json: [2]']);
  });

  it('links 5,000 clusters × 6 extensions each, each cluster getting exactly its own six', () => {
    const clusterCount = 5_000;
    const types = [
      'microsoft.azure.secretstore',
      'microsoft.azurekeyvaultsecretsprovider',
      'microsoft.flux',
      'microsoft.dataprotection.kubernetes',
      'microsoft.arc.containerstorage',
      'microsoft.openservicemesh',
    ];
    const clusters: Row[] = [];
    const extensions: Row[] = [];
    for (let i = 0; i < clusterCount; i++) {
      const name = `edge-${String(i).padStart(5, '0')}`;
      const id = inventoryConnectedClusterId(name, `sub-${i % 7}`, `rg-${i % 13}`);
      clusters.push({ id, name, type: 'Microsoft.Kubernetes/connectedClusters', properties: {} });
      types.forEach((extensionType, n) => {
        // Alternate the casing of the cluster part of the ID, as Resource Graph tables do.
        const parent = n % 2 === 0 ? id : id.toLowerCase();
        extensions.push({
          id: extensionIdOf(parent, `ext-${n}`),
          type: 'microsoft.kubernetesconfiguration/extensions',
          properties: { ExtensionType: extensionType, ProvisioningState: 'Succeeded' },
        });
      });
    }
    // Extensions first, in reverse, so that linking cannot rely on order.
    const fleet = fleetOf(extensions.reverse(), clusters);
    expect(fleet.clusters).toHaveLength(clusterCount);
    expect(fleet.warnings).toEqual([]);
    for (const cluster of fleet.clusters) {
      expect(cluster.extensions).toHaveLength(6);
      const prefix = `${cluster.key}/providers/microsoft.kubernetesconfiguration/extensions/`;
      for (const fact of cluster.extensions) {
        if (!fact.id.toLowerCase().startsWith(prefix)) {
          throw new Error(`${fact.id} linked to ${cluster.id}`);
        }
      }
      expect(new Set(cluster.extensions.map((e) => e.extensionType))).toEqual(new Set(types));
    }
  });
});
