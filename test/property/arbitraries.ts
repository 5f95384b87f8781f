/**
 * fast-check arbitraries for whole inventories: random JSON rows, clusters with malformed or
 * wrong-typed properties, extension and Flux rows attached to the generated clusters, and
 * casing changes of keys, type strings and IDs.
 */
import fc from 'fast-check';

import { mergeResources } from '../../shared/inventory/mergeResources.js';
import type { DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { DEFAULT_SETTINGS } from '../../shared/settings/scanSettings.js';

export type JsonObject = Record<string, unknown>;
export type ClusterKind = 'arc' | 'aks-arc' | 'aks';

export const NOW = new Date('2026-05-01T12:00:00.000Z');
const SUB = '0f0e0d0c-1111-2222-3333-444455556666';

export const TYPES = {
  connectedCluster: 'Microsoft.Kubernetes/connectedClusters',
  managedCluster: 'Microsoft.ContainerService/managedClusters',
  extension: 'Microsoft.KubernetesConfiguration/extensions',
  flux: 'Microsoft.KubernetesConfiguration/fluxConfigurations',
  instance: 'Microsoft.HybridContainerService/provisionedClusterInstances',
  customLocation: 'Microsoft.ExtendedLocation/customLocations',
  azureLocal: 'Microsoft.AzureStackHCI/clusters',
  securitySettings: 'Microsoft.AzureStackHCI/clusters/securitySettings',
  backupInstance: 'Microsoft.DataProtection/backupVaults/backupInstances',
} as const;

export const EXTENSION_TYPES = [
  'microsoft.azure.secretstore',
  'Microsoft.AzureKeyVaultSecretsProvider',
  'microsoft.flux',
  'Microsoft.DataProtection.Kubernetes',
  'microsoft.arc.containerstorage',
  'microsoft.edgestorageaccelerator',
  'Microsoft.openservicemesh',
  'microsoft.azuremonitor.containers',
] as const;

export function clusterId(index: number, kind: ClusterKind): string {
  return kind === 'aks'
    ? `/subscriptions/${SUB}/resourcegroups/rg-${index % 3}/providers/Microsoft.ContainerService/managedClusters/c${index}`
    : `/subscriptions/${SUB}/resourceGroups/rg-${index % 3}/providers/Microsoft.Kubernetes/connectedClusters/c${index}`;
}

// ---------------------------------------------------------------------------------------------
// Casing

/** mulberry32: a tiny deterministic PRNG, so casing changes follow the generated seed and shrink with it. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomCase(text: string, random: () => number): string {
  return [...text].map((c) => (random() < 0.5 ? c.toLowerCase() : c.toUpperCase())).join('');
}

/** The value with every object key in random casing (values untouched). */
export function recaseKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => recaseKeys(item, random));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value as JsonObject)) {
    let cased = randomCase(key, random);
    // Never merge two keys that differ only in case.
    if (Object.hasOwn(out, cased)) cased = key;
    out[cased] = recaseKeys(inner, random);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Malformed values

export const junk: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });

/** A string that normaliseRow will not parse back into an object. */
const nonObjectString = fc.string({ maxLength: 12 }).filter((s) => !s.trim().startsWith('{'));

export const isoTime = fc
  .integer({ min: -90, max: 5 })
  .map((days) => new Date(NOW.getTime() + days * 86_400_000 - 3_600_000).toISOString());

const badTime = fc.oneof(
  fc.constant('not a date'),
  fc.constant('2026-13-45T99:99:99Z'),
  fc.constant('yesterday'),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
);

const connectivity = fc.constantFrom('Connected', 'Offline', 'Expired', 'Connecting', 'AgentNotInstalled');

