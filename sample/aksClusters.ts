/** The sample's AKS clusters, both days. */
import {
  type SampleDay,
  SUBSCRIPTIONS,
  secretStore,
  fluxExtension,
  backupExtension,
  flux,
  type ManagedSpec,
  byDay,
  AKS_REPO,
} from './clusterSpecs.js';
import type { AgentPoolInput } from './resourceShapes.js';

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
