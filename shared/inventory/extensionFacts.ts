import { getCi, getStringCi, isJsonObject } from './caseInsensitive.js';
import type { ExtensionFact, FluxConfigurationFact } from './clusterFacts.js';
import type { InventoryResource } from './inventoryResource.js';

/**
 * Reads an extension row. ARM puts `extensionType` under `properties` in camelCase; Resource Graph
 * uses PascalCase (`ExtensionType`); the SDK's flattened model has it at the top level.
 */
export function toExtensionFact(resource: InventoryResource): ExtensionFact {
  const read = (key: string): unknown => getCi(resource.properties, key) ?? getCi(resource.raw, key);
  const extensionType = read('extensionType');
  const provisioningState = read('provisioningState');
  const settings = read('configurationSettings');
  return {
    id: resource.id,
    name: resource.name,
    extensionType: typeof extensionType === 'string' ? extensionType.trim().toLowerCase() : '',
    provisioningState: typeof provisioningState === 'string' ? provisioningState : undefined,
    configurationSettings: isJsonObject(settings) ? settings : undefined,
  };
}

export function toFluxConfigurationFact(resource: InventoryResource): FluxConfigurationFact {
  const read = (key: string): string | undefined =>
    getStringCi(resource.properties, [key]) ?? getStringCi(resource.raw, [key]);
  return {
    id: resource.id,
    name: resource.name,
    complianceState: read('complianceState'),
    provisioningState: read('provisioningState'),
  };
}
