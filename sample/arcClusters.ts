/** The sample's Arc-enabled clusters of any distribution, both days. */
import {
  type SampleDay,
  SUBSCRIPTIONS,
  secretStore,
  secretsProvider,
  fluxExtension,
  backupExtension,
  containerStorage,
  edgeStorageAccelerator,
  openServiceMesh,
  certManager,
  containerInsights,
  flux,
  K3S,
  OPENSHIFT,
  RKE2,
  EKS,
  GKE,
  RANCHER,
  connected,
  type ConnectedSpec,
  byDay,
  storeTags,
  plantTags,
  STORE_REPO,
  PLANT_REPO,
  AKS_REPO,
} from './clusterSpecs.js';

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
