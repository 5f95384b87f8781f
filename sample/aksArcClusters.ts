/** The sample's AKS Arc clusters on Azure Local, both days. */
import {
  type SampleDay,
  SUBSCRIPTIONS,
  secretStore,
  secretsProvider,
  fluxExtension,
  backupExtension,
  containerStorage,
  edgeStorageAccelerator,
  certManager,
  flux,
  AKS_ARC,
  connected,
  type ConnectedSpec,
  byDay,
  plantTags,
  PLANT_REPO,
} from './clusterSpecs.js';

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
