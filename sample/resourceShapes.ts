/**
 * Builders for the Azure resource shapes of the sample fleet.
 *
 * Each builder follows the `responses.200.body` of one example in
 * `test/fixtures/azure-rest-api-examples/` (named in its comment): same keys and nesting, with
 * names and values changed, plus the documented properties the controls read that the example
 * happens to leave out (for instance `connectivityStatus` on connected clusters). Resource Graph
 * rows are derived from the ARM shape the way Resource Graph returns them: lower-case `type`, the
 * standard columns, and PascalCase `properties` keys for cluster extensions.
 */
import { createHash } from 'node:crypto';

/** JSON as the builders produce it; `undefined` members are dropped when a file is assembled. */
export type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type ProvisioningState = 'Succeeded' | 'Failed' | 'Creating' | 'Updating';
export type FluxComplianceState = 'Compliant' | 'Non-Compliant' | 'Pending';
export type AzureLocalCompliance = 'Compliant' | 'NonCompliant' | 'Pending';

// ---------------------------------------------------------------------------------------------
// Deterministic values

function digest(seed: string): string {
  return createHash('sha256').update(`arc-data-compliance/sample/${seed}`).digest('hex');
}

/** A GUID derived from `seed`: the same seed always gives the same value. */
export function deterministicGuid(seed: string): string {
  const hex = digest(seed);
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/** `length` hexadecimal characters derived from `seed` (commit ids, DNS label suffixes). */
export function deterministicHex(seed: string, length: number): string {
  let out = '';
  for (let round = 0; out.length < length; round += 1) out += digest(`${seed}#${round}`);
  return out.slice(0, length);
}

/** Base64 text derived from `seed`, standing in for certificates and public keys. */
export function deterministicBase64(seed: string, bytes: number): string {
  return Buffer.from(deterministicHex(seed, bytes * 2), 'hex').toString('base64');
}

// ---------------------------------------------------------------------------------------------
// Time

export interface Offset {
  days?: number;
  hours?: number;
  minutes?: number;
}

/** ISO-8601 time `offset` before `base` (a negative offset lies after it). */
export function isoBefore(base: Date, offset: Offset): string {
  const minutes = ((offset.days ?? 0) * 24 + (offset.hours ?? 0)) * 60 + (offset.minutes ?? 0);
  return new Date(base.getTime() - minutes * 60_000).toISOString();
}

export interface Audit {
  createdAt: string;
  createdBy: string;
  modifiedAt: string;
  modifiedBy: string;
}

/** `systemData` as in every fixture. */
export function systemData(audit: Audit): JsonObject {
  return {
    createdBy: audit.createdBy,
    createdByType: audit.createdBy.includes('@') ? 'User' : 'Application',
    createdAt: audit.createdAt,
    lastModifiedBy: audit.modifiedBy,
    lastModifiedByType: audit.modifiedBy.includes('@') ? 'User' : 'Application',
    lastModifiedAt: audit.modifiedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// Resource IDs

export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

export function connectedClusterId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${resourceGroupId(subscriptionId, resourceGroup)}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

/** AKS returns its IDs with a lower-case `resourcegroups` segment (as in the managedClusters fixtures). */
export function managedClusterId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}

export function extensionId(parentId: string, name: string): string {
  return `${parentId}/providers/Microsoft.KubernetesConfiguration/extensions/${name}`;
}

export function fluxConfigurationId(clusterId: string, name: string): string {
  return `${clusterId}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/${name}`;
}

export function provisionedClusterInstanceId(clusterId: string): string {
  return `${clusterId}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`;
}

export function customLocationId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${resourceGroupId(subscriptionId, resourceGroup)}/providers/Microsoft.ExtendedLocation/customLocations/${name}`;
}

export function applianceId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${resourceGroupId(subscriptionId, resourceGroup)}/providers/Microsoft.ResourceConnector/appliances/${name}`;
}

export function azureLocalClusterId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${resourceGroupId(subscriptionId, resourceGroup)}/providers/Microsoft.AzureStackHCI/clusters/${name}`;
}

export function securitySettingsId(azureLocalId: string): string {
  return `${azureLocalId}/securitySettings/default`;
}

function scopeOf(id: string): { subscriptionId: string; resourceGroup: string } {
  const match = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)/i.exec(id);
  if (!match?.[1] || !match[2]) throw new Error(`not a resource-group scoped id: ${id}`);
  return { subscriptionId: match[1], resourceGroup: match[2] };
}

// ---------------------------------------------------------------------------------------------
// Resource Graph and ARM list envelopes

/**
 * A resource as a Resource Graph row (shape of the `data` items in
 * `resourcegraph_resources_firstpage_2024-04-01.json`, with the standard columns): lower-case `type`
 * and `resourceGroup`, `kind` as an empty string when the resource has none, no `systemData`.
 */
export function toResourceGraphRow(resource: JsonObject, tenantId: string): JsonObject {
  const id = String(resource.id);
  const scope = scopeOf(id);
  return {
    id,
    name: resource.name,
    type: String(resource.type).toLowerCase(),
    tenantId,
    kind: resource.kind ?? '',
    location: resource.location ?? '',
    resourceGroup: scope.resourceGroup.toLowerCase(),
    subscriptionId: scope.subscriptionId,
    managedBy: '',
    sku: resource.sku ?? null,
    plan: resource.plan ?? null,
    properties: resource.properties,
    tags: resource.tags ?? null,
    identity: resource.identity ?? null,
    zones: null,
    extendedLocation: resource.extendedLocation ?? null,
  };
}

/** A Resource Graph response in `objectArray` format (single page, so no `$skipToken`). */
export function resourceGraphResponse(rows: JsonObject[]): JsonObject {
  return { totalRecords: rows.length, count: rows.length, resultTruncated: 'false', facets: [], data: rows };
}

/** An ARM list response (shape of `extensions_list_2025-03-01.json`). */
export function armList(items: JsonObject[]): JsonObject {
  return { value: items, nextLink: null };
}

// ---------------------------------------------------------------------------------------------
// Microsoft.Kubernetes/connectedClusters
// (connectedClusters_get_2026-03-01.json; AKS Arc: connectedClusters_get_provisionedCluster_2026-03-01.json)

export interface ConnectedClusterInput {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tenantId: string;
  /** Top-level `kind`, e.g. `ProvisionedCluster` for AKS Arc; absent for other Arc clusters. */
  kind?: string;
  tags: Record<string, string>;
  audit: Audit;
  /** Built with `connectedClusterProperties`, or deliberately malformed. */
  properties: Json;
  /** An agentless connection has no managed identity (`identity.type` None). */
  agentless?: boolean;
}

export function connectedCluster(input: ConnectedClusterInput): JsonObject {
  const id = connectedClusterId(input.subscriptionId, input.resourceGroup, input.name);
  return {
    name: input.name,
    type: 'Microsoft.Kubernetes/connectedClusters',
    id,
    identity: input.agentless
      ? { type: 'None' }
      : {
          type: 'SystemAssigned',
          principalId: deterministicGuid(`principal:${id}`),
          tenantId: input.tenantId,
        },
    kind: input.kind,
    location: input.location,
    properties: input.properties,
    systemData: systemData(input.audit),
    tags: input.tags,
  };
}

export interface ConnectedClusterPropertiesInput {
  seed: string;
  tenantId: string;
  /** Omitted from the output when undefined. */
  agentVersion?: string;
  agentAutoUpgrade: 'Enabled' | 'Disabled';
  /** Omitted from the output when undefined. */
  connectivityStatus?: string;
  lastConnectivityTime?: string;
  certificateExpiresAt: string;
  distribution: string;
  distributionVersion: string;
  infrastructure: string;
  kubernetesVersion: string;
  totalNodeCount: number;
  totalCoreCount: number;
  /** AKS Arc clusters carry an `aadProfile` and no OIDC/workload identity profile (as in the fixture). */
  aksArc: boolean;
  /**
   * An agentless connection (AWS or GCP, `connectivityStatus` AgentNotInstalled): shaped like the
   * 2024-12-01-preview CreateClusterAgentless example, with no agent certificate, version or profile.
   */
  agentless?: boolean;
}

export function connectedClusterProperties(input: ConnectedClusterPropertiesInput): JsonObject {
  if (input.agentless) {
    return {
      provisioningState: 'Succeeded',
      connectivityStatus: input.connectivityStatus,
      privateLinkState: 'Disabled',
      azureHybridBenefit: 'NotApplicable',
      agentPublicKeyCertificate: '',
      aadProfile: {},
      distribution: input.distribution,
      infrastructure: input.infrastructure,
      arcAgentProfile: {},
    };
  }
  const version = input.agentVersion;
  return {
    aadProfile: input.aksArc
      ? {
          adminGroupObjectIDs: [deterministicGuid(`admins:${input.seed}`)],
          enableAzureRBAC: true,
          tenantID: input.tenantId,
        }
      : undefined,
    agentPublicKeyCertificate: `MIIC${deterministicBase64(`agent-certificate:${input.seed}`, 180)}`,
    agentVersion: version,
    arcAgentProfile: {
      agentAutoUpgrade: input.agentAutoUpgrade,
      agentState: 'Succeeded',
      desiredAgentVersion: version,
      systemComponents: [],
    },
    azureHybridBenefit: input.aksArc ? 'False' : 'NotApplicable',
    connectivityStatus: input.connectivityStatus,
    distribution: input.distribution,
    distributionVersion: input.distributionVersion,
    infrastructure: input.infrastructure,
    kubernetesVersion: input.kubernetesVersion,
    lastConnectivityTime: input.lastConnectivityTime,
    managedIdentityCertificateExpirationTime: input.certificateExpiresAt,
    miscellaneousProperties: {
      createCorrelationId: deterministicGuid(`correlation:${input.seed}`),
      infrastructureVersion: input.aksArc ? '2508' : '1.0',
    },
    oidcIssuerProfile: input.aksArc
      ? undefined
      : {
          enabled: true,
          issuerUrl: `https://oidcdiscovery-westeurope-endpoint-${deterministicHex(`oidc:${input.seed}`, 16)}.z01.azurefd.net/${deterministicGuid(`issuer:${input.seed}`)}/`,
        },
    privateLinkState: 'Disabled',
    provisioningState: 'Succeeded',
    securityProfile: input.aksArc ? undefined : { workloadIdentity: { enabled: true } },
    totalCoreCount: input.totalCoreCount,
    totalNodeCount: input.totalNodeCount,
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft.ContainerService/managedClusters
// (managedClusters_create_azureKeyvaultSecretsProvider_2025-05-01.json, ..._securityProfile_...)

