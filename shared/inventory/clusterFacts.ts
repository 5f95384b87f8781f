import type { ClusterKind } from '../catalog/types.js';
import type { JsonObject } from './caseInsensitive.js';
import type { InventoryResource, InventoryWarning } from './inventoryResource.js';

/** A cluster extension, read ignoring the casing of its property keys. */
export interface ExtensionFact {
  id: string;
  name: string;
  /** Lower case; empty when the row carries no extension type. */
  extensionType: string;
  /** As found (e.g. `Succeeded`); undefined when absent. */
  provisioningState: string | undefined;
  /** `configurationSettings` (any casing of the key); undefined when absent or not an object. */
  configurationSettings: JsonObject | undefined;
}

export interface FluxConfigurationFact {
  id: string;
  name: string;
  complianceState: string | undefined;
  provisioningState: string | undefined;
}

/** How the Azure Local cluster that hosts an AKS Arc cluster was found, or why it was not. */
export interface AzureLocalLink {
  outcome: 'resolved' | 'unresolved' | 'read-failed';
  /** The AKS Arc instance (`…/provisionedClusterInstances/default`) when found. */
  instanceId: string | undefined;
  customLocationId: string | undefined;
  azureLocalClusterId: string | undefined;
  via: 'settings' | 'hci-cluster-id' | 'resource-group' | undefined;
  /** Expected ID of the security settings child, once the host is known. */
  securitySettingsId: string | undefined;
  securitySettings: InventoryResource | undefined;
  /** One sentence naming the missing or failed link (unresolved / read-failed / no settings). */
  problem: string | undefined;
  /** Each step taken, for the evidence. */
  trail: string[];
}

/** What the inventory says about one cluster, linked and indexed once. */
export interface ClusterFacts {
  resource: InventoryResource;
  id: string;
  key: string;
  name: string;
  kind: ClusterKind;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** `properties` when it is an object; undefined otherwise (see `propertiesProblem`). */
  properties: JsonObject | undefined;
  propertiesProblem: string | undefined;
  extensions: ExtensionFact[];
  fluxConfigurations: FluxConfigurationFact[];
  backupInstances: InventoryResource[];
  /** Reads that failed for this cluster's data, by category; undefined when read. */
  readFailures: {
    extensions?: string;
    fluxConfigurations?: string;
    backupInstances?: string;
  };
  /** AKS Arc only. */
  azureLocal: AzureLocalLink | undefined;
}

export interface Fleet {
  clusters: ClusterFacts[];
  warnings: InventoryWarning[];
  /** True when the inventory holds any Azure Backup instance (DS-09 then requires protection). */
  backupInstancesPresent: boolean;
}
