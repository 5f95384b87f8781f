/**
 * A deterministic sample fleet: the inventory files an offline scan reads (every input format of
 * the inventory contract), the settings file, and the verdict each control must reach for
 * each cluster under the control catalog's rules (docs/controls/).
 *
 * The expected verdicts are written by hand next to each cluster (`expected`, columns DS-01 … DS-10)
 * from the catalog's rules; nothing here evaluates a rule. Every time stamp is derived from
 * `asOf`: events (a cluster going offline, a cluster being created) sit at a fixed distance before
 * `asOf`, so they are the same instant in both daily snapshots; heartbeats and status refreshes sit
 * a few minutes before the snapshot itself. The `previous` snapshot is taken 24 hours before `asOf`.
 * No verdict is within a day of a threshold, so the verdicts hold whether the engine evaluates a
 * snapshot as of its own time or as of `asOf`.
 *
 * Day-to-day differences (previous → current):
 * - fixed (FAIL → PASS): store-0301-k3s DS-03 (CSI rotation turned on), plant-lyon-aksarc-01 DS-08
 *   (Flux configuration became Compliant), payments-prod-aks DS-06 (batch pool recreated with
 *   encryption at host), web-frontend-prod-aks DS-04 (Key Vault KMS enabled);
 * - regressions (PASS → FAIL): store-0219-k3s DS-03 (SSE poll interval set to "abc"),
 *   ml-training-aks DS-06 (GPU pool added without encryption at host), plant-graz-aksarc-01 DS-08
 *   (a bad commit made the Flux configuration Non-Compliant);
 * - store-0311-k3s exists only in the current snapshot (onboarded in between), store-0118-k3s only in
 *   the previous one (decommissioned, with its extensions and Flux configuration).
 *
 * eks-payments-use2 (kind AWS) and gke-ml-inference-euw1 (kind GCP) are Arc agentless connections:
 * no agent, no extensions, the catalog's `arc-agentless` verdicts.
 */
import { CONTROL_IDS, type Status } from '../shared/catalog/types.js';
import {
  AKS_REPO,
  type ClusterSpec,
  type ConnectedSpec,
  type ManagedSpec,
  SUBSCRIPTIONS,
  TENANT_ID,
  type SampleDay,
  type SiteKey,
} from './clusterSpecs.js';
import { aksArcClusters } from './aksArcClusters.js';
import { aksClusters } from './aksClusters.js';
import { arcClusters } from './arcClusters.js';

export type { SampleDay } from './clusterSpecs.js';
import {
  applianceId,
  armExtension,
  armList,
  azureLocalCluster,
  azureLocalClusterId,
  backupInstance,
  connectedCluster,
  connectedClusterId,
  connectedClusterProperties,
  customLocation,
  customLocationId,
  deterministicGuid,
  extensionId,
  fluxConfiguration,
  isoBefore,
  managedCluster,
  managedClusterId,
  provisionedClusterInstance,
  resourceGraphExtension,
  resourceGraphResponse,
  securitySettings,
  storageAccount,
  toResourceGraphRow,
} from './resourceShapes.js';
import type {
  Audit,
  AzureLocalCompliance,
  ExtensionInput,
  Json,
  JsonObject,
  Offset,
} from './resourceShapes.js';

export interface SampleFile {
  /** File name, e.g. `resource-graph-clusters.json`. */
  name: string;
  content: unknown;
}

export interface SampleFleet {
  files: SampleFile[];
  /** Cluster name → control ID → expected status, for every cluster in the snapshot. */
  expected: Record<string, Record<string, Status>>;
  /** The settings file the engine reads with `--settings FILE`. */
  settings: unknown;
  /** Rows that are not an object, or have no `id` or no `type`. */
  malformedRowCount: number;
  /** Extensions and Flux configurations whose cluster is not in the inventory. */
  orphanCount: number;
}

