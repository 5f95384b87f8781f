import type { InventoryResource, InventoryWarning } from './inventoryResource.js';

/**
 * A read that failed during collection. Findings that depend on it become ERROR, never PASS.
 * `resource`: one resource could not be read (e.g. a security-settings GET that failed).
 * `scope`: a whole category of resources could not be read for a subscription.
 */
export type CollectionGap =
  | { kind: 'resource'; id: string; reason: string }
  | { kind: 'scope'; subscriptionId: string; category: GapCategory; reason: string };

export type GapCategory = 'clusters' | 'extensions' | 'fluxConfigurations' | 'backupInstances' | 'azureLocal';

/** Everything collected for one scan, from files or from Azure. */
export interface Inventory {
  resources: InventoryResource[];
  warnings: InventoryWarning[];
  /** Resources of types the product does not use, counted by type. */
  ignoredByType: Record<string, number>;
  /** Rows whose ID appeared again later (the later one was kept). */
  duplicateCount: number;
  gaps: CollectionGap[];
  /**
   * True when Azure Backup instances were read from Azure for this scope (even if none exist);
   * offline, the inventory covers backup instances when it holds at least one.
   */
  backupInstancesQueried?: boolean;
}
