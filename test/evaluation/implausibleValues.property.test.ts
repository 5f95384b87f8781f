/**
 * Values of the right JSON type that no real cluster reports: agent versions written with leading
 * zeros, empty suffixes or parts no Arc release will reach; poll intervals below one second or not
 * in whole seconds; heartbeats before Azure existed. Each is ERROR for its own cluster, named in the
 * reason, and an implausible version never sets the fleet baseline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  EXTENSION_TYPE,
  arcCluster,
  armExtension,
  connectedClusterId,
  type Row,
} from '../support/azureRows.js';
import { evaluate, findingOf, scan } from '../support/scan.js';

const ARC = connectedClusterId('implausible-01');
const clusterWith = (name: string, properties: Row): Row => arcCluster({ name, properties });

/** Versions that are not how an Arc agent release is written, or that no release will reach. */
const implausibleVersion = fc.oneof(
  fc.constantFrom(
    '01.002.3',
    '1.02.3',
    '1.2.03',
    '00000.00000',
    '1.2.3-',
    '1.2.3+',
    '1.2.3-.',
    '1.2.3+a..b',
    'v01.2',
  ),
  fc.integer({ min: 100, max: 99_999 }).map((major) => `${major}.0.0`),
  fc.integer({ min: 1000, max: 99_999 }).map((minor) => `1.${minor}.0`),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 40 }))
    .map(([major, minor]) => `0${major}.${minor}.0`),
);

describe('implausible agent versions', () => {
  it('are ERROR naming the value, and never become the fleet baseline', () => {
    fc.assert(
      fc.property(implausibleVersion, fc.integer({ min: 0, max: 5 }), (version, others) => {
        const fleet = [
          clusterWith('absurd', { agentVersion: version }),
          ...Array.from({ length: others + 1 }, (_, i) =>
            clusterWith(`current-${i}`, { agentVersion: '1.31.2' }),
          ),
        ];
        const result = scan(fleet);
        const own = findingOf(result, connectedClusterId('absurd'), 'DS-10');
        expect(own.status, own.reason).toBe('ERROR');
        expect(own.reason).toContain(JSON.stringify(version));
        const current = findingOf(result, connectedClusterId('current-0'), 'DS-10');
        expect(current.status, current.reason).toBe('PASS');
        expect(result.run.inventoryWarnings).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });

  it('a single cluster with an implausible version is ERROR, not a PASS against itself', () => {
    for (const version of ['99999.99999.99999', '01.002.3', '1.2.3-']) {
      const finding = evaluate([clusterWith('implausible-01', { agentVersion: version })], ARC, 'DS-10');
      expect(finding.status, `${version}: ${finding.reason}`).toBe('ERROR');
    }
  });

  it('well-formed versions stay plausible: 1.2, v1.2.3, 1.2.3-preview, 1.31.2+build.5, 0.9.1, 2.0.0', () => {
    for (const version of [
      '1.2',
      'v1.2.3',
      '1.2.3-preview',
      '1.31.2+build.5',
      '0.9.1',
      '2.0.0',
      '99.999.99999',
    ]) {
      const finding = evaluate([clusterWith('implausible-01', { agentVersion: version })], ARC, 'DS-10');
      expect(finding.status, `${version}: ${finding.reason}`).toBe('PASS');
    }
  });
});

function sse(interval: unknown): Row {
  const row = armExtension(ARC, { name: 'sse', extensionType: EXTENSION_TYPE.secretStore });
  (row['properties'] as Row)['configurationSettings'] = { rotationPollIntervalInSeconds: interval };
  return row;
}

describe('implausible poll intervals', () => {
  it('below one second or not in whole seconds is never a PASS, and the reason names the value', () => {
    const fraction = fc.oneof(
      fc.double({ min: 1e-300, max: 0.999, noNaN: true }),
      fc.double({ min: 1.001, max: 3599.9, noNaN: true }).filter((n) => !Number.isInteger(n)),
    );
    fc.assert(
      fc.property(fraction, fc.boolean(), (seconds, asText) => {
        const value = asText ? String(seconds) : seconds;
        const finding = evaluate([arcCluster({ name: 'implausible-01' }), sse(value)], ARC, 'DS-03');
        expect(finding.status, finding.reason).not.toBe('PASS');
        expect(finding.reason).toContain(String(seconds));
      }),
      { numRuns: 60 },
    );
  });

  it('whole seconds, as numbers or text, are judged against the maximum', () => {
    for (const value of [60, '60', ' 60 ', 3600, '3600.0']) {
      const finding = evaluate([arcCluster({ name: 'implausible-01' }), sse(value)], ARC, 'DS-03');
      expect(finding.status, `${JSON.stringify(value)}: ${finding.reason}`).toBe('PASS');
    }
    const finding = evaluate([arcCluster({ name: 'implausible-01' }), sse('7200')], ARC, 'DS-03');
    expect(finding.status).toBe('FAIL');
  });
});

describe('heartbeats before Azure existed', () => {
  it('a lastConnectivityTime before 2010 is ERROR for a Connected and an Offline cluster', () => {
    const early = fc
      .integer({ min: 0, max: 2009 })
      .map((year) => `${String(year).padStart(4, '0')}-06-01T00:00:00Z`);
    fc.assert(
      fc.property(early, fc.constantFrom('Connected', 'Offline'), (time, status) => {
        const finding = evaluate(
          [clusterWith('implausible-01', { connectivityStatus: status, lastConnectivityTime: time })],
          ARC,
          'DS-10',
        );
        expect(finding.status, finding.reason).toBe('ERROR');
        expect(finding.reason).toContain(time);
      }),
      { numRuns: 40 },
    );
  });
});
