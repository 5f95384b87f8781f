import { validateGovernanceDocument } from '../../shared/governance/validateRecords.js';
import type { ActiveRecord } from '../../shared/governance/records.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { parseInventoryDocument } from '../../shared/inventory/parseInventoryDocument.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import { newRunId } from '../../shared/scan/runId.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { parseScanSettings } from '../../shared/settings/scanSettings.js';
import { buildSampleFleet, type SampleDay } from '../../sample/sampleFleet.js';
import { buildSampleGovernance } from '../../sample/sampleGovernance.js';

/** The sample governance file's records as of a time, approved (as a reviewed Git file is). */
export function sampleRecords(asOf: Date): ActiveRecord[] {
  return validateGovernanceDocument(buildSampleGovernance(asOf), { now: asOf, mode: 'load' }).map(
    (record) => ({
      record,
      approval: 'approved',
    }),
  );
}

/** A scan of the sample fleet with governance records applied. */
export function governedSampleRun(
  day: SampleDay,
  asOf: Date,
  governance: readonly ActiveRecord[] = sampleRecords(asOf),
  fleetAsOf: Date = asOf,
): ScanResult {
  const fleet = buildSampleFleet({ asOf: fleetAsOf, day });
  const documents = fleet.files.map((file) =>
    parseInventoryDocument(file.name, JSON.stringify(file.content)),
  );
  return evaluateInventory({
    inventory: mergeResources(documents),
    settings: parseScanSettings(fleet.settings),
    runId: newRunId(asOf),
    source: 'snapshot',
    startedAt: asOf,
    asOf,
    governance,
  });
}
