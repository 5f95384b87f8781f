/** Drives the engine through its public use case and picks findings out of the result. */
import { expect } from 'vitest';

import type { ControlId, EvidenceCheck, Finding } from '../../shared/catalog/types.js';
import type { CollectionGap, Inventory } from '../../shared/inventory/inventory.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { evaluateInventory } from '../../shared/scan/evaluateInventory.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import {
  DEFAULT_SETTINGS,
  parseScanSettings,
  type ScanSettings,
} from '../../shared/settings/scanSettings.js';
import { NOW } from './clock.js';

export interface ScanOptions {
  /** Settings document as a user writes it (parsed with parseScanSettings), or parsed settings. */
  settings?: ScanSettings | Record<string, unknown>;
  /** Reads that failed during collection. */
  gaps?: CollectionGap[];
}

function settingsOf(settings: ScanOptions['settings']): ScanSettings {
  if (settings === undefined) return DEFAULT_SETTINGS;
  if ('thresholds' in settings && 'azureLocalHosts' in settings && settings.azureLocalHosts instanceof Map) {
    return settings as ScanSettings;
  }
  return parseScanSettings(settings);
}

/** Builds an inventory from rows (one document) and evaluates it at {@link NOW}. */
export function scan(rows: readonly unknown[], options: ScanOptions = {}): ScanResult {
  const merged = mergeResources([rows.map((value) => ({ value, where: 'test' }))]);
  const inventory: Inventory = { ...merged, gaps: [...merged.gaps, ...(options.gaps ?? [])] };
  return evaluateInventory({
    inventory,
    settings: settingsOf(options.settings),
    runId: 'test',
    source: 'snapshot',
    startedAt: NOW,
    asOf: NOW,
  });
}

/** The one finding of a cluster (ID compared ignoring case) for a control. */
export function findingOf(result: ScanResult, clusterId: string, controlId: ControlId): Finding {
  const matches = result.findings.filter(
    (finding) =>
      finding.clusterId.toLowerCase() === clusterId.toLowerCase() && finding.controlId === controlId,
  );
  if (matches.length !== 1) {
    const clusters = [...new Set(result.findings.map((finding) => finding.clusterId))];
    throw new Error(
      `expected one ${controlId} finding for ${clusterId}, found ${matches.length}; clusters: ${clusters.join(', ')}`,
    );
  }
  return matches[0] as Finding;
}

/** Scans `rows` and returns the finding of `clusterId` for `controlId`. */
export function evaluate(
  rows: readonly unknown[],
  clusterId: string,
  controlId: ControlId,
  options: ScanOptions = {},
): Finding {
  return findingOf(scan(rows, options), clusterId, controlId);
}

/** The evidence check whose path matches `path` (and whose source is `source`, when given). */
export function checkAt(finding: Finding, path: RegExp, source?: string): EvidenceCheck {
  const found = finding.evidence.checks.find(
    (check) =>
      path.test(check.path) && (source === undefined || check.source.toLowerCase() === source.toLowerCase()),
  );
  if (!found) {
    const seen = finding.evidence.checks.map((check) => `${check.source} ${check.path}`).join('\n  ');
    throw new Error(
      `no evidence check matching ${String(path)}${source ? ` on ${source}` : ''}; checks:\n  ${seen}`,
    );
  }
  return found;
}

/** Asserts that the evidence names every resource in `ids` among its source IDs (ignoring case). */
export function expectSources(finding: Finding, ...ids: string[]): void {
  const sources = finding.evidence.sourceIds.map((id) => id.toLowerCase());
  for (const id of ids) expect(sources, `evidence.sourceIds should name ${id}`).toContain(id.toLowerCase());
}

/** The whole evidence as text, for "is this named anywhere in the evidence" assertions. */
export function evidenceText(finding: Finding): string {
  return JSON.stringify(finding.evidence);
}
