import type { ClusterKind } from '../catalog/types.js';
import type { JsonObject } from './caseInsensitive.js';
import type { InventoryResource, InventoryWarning } from './inventoryResource.js';

/** A value read from a resource and the path it was found at (ARM camelCase form of the keys). */
export interface LocatedValue {
  value: unknown;
  path: string;
  /** The differing values when the key is given more than once in different letter case. */
  conflicting?: unknown[];
}

/** A cluster extension, read ignoring the casing of its property keys. */
export interface ExtensionFact {
  id: string;
  name: string;
  /** Lower case; empty when the row carries no extension type or one that is not a string. */
  readonly extensionType: string;
  /** As found (e.g. `Succeeded`); undefined when absent or not a string. */
  readonly provisioningState: string | undefined;
  /** One key of the extension (e.g. `configurationSettings`), from `properties` or the top level. */
  field(key: string): LocatedValue;
}

export interface FluxConfigurationFact {
  id: string;
  name: string;
  /** As found; undefined when absent or not a string. */
  readonly complianceState: string | undefined;
  field(key: string): LocatedValue;
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
  /**
   * An Arc agentless connection: top-level `kind` AWS or GCP and `connectivityStatus`
   * AgentNotInstalled. It runs no Arc agents, so no cluster extension can be installed or observed.
   */
  agentless: boolean;
}

export interface Fleet {
  clusters: ClusterFacts[];
  warnings: InventoryWarning[];
  /** True when the inventory holds any Azure Backup instance (DS-09 then requires protection). */
  backupInstancesPresent: boolean;
}
