/**
 * The sample fleet's cluster specifications: the Arc-enabled, AKS Arc and AKS clusters of both
 * sample days, with their extensions, Flux configurations and the verdicts written for them.
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

/** Arc-enabled clusters of any distribution (no top-level `kind`). Newest agent in the fleet: 1.31.2. */
export function arcClusters(day: SampleDay): ConnectedSpec[] {
  const store = {
    kind: 'arc',
    subscriptionId: SUBSCRIPTIONS.retail,
    platform: K3S,
    clusterIn: 'resource-graph',
    configIn: 'resource-graph',
    repository: STORE_REPO,
  } as const;
  const emea = { ...store, resourceGroup: 'rg-stores-emea', location: 'westeurope' } as const;
  const na = { ...store, resourceGroup: 'rg-stores-na', location: 'eastus' } as const;
  //            DS-01 02 03 04 05 06 07 08 09 10
  return [
    {
      // All green for Arc: SSE with the default poll interval, GitOps compliant, data in Azure
      // Container Storage. DS-04/05/06 are MANUAL for any Arc distribution; no mesh → DS-07 MANUAL.
      ...emea,
      name: 'store-0142-k3s',
      tags: storeTags('0142', 'emea'),
      created: { days: 410 },
      connectivity: connected('1.31.2'),
      extensions: [secretStore(), certManager(), fluxExtension(), containerStorage(), containerInsights()],
      flux: [flux('store-baseline', 'Compliant')],
      expected: 'P  P  P  M  M  M  M  P  P  P',
    },
    {
      // SSE polling every 1800 s; the store's Flux configuration fails to reconcile.
      ...emea,
      name: 'store-0157-k3s',
      tags: storeTags('0157', 'emea'),
      created: { days: 395 },
      connectivity: connected('1.31.1'),
      extensions: [secretStore('1800'), certManager(), fluxExtension()],
      flux: [flux('store-baseline', 'Non-Compliant')],
      expected: 'P  P  P  M  M  M  M  F  M  P',
    },
    {
      // Offline for 3 days (within 30): DS-10 passes, extension findings are stale. SSE polls every
      // 7200 s (> 3600). Flux still Pending. Legacy Edge Storage Accelerator healthy → DS-09 PASS.
      ...emea,
      location: 'northeurope',
      name: 'store-0203-k3s',
      tags: storeTags('0203', 'emea'),
      created: { days: 380 },
      connectivity: { status: 'Offline', lastSeen: { days: 3 }, agentVersion: '1.30.4', autoUpgrade: true },
      extensions: [secretStore('7200'), certManager(), fluxExtension(), edgeStorageAccelerator()],
      flux: [flux('store-baseline', 'Pending')],
      expected: 'P  P  F  M  M  M  M  F  P  P',
    },
    {
      // Regression: SSE poll interval was "1800" yesterday and was changed to "abc" today (not a
      // number → DS-03 FAIL). No Flux at all. Agent 1.29.6 is 2 minors behind 1.31 → passes.
      ...emea,
      name: 'store-0219-k3s',
      tags: storeTags('0219', 'emea'),
      created: { days: 350 },
      connectivity: connected('1.29.6'),
      extensions: [
        byDay(day, secretStore('abc', { modified: { hours: 9 } }), secretStore('1800')),
        certManager(),
      ],
      flux: [],
      expected: byDay(day, 'P  P  F  M  M  M  M  F  M  P', 'P  P  P  M  M  M  M  F  M  P'),
    },
    {
      // Offline for 45 days (> 30) → DS-10 FAIL. SSE and Flux both Failed: present but not healthy,
      // so DS-01, DS-02, DS-03 (the poll interval is the default, but the catalog: "an extension that
      // is present but not healthy does not satisfy a control")
      // and DS-08 fail.
      ...na,
      name: 'store-0288-k3s',
      tags: storeTags('0288', 'na'),
      created: { days: 300 },
      connectivity: { status: 'Offline', lastSeen: { days: 45 }, agentVersion: '1.31.0', autoUpgrade: true },
      extensions: [
        secretStore(undefined, { state: 'Failed', modified: { days: 46 } }),
        certManager(),
        fluxExtension({ state: 'Failed', modified: { days: 46 } }),
      ],
      flux: [flux('store-baseline', 'Compliant')],
      expected: 'F  F  F  M  M  M  M  F  M  F',
    },
    {
      // Fixed: CSI driver only; secret rotation was "false" yesterday and is "true" today. CSI only
      // → DS-02 FAIL (no offline copy).
      ...na,
      name: 'store-0301-k3s',
      tags: storeTags('0301', 'na'),
      created: { days: 280 },
      connectivity: connected('1.31.2'),
      extensions: [
        byDay(day, secretsProvider('true', { modified: { hours: 7 } }), secretsProvider('false')),
        fluxExtension(),
      ],
      flux: [flux('store-baseline', 'Compliant')],
      expected: byDay(day, 'P  F  P  M  M  M  M  P  M  P', 'P  F  F  M  M  M  M  P  M  P'),
    },
    {
      // Offline with no lastConnectivityTime → DS-10 FAIL. CSI rotation "false" → DS-03 FAIL.
      ...na,
      name: 'store-0315-k3s',
      tags: storeTags('0315', 'na'),
      created: { days: 270 },
      connectivity: { status: 'Offline', agentVersion: '1.30.2', autoUpgrade: true },
      extensions: [secretsProvider('false')],
      flux: [],
      expected: 'P  F  F  M  M  M  M  F  M  F',
    },
    {
      // Expired (offline ~5 months) → DS-10 FAIL. CSI without the rotation setting (default off)
      // → DS-03 FAIL. Flux installed but no configuration → DS-08 FAIL.
      ...na,
      name: 'store-0322-k3s',
      tags: storeTags('0322', 'na'),
      created: { days: 520 },
      connectivity: {
        status: 'Expired',
        lastSeen: { days: 150 },
        agentVersion: '1.29.1',
        autoUpgrade: false,
      },
      extensions: [secretsProvider(), fluxExtension()],
      flux: [],
      expected: 'P  F  F  M  M  M  M  F  M  F',
    },
    {
      // No vault sync at all → DS-01/02 FAIL, DS-03 NOT_APPLICABLE. One of two Flux configurations
      // is Compliant → DS-08 PASS. Azure Backup extension healthy but no backup instance protects
      // this cluster (the inventory has backup instances) → DS-09 FAIL. Agent 1.27.3 is 4 minors
      // behind → DS-10 FAIL.
      ...na,
      name: 'store-0340-k3s',
      tags: storeTags('0340', 'na'),
      created: { days: 600 },
      connectivity: { ...connected('1.27.3'), autoUpgrade: false },
      extensions: [fluxExtension(), backupExtension('stbackupstores01')],
      flux: [flux('store-baseline', 'Non-Compliant'), flux('store-apps', 'Compliant')],
      expected: 'F  F  NA M  M  M  M  P  F  F',
    },
    {
      // agentVersion missing → DS-10 ERROR. CSI still installing (Creating), no rotation setting.
      ...emea,
      name: 'store-0355-k3s',
      tags: storeTags('0355', 'emea'),
      created: { days: 40 },
      connectivity: { status: 'Connected', lastSeen: 'recent', autoUpgrade: true },
      extensions: [secretsProvider(undefined, { state: 'Creating', modified: { hours: 30 } })],
      flux: [],
      expected: 'F  F  F  M  M  M  M  F  M  E',
    },
    {
      // agentVersion "banana" → DS-10 ERROR. SSE poll interval exactly 3600 (at most the maximum).
      ...emea,
      name: 'store-0371-k3s',
      tags: storeTags('0371', 'emea'),
      created: { days: 200 },
      connectivity: { ...connected('banana') },
      extensions: [secretStore('3600'), certManager(), fluxExtension()],
      flux: [flux('store-baseline', 'Compliant')],
      expected: 'P  P  P  M  M  M  M  P  M  E',
    },
    {
      // New today (exported on its own with `az connectedk8s show`): Flux just installed, first
      // reconciliation Pending; nothing else yet.
      ...na,
      clusterIn: 'single',
      only: 'current',
      name: 'store-0311-k3s',
      tags: storeTags('0311', 'na'),
      created: { hours: 14 },
      connectivity: connected('1.31.2'),
      extensions: [fluxExtension({ modified: { hours: 13 } })],
      flux: [flux('store-baseline', 'Pending')],
      expected: 'F  F  NA M  M  M  M  F  M  P',
    },
    {
      // Decommissioned today: present yesterday only, with its extensions and Flux configuration.
      ...emea,
      only: 'previous',
      name: 'store-0118-k3s',
      tags: storeTags('0118', 'emea'),
      created: { days: 700 },
      connectivity: connected('1.30.2'),
      extensions: [secretStore(), certManager(), fluxExtension()],
      flux: [flux('store-baseline', 'Compliant')],
      expected: 'P  P  P  M  M  M  M  P  M  P',
    },
    {
      // Malformed: `properties` is a number and an array where strings are expected, and nothing
      // else. Exported in the plain-array file. DS-10 needs connectivityStatus and agentVersion →
      // ERROR. The extension-based controls (DS-01/02/03/07/08/09) need connectivityStatus too, to
      // tell whether the extension data is current: a malformed status → ERROR, never the verdict
      // the extensions alone would give. DS-04/05/06 read neither → MANUAL.
      ...na,
      clusterIn: 'array',
      name: 'store-0399-k3s',
      tags: storeTags('0399', 'na'),
      created: { days: 90 },
      connectivity: {},
      malformed: { properties: { agentVersion: 7, connectivityStatus: ['x'] } },
      extensions: [secretsProvider('true'), fluxExtension()],
      flux: [flux('store-baseline', 'Compliant')],
      expected: 'E  E  E  M  M  M  E  E  E  E',
    },
    {
      // OpenShift plant cluster: SSE (1800 s) and the CSI driver (rotation "false") side by side →
      // SSE decides DS-03 (PASS). Open Service Mesh healthy → DS-07 PASS; Azure Container Storage →
      // DS-09 PASS.
      kind: 'arc',
      subscriptionId: SUBSCRIPTIONS.manufacturing,
      resourceGroup: 'rg-plant-lyon',
      location: 'francecentral',
      platform: OPENSHIFT,
      clusterIn: 'resource-graph',
      configIn: 'arm',
      repository: PLANT_REPO,
      name: 'plant-lyon-ocp-01',
      tags: plantTags('lyon'),
      created: { days: 240 },
      connectivity: connected('1.30.1'),
      extensions: [
        secretStore('1800'),
        secretsProvider('false'),
        certManager(),
        openServiceMesh(),
        containerStorage(),
        fluxExtension(),
      ],
      flux: [flux('plant-lyon-platform', 'Compliant')],
      expected: 'P  P  P  M  M  M  P  P  P  P',
    },
    {
      // RKE2 plant cluster: no vault sync; Open Service Mesh Failed → DS-07 MANUAL; Azure Backup
      // healthy and a backup instance protects it → DS-09 PASS; Flux Pending → DS-08 FAIL; agent
      // 1.28.9 is 3 minors behind → DS-10 FAIL.
      kind: 'arc',
      subscriptionId: SUBSCRIPTIONS.manufacturing,
      resourceGroup: 'rg-plant-porto',
      location: 'westeurope',
      platform: RKE2,
      clusterIn: 'resource-graph',
      configIn: 'arm',
      repository: PLANT_REPO,
      name: 'plant-porto-rke-01',
      tags: plantTags('porto'),
      created: { days: 330 },
      connectivity: { ...connected('1.28.9'), autoUpgrade: false },
      extensions: [
        openServiceMesh({ state: 'Failed', modified: { days: 12 } }),
        backupExtension('stbackupplants01'),
        fluxExtension(),
      ],
      flux: [flux('plant-porto-platform', 'Pending')],
      expected: 'F  F  NA M  M  M  M  F  P  F',
    },
    {
      // EKS cluster attached through Arc: CSI driver with rotation; the legacy Edge Storage
      // Accelerator is Failed → DS-09 MANUAL.
      kind: 'arc',
      subscriptionId: SUBSCRIPTIONS.platform,
      resourceGroup: 'rg-multicloud',
      location: 'eastus',
      platform: EKS,
      clusterIn: 'resource-graph',
      configIn: 'resource-graph',
      repository: AKS_REPO,
      name: 'eks-analytics-use1',
      tags: { env: 'prod', owner: 'data-platform', cloud: 'aws' },
      created: { days: 150 },
      connectivity: connected('1.31.2'),
      extensions: [
        secretsProvider('true'),
        edgeStorageAccelerator({ state: 'Failed', modified: { days: 5 } }),
        fluxExtension(),
      ],
      flux: [flux('analytics-workloads', 'Compliant')],
      expected: 'P  F  P  M  M  M  M  P  M  P',
    },
    {
      // EKS cluster connected agentless (top-level kind AWS, connectivityStatus AgentNotInstalled,
      // no agentVersion): it runs no Arc agents, so no extension can be installed. DS-02 and DS-10
      // do not apply (a public-cloud cluster; no agent by design); everything else must be attested.
      kind: 'arc',
      kindValue: 'AWS',
      subscriptionId: SUBSCRIPTIONS.platform,
      resourceGroup: 'rg-multicloud',
      location: 'eastus',
      platform: EKS,
      clusterIn: 'resource-graph',
      configIn: 'resource-graph',
      name: 'eks-payments-use2',
      tags: { env: 'prod', owner: 'payments-platform', cloud: 'aws' },
      created: { days: 40 },
      connectivity: { status: 'AgentNotInstalled' },
      extensions: [],
      flux: [],
      expected: 'M  NA M  M  M  M  M  M  M  NA',
    },
    {
      // GKE cluster connected agentless (kind GCP), exported by ARM GET: the same verdicts.
      kind: 'arc',
      kindValue: 'GCP',
      subscriptionId: SUBSCRIPTIONS.analytics,
      resourceGroup: 'rg-gcp-connected',
      location: 'westeurope',
      platform: GKE,
      clusterIn: 'array',
      configIn: 'arm',
      name: 'gke-ml-inference-euw1',
      tags: { env: 'prod', owner: 'ml-platform', cloud: 'gcp' },
      created: { days: 25 },
      connectivity: { status: 'AgentNotInstalled' },
      extensions: [],
      flux: [],
      expected: 'M  NA M  M  M  M  M  M  M  NA',
    },
    {
      // Rancher management cluster: SSE with the default poll interval, no GitOps.
      kind: 'arc',
      subscriptionId: SUBSCRIPTIONS.platform,
      resourceGroup: 'rg-multicloud',
      location: 'westeurope',
      platform: RANCHER,
      clusterIn: 'resource-graph',
      configIn: 'resource-graph',
      name: 'rancher-mgmt-01',
      tags: { env: 'prod', owner: 'platform' },
      created: { days: 210 },
      connectivity: connected('1.30.3'),
      extensions: [secretStore(), certManager()],
      flux: [],
      expected: 'P  P  P  M  M  M  M  F  M  P',
    },
  ];
}

