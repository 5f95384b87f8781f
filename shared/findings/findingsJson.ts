import { CATALOG_VERSION } from '../catalog/controls.js';
import type { ScanResult } from '../scan/scanResult.js';

export const FINDINGS_SCHEMA_VERSION = 1;

/**
 * Serialises a scan result as findings.json (schemaVersion 1), one chunk at a time, so that a
 * fleet of hundreds of thousands of findings never needs one giant string.
 */
export function* findingsJsonChunks(result: ScanResult): Generator<string> {
  yield `{\n  "schemaVersion": ${FINDINGS_SCHEMA_VERSION},\n  "catalogVersion": ${JSON.stringify(CATALOG_VERSION)},\n`;
  yield `  "run": ${JSON.stringify(result.run, null, 2).replace(/\n/g, '\n  ')},\n`;
  yield '  "clusters": [';
  for (let i = 0; i < result.clusters.length; i++) {
    yield `${i === 0 ? '\n' : ',\n'}    ${JSON.stringify(result.clusters[i])}`;
  }
  yield result.clusters.length === 0 ? '],\n' : '\n  ],\n';
  yield '  "findings": [';
  for (let i = 0; i < result.findings.length; i++) {
    yield `${i === 0 ? '\n' : ',\n'}    ${JSON.stringify(result.findings[i])}`;
  }
  yield result.findings.length === 0 ? ']\n}\n' : '\n  ]\n}\n';
}