const SAMPLE_THRESHOLDS = {
  maxRotationPollIntervalSeconds: 3600,
  maxDaysOffline: 30,
  maxAgentMinorVersionsBehind: 2,
};

// ---------------------------------------------------------------------------------------------
// Time

interface Clock {
  /** A fixed moment `offset` before asOf: the same instant in both snapshots. */
  at(offset: Offset): string;
  /** A moment `minutes` before this snapshot was taken. */
  recent(minutes: number): string;
  /** A moment `days` after this snapshot was taken. */
  ahead(days: number): string;
}

function makeClock(asOf: Date, day: SampleDay): Clock {
  const snapshot = new Date(asOf.getTime() - (day === 'previous' ? 24 * 3_600_000 : 0));
  return {
    at: (offset) => isoBefore(asOf, offset),
    recent: (minutes) => isoBefore(snapshot, { minutes }),
    ahead: (days) => isoBefore(snapshot, { days: -days }),
  };
}

function audit(clock: Clock, created: Offset, modified: Offset, modifiedBy = 'edge-ops@contoso.com'): Audit {
  return {
    createdAt: clock.at(created),
    createdBy: 'platform-automation@contoso.com',
    modifiedAt: clock.at(modified),
    modifiedBy,
  };
}

// ---------------------------------------------------------------------------------------------
// Cluster extensions and Flux configurations

interface AzureLocalSpec {
  name: string;
  resourceGroup: string;
  nodes: number;
  /** Security settings and the file they are exported to; none exported when undefined. */
  security?: { atRest: AzureLocalCompliance; inTransit: AzureLocalCompliance; in: 'array' | 'single' };
}

interface ApplianceExtensionSpec {
  name: string;
  extensionType: string;
  /** `HCIClusterID` setting; absent when undefined. */
  hciClusterId?: (ids: Record<string, { id: string; cloudId: string }>) => string;
  /** Exported to this file; listed in the custom location but not exported when undefined. */
  in?: 'resource-graph' | 'arm';
}

interface SiteSpec {
  key: SiteKey;
  location: string;
  /** Resource group of the custom location and its resource bridge (appliance). */
  resourceGroup: string;
  azureLocal: AzureLocalSpec[];
  applianceExtensions: ApplianceExtensionSpec[];
}

const hybridAksOperator = (exported?: 'resource-graph' | 'arm'): ApplianceExtensionSpec => ({
  name: 'hybridaksextension',
  extensionType: 'Microsoft.HybridAKSOperator',
  in: exported,
});

/**
 * DS-06 resolution paths: lyon (HCIClusterID = ARM ID), porto (HCIClusterID = cloudId), gdansk
 * (fallback: only Azure Local cluster in the custom location's resource group), nantes (explicit
 * mapping in settings; the fallback would pick another cluster), milan (two candidates →
 * unresolved), graz (resolved, no security settings). Custom locations of lyon and porto sit in a
 * resource group without Azure Local clusters, so only HCIClusterID resolves them.
 */
