import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  buildMessyRows,
  buildValidRows,
  messyFleet,
  prng,
  randomCase,
  reachesAsObject,
  recaseKeys,
  validCluster,
  type JsonObject,
} from './arbitraries.js';

/** The generators must really change casing, or the casing properties would pass vacuously. */
describe('property generators (test helpers)', () => {
  it('randomCase changes the casing of a long string but not its letters', () => {
    const text = 'Microsoft.Kubernetes/connectedClusters';
    const cased = randomCase(text, prng(7));
    expect(cased).not.toBe(text);
    expect(cased.toLowerCase()).toBe(text.toLowerCase());
  });

  it('recaseKeys recases keys at every depth and leaves values alone', () => {
    const row = {
      properties: { configurationSettings: { 'secrets-store-csi-driver.enableSecretRotation': 'true' } },
      extendedLocation: { name: '/subscriptions/S/customLocations/X' },
    };
    const mutated = recaseKeys(row, prng(3)) as JsonObject;
    expect(JSON.stringify(mutated)).not.toBe(JSON.stringify(row));
    expect(JSON.stringify(mutated).toLowerCase()).toBe(JSON.stringify(row).toLowerCase());
    expect(JSON.stringify(mutated)).toContain('/subscriptions/S/customLocations/X');
    expect(JSON.stringify(mutated)).toContain('"true"');
  });

  it('recaseKeys changes the keys of generated valid fleets for most seeds', () => {
    let changed = 0;
    fc.assert(
      fc.property(fc.array(validCluster, { minLength: 1, maxLength: 3 }), fc.integer(), (fleet, seed) => {
        const rows = buildValidRows(fleet);
        const mutated = rows.map((row) => recaseKeys(row, prng(seed)));
        if (JSON.stringify(mutated) !== JSON.stringify(rows)) changed++;
      }),
      { numRuns: 50, seed: 1 },
    );
    expect(changed).toBe(50);
  });

  it('reachesAsObject tells object properties (also as JSON text) from everything else', () => {
    expect(reachesAsObject({ shape: 'object', value: { a: 1 } })).toBe(true);
    expect(reachesAsObject({ shape: 'object', value: '{"a":1}' })).toBe(true);
    expect(reachesAsObject({ shape: 'string', value: 'Connected' })).toBe(false);
    expect(reachesAsObject({ shape: 'null', value: null })).toBe(false);
    expect(reachesAsObject({ shape: 'array', value: [] })).toBe(false);
    expect(reachesAsObject({ shape: 'absent' })).toBe(false);
  });

  it('messy fleets attach every extension to a generated cluster and keep cluster IDs unique', () => {
    fc.assert(
      fc.property(messyFleet, (fleet) => {
        const built = buildMessyRows(fleet);
        expect(built.clusters.size).toBe(fleet.clusters.length);
        const clusterKeys = [...built.clusters.keys()];
        for (const row of built.rows) {
          if (row === null || typeof row !== 'object' || Array.isArray(row)) continue;
          const id = Object.entries(row as JsonObject).find(([k]) => k.toLowerCase() === 'id')?.[1];
          if (
            typeof id !== 'string' ||
            !id.toLowerCase().includes('/providers/microsoft.kubernetesconfiguration/')
          )
            continue;
          expect(clusterKeys.some((key) => id.toLowerCase().startsWith(`${key}/`))).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });
});
