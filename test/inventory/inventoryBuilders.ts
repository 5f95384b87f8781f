/**
 * Test builders for inventory rows. Every resource starts from the `responses.200.body` of an
 * example in `test/fixtures/azure-rest-api-examples/` (see its README for provenance) and changes only
 * the IDs, names and the properties a test is about.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type JsonObject = Record<string, unknown>;

/** The Azure REST API example payloads kept in `test/fixtures/azure-rest-api-examples/`. */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/azure-rest-api-examples/', import.meta.url));

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function fixturePath(file: string): string {
  return join(FIXTURES_DIR, file);
}

/** A fresh copy of the whole example document. */
export function fixtureDocument(file: string): JsonObject {
  return JSON.parse(readFileSync(fixturePath(file), 'utf8')) as JsonObject;
}

/** A fresh copy of the example's `responses.200.body`. */
export function fixtureBody(file: string): JsonObject {
  const document = fixtureDocument(file);
  const responses = document.responses as Record<string, { body: JsonObject }>;
  const ok = responses['200'];
  if (!ok) throw new Error(`${file} has no 200 response`);
  return ok.body;
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

// ---------------------------------------------------------------------------------------------
// IDs

export const SUBSCRIPTION = '1bfbb5d0-917e-4346-9026-1d3b344417f5';
export const RESOURCE_GROUP = 'fleet-rg';

export function connectedClusterId(name: string, sub = SUBSCRIPTION, rg = RESOURCE_GROUP): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

export function managedClusterId(name: string, sub = SUBSCRIPTION, rg = RESOURCE_GROUP): string {
  return `/subscriptions/${sub}/resourcegroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}

export function extensionId(parentId: string, name: string): string {
  return `${parentId}/providers/Microsoft.KubernetesConfiguration/extensions/${name}`;
}

export function fluxConfigurationId(clusterId: string, name: string): string {
  return `${clusterId}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/${name}`;
}

export function applianceId(name: string, sub = SUBSCRIPTION, rg = RESOURCE_GROUP): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ResourceConnector/appliances/${name}`;
}

export function customLocationId(name: string, sub = SUBSCRIPTION, rg = RESOURCE_GROUP): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ExtendedLocation/customLocations/${name}`;
}

export function azureLocalClusterId(name: string, sub = SUBSCRIPTION, rg = RESOURCE_GROUP): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.AzureStackHCI/clusters/${name}`;
}

// ---------------------------------------------------------------------------------------------
// Resources

export interface ClusterOptions {
  name: string;
  subscriptionId?: string;
  resourceGroup?: string;
  /** Replaces the whole `properties` bag (may be malformed on purpose). */
  properties?: unknown;
  /** Merged into the fixture's properties (ignored when `properties` is given). */
  set?: JsonObject;
  /** Top-level `kind`; `null` removes it. */
  kind?: string | null;
}

/** Properties of a connected, up-to-date Arc cluster (the fixture plus connectivity). */
const CONNECTED = { connectivityStatus: 'Connected', agentVersion: '1.21.10' };

function withProperties(body: JsonObject, options: ClusterOptions, base: JsonObject): JsonObject {
  if ('properties' in options) body.properties = options.properties;
  else body.properties = { ...(body.properties as JsonObject), ...base, ...(options.set ?? {}) };
  if (options.kind === null) delete body.kind;
  else if (options.kind !== undefined) body.kind = options.kind;
  return body;
}

/** An Arc-enabled Kubernetes cluster (`connectedClusters_get_2026-03-01.json`). */
export function arcCluster(options: ClusterOptions): JsonObject {
  const body = fixtureBody(FIXTURE.arcCluster);
  body.id = connectedClusterId(options.name, options.subscriptionId, options.resourceGroup);
  body.name = options.name;
  return withProperties(body, options, CONNECTED);
}

/** An AKS Arc cluster (`connectedClusters_get_provisionedCluster_2026-03-01.json`, kind ProvisionedCluster). */
export function aksArcCluster(options: ClusterOptions): JsonObject {
  const body = fixtureBody(FIXTURE.aksArcCluster);
  body.id = connectedClusterId(options.name, options.subscriptionId, options.resourceGroup);
  body.name = options.name;
  return withProperties(body, options, CONNECTED);
}

