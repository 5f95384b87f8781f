import type { Inventory } from './inventory.js';
import type { InventoryResource, InventoryWarning } from './inventoryResource.js';
import { isWarning, normaliseRow } from './normaliseRow.js';
import type { DocumentRow } from './parseInventoryDocument.js';
import { isKnownResourceType } from './resourceTypes.js';

/**
 * Merges rows from several documents into one inventory: invalid rows become warnings, resources of
 * unused types are counted, and a resource whose ID (compared ignoring case) appears again is
 * replaced by the later occurrence.
 */
export function mergeResources(documents: Iterable<readonly DocumentRow[]>): Inventory {
  const byKey = new Map<string, InventoryResource>();
  const warnings: InventoryWarning[] = [];
  const ignoredByType: Record<string, number> = {};
  let duplicateCount = 0;
  for (const rows of documents) {
    for (const row of rows) {
      const result = normaliseRow(row);
      if (isWarning(result)) {
        warnings.push(result);
        continue;
      }
      if (!isKnownResourceType(result.type)) {
        ignoredByType[result.type] = (ignoredByType[result.type] ?? 0) + 1;
        continue;
      }
      if (byKey.has(result.key)) {
        duplicateCount++;
        byKey.delete(result.key);
      }
      byKey.set(result.key, result);
    }
  }
  return { resources: [...byKey.values()], warnings, ignoredByType, duplicateCount, gaps: [] };
}
