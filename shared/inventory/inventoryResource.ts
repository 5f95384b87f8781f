import type { JsonObject } from './caseInsensitive.js';

/** One Azure resource from an inventory, with its envelope normalised and its origin recorded. */
export interface InventoryResource {
  /** ARM ID as found. */
  id: string;
  /** Comparison key of the ID (lower case). */
  key: string;
  /** Resource type, lower case. */
  type: string;
  name: string;
  /** Top-level `kind` (e.g. `ProvisionedCluster`), as found. */
  kind: string | undefined;
  location: string;
  subscriptionId: string;
  resourceGroup: string;
  /** The `properties` bag, as found (may be null or of a wrong type in bad input). */
  properties: unknown;
  extendedLocation: unknown;
  tags: unknown;
  /** Where the row came from, e.g. `fleet.json: data[12]`. */
  origin: string;
  raw: JsonObject;
}

/** Something in the input that was skipped or could not be linked; reported, never fatal. */
export interface InventoryWarning {
  where: string;
  message: string;
}