/**
 * AKS Arc clusters (top-level `kind: ProvisionedCluster`). DS-04 and DS-05 PASS (inferred) for all;
 * DS-06/DS-07 come from the hosting Azure Local cluster, found as described in `edgeSites`.
 */
export function aksArcClusters(day: SampleDay): ConnectedSpec[] {
  const plant = {
    kind: 'aks-arc',
    kindValue: 'ProvisionedCluster',
    subscriptionId: SUBSCRIPTIONS.manufacturing,
    platform: AKS_ARC,
    clusterIn: 'resource-graph',
    configIn: 'arm',
    repository: PLANT_REPO,
  } as const;
  //            DS-01 02 03 04 05 06 07 08 09 10
  return [
    {
      // All green: Lyon host resolved through HCIClusterID = its ARM ID; Compliant/Compliant.
      // Fixed: its Flux configuration was Non-Compliant yesterday.
      ...plant,
      resourceGroup: 'rg-plant-lyon',
      location: 'francecentral',
      name: 'plant-lyon-aksarc-01',
      tags: plantTags('lyon'),
      created: { days: 300 },
      site: 'lyon',
      connectivity: connected('1.31.2'),
      extensions: [secretStore(), certManager(), fluxExtension(), containerStorage()],
      flux: [flux('plant-lyon-apps', byDay(day, 'Compliant', 'Non-Compliant'))],
      expected: byDay(day, 'P  P  P  P  P  P  P  P  P  P', 'P  P  P  P  P  P  P  F  P  P'),
    },
    {
      // Same Lyon host; `kind` spelled in lower case. CSI only, rotation "false". Azure Backup
      // installed, nothing protected → DS-09 FAIL.
      ...plant,
      kindValue: 'provisionedcluster',
      resourceGroup: 'rg-plant-lyon',
      location: 'francecentral',
      name: 'plant-lyon-aksarc-02',
      tags: plantTags('lyon'),
      created: { days: 120 },
      site: 'lyon',
      connectivity: connected('1.30.0'),
      extensions: [secretsProvider('false'), backupExtension('stbackupplants01')],
      flux: [],
      expected: 'P  F  F  P  P  P  P  F  F  P',
    },
    {
      // Porto host resolved through HCIClusterID = its cloudId: at rest NonCompliant → DS-06 FAIL,
      // in transit Pending → DS-07 MANUAL. Offline 5 days (within limit). SSE polls every 7200 s.
      // Flux: one Non-Compliant, one Pending. Legacy Edge Storage Accelerator → DS-09 PASS.
      ...plant,
      resourceGroup: 'rg-plant-porto',
      location: 'westeurope',
      name: 'plant-porto-aksarc-01',
      tags: plantTags('porto'),
      created: { days: 260 },
      site: 'porto',
      connectivity: { status: 'Offline', lastSeen: { days: 5 }, agentVersion: '1.31.2', autoUpgrade: true },
      extensions: [secretStore('7200'), certManager(), fluxExtension(), edgeStorageAccelerator()],
      flux: [flux('plant-porto-apps', 'Non-Compliant'), flux('plant-porto-infra', 'Pending')],
      expected: 'P  P  F  P  P  F  M  F  P  P',
    },
    {
      // Same Porto host. connectivityStatus missing → DS-10 ERROR. SSE Failed (poll 7200 s) and
      // Azure Container Storage Failed → DS-09 MANUAL.
      ...plant,
      resourceGroup: 'rg-plant-porto',
      location: 'westeurope',
      name: 'plant-porto-aksarc-02',
      tags: plantTags('porto'),
      created: { days: 75 },
      site: 'porto',
      connectivity: { lastSeen: 'recent', agentVersion: '1.31.0', autoUpgrade: true },
      extensions: [
        secretStore('7200', { state: 'Failed', modified: { days: 2 } }),
        certManager(),
        fluxExtension(),
        containerStorage({ state: 'Failed', modified: { days: 2 } }),
      ],
      flux: [flux('plant-porto-apps', 'Compliant')],
      expected: 'F  F  F  P  P  F  M  P  M  E',
    },
    {
      // Gdansk host found by the fallback (HCIClusterID holds a stale cloudId that matches nothing;
      // hci-gdansk-01 is the only Azure Local cluster in the custom location's resource group):
      // at rest Compliant, in transit NonCompliant → DS-07 FAIL. No vault sync.
      ...plant,
      resourceGroup: 'rg-plant-gdansk',
      location: 'polandcentral',
      name: 'plant-gdansk-aksarc-01',
      tags: plantTags('gdansk'),
      created: { days: 180 },
      site: 'gdansk',
      connectivity: connected('1.29.0'),
      extensions: [fluxExtension()],
      flux: [flux('plant-gdansk-apps', 'Compliant')],
      expected: 'F  F  NA P  P  P  F  P  M  P',
    },
    {
      // Nantes host from the explicit mapping in settings (custom location → hci-nantes-01): at rest
      // Pending → DS-06 MANUAL, in transit Compliant → DS-07 PASS. The fallback would have picked
      // hci-nantes-lab (the only Azure Local cluster in the custom location's resource group), but
      // the mapping comes first. SSE poll interval "abc" → DS-03 FAIL.
      ...plant,
      resourceGroup: 'rg-plant-nantes',
      location: 'francecentral',
      name: 'plant-nantes-aksarc-01',
      tags: plantTags('nantes'),
      created: { days: 160 },
      site: 'nantes',
      connectivity: connected('1.31.2'),
      extensions: [secretStore('abc'), certManager()],
      flux: [],
      expected: 'P  P  F  P  P  M  P  F  M  P',
    },
    {
      // Milan: two Azure Local clusters in the custom location's resource group and no HCIClusterID
      // match → unresolved → DS-06/07 MANUAL. Expired → DS-10 FAIL. Flux extension Failed.
      ...plant,
      resourceGroup: 'rg-plant-milan',
      location: 'italynorth',
      name: 'plant-milan-aksarc-01',
      tags: plantTags('milan'),
      created: { days: 400 },
      site: 'milan',
      connectivity: { status: 'Expired', lastSeen: { days: 130 }, agentVersion: '1.29.4', autoUpgrade: true },
      extensions: [secretsProvider('true'), fluxExtension({ state: 'Failed', modified: { days: 131 } })],
      flux: [flux('plant-milan-apps', 'Compliant')],
      expected: 'P  F  P  P  P  M  M  F  M  F',
    },
    {
      // Graz host found (HCIClusterID = its ARM ID in lower case) but it has no security settings
      // → DS-06/07 MANUAL. Regression: its Flux configuration became Non-Compliant today.
      ...plant,
      resourceGroup: 'rg-plant-graz',
      location: 'austriaeast',
      name: 'plant-graz-aksarc-01',
      tags: plantTags('graz'),
      created: { days: 140 },
      site: 'graz',
      connectivity: connected('1.31.1'),
      extensions: [secretStore('1800'), certManager(), fluxExtension()],
      flux: [flux('plant-graz-apps', byDay(day, 'Non-Compliant', 'Compliant'))],
      expected: byDay(day, 'P  P  P  P  P  M  M  F  M  P', 'P  P  P  P  P  M  M  P  M  P'),
    },
    {
      // No provisionedClusterInstances/default exported → custom location unknown → DS-06/07
      // MANUAL. Offline 12 days (within limit) but agent 1.27.5 is 4 minors behind → DS-10 FAIL.
      ...plant,
      resourceGroup: 'rg-plant-brno',
      location: 'germanywestcentral',
      name: 'plant-brno-aksarc-01',
      tags: plantTags('brno'),
      created: { days: 560 },
      site: null,
      connectivity: { status: 'Offline', lastSeen: { days: 12 }, agentVersion: '1.27.5', autoUpgrade: false },
      extensions: [],
      flux: [],
      expected: 'F  F  NA P  P  M  M  F  M  F',
    },
  ];
}

