/**
 * Builders of inventory rows shaped like real Azure output. Each starts from a payload of the Azure
 * REST API specs (kept in `test/fixtures/azure-rest-api-examples/`, provenance in its README) and overrides
 * only what a test needs. ARM rows keep ARM's casing (camelCase properties, mixed-case `type`);
 * Resource Graph rows carry ARG's columns, a lower-case `type`, and — for extensions — PascalCase
 * property keys (`ExtensionType`, `ProvisioningState`, `ConfigurationSettings`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { daysBeforeNow } from './clock.js';

export type Row = Record<string, unknown>;

const FIXTURES = new URL('../fixtures/azure-rest-api-examples/', import.meta.url);
const fixtureText = new Map<string, string>();

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The 200 response body of a spec example, as a fresh copy the caller may change. */
export function fixtureBody(file: string): Row {
  let text = fixtureText.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(file, FIXTURES), 'utf8');
    fixtureText.set(file, text);
  }
  const example: unknown = JSON.parse(text);
  const responses = isRow(example) ? example['responses'] : undefined;
  const ok = isRow(responses) ? responses['200'] : undefined;
  const body = isRow(ok) ? ok['body'] : undefined;
  if (!isRow(body)) throw new Error(`fixture ${file} has no 200 response body`);
  return body;
}

function propertiesOf(row: Row): Row {
  const properties = row['properties'];
  if (!isRow(properties)) throw new Error(`row ${String(row['id'])} has no properties object`);
  return properties;
}

/** Sets each key of `overrides` on `target`; a key whose value is `undefined` is removed. */
function applyOverrides(target: Row, overrides: Row | undefined): Row {
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) Reflect.deleteProperty(target, key);
    else target[key] = value;
  }
  return target;
}

// ---------------------------------------------------------------------------------------------
// Identifiers

/** The subscription of the connectedClusters spec example. */
export const SUBSCRIPTION = '1bfbb5d0-917e-4346-9026-1d3b344417f5';
export const OTHER_SUBSCRIPTION = 'a3e42606-29b1-4d7d-b1d9-9ff6b9d3c71b';
export const RESOURCE_GROUP = 'k8s-fleet';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface Placement {
  subscriptionId?: string;
  resourceGroup?: string;
}

function scope(placement: Placement = {}): string {
  return `/subscriptions/${placement.subscriptionId ?? SUBSCRIPTION}/resourceGroups/${placement.resourceGroup ?? RESOURCE_GROUP}`;
}

