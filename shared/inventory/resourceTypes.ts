/** The resource types an inventory may hold (lower case; compared case-insensitively). */
export const RESOURCE_TYPES = {
  connectedCluster: 'microsoft.kubernetes/connectedclusters',
  managedCluster: 'microsoft.containerservice/managedclusters',
  extension: 'microsoft.kubernetesconfiguration/extensions',
  fluxConfiguration: 'microsoft.kubernetesconfiguration/fluxconfigurations',
  provisionedClusterInstance: 'microsoft.hybridcontainerservice/provisionedclusterinstances',
  customLocation: 'microsoft.extendedlocation/customlocations',
  azureLocalCluster: 'microsoft.azurestackhci/clusters',
  azureLocalSecuritySettings: 'microsoft.azurestackhci/clusters/securitysettings',
  backupInstance: 'microsoft.dataprotection/backupvaults/backupinstances',
} as const;

export type KnownResourceType = (typeof RESOURCE_TYPES)[keyof typeof RESOURCE_TYPES];

const KNOWN = new Set<string>(Object.values(RESOURCE_TYPES));

export function isKnownResourceType(type: string): type is KnownResourceType {
  return KNOWN.has(type);
}

/** Types whose resources are Kubernetes clusters that extensions and Flux configurations attach to. */
export const CLUSTER_PARENT_TYPES = new Set<string>([
  RESOURCE_TYPES.connectedCluster,
  RESOURCE_TYPES.managedCluster,
  'microsoft.hybridcontainerservice/provisionedclusters',
]);