/** Cluster properties with plausible keys whose values are often of the wrong type. */
export const wrongTypedProperties: fc.Arbitrary<JsonObject> = fc.record(
  {
    agentVersion: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constant('1.21.10'),
      fc.constant('v1.2'),
      fc.string({ maxLength: 6 }),
      fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
      fc.constant(null),
    ),
    connectivityStatus: fc.oneof(
      connectivity,
      connectivity.map((s) => s.toUpperCase()),
      fc.array(connectivity, { maxLength: 2 }),
      fc.integer(),
      fc.constant(null),
      fc.string({ maxLength: 6 }),
      fc.constant({ status: 'Connected' }),
    ),
    lastConnectivityTime: fc.oneof(isoTime, badTime),
    distribution: junk,
    kubernetesVersion: junk,
    addonProfiles: fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constant({ azureKeyvaultSecretsProvider: 'yes' }),
      fc.constant({ AZUREKEYVAULTSECRETSPROVIDER: { enabled: 'True', config: 'rotate' } }),
      fc.constant({ azurekeyvaultsecretsprovider: { enabled: 1, config: { enableSecretRotation: true } } }),
      fc.constant([]),
      fc.dictionary(fc.string({ maxLength: 4 }), junk, { maxKeys: 2 }),
    ),
    securityProfile: fc.oneof(
      junk,
      fc.constant({ azureKeyVaultKms: { enabled: 'true' } }),
      fc.constant({ azureKeyVaultKms: 'on' }),
      fc.constant({ kubernetesResourceObjectEncryptionProfile: { infrastructureEncryption: ['Enabled'] } }),
    ),
    agentPoolProfiles: fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.array(junk, { maxLength: 3 }),
      fc.array(
        fc.record({
          name: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
          enableEncryptionAtHost: fc.oneof(
            fc.boolean(),
            fc.constantFrom('true', 'False', 'yes'),
            fc.integer(),
          ),
        }),
        { maxLength: 3 },
      ),
    ),
    networkProfile: fc.oneof(
      junk,
      fc.constant({ advancedNetworking: { security: { transitEncryption: { type: 7 } } } }),
      fc.constant({ advancedNetworking: 'WireGuard' }),
    ),
    serviceMeshProfile: fc.oneof(junk, fc.constant({ mode: ['Istio'] })),
  },
  { requiredKeys: [] },
);

export type PropertiesVariant =
  | { shape: 'absent' }
  | { shape: 'null' | 'array' | 'number' | 'string' | 'boolean'; value: unknown }
  | { shape: 'object'; value: unknown };

/** A cluster's `properties`: missing, of the wrong type, or an object with wrong-typed fields. */
export const propertiesVariant: fc.Arbitrary<PropertiesVariant> = fc.oneof(
  fc.constant<PropertiesVariant>({ shape: 'absent' }),
  fc.constant<PropertiesVariant>({ shape: 'null', value: null }),
  fc.array(junk, { maxLength: 3 }).map((value): PropertiesVariant => ({ shape: 'array', value })),
  fc.oneof(fc.integer(), fc.double()).map((value): PropertiesVariant => ({ shape: 'number', value })),
  nonObjectString.map((value): PropertiesVariant => ({ shape: 'string', value })),
  fc.boolean().map((value): PropertiesVariant => ({ shape: 'boolean', value })),
  wrongTypedProperties.map((value): PropertiesVariant => ({ shape: 'object', value })),
  wrongTypedProperties.map((value): PropertiesVariant => ({ shape: 'object', value: JSON.stringify(value) })),
  fc
    .dictionary(fc.string({ maxLength: 6 }), junk, { maxKeys: 4 })
    .map((value): PropertiesVariant => ({ shape: 'object', value })),
);

// ---------------------------------------------------------------------------------------------
// Fleets of mutated rows

export interface ExtensionSpec {
  type: string;
  state: unknown;
  settings: unknown;
  pascal: boolean;
}

export interface ClusterSpec {
  kind: ClusterKind;
  kindValue: unknown;
  properties: PropertiesVariant;
  name: unknown;
  extensions: ExtensionSpec[];
  flux: unknown[];
}

export interface MessyFleet {
  clusters: ClusterSpec[];
  junkRows: unknown[];
  seed: number;
  recase: boolean;
}

