/** The runs every interchange-format test writes: sample, empty, only N/A, large synthetic. */
import { buildSampleFleet } from '../../sample/sampleFleet.js';
import type { Finding } from '../../shared/catalog/types.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { parseInventoryDocument } from '../../shared/inventory/parseInventoryDocument.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { DEFAULT_SETTINGS, parseScanSettings } from '../../shared/settings/scanSettings.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';

export const RUN_ID = '20261120T060000Z-0a1b2c3d';
const AS_OF = new Date('2026-11-20T06:00:00Z');
const clock = (): Date => new Date('2026-11-20T06:00:04.500Z');

export function sampleRun(): ScanResult {
  const fleet = buildSampleFleet({ asOf: AS_OF, day: 'current' });
  const documents = fleet.files.map((file) =>
    parseInventoryDocument(file.name, JSON.stringify(file.content)),
  );
  return evaluateInventory({
    inventory: mergeResources(documents),
    settings: parseScanSettings(fleet.settings),
    runId: RUN_ID,
    source: 'snapshot',
    startedAt: AS_OF,
    clock,
  });
}

export function emptyRun(): ScanResult {
  return evaluateInventory({
    inventory: mergeResources([[]]),
    settings: DEFAULT_SETTINGS,
    runId: RUN_ID,
    source: 'snapshot',
    startedAt: AS_OF,
    clock,
  });
}

/** A run whose every finding is NOT_APPLICABLE (the sample's clusters, each verdict replaced). */
export function onlyNotApplicableRun(): ScanResult {
  const run = sampleRun();
  const findings: Finding[] = run.findings.map((finding) => ({
    ...finding,
    status: 'NOT_APPLICABLE',
    reason: 'Not applicable to this cluster.',
  }));
  return {
    ...run,
    findings,
    run: {
      ...run.run,
      counts: { PASS: 0, FAIL: 0, MANUAL: 0, ERROR: 0, NOT_APPLICABLE: findings.length },
      score: 0,
    },
  };
}

export function syntheticRun(clusters: number): ScanResult {
  const fleet = syntheticFleet({ clusters, subscriptions: Math.max(1, Math.ceil(clusters / 500)) });
  return evaluateInventory({
    inventory: mergeResources([fleet.resources.map((value) => ({ value, where: 'synthetic' }))]),
    settings: DEFAULT_SETTINGS,
    runId: RUN_ID,
    source: 'resource-graph',
    startedAt: AS_OF,
    clock,
  });
}