const EDGE_SITES: SiteSpec[] = [
  {
    key: 'lyon',
    location: 'francecentral',
    resourceGroup: 'rg-arcbridge-lyon',
    azureLocal: [
      {
        name: 'hci-lyon-01',
        resourceGroup: 'rg-hci-lyon',
        nodes: 4,
        security: { atRest: 'Compliant', inTransit: 'Compliant', in: 'array' },
      },
    ],
    applianceExtensions: [
      hybridAksOperator('resource-graph'),
      {
        name: 'vmss-hci',
        extensionType: 'Microsoft.AZStackHCI.Operator',
        hciClusterId: (ids) => ids['hci-lyon-01']?.id ?? '',
        in: 'resource-graph',
      },
    ],
  },
  {
    key: 'porto',
    location: 'westeurope',
    resourceGroup: 'rg-arcbridge-porto',
    azureLocal: [
      {
        name: 'hci-porto-01',
        resourceGroup: 'rg-hci-porto',
        nodes: 3,
        security: { atRest: 'NonCompliant', inTransit: 'Pending', in: 'array' },
      },
    ],
    applianceExtensions: [
      hybridAksOperator('arm'),
      {
        name: 'vmss-hci',
        extensionType: 'Microsoft.AZStackHCI.Operator',
        hciClusterId: (ids) => ids['hci-porto-01']?.cloudId ?? '',
        in: 'arm',
      },
    ],
  },
  {
    key: 'gdansk',
    location: 'polandcentral',
    resourceGroup: 'rg-hci-gdansk',
    azureLocal: [
      {
        name: 'hci-gdansk-01',
        resourceGroup: 'rg-hci-gdansk',
        nodes: 2,
        security: { atRest: 'Compliant', inTransit: 'NonCompliant', in: 'array' },
      },
    ],
    applianceExtensions: [
      hybridAksOperator(),
      {
        name: 'vmss-hci',
        extensionType: 'Microsoft.AZStackHCI.Operator',
        // The cloudId of an earlier registration of the same hardware: matches no cluster.
        hciClusterId: () => deterministicGuid('cloud-id/hci-gdansk-01/first-registration'),
        in: 'arm',
      },
    ],
  },
  {
    key: 'nantes',
    location: 'francecentral',
    resourceGroup: 'rg-edge-nantes',
    azureLocal: [
      {
        name: 'hci-nantes-01',
        resourceGroup: 'rg-hci-nantes',
        nodes: 3,
        security: { atRest: 'Pending', inTransit: 'Compliant', in: 'single' },
      },
      {
        name: 'hci-nantes-lab',
        resourceGroup: 'rg-edge-nantes',
        nodes: 1,
        security: { atRest: 'Compliant', inTransit: 'Compliant', in: 'array' },
      },
    ],
    applianceExtensions: [
      hybridAksOperator(),
      { name: 'vmss-hci', extensionType: 'Microsoft.AZStackHCI.Operator' },
    ],
  },
  {
    key: 'milan',
    location: 'italynorth',
    resourceGroup: 'rg-hci-milan',
    azureLocal: [
      {
        name: 'hci-milan-01',
        resourceGroup: 'rg-hci-milan',
        nodes: 4,
        security: { atRest: 'Compliant', inTransit: 'Compliant', in: 'array' },
      },
      {
        name: 'hci-milan-02',
        resourceGroup: 'rg-hci-milan',
        nodes: 2,
        security: { atRest: 'NonCompliant', inTransit: 'NonCompliant', in: 'array' },
      },
    ],
    applianceExtensions: [
      hybridAksOperator(),
      { name: 'vmss-hci', extensionType: 'Microsoft.AZStackHCI.Operator' },
    ],
  },
  {
    key: 'graz',
    location: 'austriaeast',
    resourceGroup: 'rg-hci-graz',
    azureLocal: [{ name: 'hci-graz-01', resourceGroup: 'rg-hci-graz', nodes: 2 }],
    applianceExtensions: [
      hybridAksOperator(),
      {
        name: 'vmss-hci',
        extensionType: 'Microsoft.AZStackHCI.Operator',
        hciClusterId: (ids) => (ids['hci-graz-01']?.id ?? '').toLowerCase(),
        in: 'arm',
      },
    ],
  },
];

/** The custom location whose host is given explicitly in settings (DS-06 resolution rule 1). */
const MAPPED_SITE: { site: SiteKey; azureLocal: string } = { site: 'nantes', azureLocal: 'hci-nantes-01' };

// ---------------------------------------------------------------------------------------------
// Assembly

interface Buckets {
  /** Resource Graph `resources` table. */
  graphResources: JsonObject[];
  /** Resource Graph `kubernetesconfigurationresources` table. */
  graphConfiguration: JsonObject[];
  /** Resource Graph `recoveryservicesresources` table. */
  graphBackup: JsonObject[];
  armManagedClusters: JsonObject[];
  armExtensions: JsonObject[];
  armFluxConfigurations: JsonObject[];
  /** ARM GET results collected into a plain JSON array. */
  armGets: Json[];
  singles: { name: string; content: JsonObject }[];
}

