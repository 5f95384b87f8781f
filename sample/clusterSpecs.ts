/**
 * What a sample cluster is specified with: its platform, connectivity, extensions (with their
 * builders), Flux configurations and the verdicts written for it, plus the sample's tenant and
 * subscriptions. The clusters themselves are in arcClusters.ts, aksArcClusters.ts and aksClusters.ts.
 */
import { deterministicGuid } from './resourceShapes.js';
import type {
  AddonInput,
  AgentPoolInput,
  FluxComplianceState,
  Json,
  Offset,
  ProvisioningState,
} from './resourceShapes.js';

export type SampleDay = 'previous' | 'current';

export type SiteKey = 'lyon' | 'porto' | 'gdansk' | 'nantes' | 'milan' | 'graz';

export const TENANT_ID = deterministicGuid('tenant/contoso');

export const SUBSCRIPTIONS = {
  retail: deterministicGuid('subscription/retail-stores'),
  manufacturing: deterministicGuid('subscription/manufacturing-plants'),
  edgeInfrastructure: deterministicGuid('subscription/edge-infrastructure'),
  payments: deterministicGuid('subscription/payments'),
  platform: deterministicGuid('subscription/platform-shared'),
  analytics: deterministicGuid('subscription/data-analytics'),
};

export interface ExtensionSpec {
  name: string;
  extensionType: string;
  version: string;
  releaseTrain: 'Stable' | 'Preview';
  namespace: string;
  state: ProvisioningState;
  settings: Record<string, string>;
  /** Last change; three weeks before asOf unless given. */
  modified?: Offset;
}

export interface ExtensionOptions {
  state?: ProvisioningState;
  modified?: Offset;
}

export function extension(
  base: Omit<ExtensionSpec, 'state' | 'modified'>,
  options: ExtensionOptions = {},
): ExtensionSpec {
  return { ...base, state: options.state ?? 'Succeeded', modified: options.modified };
}

/** Secret Store extension; `rotation` is `rotationPollIntervalInSeconds` (absent when undefined). */
export function secretStore(rotation?: string, options?: ExtensionOptions): ExtensionSpec {
  const settings: Record<string, string> = { enablePartialSecretSync: 'true', jitterSeconds: '30' };
  if (rotation !== undefined) settings.rotationPollIntervalInSeconds = rotation;
  return extension(
    {
      name: 'ssarcextension',
      extensionType: 'microsoft.azure.secretstore',
      version: '1.5.1',
      releaseTrain: 'Stable',
      namespace: 'azure-secret-store',
      settings,
    },
    options,
  );
}

/** Key Vault Secrets Provider; `rotation` is `secrets-store-csi-driver.enableSecretRotation`. */
export function secretsProvider(rotation?: 'true' | 'false', options?: ExtensionOptions): ExtensionSpec {
  const settings: Record<string, string> = { 'secrets-store-csi-driver.syncSecret.enabled': 'false' };
  if (rotation !== undefined) {
    settings['secrets-store-csi-driver.enableSecretRotation'] = rotation;
    settings['secrets-store-csi-driver.rotationPollInterval'] = '2m';
  }
  return extension(
    {
      name: 'akvsecretsprovider',
      extensionType: 'Microsoft.AzureKeyVaultSecretsProvider',
      version: '1.6.4',
      releaseTrain: 'Stable',
      namespace: 'kube-system',
      settings,
    },
    options,
  );
}

export function fluxExtension(options?: ExtensionOptions): ExtensionSpec {
  return extension(
    {
      name: 'flux',
      extensionType: 'microsoft.flux',
      version: '1.17.2',
      releaseTrain: 'Stable',
      namespace: 'flux-system',
      settings: { 'multiTenancy.enforce': 'false', 'image-automation-controller.enabled': 'false' },
    },
    options,
  );
}

