import { getCi, isJsonObject } from './caseInsensitive.js';
import type { InventoryResource, InventoryWarning } from './inventoryResource.js';
import type { DocumentRow } from './parseInventoryDocument.js';
import { idKey, nameOf, resourceGroupOf, subscriptionOf } from './resourceId.js';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Some exports carry `properties` as a JSON string; parse it back when it is one. */
function propertiesOf(raw: Record<string, unknown>): unknown {
  const properties = getCi(raw, 'properties');
  if (typeof properties !== 'string') return properties;
  const trimmed = properties.trim();
  if (!trimmed.startsWith('{')) return properties;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return properties;
  }
}

/** Turns a document row into a resource, or into a warning when it cannot be one. */
export function normaliseRow(row: DocumentRow): InventoryResource | InventoryWarning {
  const raw = row.value;
  if (!isJsonObject(raw))
    return { where: row.where, message: `row is ${describe(raw)}, not a resource object` };
  const id = text(getCi(raw, 'id'));
  const type = text(getCi(raw, 'type'));
  if (id === undefined || type === undefined) {
    const missing = [id === undefined ? '"id"' : '', type === undefined ? '"type"' : ''].filter(Boolean);
    return { where: row.where, message: `row has no ${missing.join(' or ')} string; skipped` };
  }
  return {
    id: id.trim(),
    key: idKey(id),
    type: type.trim().toLowerCase(),
    name: text(getCi(raw, 'name')) ?? nameOf(id),
    kind: text(getCi(raw, 'kind')),
    location: text(getCi(raw, 'location')) ?? '',
    // From the ID first: Resource Graph lower-cases its resourceGroup column, and live and offline
    // scans of the same resource must agree.
    subscriptionId: subscriptionOf(id) ?? text(getCi(raw, 'subscriptionId')) ?? '',
    resourceGroup: resourceGroupOf(id) ?? text(getCi(raw, 'resourceGroup')) ?? '',
    properties: propertiesOf(raw),
    extendedLocation: getCi(raw, 'extendedLocation'),
    tags: getCi(raw, 'tags'),
    origin: row.where,
    raw,
  };
}

export function isWarning(value: InventoryResource | InventoryWarning): value is InventoryWarning {
  return 'message' in value;
}