export interface AgentPoolInput {
  name: string;
  count: number;
  vmSize: string;
  mode: 'System' | 'User';
  /** Written only when defined: absent means the pool was created without the flag. */
  enableEncryptionAtHost?: boolean;
}

export interface AddonInput {
  /** The `addonProfiles` key exactly as the export spells it. */
  key: string;
  enabled: boolean;
  config: Record<string, string> | null;
}

export interface ManagedClusterInput {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  /** `type` exactly as the export spells it. */
  type: string;
  tags: Record<string, string>;
  kubernetesVersion: string;
  agentPools: AgentPoolInput[];
  /** No `addonProfiles` at all when undefined. */
  keyVaultAddon?: AddonInput;
  /** `securityProfile.azureKeyVaultKms.enabled` when defined. */
  kmsEnabled?: boolean;
  /** `securityProfile.kubernetesResourceObjectEncryptionProfile.infrastructureEncryption` when defined. */
  infrastructureEncryption?: 'Enabled' | 'Disabled';
  /** Cilium with `advancedNetworking.security.transitEncryption.type` when defined; kubenet-free Azure CNI otherwise. */
  transitEncryption?: 'WireGuard' | 'None';
  istio: boolean;
  /** False leaves `securityProfile` out entirely (an old cluster). */
  hasSecurityProfile: boolean;
}

