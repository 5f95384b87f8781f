/** Resource Manager API versions used for reads that Resource Graph cannot serve. */
export const API_VERSIONS = {
  connectedCluster: '2024-01-01',
  managedCluster: '2025-05-01',
  provisionedClusterInstance: '2024-01-01',
  customLocation: '2021-08-15',
  extension: '2023-05-01',
  azureLocalCluster: '2024-04-01',
  azureLocalSecuritySettings: '2024-04-01',
} as const;