/** An AKS cluster (`managedClusters_create_azureKeyvaultSecretsProvider_2025-05-01.json`). */
export function aksCluster(options: ClusterOptions): JsonObject {
  const body = fixtureBody(FIXTURE.aksKeyVault);
  body.id = managedClusterId(options.name, options.subscriptionId, options.resourceGroup);
  body.name = options.name;
  return withProperties(body, options, {});
}

/** A cluster extension (`extensions_get_2025-03-01.json`). */
export function extension(
  parentId: string,
  name: string,
  extensionType: string,
  provisioningState = 'Succeeded',
  configurationSettings: JsonObject = {},
): JsonObject {
  const body = fixtureBody(FIXTURE.extension);
  body.id = extensionId(parentId, name);
  body.name = name;
  const properties = body.properties as JsonObject;
  properties.extensionType = extensionType;
  properties.provisioningState = provisioningState;
  properties.configurationSettings = configurationSettings;
  return body;
}

/** A Flux configuration (`fluxConfigurations_get_2025-04-01.json`). */
export function fluxConfiguration(clusterId: string, name: string, complianceState: string): JsonObject {
  const body = fixtureBody(FIXTURE.flux);
  body.id = fluxConfigurationId(clusterId, name);
  body.name = name;
  (body.properties as JsonObject).complianceState = complianceState;
  return body;
}

/** The AKS Arc instance of a cluster (`provisionedClusterInstances_get_2024-01-01.json`). */
export function provisionedClusterInstance(clusterId: string, customLocation: string): JsonObject {
  const body = fixtureBody(FIXTURE.instance);
  body.id = `${clusterId}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`;
  body.extendedLocation = { name: customLocation, type: 'CustomLocation' };
  return body;
}

export function customLocation(
  id: string,
  hostResourceId: string,
  clusterExtensionIds: string[],
): JsonObject {
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

/** An Azure Local cluster (`azurestackhci_clusters_get_2024-04-01.json`). */
export function azureLocalCluster(id: string): JsonObject {
  const body = fixtureBody(FIXTURE.azureLocal);
  body.id = id;
  body.name = id.split('/').pop();
  return body;
}

/** Security settings of an Azure Local cluster (`azurestackhci_securitySettings_get_2024-04-01.json`). */
export function securitySettings(
  azureLocalId: string,
  dataAtRestEncrypted: string,
  dataInTransitProtected: string,
): JsonObject {
  const body = fixtureBody(FIXTURE.securitySettings);
  body.id = `${azureLocalId}/securitySettings/default`;
  const status = (body.properties as JsonObject).securityComplianceStatus as JsonObject;
  status.dataAtRestEncrypted = dataAtRestEncrypted;
  status.dataInTransitProtected = dataInTransitProtected;
  return body;
}

/** A resource as Resource Graph returns it: lower-case type, PascalCase extension property keys. */
export function resourceGraphRow(resource: JsonObject): JsonObject {
  const type = String(resource.type).toLowerCase();
  let properties = resource.properties;
  if (
    type === 'microsoft.kubernetesconfiguration/extensions' &&
    properties &&
    typeof properties === 'object'
  ) {
    properties = Object.fromEntries(
      Object.entries(properties as JsonObject).map(([key, value]) => [
        key.charAt(0).toUpperCase() + key.slice(1),
        value,
      ]),
    );
  }
  const id = String(resource.id);
  const scope = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)/i.exec(id);
  return {
    id,
    name: resource.name,
    type,
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    kind: resource.kind ?? '',
    location: resource.location ?? '',
    resourceGroup: (scope?.[2] ?? '').toLowerCase(),
    subscriptionId: scope?.[1] ?? '',
    managedBy: '',
    sku: null,
    plan: null,
    properties,
    tags: resource.tags ?? null,
    identity: resource.identity ?? null,
    zones: null,
    extendedLocation: resource.extendedLocation ?? null,
  };
}

/** What `az graph query -q ... --first 1000` prints. */
export function azGraphQueryOutput(rows: JsonObject[]): JsonObject {
  return { count: rows.length, data: rows, skip_token: null, total_records: rows.length };
}

// ---------------------------------------------------------------------------------------------
// Temporary directories

export async function makeTempDir(prefix = 'arc-dc-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeTempDir(path: string | undefined): Promise<void> {
  if (path !== undefined) await rm(path, { recursive: true, force: true });
}