export function managedCluster(input: ManagedClusterInput): JsonObject {
  const id = managedClusterId(input.subscriptionId, input.resourceGroup, input.name);
  const dnsPrefix = `${input.name}-dns`;
  const kvName = `kv-${input.name.replace(/-aks$/, '')}`.slice(0, 24);
  const nodeImage = 'AKSUbuntu-2204gen2containerd-202610.28.0';
  const addon = input.keyVaultAddon;
  const addonIdentity = {
    clientId: deterministicGuid(`addon-client:${id}`),
    objectId: deterministicGuid(`addon-object:${id}`),
    resourceId: `/subscriptions/${input.subscriptionId}/resourcegroups/MC_${input.resourceGroup}_${input.name}_${input.location}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/azurekeyvaultsecretsprovider-${input.name}`,
  };
  const cilium = input.transitEncryption !== undefined;
  return {
    id,
    location: input.location,
    name: input.name,
    tags: input.tags,
    type: input.type,
    properties: {
      provisioningState: 'Succeeded',
      maxAgentPools: 100,
      kubernetesVersion: input.kubernetesVersion,
      currentKubernetesVersion: input.kubernetesVersion,
      dnsPrefix,
      agentPoolProfiles: input.agentPools.map((pool) => ({
        name: pool.name,
        count: pool.count,
        vmSize: pool.vmSize,
        maxPods: cilium ? 250 : 110,
        osType: 'Linux',
        provisioningState: 'Succeeded',
        orchestratorVersion: input.kubernetesVersion,
        currentOrchestratorVersion: input.kubernetesVersion,
        type: 'VirtualMachineScaleSets',
        enableNodePublicIP: false,
        mode: pool.mode,
        nodeImageVersion: nodeImage,
        enableEncryptionAtHost: pool.enableEncryptionAtHost,
      })),
      linuxProfile: {
        adminUsername: 'azureuser',
        ssh: { publicKeys: [{ keyData: `ssh-rsa AAAAB3NzaC1yc2E${deterministicBase64(`ssh:${id}`, 48)}` }] },
      },
      servicePrincipalProfile: { clientId: 'msi' },
      addonProfiles: addon
        ? {
            [addon.key]: {
              enabled: addon.enabled,
              config: addon.config,
              identity: addon.enabled ? addonIdentity : undefined,
            },
          }
        : undefined,
      nodeResourceGroup: `MC_${input.resourceGroup}_${input.name}_${input.location}`,
      enableRBAC: true,
      fqdn: `${dnsPrefix}-${deterministicHex(`fqdn:${id}`, 8)}.hcp.${input.location}.azmk8s.io`,
      networkProfile: {
        loadBalancerSku: 'standard',
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy: cilium ? 'cilium' : 'calico',
        networkDataplane: cilium ? 'cilium' : 'azure',
        podCidr: '10.244.0.0/16',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIP: '10.0.0.10',
        outboundType: 'loadBalancer',
        podCidrs: ['10.244.0.0/16'],
        serviceCidrs: ['10.0.0.0/16'],
        ipFamilies: ['IPv4'],
        advancedNetworking: cilium
          ? {
              enabled: true,
              observability: { enabled: true },
              security: {
                enabled: true,
                advancedNetworkPolicies: 'FQDN',
                transitEncryption: { type: input.transitEncryption },
              },
            }
          : undefined,
      },
      oidcIssuerProfile: {
        enabled: true,
        issuerURL: `https://${input.location}.oic.prod-aks.azure.com/${deterministicGuid(`tenant-oidc:${id}`)}/${deterministicGuid(`oidc:${id}`)}/`,
      },
      securityProfile: input.hasSecurityProfile
        ? {
            workloadIdentity: { enabled: true },
            azureKeyVaultKms:
              input.kmsEnabled === undefined
                ? undefined
                : {
                    enabled: input.kmsEnabled,
                    keyId: input.kmsEnabled
                      ? `https://${kvName}.vault.azure.net/keys/etcd-kek/${deterministicHex(`kek:${id}`, 32)}`
                      : undefined,
                    keyVaultNetworkAccess: 'Public',
                  },
            kubernetesResourceObjectEncryptionProfile:
              input.infrastructureEncryption === undefined
                ? undefined
                : { infrastructureEncryption: input.infrastructureEncryption },
          }
        : undefined,
      serviceMeshProfile: input.istio
        ? {
            mode: 'Istio',
            istio: {
              revisions: ['asm-1-26'],
              components: { ingressGateways: [{ mode: 'Internal', enabled: true }] },
            },
          }
        : undefined,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft.KubernetesConfiguration/extensions (extensions_get_2025-03-01.json, extensions_list_...)

export interface ExtensionInput {
  /** The cluster (or Arc resource bridge appliance) the extension is installed on. */
  parentId: string;
  name: string;
  extensionType: string;
  version: string;
  releaseTrain: 'Stable' | 'Preview';
  releaseNamespace: string;
  provisioningState: ProvisioningState;
  configurationSettings: Record<string, string>;
  audit: Audit;
  tenantId: string;
}

/** An extension as ARM returns it: camelCase `properties`. */
export function armExtension(input: ExtensionInput): JsonObject {
  const id = extensionId(input.parentId, input.name);
  const healthy = input.provisioningState === 'Succeeded';
  return {
    id,
    type: 'Microsoft.KubernetesConfiguration/extensions',
    name: input.name,
    systemData: systemData(input.audit),
    identity: {
      type: 'SystemAssigned',
      principalId: deterministicGuid(`principal:${id}`),
      tenantId: input.tenantId,
    },
    properties: {
      extensionType: input.extensionType,
      autoUpgradeMode: 'compatible',
      autoUpgradeMinorVersion: true,
      releaseTrain: input.releaseTrain,
      version: null,
      scope: { cluster: { releaseNamespace: input.releaseNamespace } },
      configurationSettings: input.configurationSettings,
      provisioningState: input.provisioningState,
      currentVersion: input.version,
      statuses: healthy ? [] : [extensionStatus(input)],
      isSystemExtension: false,
    },
  };
}

/**
 * An extension as a Resource Graph `kubernetesconfigurationresources` row: lower-case `type` and
 * PascalCase `properties` keys (`ExtensionType`, `ProvisioningState`, `ConfigurationSettings`, ...).
 * Configuration setting names inside `ConfigurationSettings` keep their own spelling.
 */
export function resourceGraphExtension(input: ExtensionInput): JsonObject {
  const arm = armExtension(input);
  const healthy = input.provisioningState === 'Succeeded';
  return toResourceGraphRow(
    {
      ...arm,
      properties: {
        ExtensionType: input.extensionType,
        AutoUpgradeMode: 'compatible',
        AutoUpgradeMinorVersion: true,
        ReleaseTrain: input.releaseTrain,
        Version: null,
        Scope: { cluster: { ReleaseNamespace: input.releaseNamespace } },
        ConfigurationSettings: input.configurationSettings,
        ProvisioningState: input.provisioningState,
        InstallState: healthy ? 'Installed' : input.provisioningState === 'Failed' ? 'Failed' : 'Pending',
        CurrentVersion: input.version,
        Statuses: healthy ? [] : [extensionStatus(input)],
        IsSystemExtension: false,
      },
    },
    input.tenantId,
  );
}

function extensionStatus(input: ExtensionInput): JsonObject {
  const failed = input.provisioningState === 'Failed';
  return {
    code: failed ? 'InstallationFailed' : 'InstallationInProgress',
    displayStatus: failed ? 'Failed' : 'Installing',
    level: failed ? 'Error' : 'Information',
    message: failed
      ? `helm install of ${input.name} timed out waiting for the condition in namespace ${input.releaseNamespace}`
      : `${input.name} is being installed`,
    time: input.audit.modifiedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft.KubernetesConfiguration/fluxConfigurations (fluxConfigurations_get_2025-04-01.json)

export interface FluxConfigurationInput {
  clusterId: string;
  name: string;
  namespace: string;
  url: string;
  branch: string;
  kustomizationPath: string;
  complianceState: FluxComplianceState;
  audit: Audit;
  /** When the source and the status were last refreshed. */
  statusUpdatedAt: string;
}

/** A Flux configuration as ARM returns it (Resource Graph returns the same camelCase properties). */
export function fluxConfiguration(input: FluxConfigurationInput): JsonObject {
  const id = fluxConfigurationId(input.clusterId, input.name);
  const commit = `${input.branch}/${deterministicHex(`commit:${id}:${input.complianceState}`, 40)}`;
  const kustomization = `${input.name}-apps`;
  const pending = input.complianceState === 'Pending';
  const sourceCondition = pending
    ? condition('Unknown', 'Progressing', 'reconciliation in progress', input.statusUpdatedAt)
    : condition('True', 'Succeeded', `stored artifact for revision '${commit}'`, input.statusUpdatedAt);
  const kustomizationCondition =
    input.complianceState === 'Compliant'
      ? condition('True', 'ReconciliationSucceeded', `Applied revision: ${commit}`, input.statusUpdatedAt)
      : pending
        ? condition('Unknown', 'Progressing', 'reconciliation in progress', input.statusUpdatedAt)
        : condition(
            'False',
            'ReconciliationFailed',
            `kustomize build failed: accumulating resources from './${input.kustomizationPath}'`,
            input.statusUpdatedAt,
          );
  return {
    id,
    type: 'Microsoft.KubernetesConfiguration/fluxConfigurations',
    name: input.name,
    systemData: systemData(input.audit),
    properties: {
      scope: 'cluster',
      namespace: input.namespace,
      sourceKind: 'GitRepository',
      suspend: false,
      gitRepository: {
        url: input.url,
        timeoutInSeconds: 600,
        syncIntervalInSeconds: 600,
        repositoryRef: { branch: input.branch, tag: null, semver: null, commit: null },
      },
      kustomizations: {
        [kustomization]: {
          name: kustomization,
          path: `./${input.kustomizationPath}`,
          dependsOn: [],
          timeoutInSeconds: 600,
          syncIntervalInSeconds: 600,
          retryIntervalInSeconds: 600,
          prune: true,
          wait: true,
        },
      },
      statuses: [
        {
          name: input.name,
          kind: 'GitRepository',
          complianceState: pending ? 'Pending' : 'Compliant',
          appliedBy: null,
          helmReleaseProperties: null,
          statusConditions: [sourceCondition],
        },
        {
          name: `${input.name}-${kustomization}`,
          kind: 'Kustomization',
          complianceState: input.complianceState,
          appliedBy: null,
          helmReleaseProperties: null,
          statusConditions: [kustomizationCondition],
        },
      ],
      repositoryPublicKey: '',
      sourceSyncedCommitId: pending ? '' : commit,
      sourceUpdatedAt: pending ? null : input.statusUpdatedAt,
      statusUpdatedAt: input.statusUpdatedAt,
      complianceState: input.complianceState,
      provisioningState: 'Succeeded',
      errorMessage: '',
    },
  };
}

function condition(status: string, reason: string, message: string, at: string): JsonObject {
  return { lastTransitionTime: at, message, reason, status, type: 'Ready' };
}

// ---------------------------------------------------------------------------------------------
// Microsoft.HybridContainerService/provisionedClusterInstances (provisionedClusterInstances_get_2024-01-01.json)

export interface ProvisionedClusterInstanceInput {
  clusterId: string;
  /** `extendedLocation.name` as the instance reports it. */
  customLocationName: string;
  logicalNetworkId: string;
  kubernetesVersion: string;
  controlPlaneCount: number;
  workerCount: number;
}

export function provisionedClusterInstance(input: ProvisionedClusterInstanceInput): JsonObject {
  const sshKey = `ssh-rsa AAAAB3NzaC1yc2E${deterministicBase64(`ssh:${input.clusterId}`, 48)}`;
  return {
    id: provisionedClusterInstanceId(input.clusterId),
    name: 'default',
    type: 'Microsoft.HybridContainerService/provisionedClusterInstances',
    extendedLocation: { name: input.customLocationName, type: 'CustomLocation' },
    properties: {
      provisioningState: 'Succeeded',
      controlPlane: {
        count: input.controlPlaneCount,
        vmSize: 'Standard_A4_v2',
        osType: 'Linux',
        linuxProfile: { ssh: { publicKeys: [{ keyData: sshKey }] } },
      },
      kubernetesVersion: input.kubernetesVersion,
      networkProfile: { networkPolicy: 'calico', podCidr: '10.244.0.0/16' },
      agentPoolProfiles: [
        { name: 'nodepool1', count: input.workerCount, vmSize: 'Standard_D8s_v3', osType: 'Linux' },
      ],
      linuxProfile: { ssh: { publicKeys: [{ keyData: sshKey }] } },
      cloudProviderProfile: { infraNetworkProfile: { vnetSubnetIds: [input.logicalNetworkId] } },
      licenseProfile: { azureHybridBenefit: 'False' },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft.ExtendedLocation/customLocations (no fixture; the documented properties)

export interface CustomLocationInput {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  hostResourceId: string;
  clusterExtensionIds: string[];
  audit: Audit;
}

export function customLocation(input: CustomLocationInput): JsonObject {
  return {
    id: customLocationId(input.subscriptionId, input.resourceGroup, input.name),
    name: input.name,
    type: 'Microsoft.ExtendedLocation/customLocations',
    location: input.location,
    tags: {},
    systemData: systemData(input.audit),
    properties: {
      hostType: 'Kubernetes',
      hostResourceId: input.hostResourceId,
      namespace: 'default',
      displayName: input.name,
      clusterExtensionIds: input.clusterExtensionIds,
      authentication: {},
      provisioningState: 'Succeeded',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft.AzureStackHCI/clusters (azurestackhci_clusters_get_2024-04-01.json)

export interface AzureLocalClusterInput {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tenantId: string;
  cloudId: string;
  nodeCount: number;
  manufacturer: string;
  model: string;
  audit: Audit;
  /** Registration and last sync. */
  registeredAt: string;
  lastSyncAt: string;
}

export function azureLocalCluster(input: AzureLocalClusterInput): JsonObject {
  const id = azureLocalClusterId(input.subscriptionId, input.resourceGroup, input.name);
  const osVersion = '10.0.25398.1913';
  return {
    id,
    name: input.name,
    type: 'Microsoft.AzureStackHCI/clusters',
    location: input.location,
    tags: {},
    systemData: systemData(input.audit),
    properties: {
      provisioningState: 'Succeeded',
      status: 'ConnectedRecently',
      connectivityStatus: 'Connected',
      cloudId: input.cloudId,
      cloudManagementEndpoint: `https://${deterministicGuid(`management:${id}`)}.waconazure.com`,
      aadClientId: deterministicGuid(`aad-client:${id}`),
      aadTenantId: input.tenantId,
      desiredProperties: { windowsServerSubscription: 'Enabled', diagnosticLevel: 'Basic' },
      isolatedVmAttestationConfiguration: {
        attestationResourceId: `${resourceGroupId(input.subscriptionId, input.resourceGroup)}/providers/Microsoft.Attestation/attestationProviders/attest${input.name.replace(/-/g, '')}`,
        relyingPartyServiceEndpoint: `https://azurestackhci.azurefd.net/${input.location}`,
        attestationServiceEndpoint: `https://attest${input.name.replace(/-/g, '')}.${input.location}.attest.azure.net`,
      },
      logCollectionProperties: {
        fromDate: input.lastSyncAt,
        toDate: input.lastSyncAt,
        lastLogGenerated: input.lastSyncAt,
        logCollectionSessionDetails: [],
      },
      reportedProperties: {
        clusterName: input.name,
        clusterId: deterministicGuid(`failover-cluster:${id}`),
        clusterVersion: osVersion,
        clusterType: 'FirstParty',
        manufacturer: input.manufacturer,
        oemActivation: 'Disabled',
        nodes: Array.from({ length: input.nodeCount }, (_, index) => ({
          name: `${input.name.replace(/^hci-/, '').toUpperCase()}-N${index + 1}`,
          id: index + 1,
          windowsServerSubscription: 'Enabled',
          manufacturer: input.manufacturer,
          model: input.model,
          osName: 'Azure Stack HCI',
          osVersion,
          serialNumber: deterministicHex(`serial:${id}:${index}`, 7).toUpperCase(),
          coreCount: 32,
          memoryInGiB: 512,
          lastLicensingTimestamp: input.lastSyncAt,
          oemActivation: 'Disabled',
        })),
        lastUpdated: input.lastSyncAt,
        imdsAttestation: 'Enabled',
        diagnosticLevel: 'Basic',
      },
      trialDaysRemaining: 0,
      billingModel: 'Billed',
      registrationTimestamp: input.registeredAt,
      lastSyncTimestamp: input.lastSyncAt,
      lastBillingTimestamp: input.lastSyncAt,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft.AzureStackHCI/clusters/securitySettings (azurestackhci_securitySettings_get_2024-04-01.json)

export interface SecuritySettingsInput {
  azureLocalId: string;
  dataAtRestEncrypted: AzureLocalCompliance;
  dataInTransitProtected: AzureLocalCompliance;
  audit: Audit;
  lastUpdated: string;
}

export function securitySettings(input: SecuritySettingsInput): JsonObject {
  return {
    id: securitySettingsId(input.azureLocalId),
    type: 'Microsoft.AzureStackHCI/clusters/securitySettings',
    systemData: systemData(input.audit),
    properties: {
      securedCoreComplianceAssignment: 'Audit',
      wdacComplianceAssignment: 'ApplyAndAutoCorrect',
      smbEncryptionForIntraClusterTrafficComplianceAssignment: 'Audit',
      securityComplianceStatus: {
        securedCoreCompliance: 'Compliant',
        wdacCompliance: 'Compliant',
        dataAtRestEncrypted: input.dataAtRestEncrypted,
        dataInTransitProtected: input.dataInTransitProtected,
        lastUpdated: input.lastUpdated,
      },
      provisioningState: 'Succeeded',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft.DataProtection/backupVaults/backupInstances (no fixture; the documented BackupInstance
// resource, with `properties.dataSourceInfo.resourceID` naming the protected resource)

export interface BackupInstanceInput {
  subscriptionId: string;
  resourceGroup: string;
  vaultName: string;
  location: string;
  /** ID of the protected resource, spelled as the vault stores it. */
  dataSourceId: string;
  dataSourceType: string;
  dataSourceName: string;
  policyName: string;
  snapshotResourceGroup: string;
}

export function backupInstance(input: BackupInstanceInput): JsonObject {
  const vaultId = `${resourceGroupId(input.subscriptionId, input.resourceGroup)}/providers/Microsoft.DataProtection/backupVaults/${input.vaultName}`;
  const name = `${input.dataSourceName}-${input.dataSourceName}-${deterministicGuid(`backup:${input.dataSourceId.toLowerCase()}`)}`;
  const dataSource = {
    datasourceType: input.dataSourceType,
    objectType: 'Datasource',
    resourceID: input.dataSourceId,
    resourceLocation: input.location,
    resourceName: input.dataSourceName,
    resourceType: input.dataSourceType,
    resourceUri: input.dataSourceId,
  };
  const kubernetes = !/\/disks$/i.test(input.dataSourceType);
  return {
    id: `${vaultId}/backupInstances/${name}`,
    name,
    type: 'Microsoft.DataProtection/backupVaults/backupInstances',
    location: input.location,
    tags: {},
    properties: {
      friendlyName: `${input.dataSourceName}\\${input.dataSourceName}`,
      dataSourceInfo: dataSource,
      dataSourceSetInfo: { ...dataSource, objectType: 'DatasourceSet' },
      policyInfo: {
        policyId: `${vaultId}/backupPolicies/${input.policyName}`,
        policyVersion: '',
        policyParameters: {
          dataStoreParametersList: [
            {
              objectType: 'AzureOperationalStoreParameters',
              dataStoreType: 'OperationalStore',
              resourceGroupId: resourceGroupId(input.subscriptionId, input.snapshotResourceGroup),
            },
          ],
          backupDatasourceParametersList: kubernetes
            ? [
                {
                  objectType: 'KubernetesClusterBackupDatasourceParameters',
                  snapshotVolumes: true,
                  includeClusterScopeResources: true,
                  includedNamespaces: [],
                  excludedNamespaces: ['kube-system'],
                },
              ]
            : undefined,
        },
      },
      protectionStatus: { status: 'ProtectionConfigured' },
      currentProtectionState: 'ProtectionConfigured',
      provisioningState: 'Succeeded',
      objectType: 'BackupInstance',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Anything else the inventory may hold (ignored by the engine)

export function storageAccount(
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  location: string,
): JsonObject {
  return {
    id: `${resourceGroupId(subscriptionId, resourceGroup)}/providers/Microsoft.Storage/storageAccounts/${name}`,
    name,
    type: 'Microsoft.Storage/storageAccounts',
    kind: 'StorageV2',
    location,
    sku: { name: 'Standard_ZRS', tier: 'Standard' },
    tags: { purpose: 'flux-artifacts' },
    properties: {
      provisioningState: 'Succeeded',
      accessTier: 'Hot',
      minimumTlsVersion: 'TLS1_2',
      supportsHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      encryption: { keySource: 'Microsoft.Storage', services: { blob: { enabled: true } } },
    },
  };
}