export function backupExtension(storageAccountName: string, options?: ExtensionOptions): ExtensionSpec {
  return extension(
    {
      name: 'azure-aks-backup',
      extensionType: 'Microsoft.DataProtection.Kubernetes',
      version: '1.0.25',
      releaseTrain: 'Stable',
      namespace: 'dataprotection-microsoft',
      settings: {
        'configuration.backupStorageLocation.bucket': 'cluster-backups',
        'configuration.backupStorageLocation.config.storageAccount': storageAccountName,
        'configuration.backupStorageLocation.config.resourceGroup': 'rg-backup-storage',
        'credentials.tenantId': TENANT_ID,
      },
    },
    options,
  );
}

export function containerStorage(options?: ExtensionOptions): ExtensionSpec {
  return extension(
    {
      name: 'azure-arc-containerstorage',
      extensionType: 'microsoft.arc.containerstorage',
      version: '2.6.0',
      releaseTrain: 'Stable',
      namespace: 'azure-arc-containerstorage',
      settings: {
        'edgeStorageConfiguration.create': 'true',
        'feature.diskStorageClass': 'default,local-path',
      },
    },
    options,
  );
}

/** Azure Container Storage under its former name (Edge Storage Accelerator). */
export function edgeStorageAccelerator(options?: ExtensionOptions): ExtensionSpec {
  return extension(
    {
      name: 'edge-storage-accelerator',
      extensionType: 'Microsoft.EdgeStorageAccelerator',
      version: '1.2.0',
      releaseTrain: 'Stable',
      namespace: 'azure-arc-containerstorage',
      settings: { 'feature.diskStorageClass': 'default' },
    },
    options,
  );
}

export function openServiceMesh(options?: ExtensionOptions): ExtensionSpec {
  return extension(
    {
      name: 'osm',
      extensionType: 'Microsoft.openservicemesh',
      version: '1.2.10',
      releaseTrain: 'Stable',
      namespace: 'arc-osm-system',
      settings: { 'osm.osm.enablePermissiveTrafficPolicy': 'false' },
    },
    options,
  );
}

/** cert-manager, which SSE needs; not read by any control. */
export function certManager(): ExtensionSpec {
  return extension({
    name: 'azure-cert-management',
    extensionType: 'microsoft.certmanagement',
    version: '0.7.0',
    releaseTrain: 'Preview',
    namespace: 'cert-manager',
    settings: {},
  });
}

/** Container Insights; not read by any control. */
export function containerInsights(): ExtensionSpec {
  return extension({
    name: 'azuremonitor-containers',
    extensionType: 'Microsoft.AzureMonitor.Containers',
    version: '3.1.28',
    releaseTrain: 'Stable',
    namespace: 'kube-system',
    settings: {
      'amalogs.useAADAuth': 'true',
      logAnalyticsWorkspaceResourceID: `/subscriptions/${SUBSCRIPTIONS.platform}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-edge-weu`,
    },
  });
}

export interface FluxSpec {
  name: string;
  state: FluxComplianceState;
}

export function flux(name: string, state: FluxComplianceState): FluxSpec {
  return { name, state };
}

// ---------------------------------------------------------------------------------------------
// Clusters

export interface Platform {
  distribution: string;
  distributionVersion: string;
  infrastructure: string;
  kubernetesVersion: string;
  nodes: number;
  cores: number;
}

export const K3S: Platform = {
  distribution: 'k3s',
  distributionVersion: 'v1.31.4+k3s1',
  infrastructure: 'generic',
  kubernetesVersion: '1.31.4',
  nodes: 1,
  cores: 8,
};
export const OPENSHIFT: Platform = {
  distribution: 'openshift',
  distributionVersion: '4.17.12',
  infrastructure: 'vsphere',
  kubernetesVersion: '1.30.7',
  nodes: 6,
  cores: 96,
};
export const RKE2: Platform = {
  distribution: 'rke2',
  distributionVersion: 'v1.30.9+rke2r1',
  infrastructure: 'generic',
  kubernetesVersion: '1.30.9',
  nodes: 4,
  cores: 48,
};
export const EKS: Platform = {
  distribution: 'eks',
  distributionVersion: '1.31',
  infrastructure: 'aws',
  kubernetesVersion: '1.31.5',
  nodes: 5,
  cores: 40,
};
export const GKE: Platform = {
  distribution: 'gke',
  distributionVersion: '1.31',
  infrastructure: 'gcp',
  kubernetesVersion: '1.31.6',
  nodes: 4,
  cores: 32,
};
export const RANCHER: Platform = {
  distribution: 'rancher_rke',
  distributionVersion: 'v2.10.3',
  infrastructure: 'generic',
  kubernetesVersion: '1.30.9',
  nodes: 3,
  cores: 24,
};
export const AKS_ARC: Platform = {
  distribution: 'AKS',
  distributionVersion: '1.0',
  infrastructure: 'azure_stack_hci',
  kubernetesVersion: '1.31.5',
  nodes: 4,
  cores: 32,
};