interface EdgeLinks {
  /** Custom location ID per site, as the AKS Arc instances name it. */
  customLocationBySite: Record<SiteKey, string>;
  /** Explicit host mapping for the settings file. */
  azureLocalHosts: Record<string, string>;
}

const siteId = (site: SiteSpec): string =>
  customLocationId(SUBSCRIPTIONS.edgeInfrastructure, site.resourceGroup, `cl-${site.key}-01`);

function addEdgeInfrastructure(buckets: Buckets, clock: Clock): EdgeLinks {
  const subscriptionId = SUBSCRIPTIONS.edgeInfrastructure;
  const hosts: Record<string, { id: string; cloudId: string }> = {};
  for (const site of EDGE_SITES) {
    for (const host of site.azureLocal) {
      const id = azureLocalClusterId(subscriptionId, host.resourceGroup, host.name);
      hosts[host.name] = { id, cloudId: deterministicGuid(`cloud-id/${host.name}`) };
    }
  }

  const customLocationBySite = {} as Record<SiteKey, string>;
  for (const site of EDGE_SITES) {
    for (const host of site.azureLocal) {
      const { id, cloudId } = hosts[host.name] ?? { id: '', cloudId: '' };
      buckets.graphResources.push(
        toResourceGraphRow(
          azureLocalCluster({
            subscriptionId,
            resourceGroup: host.resourceGroup,
            name: host.name,
            location: site.location,
            tenantId: TENANT_ID,
            cloudId,
            nodeCount: host.nodes,
            manufacturer: 'Dell Inc.',
            model: 'APEX MC-760',
            audit: audit(clock, { days: 700 }, { days: 30 }),
            registeredAt: clock.at({ days: 690 }),
            lastSyncAt: clock.recent(47),
          }),
          TENANT_ID,
        ),
      );
      if (host.security) {
        const settings = securitySettings({
          azureLocalId: id,
          dataAtRestEncrypted: host.security.atRest,
          dataInTransitProtected: host.security.inTransit,
          audit: audit(clock, { days: 690 }, { days: 30 }),
          lastUpdated: clock.recent(180),
        });
        if (host.security.in === 'single') {
          buckets.singles.push({ name: `security-settings-${host.name}.json`, content: settings });
        } else {
          buckets.armGets.push(settings);
        }
      }
    }

    const bridge = applianceId(subscriptionId, site.resourceGroup, `arcbridge-${site.key}-01`);
    for (const spec of site.applianceExtensions) {
      if (!spec.in) continue;
      const settings: Record<string, string> = { 'Microsoft.CustomLocation.ServiceAccount': 'default' };
      if (spec.hciClusterId) settings.HCIClusterID = spec.hciClusterId(hosts);
      const input: ExtensionInput = {
        parentId: bridge,
        name: spec.name,
        extensionType: spec.extensionType,
        version: spec.name === 'vmss-hci' ? '1.12.1' : '2.1.220',
        releaseTrain: 'Stable',
        releaseNamespace: 'default',
        provisioningState: 'Succeeded',
        configurationSettings: settings,
        audit: audit(clock, { days: 690 }, { days: 60 }),
        tenantId: TENANT_ID,
      };
      if (spec.in === 'resource-graph') buckets.graphConfiguration.push(resourceGraphExtension(input));
      else buckets.armExtensions.push(armExtension(input));
    }

    const location = customLocation({
      subscriptionId,
      resourceGroup: site.resourceGroup,
      name: `cl-${site.key}-01`,
      location: site.location,
      hostResourceId: bridge,
      clusterExtensionIds: site.applianceExtensions.map((spec) => extensionId(bridge, spec.name)),
      audit: audit(clock, { days: 680 }, { days: 60 }),
    });
    buckets.graphResources.push(toResourceGraphRow(location, TENANT_ID));
    // The instance names its custom location in lower case, as in the provisionedClusterInstances fixture.
    customLocationBySite[site.key] = siteId(site).toLowerCase();
  }

  const mapped = EDGE_SITES.find((site) => site.key === MAPPED_SITE.site);
  const mappedHost = hosts[MAPPED_SITE.azureLocal];
  if (!mapped || !mappedHost) throw new Error('sample fleet: explicit Azure Local mapping is broken');
  return { customLocationBySite, azureLocalHosts: { [siteId(mapped)]: mappedHost.id } };
}