const extensionSpec: fc.Arbitrary<ExtensionSpec> = fc.record({
  type: fc.oneof(fc.constantFrom(...EXTENSION_TYPES), fc.string({ maxLength: 8 })),
  state: fc.oneof(fc.constantFrom('Succeeded', 'Failed', 'Creating', 'succeeded'), junk),
  settings: fc.oneof(
    fc.constant({}),
    fc.constant({ rotationPollIntervalInSeconds: '7200' }),
    fc.constant({ rotationPollIntervalInSeconds: 'hourly' }),
    fc.constant({ 'secrets-store-csi-driver.enableSecretRotation': 'true' }),
    junk,
  ),
  pascal: fc.boolean(),
});

export const clusterSpec: fc.Arbitrary<ClusterSpec> = fc
  .constantFrom<ClusterKind>('arc', 'aks-arc', 'aks')
  .chain((kind) =>
    fc.record({
      kind: fc.constant(kind),
      kindValue:
        kind === 'aks-arc'
          ? fc.mixedCase(fc.constant('ProvisionedCluster'))
          : fc.oneof(fc.constant(undefined), fc.constantFrom('AWS', 'GCP', ''), fc.integer()),
      properties: propertiesVariant,
      name: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 10 }), fc.integer()),
      extensions: fc.array(extensionSpec, { maxLength: 4 }),
      flux: fc.array(fc.oneof(fc.constantFrom('Compliant', 'Non-Compliant', 'Pending'), junk), {
        maxLength: 2,
      }),
    }),
  );

export const messyFleet: fc.Arbitrary<MessyFleet> = fc.record({
  clusters: fc.array(clusterSpec, { minLength: 1, maxLength: 6 }),
  junkRows: fc.array(junk, { maxLength: 5 }),
  seed: fc.integer(),
  recase: fc.boolean(),
});

function pascalKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as JsonObject).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), v]),
  );
}

export interface BuiltFleet {
  rows: unknown[];
  /** Lower-case ID → spec of every generated cluster. */
  clusters: Map<string, ClusterSpec>;
}

/** Rows for a messy fleet: clusters, their extensions and Flux configurations, and junk, in random casing. */
export function buildMessyRows(fleet: MessyFleet): BuiltFleet {
  const random = prng(fleet.seed);
  const rows: unknown[] = [];
  const clusters = new Map<string, ClusterSpec>();
  fleet.clusters.forEach((spec, index) => {
    const id = clusterId(index, spec.kind);
    clusters.set(id.toLowerCase(), spec);
    const row: JsonObject = {
      id: fleet.recase ? randomCase(id, random) : id,
      type: randomCase(spec.kind === 'aks' ? TYPES.managedCluster : TYPES.connectedCluster, random),
      location: 'eastus',
    };
    if (spec.name !== undefined) row.name = spec.name;
    if (spec.kindValue !== undefined) row.kind = spec.kindValue;
    if (spec.properties.shape !== 'absent') row.properties = spec.properties.value;
    rows.push(fleet.recase ? recaseKeys(row, random) : row);
    spec.extensions.forEach((ext, n) => {
      const properties = {
        extensionType: ext.type,
        provisioningState: ext.state,
        configurationSettings: ext.settings,
      };
      const extensionRow = {
        id: `${randomCase(id, random)}/providers/Microsoft.KubernetesConfiguration/extensions/e${n}`,
        name: `e${n}`,
        type: randomCase(TYPES.extension, random),
        properties: ext.pascal ? pascalKeys(properties) : properties,
      };
      rows.push(fleet.recase ? recaseKeys(extensionRow, random) : extensionRow);
    });
    spec.flux.forEach((complianceState, n) => {
      rows.push({
        id: `${randomCase(id, random)}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/f${n}`,
        type: randomCase(TYPES.flux, random),
        properties: { complianceState, provisioningState: 'Succeeded' },
      });
    });
  });
  // Junk rows interleaved at positions fixed by the seed.
  for (const value of fleet.junkRows) rows.splice(Math.floor(random() * (rows.length + 1)), 0, value);
  return { rows, clusters };
}

