import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { CONTROLS } from '../../shared/catalog/controls.js';
import { OUTCOME_SCOPES, type OutcomeScope, type Status } from '../../shared/catalog/types.js';
import { isAgentlessConnection } from '../../shared/inventory/buildFleet.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { parseInventoryDocument } from '../../shared/inventory/parseInventoryDocument.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import { parseScanSettings } from '../../shared/settings/scanSettings.js';
import { buildSampleFleet, type SampleDay } from '../../sample/sampleFleet.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMMITTED_AS_OF = new Date('2026-11-20T06:00:00Z');

function scanSample(asOf: Date, day: SampleDay) {
  const fleet = buildSampleFleet({ asOf, day });
  const documents = fleet.files.map((file) =>
    parseInventoryDocument(file.name, JSON.stringify(file.content)),
  );
  const inventory = mergeResources(documents);
  const agentless = new Set(
    inventory.resources.filter(isAgentlessConnection).map((resource) => resource.id.toLowerCase()),
  );
  const result = evaluateInventory({
    inventory,
    settings: parseScanSettings(fleet.settings),
    runId: 'sample',
    source: 'snapshot',
    startedAt: asOf,
  });
  const scopeOf = (clusterId: string, kind: OutcomeScope): OutcomeScope =>
    agentless.has(clusterId.toLowerCase()) ? 'arc-agentless' : kind;
  return { fleet, result, scopeOf };
}

describe('the bundled sample fleet', () => {
  for (const day of ['current', 'previous'] as const) {
    it(`gives exactly the hand-written verdicts (${day} day)`, () => {
      const { fleet, result } = scanSample(new Date('2027-03-01T12:00:00Z'), day);
      const actual: Record<string, Record<string, Status>> = {};
      for (const finding of result.findings) {
        (actual[finding.clusterName] ??= {})[finding.controlId] = finding.status;
      }
      expect(actual).toEqual(fleet.expected);
      expect(result.run.inventoryWarnings).toHaveLength(fleet.malformedRowCount + fleet.orphanCount);
    });
  }

  it('reaches every outcome the catalog declares, for every control and kind (and agentless connections)', () => {
    const reached = new Set<string>();
    for (const day of ['current', 'previous'] as const) {
      const { result, scopeOf } = scanSample(COMMITTED_AS_OF, day);
      for (const finding of result.findings) {
        reached.add(
          `${finding.controlId}|${scopeOf(finding.clusterId, finding.clusterKind)}|${finding.status}`,
        );
      }
    }
    const missing = CONTROLS.flatMap((control) =>
      OUTCOME_SCOPES.flatMap((kind) =>
        control.outcomes[kind]
          .map((status) => `${control.id}|${kind}|${status}`)
          .filter((key) => !reached.has(key)),
      ),
    );
    expect(missing).toEqual([]);
    const undeclared = [...reached].filter((key) => {
      const [id, kind, status] = key.split('|') as [string, OutcomeScope, Status];
      const control = CONTROLS.find((c) => c.id === id);
      return status !== 'ERROR' && !control?.outcomes[kind].includes(status);
    });
    expect(undeclared).toEqual([]);
    expect([...reached].filter((key) => /\|arc-agentless\|ERROR$/.test(key))).toEqual([]);
  });

  it('is committed in sample/fleet exactly as the generator writes it', async () => {
    const fleet = buildSampleFleet({ asOf: COMMITTED_AS_OF });
    const folder = join(ROOT, 'sample', 'fleet');
    expect((await readdir(folder)).sort()).toEqual(fleet.files.map((file) => file.name).sort());
    for (const file of fleet.files) {
      expect(JSON.parse(await readFile(join(folder, file.name), 'utf8')), file.name).toEqual(file.content);
    }
    const settings = JSON.parse(
      await readFile(join(ROOT, 'sample', 'fleet.settings.json'), 'utf8'),
    ) as unknown;
    expect(settings).toEqual(fleet.settings);
  });
});