/** AKS clusters. DS-02, DS-05 and DS-10 are NOT_APPLICABLE for all of them. */
export function aksClusters(day: SampleDay): ManagedSpec[] {
  const payments = {
    kind: 'aks',
    subscriptionId: SUBSCRIPTIONS.payments,
    kubernetesVersion: '1.32.7',
    repository: AKS_REPO,
    hasSecurityProfile: true,
  } as const;
  const platform = { ...payments, subscriptionId: SUBSCRIPTIONS.platform } as const;
  const analytics = { ...payments, subscriptionId: SUBSCRIPTIONS.analytics } as const;
  const rotation = (value: string): Record<string, string> => ({
    enableSecretRotation: value,
    rotationPollInterval: '2m',
  });
  const pool = (
    name: string,
    mode: 'System' | 'User',
    enableEncryptionAtHost?: boolean,
    vmSize = 'Standard_D4ds_v5',
  ): AgentPoolInput => ({ name, count: mode === 'System' ? 3 : 4, vmSize, mode, enableEncryptionAtHost });
  //            DS-01 02 03 04 05 06 07 08 09 10
  return [
    {
      // All green: add-on with rotation, Key Vault KMS, Istio, Flux compliant, backed up. Fixed:
      // yesterday its batch pool had been created without encryption at host (recreated today).
      ...payments,
      resourceGroup: 'rg-payments-prod',
      location: 'westeurope',
      clusterIn: 'arm',
      configIn: 'arm',
      typeValue: 'Microsoft.ContainerService/ManagedClusters',
      name: 'payments-prod-aks',
      tags: { env: 'prod', owner: 'payments', 'cost-center': 'CC-4410' },
      created: { days: 500 },
      agentPools: [
        pool('system', 'System', true),
        pool('apps', 'User', true),
        pool('batch', 'User', byDay(day, true, undefined)),
      ],
      keyVaultAddon: { key: 'azureKeyvaultSecretsProvider', enabled: true, config: rotation('true') },
      kmsEnabled: true,
      istio: true,
      extensions: [fluxExtension(), backupExtension('stbackuppayments01')],
      flux: [flux('payments-prod', 'Compliant')],
      expected: byDay(day, 'P  NA P  P  NA P  P  P  P  NA', 'P  NA P  P  NA F  P  P  P  NA'),
    },
    {
      // Add-on key spelled `azurekeyvaultsecretsprovider`, rotation "false". Infrastructure
      // encryption Enabled → DS-04 PASS. Apps pool without encryption at host → DS-06 FAIL.
      // WireGuard → DS-07 PASS. Flux Pending. Backup extension healthy but unprotected → DS-09 FAIL.
      ...payments,
      resourceGroup: 'rg-payments-dr',
      location: 'northeurope',
      clusterIn: 'arm',
      configIn: 'arm',
      typeValue: 'Microsoft.ContainerService/managedClusters',
      name: 'payments-dr-aks',
      tags: { env: 'dr', owner: 'payments', 'cost-center': 'CC-4410' },
      created: { days: 480 },
      agentPools: [pool('system', 'System', true), pool('apps', 'User')],
      keyVaultAddon: { key: 'azurekeyvaultsecretsprovider', enabled: true, config: rotation('false') },
      infrastructureEncryption: 'Enabled',
      transitEncryption: 'WireGuard',
      istio: false,
      extensions: [fluxExtension(), backupExtension('stbackuppayments01')],
      flux: [flux('payments-dr', 'Pending')],
      expected: 'P  NA F  P  NA F  P  F  F  NA',
    },
    {
      // Add-on key spelled `AzureKeyvaultSecretsProvider`, disabled → no vault sync (DS-03 N/A).
      // No KMS, no encryption at host, no mesh, no extensions.
      ...payments,
      resourceGroup: 'rg-payments-staging',
      location: 'westeurope',
      clusterIn: 'resource-graph',
      configIn: 'resource-graph',
      typeValue: 'Microsoft.ContainerService/managedClusters',
      name: 'checkout-staging-aks',
      tags: { env: 'staging', owner: 'payments' },
      created: { days: 90 },
      agentPools: [pool('nodepool1', 'System', false)],
      keyVaultAddon: { key: 'AzureKeyvaultSecretsProvider', enabled: false, config: null },
      istio: false,
      extensions: [],
      flux: [],
      expected: 'F  NA NA F  NA F  M  F  M  NA',
    },
    {
      // Payments batch: add-on with rotation "true" AND SSE with poll interval "abc" → SSE decides
      // DS-03 (FAIL). Flux extension removed but a Compliant configuration is left → DS-08 FAIL.
      // The backup instance names the cluster ID in lower case → DS-09 PASS.
      ...payments,
      resourceGroup: 'rg-payments-prod',
      location: 'westeurope',
      clusterIn: 'arm',
      configIn: 'resource-graph',
      typeValue: 'Microsoft.ContainerService/ManagedClusters',
      name: 'payments-batch-aks',
      tags: { env: 'prod', owner: 'payments', 'cost-center': 'CC-4410' },
      created: { days: 260 },
      agentPools: [pool('system', 'System', true), pool('jobs', 'User', true, 'Standard_F8s_v2')],
      keyVaultAddon: { key: 'azureKeyvaultSecretsProvider', enabled: true, config: rotation('true') },
      kmsEnabled: true,
      istio: true,
      extensions: [secretStore('abc'), backupExtension('stbackuppayments01')],
      flux: [flux('payments-batch', 'Compliant')],
      expected: 'P  NA F  P  NA P  P  F  P  NA',
    },
    {
      // SSE on AKS (no add-on), polling every 7200 s → DS-03 FAIL. KMS explicitly disabled and
      // infrastructure encryption Disabled → DS-04 FAIL. Cilium with transit encryption "None" and
      // no Istio → DS-07 MANUAL. Backup extension Failed → DS-09 MANUAL.
      ...platform,
      resourceGroup: 'rg-platform-aks',
      location: 'westeurope',
      clusterIn: 'resource-graph',
      configIn: 'resource-graph',
      typeValue: 'Microsoft.ContainerService/managedClusters',
      name: 'platform-tools-aks',
      tags: { env: 'prod', owner: 'platform' },
      created: { days: 365 },
      agentPools: [pool('system', 'System', true), pool('tools', 'User', true)],
      kmsEnabled: false,
      infrastructureEncryption: 'Disabled',
      transitEncryption: 'None',
      istio: false,
      extensions: [
        secretStore('7200'),
        fluxExtension(),
        backupExtension('stbackupplatform01', { state: 'Failed', modified: { days: 4 } }),
      ],
      flux: [flux('platform-tools', 'Compliant')],
      expected: 'P  NA F  F  NA P  M  P  M  NA',
    },
    {
      // Add-on enabled with no config (rotation absent → FAIL). Infrastructure encryption Enabled.
      // Regression: a GPU pool without encryption at host was added today (yesterday two pools,
      // both encrypted). Flux Non-Compliant.
      ...analytics,
      resourceGroup: 'rg-ml-prod',
      location: 'swedencentral',
      clusterIn: 'resource-graph',
      configIn: 'resource-graph',
      typeValue: 'Microsoft.ContainerService/managedClusters',
      name: 'ml-training-aks',
      tags: { env: 'prod', owner: 'data-science' },
      created: { days: 220 },
      agentPools: [
        pool('system', 'System', true),
        pool('cpu', 'User', true, 'Standard_D16ds_v5'),
        ...byDay(day, [pool('gpu', 'User', false, 'Standard_NC24ads_A100_v4')], []),
      ],
      keyVaultAddon: { key: 'azureKeyvaultSecretsProvider', enabled: true, config: null },
      infrastructureEncryption: 'Enabled',
      istio: false,
      extensions: [fluxExtension()],
      flux: [flux('ml-platform', 'Non-Compliant')],
      expected: byDay(day, 'P  NA F  P  NA F  M  F  M  NA', 'P  NA F  P  NA P  M  F  M  NA'),
    },
    {
      // Fixed: Key Vault KMS enabled today (no azureKeyVaultKms yesterday). WireGuard. No backup
      // → DS-09 MANUAL.
      ...platform,
      resourceGroup: 'rg-web-prod',
      location: 'westeurope',
      clusterIn: 'arm',
      configIn: 'arm',
      typeValue: 'Microsoft.ContainerService/managedClusters',
      name: 'web-frontend-prod-aks',
      tags: { env: 'prod', owner: 'web' },
      created: { days: 330 },
      agentPools: [pool('system', 'System', true), pool('web', 'User', true)],
      keyVaultAddon: { key: 'azureKeyvaultSecretsProvider', enabled: true, config: rotation('true') },
      kmsEnabled: byDay(day, true, undefined),
      transitEncryption: 'WireGuard',
      istio: false,
      extensions: [fluxExtension()],
      flux: [flux('web-frontend', 'Compliant')],
      expected: byDay(day, 'P  NA P  P  NA P  P  P  M  NA', 'P  NA P  F  NA P  P  P  M  NA'),
    },
    {
      // No KMS of either kind; pools created without encryption at host (flag absent) → DS-06 FAIL.
      // Istio → DS-07 PASS. Flux extension still Creating → DS-08 FAIL. Backed up → DS-09 PASS.
      ...platform,
      resourceGroup: 'rg-identity-prod',
      location: 'westeurope',
      clusterIn: 'arm',
      configIn: 'arm',
      typeValue: 'Microsoft.ContainerService/ManagedClusters',
      name: 'identity-prod-aks',
      tags: { env: 'prod', owner: 'identity' },
      created: { days: 610 },
      agentPools: [pool('system', 'System'), pool('apps', 'User')],
      keyVaultAddon: { key: 'azureKeyvaultSecretsProvider', enabled: true, config: rotation('true') },
      istio: true,
      extensions: [
        fluxExtension({ state: 'Creating', modified: { hours: 26 } }),
        backupExtension('stbackupplatform01'),
      ],
      flux: [flux('identity', 'Compliant')],
      expected: 'P  NA P  F  NA F  P  F  P  NA',
    },
    {
      // An old dev cluster: no addonProfiles, no securityProfile, nothing installed.
      ...analytics,
      resourceGroup: 'rg-data-dev',
      location: 'swedencentral',
      clusterIn: 'resource-graph',
      configIn: 'resource-graph',
      typeValue: 'Microsoft.ContainerService/managedClusters',
      name: 'reporting-dev-aks',
      tags: { env: 'dev', owner: 'data-science' },
      created: { days: 800 },
      kubernetesVersion: '1.31.9',
      agentPools: [pool('nodepool1', 'System')],
      hasSecurityProfile: false,
      istio: false,
      extensions: [],
      flux: [],
      expected: 'F  NA NA F  NA F  M  F  M  NA',
    },
    {
      // Malformed: `"properties": null` in the Resource Graph export. Controls that read the
      // cluster's properties cannot be evaluated → ERROR: DS-01 (no SSE, so the add-on decides, and
      // it cannot be read), DS-03 (whether a vault sync exists depends on the add-on), DS-04
      // (securityProfile), DS-06 (agentPoolProfiles), DS-07 (networkProfile, serviceMeshProfile).
      // DS-02/05/10 are NOT_APPLICABLE by kind (`type` is intact); DS-08 and DS-09 read only the
      // cluster's extensions and Flux configurations, which are intact: Flux compliant → PASS, no
      // backup → MANUAL.
      ...analytics,
      resourceGroup: 'rg-finance-bi',
      location: 'swedencentral',
      clusterIn: 'resource-graph',
      configIn: 'resource-graph',
      typeValue: 'Microsoft.ContainerService/managedClusters',
      name: 'finance-reporting-aks',
      tags: { env: 'prod', owner: 'finance-bi' },
      created: { days: 190 },
      agentPools: [],
      istio: false,
      malformed: { properties: null },
      extensions: [fluxExtension()],
      flux: [flux('finance-reporting', 'Compliant')],
      expected: 'E  NA E  E  NA E  E  P  M  NA',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Azure Local: hosts of the AKS Arc clusters, their custom locations and resource bridges
