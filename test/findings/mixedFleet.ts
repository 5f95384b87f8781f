/**
 * A small fleet with every cluster kind and the common situations (compliant, failing, offline,
 * malformed, orphan extension, bad row), as inventory rows, plus an evaluated result.
 */
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import type { Inventory } from '../../shared/inventory/inventory.js';
import type { DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { DEFAULT_SETTINGS } from '../../shared/settings/scanSettings.js';
import {
  inventoryAksArcCluster,
  inventoryAksCluster,
  inventoryArcCluster,
  inventoryAzureLocalCluster,
  inventoryAzureLocalClusterId,
  inventoryConnectedClusterId,
  inventoryCustomLocationId,
  extension,
  inventoryFluxConfiguration,
  inventoryProvisionedClusterInstance,
  inventorySecuritySettings,
  type Row,
} from '../support/azureRows.js';

export const NOW = new Date('2026-05-01T12:00:00.000Z');
export const FINISHED = new Date('2026-05-01T12:00:03.250Z');

export function daysBefore(date: Date, days: number): string {
  return new Date(date.getTime() - days * 86_400_000).toISOString();
}

/** An Arc cluster with no FAIL verdict: SSE and Flux healthy, a compliant Flux configuration. */
export function compliantArcRows(name: string, set: Row = {}): Row[] {
  const id = inventoryConnectedClusterId(name);
  return [
    inventoryArcCluster({ name, set }),
    extension(id, 'ssarcextension', 'microsoft.azure.secretstore'),
    extension(id, 'flux', 'microsoft.flux'),
    inventoryFluxConfiguration(id, 'baseline', 'Compliant'),
  ];
}

/** An AKS Arc cluster whose Azure Local host is the only one in the custom location's resource group. */
export function aksArcRows(name: string, atRest: string, inTransit: string): Row[] {
  const id = inventoryConnectedClusterId(name);
  const rg = `${name}-infra`;
  const hci = inventoryAzureLocalClusterId(`${name}-hci`, undefined, rg);
  return [
    inventoryAksArcCluster({ name }),
    inventoryProvisionedClusterInstance(id, inventoryCustomLocationId(`${name}-cl`, undefined, rg)),
    inventoryAzureLocalCluster(hci),
    inventorySecuritySettings(hci, atRest, inTransit),
  ];
}

/** Every kind and the usual trouble. */
export function mixedFleetRows(): unknown[] {
  return [
    ...compliantArcRows('arc-ok'),
    inventoryArcCluster({ name: 'arc-bare' }),
    ...compliantArcRows('arc-offline', {
      connectivityStatus: 'Offline',
      lastConnectivityTime: daysBefore(NOW, 3),
    }),
    inventoryArcCluster({ name: 'arc-expired', set: { connectivityStatus: 'Expired' } }),
    inventoryArcCluster({ name: 'arc-malformed', properties: null }),
    ...aksArcRows('hybrid-1', 'Compliant', 'NonCompliant'),
    inventoryAksCluster({ name: 'aks-1' }),
    extension(inventoryConnectedClusterId('not-in-inventory'), 'flux', 'microsoft.flux'),
    'not a resource',
    { name: 'no id or type' },
  ];
}

export function inventoryFrom(rows: unknown[], file = 'fleet.json'): Inventory {
  const document: DocumentRow[] = rows.map((value, index) => ({ value, where: `${file}: [${index}]` }));
  return mergeResources([document]);
}

export function evaluate(inventory: Inventory, asOf?: Date): ScanResult {
  return evaluateInventory({
    inventory,
    settings: DEFAULT_SETTINGS,
    runId: '20260501T120000Z-0a1b2c3d',
    source: 'snapshot',
    startedAt: NOW,
    asOf,
    clock: () => FINISHED,
  });
}