function addConfiguration(buckets: Buckets, clusterId: string, spec: ClusterSpec, clock: Clock): void {
  for (const ext of spec.extensions) {
    const input: ExtensionInput = {
      parentId: clusterId,
      name: ext.name,
      extensionType: ext.extensionType,
      version: ext.version,
      releaseTrain: ext.releaseTrain,
      releaseNamespace: ext.namespace,
      provisioningState: ext.state,
      configurationSettings: ext.settings,
      audit: audit(clock, spec.created, ext.modified ?? minOffset(spec.created, { days: 21 })),
      tenantId: TENANT_ID,
    };
    if (spec.configIn === 'resource-graph') buckets.graphConfiguration.push(resourceGraphExtension(input));
    else buckets.armExtensions.push(armExtension(input));
  }
  spec.flux.forEach((config, index) => {
    const resource = fluxConfiguration({
      clusterId,
      name: config.name,
      namespace: 'flux-system',
      url: spec.repository ?? AKS_REPO,
      branch: 'main',
      kustomizationPath: `clusters/${spec.name}`,
      complianceState: config.state,
      audit: audit(clock, spec.created, minOffset(spec.created, { days: 21 })),
      statusUpdatedAt: clock.recent(4 + index),
    });
    if (spec.configIn === 'resource-graph')
      buckets.graphConfiguration.push(toResourceGraphRow(resource, TENANT_ID));
    else buckets.armFluxConfigurations.push(resource);
  });
}

/** The later (smaller) of two offsets before asOf, so that nothing is modified before it exists. */
function minOffset(a: Offset, b: Offset): Offset {
  const minutes = (o: Offset): number => ((o.days ?? 0) * 24 + (o.hours ?? 0)) * 60 + (o.minutes ?? 0);
  return minutes(a) <= minutes(b) ? a : b;
}

function addConnectedCluster(
  buckets: Buckets,
  spec: ConnectedSpec,
  clock: Clock,
  edge: EdgeLinks,
  index: number,
): string {
  const id = connectedClusterId(spec.subscriptionId, spec.resourceGroup, spec.name);
  const c = spec.connectivity;
  const lastSeen =
    c.lastSeen === 'recent' ? clock.recent(2 + (index % 9)) : c.lastSeen && clock.at(c.lastSeen);
  const properties: Json = spec.malformed
    ? spec.malformed.properties
    : connectedClusterProperties({
        seed: id,
        tenantId: TENANT_ID,
        agentVersion: c.agentVersion,
        agentAutoUpgrade: c.autoUpgrade === false ? 'Disabled' : 'Enabled',
        connectivityStatus: c.status,
        lastConnectivityTime: lastSeen,
        // The agent's managed identity certificate lasts 90 days from the last contact.
        certificateExpiresAt:
          c.lastSeen && c.lastSeen !== 'recent' ? clock.at(laterBy(c.lastSeen, 90)) : clock.ahead(75),
        distribution: spec.platform.distribution,
        distributionVersion: spec.platform.distributionVersion,
        infrastructure: spec.platform.infrastructure,
        kubernetesVersion: spec.platform.kubernetesVersion,
        totalNodeCount: spec.platform.nodes,
        totalCoreCount: spec.platform.cores,
        aksArc: spec.kind === 'aks-arc',
        agentless: c.status === 'AgentNotInstalled',
      });
  const resource = connectedCluster({
    subscriptionId: spec.subscriptionId,
    resourceGroup: spec.resourceGroup,
    name: spec.name,
    location: spec.location,
    tenantId: TENANT_ID,
    kind: spec.kindValue,
    agentless: c.status === 'AgentNotInstalled',
    tags: spec.tags,
    audit: audit(
      clock,
      spec.created,
      minOffset(spec.created, { days: 6 }),
      deterministicGuid('arc-agent-app'),
    ),
    properties,
  });
  if (spec.clusterIn === 'single')
    buckets.singles.push({ name: `connected-cluster-${spec.name}.json`, content: resource });
  else if (spec.clusterIn === 'array') buckets.armGets.push(resource);
  else buckets.graphResources.push(toResourceGraphRow(resource, TENANT_ID));

  if (spec.site) {
    buckets.armGets.push(
      provisionedClusterInstance({
        clusterId: id,
        customLocationName: edge.customLocationBySite[spec.site],
        logicalNetworkId: `/subscriptions/${SUBSCRIPTIONS.edgeInfrastructure}/resourceGroups/rg-hci-${spec.site}/providers/Microsoft.AzureStackHCI/logicalNetworks/lnet-${spec.site}-aks`,
        kubernetesVersion: spec.platform.kubernetesVersion,
        controlPlaneCount: 1,
        workerCount: spec.platform.nodes - 1,
      }),
    );
  }
  addConfiguration(buckets, id, spec, clock);
  return id;
}

