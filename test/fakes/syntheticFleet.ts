/**
 * A deterministic synthetic fleet in Resource Manager (camelCase) shape, sized at will: Arc, AKS
 * Arc (with instances, custom locations, Azure Local clusters and security settings) and AKS
 * clusters with six extensions each, Flux configurations and backup instances.
 */
type Json = Record<string, unknown>;

export interface SyntheticFleetOptions {
  clusters: number;
  subscriptions: number;
  extensionsPerCluster?: number;
}

const EXTENSION_TYPES = [
  'Microsoft.Azure.SecretStore',
  'microsoft.flux',
  'Microsoft.DataProtection.Kubernetes',
  'microsoft.arc.containerstorage',
  'Microsoft.AzureMonitor.Containers',
  'microsoft.azurekeyvaultsecretsprovider',
  'Microsoft.openservicemesh',
];

function subscriptionId(index: number): string {
  return `5a000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

export function syntheticFleet(options: SyntheticFleetOptions): {
  resources: Json[];
  subscriptions: string[];
} {
  const perCluster = options.extensionsPerCluster ?? 6;
  const resources: Json[] = [];
  const sites = new Set<string>();
  const subscriptions = Array.from({ length: options.subscriptions }, (_, i) => subscriptionId(i));
  for (let i = 0; i < options.clusters; i++) {
    const sub = subscriptions[i % subscriptions.length] ?? subscriptions[0] ?? '';
    const group = `Site-${i % 23}`;
    const kind = i % 5 === 0 ? 'aks' : i % 5 === 1 ? 'aks-arc' : 'arc';
    const base = `/subscriptions/${sub}/resourceGroups/${group}/providers`;
    const id =
      kind === 'aks'
        ? `${base}/Microsoft.ContainerService/managedClusters/aks-${i}`
        : `${base}/Microsoft.Kubernetes/connectedClusters/${kind === 'aks-arc' ? 'aksarc' : 'k3s'}-${i}`;
    if (kind === 'aks') {
      resources.push({
        id,
        name: `aks-${i}`,
        type: 'Microsoft.ContainerService/managedClusters',
        location: 'westeurope',
        properties: {
          kubernetesVersion: '1.31.2',
          agentPoolProfiles: [
            { name: 'system', enableEncryptionAtHost: true },
            { name: 'user', enableEncryptionAtHost: i % 3 !== 0 },
          ],
          addonProfiles: {
            azureKeyvaultSecretsProvider: {
              enabled: i % 4 !== 0,
              config: { enableSecretRotation: String(i % 2 === 0) },
            },
          },
          securityProfile: { azureKeyVaultKms: { enabled: i % 6 === 0 } },
          networkProfile: {
            advancedNetworking: {
              security: { transitEncryption: { type: i % 7 === 0 ? 'WireGuard' : 'None' } },
            },
          },
        },
      });
    } else {
      const offlineDays = i % 11 === 0 ? 40 : i % 13 === 0 ? 3 : 0;
      resources.push({
        id,
        name: id.split('/').pop(),
        type: 'Microsoft.Kubernetes/connectedClusters',
        location: 'westeurope',
        ...(kind === 'aks-arc' ? { kind: 'ProvisionedCluster' } : {}),
        properties: {
          agentVersion: `1.${31 - (i % 5)}.${i % 3}`,
          kubernetesVersion: '1.30.4',
          distribution: kind === 'aks-arc' ? 'AKS' : 'k3s',
          connectivityStatus: offlineDays > 0 ? 'Offline' : i % 97 === 0 ? 'Expired' : 'Connected',
          lastConnectivityTime: new Date(Date.UTC(2026, 10, 20) - offlineDays * 86_400_000).toISOString(),
          provisioningState: 'Succeeded',
        },
      });
    }
    if (kind === 'aks-arc') {
      const site = `${base.replace(`/resourceGroups/${group}/providers`, `/resourceGroups/HCI-${i % 17}/providers`)}`;
      const customLocation = `${site}/Microsoft.ExtendedLocation/customLocations/cl-${i % 17}`;
      const hci = `${site}/Microsoft.AzureStackHCI/clusters/hci-${i % 17}`;
      resources.push({
        id: `${id}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`,
        name: 'default',
        type: 'Microsoft.HybridContainerService/provisionedClusterInstances',
        extendedLocation: { type: 'CustomLocation', name: customLocation },
        properties: { provisioningState: 'Succeeded', kubernetesVersion: 'v1.30.4' },
      });
      if (!sites.has(customLocation)) {
        sites.add(customLocation);
        resources.push(
          {
            id: customLocation,
            name: `cl-${i % 17}`,
            type: 'Microsoft.ExtendedLocation/customLocations',
            location: 'westeurope',
            properties: { clusterExtensionIds: [] },
          },
          {
            id: hci,
            name: `hci-${i % 17}`,
            type: 'Microsoft.AzureStackHCI/clusters',
            location: 'westeurope',
            properties: { cloudId: `cloud-${sub}-${i % 17}` },
          },
          {
            id: `${hci}/securitySettings/default`,
            name: 'default',
            type: 'Microsoft.AzureStackHCI/clusters/securitySettings',
            properties: {
              securityComplianceStatus: {
                dataAtRestEncrypted: ['Compliant', 'NonCompliant', 'Pending'][i % 3],
                dataInTransitProtected: ['Compliant', 'Pending', 'NonCompliant'][i % 3],
              },
            },
          },
        );
      }
    }
    for (let e = 0; e < perCluster; e++) {
      const extensionType = EXTENSION_TYPES[(i + e) % EXTENSION_TYPES.length] ?? 'microsoft.flux';
      resources.push({
        id: `${id}/providers/Microsoft.KubernetesConfiguration/extensions/ext-${e}`,
        name: `ext-${e}`,
        type: 'Microsoft.KubernetesConfiguration/extensions',
        properties: {
          extensionType,
          provisioningState: (i + e) % 9 === 0 ? 'Failed' : 'Succeeded',
          configurationSettings: extensionType.toLowerCase().includes('secretstore')
            ? { rotationPollIntervalInSeconds: String([1800, 3600, 7200][i % 3]) }
            : { 'secrets-store-csi-driver.enableSecretRotation': String(i % 2 === 0) },
        },
      });
    }
    resources.push({
      id: `${id}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/platform`,
      name: 'platform',
      type: 'Microsoft.KubernetesConfiguration/fluxConfigurations',
      properties: {
        complianceState: ['Compliant', 'Non-Compliant', 'Pending'][i % 3],
        provisioningState: 'Succeeded',
      },
    });
    if (i % 4 === 0) {
      resources.push({
        id: `/subscriptions/${sub}/resourceGroups/backup/providers/Microsoft.DataProtection/backupVaults/vault/backupInstances/bi-${i}`,
        name: `bi-${i}`,
        type: 'Microsoft.DataProtection/backupVaults/backupInstances',
        properties: {
          dataSourceInfo: { resourceID: id, datasourceType: 'Microsoft.ContainerService/managedClusters' },
        },
      });
    }
  }
  return { resources, subscriptions };
}
