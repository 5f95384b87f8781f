import { conflictingValues, getCi } from './caseInsensitive.js';
import type { ExtensionFact, FluxConfigurationFact, LocatedValue } from './clusterFacts.js';
import type { InventoryResource } from './inventoryResource.js';

/**
 * Reads one key of a child resource (extension, Flux configuration). ARM and Resource Graph put it
 * under `properties` (Resource Graph in PascalCase); `az k8s-extension show` and the SDK's flattened
 * models put it at the top level. The path names where the value was found, in ARM camelCase form;
 * a key found nowhere is reported at `properties.<key>`.
 */
export function childField(resource: InventoryResource, key: string): LocatedValue {
  const underProperties = getCi(resource.properties, key);
  if (underProperties !== undefined) {
    const conflicting = conflictingValues(resource.properties, key);
    return { value: underProperties, path: `properties.${key}`, ...(conflicting ? { conflicting } : {}) };
  }
  const topLevel = getCi(resource.raw, key);
  if (topLevel !== undefined) {
    const conflicting = conflictingValues(resource.raw, key);
    return { value: topLevel, path: key, ...(conflicting ? { conflicting } : {}) };
  }
  return { value: undefined, path: `properties.${key}` };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An extension row; each property is read when an evaluator asks for it. */
export function toExtensionFact(resource: InventoryResource): ExtensionFact {
  let extensionType: string | undefined;
  return {
    id: resource.id,
    name: resource.name,
    // Read on first use (every extension-based control filters by it) and kept.
    get extensionType() {
      if (extensionType === undefined) {
        const type = text(childField(resource, 'extensionType').value);
        extensionType = type === undefined ? '' : type.trim().toLowerCase();
      }
      return extensionType;
    },
    get provisioningState() {
      return text(childField(resource, 'provisioningState').value);
    },
    field: (key) => childField(resource, key),
  };
}

export function toFluxConfigurationFact(resource: InventoryResource): FluxConfigurationFact {
  return {
    id: resource.id,
    name: resource.name,
    get complianceState() {
      return text(childField(resource, 'complianceState').value);
    },
    field: (key) => childField(resource, key),
  };
}
