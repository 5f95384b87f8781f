import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { parseInventoryDocument } from '../../shared/inventory/parseInventoryDocument.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import { newRunId } from '../../shared/scan/runId.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { parseScanSettings } from '../../shared/settings/scanSettings.js';
import { buildSampleFleet, type SampleDay } from '../../sample/sampleFleet.js';

/** A scan of the sample fleet for one day, as a run started at `startedAt`. */
export function sampleRun(day: SampleDay, startedAt: Date, asOf: Date = startedAt): ScanResult {
  const fleet = buildSampleFleet({ asOf, day });
  const documents = fleet.files.map((file) =>
    parseInventoryDocument(file.name, JSON.stringify(file.content)),
  );
  return evaluateInventory({
    inventory: mergeResources(documents),
    settings: parseScanSettings(fleet.settings),
    runId: newRunId(startedAt),
    source: 'snapshot',
    startedAt,
    asOf,
  });
}