/** `connectivityStatus`, `lastConnectivityTime` and `agentVersion` of a connected cluster. */
export interface Connectivity {
  /** Omitted from the resource when undefined. AgentNotInstalled: an agentless connection. */
  status?: 'Connected' | 'Offline' | 'Expired' | 'AgentNotInstalled';
  /** `recent` for a live heartbeat; an offset before asOf for the last contact; omitted when undefined. */
  lastSeen?: Offset | 'recent';
  /** Omitted from the resource when undefined. */
  agentVersion?: string;
  autoUpgrade?: boolean;
}

export const connected = (agentVersion: string): Connectivity => ({
  status: 'Connected',
  lastSeen: 'recent',
  agentVersion,
  autoUpgrade: true,
});

export interface ClusterBase {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
  /** When the cluster was onboarded or created. */
  created: Offset;
  extensions: ExtensionSpec[];
  flux: FluxSpec[];
  /** Git repository of the Flux configurations. */
  repository?: string;
  /** Which file the cluster's extensions and Flux configurations are exported to. */
  configIn: 'resource-graph' | 'arm';
  /** Present in that snapshot only (a new or a decommissioned cluster). */
  only?: SampleDay;
  /** Expected verdicts, columns DS-01 … DS-10 (P, F, M, NA, E), written by hand from the catalog (docs/controls/). */
  expected: string;
}

export interface ConnectedSpec extends ClusterBase {
  kind: 'arc' | 'aks-arc';
  /** Top-level `kind` as exported (AKS Arc only). */
  kindValue?: string;
  platform: Platform;
  connectivity: Connectivity;
  clusterIn: 'resource-graph' | 'array' | 'single';
  /** Replaces the whole `properties` value: a malformed cluster. */
  malformed?: { properties: Json };
  /** AKS Arc: the Azure Local site of its custom location; `null` when the instance is not exported. */
  site?: SiteKey | null;
}

export interface ManagedSpec extends ClusterBase {
  kind: 'aks';
  clusterIn: 'resource-graph' | 'arm';
  /** `type` as exported (ARM spells it in several casings). */
  typeValue: string;
  kubernetesVersion: string;
  agentPools: AgentPoolInput[];
  keyVaultAddon?: AddonInput;
  kmsEnabled?: boolean;
  infrastructureEncryption?: 'Enabled' | 'Disabled';
  transitEncryption?: 'WireGuard' | 'None';
  istio: boolean;
  hasSecurityProfile: boolean;
  /** Replaces the whole `properties` value: a malformed cluster. */
  malformed?: { properties: Json };
}

export type ClusterSpec = ConnectedSpec | ManagedSpec;

export function byDay<T>(day: SampleDay, current: T, previous: T): T {
  return day === 'previous' ? previous : current;
}

export const storeTags = (store: string, region: string): Record<string, string> => ({
  'store-id': store,
  region,
  env: 'prod',
  owner: 'retail-edge',
});

export const plantTags = (plant: string): Record<string, string> => ({
  plant,
  env: 'prod',
  owner: 'ot-platform',
});

export const STORE_REPO = 'https://github.com/contoso-retail/store-fleet-gitops';
export const PLANT_REPO = 'https://github.com/contoso-manufacturing/plant-platform-gitops';
export const AKS_REPO = 'https://github.com/contoso-platform/aks-workloads-gitops';

// ---------------------------------------------------------------------------------------------
// Azure Local: hosts of the AKS Arc clusters, their custom locations and resource bridges