/** Does this `properties` value reach the evaluators as an object (after JSON-string parsing)? */
export function reachesAsObject(variant: PropertiesVariant): boolean {
  if (variant.shape !== 'object') return false;
  const value = variant.value;
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value) as unknown;
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
    } catch {
      return false;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Valid fleets (for the casing-invariance property)

export interface ValidCluster {
  kind: ClusterKind;
  connectivity: string;
  agentMinor: number;
  lastSeenDaysAgo: number;
  addon: boolean;
  addonRotation: boolean;
  kms: boolean;
  encryptionAtHost: boolean[];
  mesh: boolean;
  extensions: Array<{ type: string; healthy: boolean; settings: JsonObject }>;
  flux: string[];
  backupInstance: boolean;
  hostState: [string, string];
  hostViaExtension: boolean;
}

const settingsFor = (type: string): fc.Arbitrary<JsonObject> =>
  type === 'microsoft.azure.secretstore'
    ? fc.constantFrom(
        {},
        { rotationPollIntervalInSeconds: '1800' },
        { rotationPollIntervalInSeconds: '7200' },
      )
    : type === 'Microsoft.AzureKeyVaultSecretsProvider'
      ? fc.constantFrom(
          {},
          { 'secrets-store-csi-driver.enableSecretRotation': 'true' },
          { 'secrets-store-csi-driver.enableSecretRotation': 'false' },
        )
      : fc.constant({});

const validExtension = fc
  .constantFrom(...EXTENSION_TYPES)
  .chain((type) =>
    fc.record({ type: fc.constant(type), healthy: fc.boolean(), settings: settingsFor(type) }),
  );

const compliance = fc.constantFrom('Compliant', 'NonCompliant', 'Pending');

export const validCluster: fc.Arbitrary<ValidCluster> = fc.record({
  kind: fc.constantFrom<ClusterKind>('arc', 'aks-arc', 'aks'),
  connectivity: connectivity,
  agentMinor: fc.integer({ min: 15, max: 22 }),
  lastSeenDaysAgo: fc.integer({ min: 0, max: 60 }),
  addon: fc.boolean(),
  addonRotation: fc.boolean(),
  kms: fc.boolean(),
  encryptionAtHost: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
  mesh: fc.boolean(),
  extensions: fc.array(validExtension, { maxLength: 5 }),
  flux: fc.array(fc.constantFrom('Compliant', 'Non-Compliant', 'Pending'), { maxLength: 2 }),
  backupInstance: fc.boolean(),
  hostState: fc.tuple(compliance, compliance),
  hostViaExtension: fc.boolean(),
});

/** Well-formed ARM rows for a fleet, including the AKS Arc → Azure Local chain. */
export function buildValidRows(fleet: readonly ValidCluster[]): unknown[] {
  const rows: JsonObject[] = [];
  fleet.forEach((spec, index) => {
    const id = clusterId(index, spec.kind);
    const properties: JsonObject =
      spec.kind === 'aks'
        ? {
            kubernetesVersion: '1.30.4',
            addonProfiles: spec.addon
              ? {
                  azureKeyvaultSecretsProvider: {
                    enabled: true,
                    config: { enableSecretRotation: String(spec.addonRotation), rotationPollInterval: '2m' },
                  },
                }
              : {},
            securityProfile: { azureKeyVaultKms: { enabled: spec.kms, keyVaultNetworkAccess: 'Public' } },
            agentPoolProfiles: spec.encryptionAtHost.map((enabled, n) => ({
              name: `pool${n}`,
              count: 3,
              enableEncryptionAtHost: enabled,
            })),
            networkProfile: {
              networkPlugin: 'azure',
              advancedNetworking: {
                security: { transitEncryption: { type: spec.mesh ? 'WireGuard' : 'None' } },
              },
            },
          }
        : {
            connectivityStatus: spec.connectivity,
            lastConnectivityTime: new Date(NOW.getTime() - spec.lastSeenDaysAgo * 86_400_000).toISOString(),
            agentVersion: `1.${spec.agentMinor}.3`,
            distribution: spec.kind === 'aks-arc' ? 'AKS' : 'k3s',
            kubernetesVersion: '1.30.4',
          };
    rows.push({
      id,
      name: `c${index}`,
      type: spec.kind === 'aks' ? TYPES.managedCluster : TYPES.connectedCluster,
      location: 'eastus',
      ...(spec.kind === 'aks-arc' ? { kind: 'ProvisionedCluster' } : {}),
      properties,
      tags: { Environment: 'test' },
    });
    spec.extensions.forEach((ext, n) => {
      rows.push({
        id: `${id}/providers/Microsoft.KubernetesConfiguration/extensions/e${n}`,
        name: `e${n}`,
        type: TYPES.extension,
        properties: {
          extensionType: ext.type,
          provisioningState: ext.healthy ? 'Succeeded' : 'Failed',
          configurationSettings: ext.settings,
          scope: { cluster: { releaseNamespace: 'kube-system' } },
        },
      });
    });
    spec.flux.forEach((state, n) => {
      rows.push({
        id: `${id}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/f${n}`,
        name: `f${n}`,
        type: TYPES.flux,
        properties: { complianceState: state, provisioningState: 'Succeeded', sourceKind: 'GitRepository' },
      });
    });
    if (spec.backupInstance) {
      rows.push({
        id: `/subscriptions/${SUB}/resourceGroups/backup/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/b${index}`,
        type: TYPES.backupInstance,
        properties: {
          dataSourceInfo: { resourceID: id, datasourceType: 'Microsoft.ContainerService/managedClusters' },
        },
      });
    }
    if (spec.kind === 'aks-arc') {
      // Custom location and Azure Local cluster in different resource groups, so only the
      // HCIClusterID route (when chosen) links them.
      const location = `/subscriptions/${SUB}/resourceGroups/cl-${index}/providers/Microsoft.ExtendedLocation/customLocations/cl${index}`;
      const appliance = `/subscriptions/${SUB}/resourceGroups/cl-${index}/providers/Microsoft.ResourceConnector/appliances/arb${index}`;
      const hciRg = spec.hostViaExtension ? `hci-${index}` : `cl-${index}`;
      const hci = `/subscriptions/${SUB}/resourceGroups/${hciRg}/providers/Microsoft.AzureStackHCI/clusters/hci${index}`;
      const operator = `${appliance}/providers/Microsoft.KubernetesConfiguration/extensions/hci-operator`;
      rows.push(
        {
          id: `${id}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`,
          type: TYPES.instance,
          extendedLocation: { type: 'CustomLocation', name: location },
          properties: { provisioningState: 'Succeeded', kubernetesVersion: 'v1.30.4' },
        },
        {
          id: location,
          type: TYPES.customLocation,
          properties: {
            hostResourceId: appliance,
            clusterExtensionIds: spec.hostViaExtension ? [operator] : [],
          },
        },
        {
          id: operator,
          type: TYPES.extension,
          properties: {
            extensionType: 'Microsoft.AZStackHCI.Operator',
            provisioningState: 'Succeeded',
            configurationSettings: { HCIClusterID: hci },
          },
        },
        {
          id: hci,
          type: TYPES.azureLocal,
          properties: { cloudId: `cloud-${index}`, status: 'ConnectedRecently' },
        },
        {
          id: `${hci}/securitySettings/default`,
          type: TYPES.securitySettings,
          properties: {
            securityComplianceStatus: {
              dataAtRestEncrypted: spec.hostState[0],
              dataInTransitProtected: spec.hostState[1],
              lastUpdated: '2026-04-30T07:09:44.771Z',
            },
          },
        },
      );
    }
  });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The engine

export function runEngine(rows: readonly unknown[]): ScanResult {
  const document: DocumentRow[] = rows.map((value, index) => ({ value, where: `prop.json: [${index}]` }));
  return evaluateInventory({
    inventory: mergeResources([document]),
    settings: DEFAULT_SETTINGS,
    runId: '20260501T120000Z-00000000',
    source: 'snapshot',
    startedAt: NOW,
    clock: () => NOW,
  });
}