/** `offset` moved `days` later (the result is negative when it lies after asOf). */
function laterBy(offset: Offset, days: number): Offset {
  return { ...offset, days: (offset.days ?? 0) - days };
}

function addManagedCluster(buckets: Buckets, spec: ManagedSpec, clock: Clock): string {
  const resource = managedCluster({
    subscriptionId: spec.subscriptionId,
    resourceGroup: spec.resourceGroup,
    name: spec.name,
    location: spec.location,
    type: spec.typeValue,
    tags: spec.tags,
    kubernetesVersion: spec.kubernetesVersion,
    agentPools: spec.agentPools,
    keyVaultAddon: spec.keyVaultAddon,
    kmsEnabled: spec.kmsEnabled,
    infrastructureEncryption: spec.infrastructureEncryption,
    transitEncryption: spec.transitEncryption,
    istio: spec.istio,
    hasSecurityProfile: spec.hasSecurityProfile,
  });
  if (spec.malformed) resource.properties = spec.malformed.properties;
  if (spec.clusterIn === 'arm') buckets.armManagedClusters.push(resource);
  else buckets.graphResources.push(toResourceGraphRow(resource, TENANT_ID));
  const id = String(resource.id);
  addConfiguration(buckets, id, spec, clock);
  return id;
}

/** Backup instances; the inventory always holds some, so DS-09 checks them for every cluster. */
function addBackupInstances(buckets: Buckets, clusterIds: Map<string, string>): void {
  const protect = (
    cluster: string,
    vault: { subscriptionId: string; resourceGroup: string; name: string },
    spell: (id: string) => string,
  ): void => {
    const id = clusterIds.get(cluster);
    if (!id) throw new Error(`sample fleet: no cluster ${cluster} to back up`);
    const aks = /managedclusters/i.test(id);
    buckets.graphBackup.push(
      toResourceGraphRow(
        backupInstance({
          subscriptionId: vault.subscriptionId,
          resourceGroup: vault.resourceGroup,
          vaultName: vault.name,
          location: 'westeurope',
          dataSourceId: spell(id),
          dataSourceType: aks
            ? 'Microsoft.ContainerService/managedClusters'
            : 'Microsoft.Kubernetes/connectedClusters',
          dataSourceName: cluster,
          policyName: 'daily-30d',
          snapshotResourceGroup: 'rg-backup-snapshots',
        }),
        TENANT_ID,
      ),
    );
  };
  const canonical = (id: string): string => id.replace('/resourcegroups/', '/resourceGroups/');
  const paymentsVault = {
    subscriptionId: SUBSCRIPTIONS.payments,
    resourceGroup: 'rg-backup-payments',
    name: 'bv-payments-weu',
  };
  const platformVault = {
    subscriptionId: SUBSCRIPTIONS.platform,
    resourceGroup: 'rg-backup-platform',
    name: 'bv-platform-weu',
  };
  const plantsVault = {
    subscriptionId: SUBSCRIPTIONS.manufacturing,
    resourceGroup: 'rg-backup-plants',
    name: 'bv-plants-weu',
  };
  protect('payments-prod-aks', paymentsVault, canonical);
  protect('payments-batch-aks', paymentsVault, (id) => id.toLowerCase());
  protect('identity-prod-aks', platformVault, canonical);
  protect('plant-porto-rke-01', plantsVault, (id) => id);
  // A disk in the same vault: protects no cluster.
  buckets.graphBackup.push(
    toResourceGraphRow(
      backupInstance({
        subscriptionId: SUBSCRIPTIONS.payments,
        resourceGroup: 'rg-backup-payments',
        vaultName: 'bv-payments-weu',
        location: 'westeurope',
        dataSourceId: `/subscriptions/${SUBSCRIPTIONS.payments}/resourceGroups/rg-payments-prod/providers/Microsoft.Compute/disks/pgsql-ledger-data-01`,
        dataSourceType: 'Microsoft.Compute/disks',
        dataSourceName: 'pgsql-ledger-data-01',
        policyName: 'disk-hourly-7d',
        snapshotResourceGroup: 'rg-backup-snapshots',
      }),
      TENANT_ID,
    ),
  );
}