export function connectedClusterId(name: string, placement?: Placement): string {
  return `${scope(placement)}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

/** AKS IDs as the managedClusters examples print them (`resourcegroups` in lower case). */
export function managedClusterId(name: string, placement?: Placement): string {
  return (
    scope(placement).replace('/resourceGroups/', '/resourcegroups/') +
    `/providers/Microsoft.ContainerService/managedClusters/${name}`
  );
}

export function customLocationId(name: string, placement?: Placement): string {
  return `${scope(placement)}/providers/Microsoft.ExtendedLocation/customLocations/${name}`;
}

export function applianceId(name: string, placement?: Placement): string {
  return `${scope(placement)}/providers/Microsoft.ResourceConnector/appliances/${name}`;
}

export function azureLocalClusterId(name: string, placement?: Placement): string {
  return `${scope(placement)}/providers/Microsoft.AzureStackHCI/clusters/${name}`;
}

export function securitySettingsIdOf(azureLocalId: string): string {
  return `${azureLocalId}/securitySettings/default`;
}

export function instanceIdOf(clusterId: string): string {
  return `${clusterId}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`;
}

export function extensionIdOf(parentId: string, name: string): string {
  return `${parentId}/providers/Microsoft.KubernetesConfiguration/extensions/${name}`;
}

export function fluxConfigurationIdOf(clusterId: string, name: string): string {
  return `${clusterId}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/${name}`;
}

// ---------------------------------------------------------------------------------------------
// Clusters

export interface ClusterOptions extends Placement {
  name: string;
  /** Merged into `properties`; a key set to `undefined` is removed. */
  properties?: Row;
  /** Replaces `properties` wholesale (e.g. `null` for malformed input). */
  rawProperties?: unknown;
}

function withCluster(body: Row, id: string, options: ClusterOptions, defaults: Row): Row {
  body['id'] = id;
  body['name'] = options.name;
  if ('rawProperties' in options) {
    body['properties'] = options.rawProperties;
    return body;
  }
  applyOverrides(propertiesOf(body), { ...defaults, ...options.properties });
  return body;
}

/** Connected, current agent: the example lacks connectivity fields, so they are filled in. */
const CONNECTED: Row = {
  connectivityStatus: 'Connected',
  lastConnectivityTime: daysBeforeNow(0.01),
  agentVersion: '1.31.2',
};

/** An Arc-enabled Kubernetes cluster (ARM GET of connectedClusters, no top-level `kind`). */
export function arcCluster(options: ClusterOptions): Row {
  const body = fixtureBody('connectedClusters_get_2026-03-01.json');
  return withCluster(body, connectedClusterId(options.name, options), options, {
    ...CONNECTED,
    distribution: 'k3s',
    infrastructure: 'generic',
  });
}

/** An AKS Arc cluster (connectedClusters with top-level `kind: ProvisionedCluster`). */
export function aksArcCluster(options: ClusterOptions & { kind?: string }): Row {
  const body = fixtureBody('connectedClusters_get_provisionedCluster_2026-03-01.json');
  if (options.kind !== undefined) body['kind'] = options.kind;
  return withCluster(body, connectedClusterId(options.name, options), options, {
    ...CONNECTED,
    infrastructure: 'azure_stack_hci',
  });
}

/**
 * An AKS cluster. `from: 'plain'` (default) is the securityProfile example: no add-ons, no KMS, a pool
 * without host encryption. `from: 'keyvault-addon'` is the azureKeyvaultSecretsProvider example: the
 * add-on enabled with rotation "true", one pool with `enableEncryptionAtHost: true`.
 */
export function aksCluster(options: ClusterOptions & { from?: 'plain' | 'keyvault-addon' }): Row {
  const body = fixtureBody(
    options.from === 'keyvault-addon'
      ? 'managedClusters_create_azureKeyvaultSecretsProvider_2025-05-01.json'
      : 'managedClusters_create_securityProfile_2025-05-01.json',
  );
  return withCluster(body, managedClusterId(options.name, options), options, {});
}

/** An AKS agent pool profile from the managedClusters example, renamed and overridden. */
export function agentPool(name: string, overrides: Row = {}): Row {
  const body = fixtureBody('managedClusters_create_securityProfile_2025-05-01.json');
  const pools = propertiesOf(body)['agentPoolProfiles'];
  const [first] = Array.isArray(pools) ? pools : [];
  if (!isRow(first)) throw new Error('managedClusters example has no agent pool');
  return applyOverrides({ ...first, name }, overrides);
}

// ---------------------------------------------------------------------------------------------
// Resource Graph rows

function resourceGroupOfId(id: string): string {
  return /\/resourcegroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}

function subscriptionOfId(id: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? '';
}

function pascalKeys(source: Row): Row {
  return Object.fromEntries(
    Object.entries(source).map(([key, value]) => [key.charAt(0).toUpperCase() + key.slice(1), value]),
  );
}

export interface ResourceGraphOptions {
  /** PascalCase the top-level property keys, as the kubernetesconfigurationresources table does for extensions. */
  pascalCaseProperties?: boolean;
  /** Lower-case the ID, as some tables do (IDs must be compared ignoring case). */
  lowerCaseId?: boolean;
}

/**
 * The Resource Graph row for an ARM resource: ARG's standard columns, `type` in lower case, the
 * location as a region name, and optionally PascalCase property keys and a lower-case ID.
 */
export function asResourceGraphRow(arm: Row, options: ResourceGraphOptions = {}): Row {
  const id = String(arm['id']);
  const properties = arm['properties'];
  return {
    id: options.lowerCaseId ? id.toLowerCase() : id,
    name: arm['name'],
    type: String(arm['type']).toLowerCase(),
    tenantId: TENANT,
    kind: arm['kind'] ?? '',
    location: String(arm['location'] ?? '')
      .toLowerCase()
      .replace(/\s+/g, ''),
    resourceGroup: resourceGroupOfId(id).toLowerCase(),
    subscriptionId: subscriptionOfId(id),
    managedBy: '',
    sku: arm['sku'] ?? null,
    plan: arm['plan'] ?? null,
    properties: options.pascalCaseProperties && isRow(properties) ? pascalKeys(properties) : properties,
    tags: arm['tags'] ?? {},
    identity: arm['identity'] ?? null,
    zones: null,
    extendedLocation: arm['extendedLocation'] ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Extensions and Flux configurations

export const EXTENSION_TYPE = {
  secretStore: 'microsoft.azure.secretstore',
  secretsProvider: 'Microsoft.AzureKeyVaultSecretsProvider',
  flux: 'microsoft.flux',
  backup: 'microsoft.dataprotection.kubernetes',
  containerStorage: 'microsoft.arc.containerstorage',
  edgeStorageAccelerator: 'microsoft.edgestorageaccelerator',
  openServiceMesh: 'Microsoft.openservicemesh',
} as const;

export interface ExtensionOptions {
  name: string;
  extensionType: string;
  /** Default `Succeeded`. */
  provisioningState?: string;
  /** Replaces the example's settings; omitted → `{}`. */
  configurationSettings?: Record<string, string>;
}

/** A cluster extension as ARM GET returns it (camelCase), from the extensions example. */
export function armExtension(parentId: string, options: ExtensionOptions): Row {
  const body = fixtureBody('extensions_get_2025-03-01.json');
  body['id'] = extensionIdOf(parentId, options.name);
  body['name'] = options.name;
  applyOverrides(propertiesOf(body), {
    extensionType: options.extensionType,
    provisioningState: options.provisioningState ?? 'Succeeded',
    configurationSettings: options.configurationSettings ?? {},
  });
  return body;
}

/**
 * A cluster extension as Resource Graph returns it from `kubernetesconfigurationresources`:
 * lower-case `type` and ID, PascalCase property keys.
 */
export function resourceGraphExtension(parentId: string, options: ExtensionOptions): Row {
  return asResourceGraphRow(armExtension(parentId, options), {
    pascalCaseProperties: true,
    lowerCaseId: true,
  });
}

export interface FluxOptions {
  name: string;
  complianceState: string;
  provisioningState?: string;
}

/** A Flux configuration (ARM GET, camelCase), with its statuses carrying the same compliance state. */
export function fluxConfiguration(clusterId: string, options: FluxOptions): Row {
  const body = fixtureBody('fluxConfigurations_get_2025-04-01.json');
  body['id'] = fluxConfigurationIdOf(clusterId, options.name);
  body['name'] = options.name;
  const properties = propertiesOf(body);
  properties['complianceState'] = options.complianceState;
  properties['provisioningState'] = options.provisioningState ?? 'Succeeded';
  const statuses = properties['statuses'];
  if (Array.isArray(statuses)) {
    for (const status of statuses) if (isRow(status)) status['complianceState'] = options.complianceState;
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// AKS Arc → Azure Local

/** The AKS Arc instance `{clusterId}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`. */
export function provisionedClusterInstance(clusterId: string, customLocation: string | undefined): Row {
  const body = fixtureBody('provisionedClusterInstances_get_2024-01-01.json');
  body['id'] = instanceIdOf(clusterId);
  body['name'] = 'default';
  if (customLocation === undefined) delete body['extendedLocation'];
  else body['extendedLocation'] = { type: 'CustomLocation', name: customLocation };
  return body;
}

/**
 * A custom location (no spec example is bundled; the shape follows the
 * Microsoft.ExtendedLocation/customLocations ARM resource).
 */
export function customLocation(id: string, clusterExtensionIds: string[], hostResourceId?: string): Row {
  const name = id.split('/').pop() ?? '';
  return {
    id,
    name,
    type: 'Microsoft.ExtendedLocation/customLocations',
    location: 'eastus',
    properties: {
      hostType: 'Kubernetes',
      hostResourceId:
        hostResourceId ??
        applianceId(`${name}-bridge`, {
          subscriptionId: subscriptionOfId(id),
          resourceGroup: resourceGroupOfId(id),
        }),
      namespace: name,
      displayName: name,
      provisioningState: 'Succeeded',
      clusterExtensionIds,
      authentication: {},
    },
  };
}

/** An extension of the Arc resource bridge whose settings name the Azure Local cluster (`HCIClusterID`). */
export function bridgeExtension(bridgeId: string, name: string, hciClusterId: string | undefined): Row {
  return armExtension(bridgeId, {
    name,
    extensionType: 'Microsoft.AZStackHCI.Operator',
    configurationSettings: hciClusterId === undefined ? {} : { HCIClusterID: hciClusterId },
  });
}

export interface AzureLocalOptions extends Placement {
  name: string;
  cloudId?: string;
}

/** An Azure Local (Azure Stack HCI) cluster, from the clusters example. */
export function azureLocalCluster(options: AzureLocalOptions): Row {
  const body = fixtureBody('azurestackhci_clusters_get_2024-04-01.json');
  body['id'] = azureLocalClusterId(options.name, options);
  body['name'] = options.name;
  if (options.cloudId !== undefined) propertiesOf(body)['cloudId'] = options.cloudId;
  return body;
}

export interface ComplianceStatusOptions {
  dataAtRestEncrypted?: string;
  dataInTransitProtected?: string;
}

/** `{azureLocalId}/securitySettings/default`, from the securitySettings example (both Compliant there). */
export function securitySettings(azureLocalId: string, status: ComplianceStatusOptions = {}): Row {
  const body = fixtureBody('azurestackhci_securitySettings_get_2024-04-01.json');
  body['id'] = securitySettingsIdOf(azureLocalId);
  const compliance = propertiesOf(body)['securityComplianceStatus'];
  if (isRow(compliance)) applyOverrides(compliance, { ...status });
  return body;
}

export interface AksArcSite {
  clusterId: string;
  instanceId: string;
  customLocationId: string;
  azureLocalClusterId: string;
  securitySettingsId: string;
  bridgeExtensionId: string;
  rows: Row[];
}

/**
 * An AKS Arc cluster on Azure Local, fully linked the way Azure links it: cluster → AKS Arc instance
 * → custom location → resource-bridge extension with `HCIClusterID` → Azure Local cluster → its
 * security settings. The Azure Local site lives in its own resource group.
 */
export function aksArcOnAzureLocal(
  name: string,
  status: ComplianceStatusOptions = {},
  cluster: Omit<ClusterOptions, 'name'> = {},
): AksArcSite {
  const site: Placement = { resourceGroup: `${name}-site` };
  const clusterId = connectedClusterId(name, cluster);
  const location = customLocationId(`${name}-cl`, site);
  const bridge = applianceId(`${name}-bridge`, site);
  const hostId = azureLocalClusterId(`${name}-hci`, site);
  const extension = bridgeExtension(bridge, 'hci-vmoperator', hostId);
  return {
    clusterId,
    instanceId: instanceIdOf(clusterId),
    customLocationId: location,
    azureLocalClusterId: hostId,
    securitySettingsId: securitySettingsIdOf(hostId),
    bridgeExtensionId: String(extension['id']),
    rows: [
      aksArcCluster({ ...cluster, name }),
      provisionedClusterInstance(clusterId, location),
      customLocation(location, [String(extension['id'])], bridge),
      extension,
      azureLocalCluster({ ...site, name: `${name}-hci` }),
      securitySettings(hostId, status),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Azure Backup

export interface BackupInstanceOptions extends Placement {
  vaultName: string;
  name: string;
  /** The protected cluster's ID (`properties.dataSourceInfo.resourceID`). */
  dataSourceId: string;
}

/**
 * An Azure Backup instance (no spec example is bundled; the shape follows the DataProtection
 * `PutBackupInstance_KubernetesClusterBackupDatasourceParameters` example).
 */
export function backupInstance(options: BackupInstanceOptions): Row {
  const id = `${scope(options)}/providers/Microsoft.DataProtection/backupVaults/${options.vaultName}/backupInstances/${options.name}`;
  const dataSource = (objectType: string): Row => ({
    datasourceType: 'Microsoft.ContainerService/managedclusters',
    objectType,
    resourceID: options.dataSourceId,
    resourceLocation: 'eastus',
    resourceName: options.dataSourceId.split('/').pop(),
    resourceType: 'Microsoft.ContainerService/managedclusters',
    resourceUri: options.dataSourceId,
  });
  return {
    id,
    name: options.name,
    type: 'Microsoft.DataProtection/backupVaults/backupInstances',
    properties: {
      friendlyName: options.name,
      objectType: 'BackupInstance',
      dataSourceInfo: dataSource('Datasource'),
      dataSourceSetInfo: dataSource('DatasourceSet'),
      policyInfo: {
        policyId: `${scope(options)}/providers/Microsoft.DataProtection/backupVaults/${options.vaultName}/backupPolicies/aks-daily`,
      },
      protectionStatus: { status: 'ProtectionConfigured' },
      currentProtectionState: 'ProtectionConfigured',
      provisioningState: 'Succeeded',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Inventory-document rows
//
// The builders prefixed `inventory` produce the rows the inventory-file tests (parsing, merging,
// fleet building, findings output) were written against. Their defaults differ from the builders
// above: resource group `fleet-rg`, agent version 1.21.10 and no `lastConnectivityTime`; AKS
// clusters start from the azureKeyvaultSecretsProvider example; options replace `properties`
// wholesale (`properties`) or merge into it (`set`).

/** The resource group of the inventory-document rows. */
export const INVENTORY_RESOURCE_GROUP = 'fleet-rg';

/** The Azure REST API example payloads kept in `test/fixtures/azure-rest-api-examples/`. */
export const FIXTURES_DIR = fileURLToPath(FIXTURES);

export function fixturePath(file: string): string {
  return join(FIXTURES_DIR, file);
}

/** A fresh copy of the whole example document. */
export function fixtureDocument(file: string): Row {
  return JSON.parse(readFileSync(fixturePath(file), 'utf8')) as Row;
}

export const FIXTURE = {
  arcCluster: 'connectedClusters_get_2026-03-01.json',
  aksArcCluster: 'connectedClusters_get_provisionedCluster_2026-03-01.json',
  aksKeyVault: 'managedClusters_create_azureKeyvaultSecretsProvider_2025-05-01.json',
  aksSecurityProfile: 'managedClusters_create_securityProfile_2025-05-01.json',
  extension: 'extensions_get_2025-03-01.json',
  extensionList: 'extensions_list_2025-03-01.json',
  flux: 'fluxConfigurations_get_2025-04-01.json',
  instance: 'provisionedClusterInstances_get_2024-01-01.json',
  azureLocal: 'azurestackhci_clusters_get_2024-04-01.json',
  securitySettings: 'azurestackhci_securitySettings_get_2024-04-01.json',
  graphFirstPage: 'resourcegraph_resources_firstpage_2024-04-01.json',
  graphNextPage: 'resourcegraph_resources_nextpage_2024-04-01.json',
} as const;

function inventoryPlacement(sub: string, rg: string): Placement {
  return { subscriptionId: sub, resourceGroup: rg };
}

export function inventoryConnectedClusterId(
  name: string,
  sub = SUBSCRIPTION,
  rg = INVENTORY_RESOURCE_GROUP,
): string {
  return connectedClusterId(name, inventoryPlacement(sub, rg));
}

export function inventoryManagedClusterId(
  name: string,
  sub = SUBSCRIPTION,
  rg = INVENTORY_RESOURCE_GROUP,
): string {
  return managedClusterId(name, inventoryPlacement(sub, rg));
}

export function inventoryApplianceId(
  name: string,
  sub = SUBSCRIPTION,
  rg = INVENTORY_RESOURCE_GROUP,
): string {
  return applianceId(name, inventoryPlacement(sub, rg));
}

export function inventoryCustomLocationId(
  name: string,
  sub = SUBSCRIPTION,
  rg = INVENTORY_RESOURCE_GROUP,
): string {
  return customLocationId(name, inventoryPlacement(sub, rg));
}

export function inventoryAzureLocalClusterId(
  name: string,
  sub = SUBSCRIPTION,
  rg = INVENTORY_RESOURCE_GROUP,
): string {
  return azureLocalClusterId(name, inventoryPlacement(sub, rg));
}

export interface InventoryClusterOptions {
  name: string;
  subscriptionId?: string;
  resourceGroup?: string;
  /** Replaces the whole `properties` bag (may be malformed on purpose). */
  properties?: unknown;
  /** Merged into the fixture's properties (ignored when `properties` is given). */
  set?: Row;
  /** Top-level `kind`; `null` removes it. */
  kind?: string | null;
}

/** Properties of a connected Arc cluster in the inventory documents. */
const INVENTORY_CONNECTED: Row = { connectivityStatus: 'Connected', agentVersion: '1.21.10' };

function withInventoryProperties(body: Row, options: InventoryClusterOptions, base: Row): Row {
  if ('properties' in options) body['properties'] = options.properties;
  else body['properties'] = { ...propertiesOf(body), ...base, ...(options.set ?? {}) };
  if (options.kind === null) delete body['kind'];
  else if (options.kind !== undefined) body['kind'] = options.kind;
  return body;
}

/** An Arc-enabled Kubernetes cluster (`connectedClusters_get_2026-03-01.json`). */
export function inventoryArcCluster(options: InventoryClusterOptions): Row {
  const body = fixtureBody(FIXTURE.arcCluster);
  body['id'] = inventoryConnectedClusterId(options.name, options.subscriptionId, options.resourceGroup);
  body['name'] = options.name;
  return withInventoryProperties(body, options, INVENTORY_CONNECTED);
}

/** An AKS Arc cluster (`connectedClusters_get_provisionedCluster_2026-03-01.json`, kind ProvisionedCluster). */
export function inventoryAksArcCluster(options: InventoryClusterOptions): Row {
  const body = fixtureBody(FIXTURE.aksArcCluster);
  body['id'] = inventoryConnectedClusterId(options.name, options.subscriptionId, options.resourceGroup);
  body['name'] = options.name;
  return withInventoryProperties(body, options, INVENTORY_CONNECTED);
}

/** An AKS cluster (`managedClusters_create_azureKeyvaultSecretsProvider_2025-05-01.json`). */
export function inventoryAksCluster(options: InventoryClusterOptions): Row {
  const body = fixtureBody(FIXTURE.aksKeyVault);
  body['id'] = inventoryManagedClusterId(options.name, options.subscriptionId, options.resourceGroup);
  body['name'] = options.name;
  return withInventoryProperties(body, options, {});
}

/** A cluster extension (`extensions_get_2025-03-01.json`), with positional arguments. */
export function extension(
  parentId: string,
  name: string,
  extensionType: string,
  provisioningState = 'Succeeded',
  configurationSettings: Row = {},
): Row {
  const body = fixtureBody(FIXTURE.extension);
  body['id'] = extensionIdOf(parentId, name);
  body['name'] = name;
  const properties = propertiesOf(body);
  properties['extensionType'] = extensionType;
  properties['provisioningState'] = provisioningState;
  properties['configurationSettings'] = configurationSettings;
  return body;
}

/** A Flux configuration (`fluxConfigurations_get_2025-04-01.json`); only the top-level compliance state is set. */
export function inventoryFluxConfiguration(clusterId: string, name: string, complianceState: string): Row {
  const body = fixtureBody(FIXTURE.flux);
  body['id'] = fluxConfigurationIdOf(clusterId, name);
  body['name'] = name;
  propertiesOf(body)['complianceState'] = complianceState;
  return body;
}

/** The AKS Arc instance of a cluster (`provisionedClusterInstances_get_2024-01-01.json`), name as in the example. */
export function inventoryProvisionedClusterInstance(clusterId: string, customLocationName: string): Row {
  const body = fixtureBody(FIXTURE.instance);
  body['id'] = instanceIdOf(clusterId);
  body['extendedLocation'] = { name: customLocationName, type: 'CustomLocation' };
  return body;
}

/** A custom location in namespace `default`. */
export function inventoryCustomLocation(
  id: string,
  hostResourceId: string,
  clusterExtensionIds: string[],
): Row {
  const name = id.split('/').pop() ?? '';
  return {
    id,
    name,
    type: 'Microsoft.ExtendedLocation/customLocations',
    location: 'eastus',
    properties: {
      hostResourceId,
      hostType: 'Kubernetes',
      namespace: 'default',
      provisioningState: 'Succeeded',
      clusterExtensionIds,
    },
  };
}

/** An Azure Local cluster (`azurestackhci_clusters_get_2024-04-01.json`) with the given ID. */
export function inventoryAzureLocalCluster(id: string): Row {
  const body = fixtureBody(FIXTURE.azureLocal);
  body['id'] = id;
  body['name'] = id.split('/').pop();
  return body;
}

/** Security settings of an Azure Local cluster with both statuses given. */
export function inventorySecuritySettings(
  azureLocalId: string,
  dataAtRestEncrypted: string,
  dataInTransitProtected: string,
): Row {
  return securitySettings(azureLocalId, { dataAtRestEncrypted, dataInTransitProtected });
}

/**
 * A resource as Resource Graph returns it in an inventory document: lower-case type, PascalCase
 * extension property keys, location and ID unchanged, no SKU or plan.
 */
export function resourceGraphRow(resource: Row): Row {
  const type = String(resource['type']).toLowerCase();
  const properties = resource['properties'];
  const id = String(resource['id']);
  return {
    id,
    name: resource['name'],
    type,
    tenantId: TENANT,
    kind: resource['kind'] ?? '',
    location: resource['location'] ?? '',
    resourceGroup: resourceGroupOfId(id).toLowerCase(),
    subscriptionId: subscriptionOfId(id),
    managedBy: '',
    sku: null,
    plan: null,
    properties:
      type === 'microsoft.kubernetesconfiguration/extensions' &&
      typeof properties === 'object' &&
      properties !== null
        ? pascalKeys(properties as Row)
        : properties,
    tags: resource['tags'] ?? null,
    identity: resource['identity'] ?? null,
    zones: null,
    extendedLocation: resource['extendedLocation'] ?? null,
  };
}

/** What `az graph query -q ... --first 1000` prints. */
export function azGraphQueryOutput(rows: Row[]): Row {
  return { count: rows.length, data: rows, skip_token: null, total_records: rows.length };
}
