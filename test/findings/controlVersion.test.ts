import { describe, expect, it } from 'vitest';

import { CONTROLS } from '../../shared/catalog/controls.js';
import type { Finding } from '../../shared/catalog/types.js';
import { findingsCsvChunks } from '../../shared/findings/findingsCsv.js';
import { findingsJsonChunks } from '../../shared/findings/findingsJson.js';
import { evaluate, inventoryFrom, mixedFleetRows } from './mixedFleet.js';
import { csvObjects } from './rfc4180.js';

describe('the control version on every finding', () => {
  const result = evaluate(inventoryFrom(mixedFleetRows()));
  const versions = new Map(CONTROLS.map((control) => [control.id, control.version]));

  it('is the catalog version of the control that produced the finding', () => {
    expect(result.findings.length).toBeGreaterThan(0);
    for (const finding of result.findings)
      expect(finding.controlVersion).toBe(versions.get(finding.controlId));
  });

  it('is in findings.json and in its own findings.csv column, whatever the version', () => {
    const bumped: Finding[] = result.findings.map((finding, index) => ({
      ...finding,
      controlVersion: 1 + (index % 7),
    }));
    const json = JSON.parse([...findingsJsonChunks({ ...result, findings: bumped })].join('')) as {
      findings: Finding[];
    };
    expect(json.findings.map((finding) => finding.controlVersion)).toEqual(
      bumped.map((f) => f.controlVersion),
    );
    const { header, rows } = csvObjects([...findingsCsvChunks(bumped)].join(''));
    expect(header.indexOf('controlVersion')).toBe(header.indexOf('controlTitle') + 1);
    expect(rows.map((row) => Number(row.controlVersion))).toEqual(bumped.map((f) => f.controlVersion));
  });
});