/** An extension and a Flux configuration whose cluster is not in the inventory. */
function addOrphans(buckets: Buckets, clock: Clock): number {
  const goneStore = connectedClusterId(SUBSCRIPTIONS.retail, 'rg-stores-emea', 'store-0099-k3s');
  buckets.graphConfiguration.push(
    resourceGraphExtension({
      parentId: goneStore,
      name: 'flux',
      extensionType: 'microsoft.flux',
      version: '1.14.1',
      releaseTrain: 'Stable',
      releaseNamespace: 'flux-system',
      provisioningState: 'Succeeded',
      configurationSettings: {},
      audit: audit(clock, { days: 900 }, { days: 95 }),
      tenantId: TENANT_ID,
    }),
  );
  buckets.armFluxConfigurations.push(
    fluxConfiguration({
      clusterId: managedClusterId(SUBSCRIPTIONS.platform, 'rg-platform-aks', 'sandbox-aks'),
      name: 'sandbox',
      namespace: 'flux-system',
      url: AKS_REPO,
      branch: 'main',
      kustomizationPath: 'clusters/sandbox-aks',
      complianceState: 'Compliant',
      audit: audit(clock, { days: 300 }, { days: 200 }),
      statusUpdatedAt: clock.at({ days: 60 }),
    }),
  );
  return 2;
}

/** Rows the engine must skip and count: not an object, no `id`, no `type`. */
function addMalformedRows(buckets: Buckets): number {
  const rows: Json[] = [
    // A bare ID where a resource was expected.
    connectedClusterId(SUBSCRIPTIONS.retail, 'rg-stores-na', 'store-0400-k3s'),
    // A cluster without `id`.
    {
      name: 'store-0401-k3s',
      type: 'Microsoft.Kubernetes/connectedClusters',
      location: 'eastus',
      properties: { connectivityStatus: 'Connecting', provisioningState: 'Accepted' },
    },
    // An extension without `type`.
    {
      id: extensionId(
        connectedClusterId(SUBSCRIPTIONS.retail, 'rg-stores-emea', 'store-0142-k3s'),
        'azure-defender',
      ),
      name: 'azure-defender',
      properties: { extensionType: 'microsoft.azuredefender.kubernetes', provisioningState: 'Succeeded' },
    },
  ];
  buckets.armGets.push(...rows);
  return rows.length;
}

const TOKENS: Record<string, Status> = {
  P: 'PASS',
  F: 'FAIL',
  M: 'MANUAL',
  NA: 'NOT_APPLICABLE',
  E: 'ERROR',
};

function expectedRow(cluster: string, row: string): Record<string, Status> {
  const tokens = row.trim().split(/\s+/);
  if (tokens.length !== CONTROL_IDS.length)
    throw new Error(`sample fleet: ${cluster} needs ${CONTROL_IDS.length} verdicts`);
  const out: Record<string, Status> = {};
  CONTROL_IDS.forEach((control, index) => {
    const status = TOKENS[tokens[index] ?? ''];
    if (!status) throw new Error(`sample fleet: ${cluster} ${control}: unknown verdict ${tokens[index]}`);
    out[control] = status;
  });
  return out;
}

/** JSON as it is written to disk: `undefined` members dropped. */
function plain(value: Json): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

export function buildSampleFleet(options: { asOf: Date; day?: SampleDay }): SampleFleet {
  const day = options.day ?? 'current';
  if (Number.isNaN(options.asOf.getTime())) throw new Error('sample fleet: asOf is not a valid date');
  const clock = makeClock(options.asOf, day);
  const buckets: Buckets = {
    graphResources: [],
    graphConfiguration: [],
    graphBackup: [],
    armManagedClusters: [],
    armExtensions: [],
    armFluxConfigurations: [],
    armGets: [],
    singles: [],
  };

  const edge = addEdgeInfrastructure(buckets, clock);
  const specs: ClusterSpec[] = [...arcClusters(day), ...aksArcClusters(day), ...aksClusters(day)].filter(
    (spec) => spec.only === undefined || spec.only === day,
  );
  const clusterIds = new Map<string, string>();
  const expected: Record<string, Record<string, Status>> = {};
  specs.forEach((spec, index) => {
    if (expected[spec.name]) throw new Error(`sample fleet: duplicate cluster name ${spec.name}`);
    const id =
      spec.kind === 'aks'
        ? addManagedCluster(buckets, spec, clock)
        : addConnectedCluster(buckets, spec, clock, edge, index);
    clusterIds.set(spec.name, id);
    expected[spec.name] = expectedRow(spec.name, spec.expected);
  });
  addBackupInstances(buckets, clusterIds);
  const orphanCount = addOrphans(buckets, clock);
  const malformedRowCount = addMalformedRows(buckets);
  // Something the engine does not evaluate and must ignore.
  buckets.graphResources.push(
    toResourceGraphRow(
      storageAccount(SUBSCRIPTIONS.platform, 'rg-platform-aks', 'stfluxartifactsweu01', 'westeurope'),
      TENANT_ID,
    ),
  );

  const files: SampleFile[] = [
    { name: 'resource-graph-clusters.json', content: plain(resourceGraphResponse(buckets.graphResources)) },
    {
      name: 'resource-graph-kubernetesconfiguration.json',
      content: plain(resourceGraphResponse(buckets.graphConfiguration)),
    },
    {
      name: 'resource-graph-backup-instances.json',
      content: plain(resourceGraphResponse(buckets.graphBackup)),
    },
    { name: 'arm-managed-clusters.json', content: plain(armList(buckets.armManagedClusters)) },
    { name: 'arm-extensions.json', content: plain(armList(buckets.armExtensions)) },
    { name: 'arm-flux-configurations.json', content: plain(armList(buckets.armFluxConfigurations)) },
    { name: 'arm-get-aks-arc-and-azure-local.json', content: plain(buckets.armGets) },
    ...buckets.singles.map((single) => ({ name: single.name, content: plain(single.content) })),
  ];

  return {
    files,
    expected,
    settings: { thresholds: { ...SAMPLE_THRESHOLDS }, azureLocalHosts: edge.azureLocalHosts },
    malformedRowCount,
    orphanCount,
  };
}
