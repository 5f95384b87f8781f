/**
 * A value of the wrong type or an impossible value is never a PASS: the examples found in real
 * exports (settings flattened to text by ConvertTo-Json, heartbeats in the future or without a zone,
 * absurd agent versions) and, for each, the class it stands for.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import type { Finding } from '../../shared/catalog/types.js';
import {
  EXTENSION_TYPE,
  arcCluster,
  armExtension,
  backupInstance,
  connectedClusterId,
  resourceGraphExtension,
  type Row,
} from '../support/azureRows.js';
import { NOW, daysBeforeNow } from '../support/clock.js';
import { checkAt, evaluate, findingOf, scan } from '../support/scan.js';

const ARC = connectedClusterId('integrity-01');
const DAY_MS = 86_400_000;

function randomCase(text: string, bits: readonly boolean[]): string {
  return [...text].map((c, i) => (bits[i % bits.length] ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** An SSE extension row whose settings bag is replaced by `settings` under `key` (properties or top level). */
function sseWithSettings(
  settings: unknown,
  key = 'ConfigurationSettings',
  where: 'graph' | 'cli' = 'graph',
): Row {
  const row = resourceGraphExtension(ARC, {
    name: 'ssarcextension',
    extensionType: EXTENSION_TYPE.secretStore,
  });
  const properties = row['properties'] as Row;
  delete properties['ConfigurationSettings'];
  if (where === 'graph') {
    properties[key] = settings;
    return row;
  }
  const { properties: _dropped, ...envelope } = row;
  return { ...envelope, ...properties, [key]: settings };
}

function offlineArc(lastConnectivityTime: unknown, name = 'integrity-01'): Row {
  return arcCluster({ name, properties: { connectivityStatus: 'Offline', lastConnectivityTime } });
}

describe('settings that are not an object are never read as "no settings"', () => {
  it('DS-03: ConfigurationSettings exported as the text "@{rotationPollIntervalInSeconds=7200}" is ERROR, not a PASS on the default', () => {
    const text = '@{rotationPollIntervalInSeconds=7200}';
    const finding = evaluate([arcCluster({ name: 'integrity-01' }), sseWithSettings(text)], ARC, 'DS-03');
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain(text);
    expect(finding.reason).not.toContain('default');
    expect(checkAt(finding, /configurationSettings$/i).observed).toBe(text);
  });

  it('DS-03: the same for an array or a number, under any casing of the key, under properties or at the top level', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
          fc.integer(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.boolean(),
          fc.constant(null),
        ),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 21 }),
        fc.constantFrom('graph' as const, 'cli' as const),
        (settings, bits, where) => {
          const key = randomCase('configurationSettings', bits);
          const finding = evaluate(
            [arcCluster({ name: 'integrity-01' }), sseWithSettings(settings, key, where)],
            ARC,
            'DS-03',
          );
          expect(finding.status, finding.reason).toBe('ERROR');
          expect(finding.reason).toMatch(/configurationSettings/i);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('DS-03: a Secrets Provider extension whose settings are text is ERROR, not "rotation unset"', () => {
    const csi = armExtension(ARC, {
      name: 'akvsecretsprovider',
      extensionType: EXTENSION_TYPE.secretsProvider,
    });
    (csi['properties'] as Row)['configurationSettings'] =
      '@{secrets-store-csi-driver.enableSecretRotation=true}';
    const finding = evaluate([arcCluster({ name: 'integrity-01' }), csi], ARC, 'DS-03');
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('@{secrets-store-csi-driver.enableSecretRotation=true}');
  });

  it('DS-03: a poll interval of zero, a negative one or one that overflows is ERROR; text that is not a number FAILs as the catalog says', () => {
    for (const interval of ['0', '-7200', '1e400', 0, -1]) {
      const finding = evaluate(
        [arcCluster({ name: 'integrity-01' }), sseWithSettings({ rotationPollIntervalInSeconds: interval })],
        ARC,
        'DS-03',
      );
      expect(finding.status, String(interval)).toBe('ERROR');
      expect(finding.reason).toContain(JSON.stringify(interval));
    }
    const text = evaluate(
      [arcCluster({ name: 'integrity-01' }), sseWithSettings({ rotationPollIntervalInSeconds: 'hourly' })],
      ARC,
      'DS-03',
    );
    expect(text.status).toBe('FAIL');
    expect(text.reason).toContain('"hourly"');
  });
});

describe('DS-10 time stamps', () => {
  it('a lastConnectivityTime 1138 days in the future is ERROR, never "offline since … (-1138 days), within the limit"', () => {
    const future = new Date(NOW.getTime() + 1138 * DAY_MS).toISOString();
    const finding = evaluate([offlineArc(future)], ARC, 'DS-10');
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain(future);
    expect(finding.reason).toContain('in the future');
    expect(finding.reason).not.toMatch(/-\d+ days?/);
  });

  it('any heartbeat more than a day after the as-of time is ERROR, for DS-10 and for every verdict drawn from extensions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: NOW.getTime() + DAY_MS + 60_000, max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom('Offline', 'Expired', 'Connected'),
        (ms, status) => {
          const stamp = new Date(ms).toISOString();
          const rows = [
            arcCluster({
              name: 'integrity-01',
              properties: { connectivityStatus: status, lastConnectivityTime: stamp },
            }),
            armExtension(ARC, { name: 'ssarcextension', extensionType: EXTENSION_TYPE.secretStore }),
          ];
          const result = scan(rows);
          for (const control of ['DS-10', 'DS-01', 'DS-02'] as const) {
            const finding = findingOf(result, ARC, control);
            expect(finding.status, `${control}: ${finding.reason}`).toBe('ERROR');
            expect(finding.reason).toContain(stamp);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a heartbeat read up to a day after the as-of time (collection lag) counts as zero days offline', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DAY_MS - 60_000 }), (ahead) => {
        const stamp = new Date(NOW.getTime() + ahead).toISOString();
        const finding = evaluate([offlineArc(stamp)], ARC, 'DS-10');
        expect(finding.status, finding.reason).toBe('PASS');
        expect(finding.reason).toContain('(0 days)');
      }),
      { numRuns: 30 },
    );
  });

  it('a time stamp without a zone is ERROR, whatever its value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: NOW.getTime() - DAY_MS }),
        fc.constantFrom(23, 19, 16),
        (ms, length) => {
          const stamp = new Date(ms).toISOString().slice(0, length);
          const finding = evaluate([offlineArc(stamp)], ARC, 'DS-10');
          expect(finding.status, finding.reason).toBe('ERROR');
          expect(finding.reason).toContain(stamp);
          expect(finding.reason).toContain('no time zone');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('dates that do not exist are ERROR (JavaScript would roll 30 February over to March)', () => {
    for (const stamp of [
      '2026-02-30T00:00:00Z',
      '2026-04-31T08:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-06-01T24:00:00Z',
    ]) {
      const finding = evaluate([offlineArc(stamp)], ARC, 'DS-10');
      expect(finding.status, stamp).toBe('ERROR');
      expect(finding.reason).toContain(stamp);
    }
  });

  it('reads a zone offset as the instant it names', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: NOW.getTime() - 60 * DAY_MS }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (ms, offsetMinutes) => {
          const shifted = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const stamp = `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const days = Math.floor((NOW.getTime() - Math.floor(ms / 1000) * 1000) / DAY_MS);
          const finding = evaluate([offlineArc(stamp)], ARC, 'DS-10');
          expect(finding.reason).toContain(`${stamp} (${days} day`);
        },
      ),
      { numRuns: 60 },
    );
  });

  describe('the verdict does not depend on the host time zone', () => {
    const original = process.env['TZ'];
    afterEach(() => {
      if (original === undefined) delete process.env['TZ'];
      else process.env['TZ'] = original;
    });

    function verdictsUnder(zone: string): { offset: number; findings: Finding[] } {
      process.env['TZ'] = zone;
      const stamps = [
        '2026-05-20T10:00:00',
        '2026-05-20T10:00:00Z',
        '2026-05-16T23:30:00+09:30',
        daysBeforeNow(29.99),
      ];
      const rows = stamps.map((stamp, index) => offlineArc(stamp, `tz-${index}`));
      return { offset: new Date(2026, 0, 1).getTimezoneOffset(), findings: scan(rows).findings };
    }

    it('gives the same findings under TZ=Pacific/Kiritimati and TZ=America/Los_Angeles', () => {
      const east = verdictsUnder('Pacific/Kiritimati');
      const west = verdictsUnder('America/Los_Angeles');
      // The host zone really changed between the two scans…
      expect(east.offset).not.toBe(west.offset);
      // …and no finding did.
      expect(west.findings).toEqual(east.findings);
      const ds10 = east.findings.filter((f) => f.controlId === 'DS-10').map((f) => f.status);
      expect(ds10).toEqual(['ERROR', 'PASS', 'PASS', 'PASS']);
    });
  });
});

describe('DS-10 agent versions', () => {
  const clusterWith = (name: string, agentVersion: unknown): Row =>
    arcCluster({ name, properties: { agentVersion } });

  it('999999999999999999999.0.0 is ERROR and does not become the fleet baseline', () => {
    const rows = [
      clusterWith('absurd', '999999999999999999999.0.0'),
      clusterWith('current', '1.31.2'),
      clusterWith('older', '1.30.0'),
    ];
    const result = scan(rows);
    const absurd = findingOf(result, connectedClusterId('absurd'), 'DS-10');
    expect(absurd.status).toBe('ERROR');
    expect(absurd.reason).toContain('999999999999999999999.0.0');
    for (const name of ['current', 'older']) {
      const finding = findingOf(result, connectedClusterId(name), 'DS-10');
      expect(finding.status, finding.reason).toBe('PASS');
      expect(finding.reason).toContain('1.31.2');
    }
  });

  it('a 10-million-digit minor version is ERROR, quickly, with a short reason and cut evidence', () => {
    const huge = `1.${'9'.repeat(10_000_000)}.0`;
    const started = performance.now();
    const result = scan([clusterWith('huge', huge), clusterWith('current', '1.31.2')]);
    const elapsed = performance.now() - started;
    const finding = findingOf(result, connectedClusterId('huge'), 'DS-10');
    expect(finding.status).toBe('ERROR');
    expect(finding.reason.length).toBeLessThan(600);
    expect(finding.reason).toContain('"1.9999');
    expect(finding.reason).toContain('10000004 characters');
    expect(JSON.stringify(finding.evidence).length).toBeLessThan(2_000);
    expect(findingOf(result, connectedClusterId('current'), 'DS-10').status).toBe('PASS');
    expect(elapsed).toBeLessThan(5_000);
  });

  it('no version part longer than five digits is ever accepted or used as the baseline', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 100_000n, max: 10n ** 40n }), fc.nat({ max: 2 }), (big, position) => {
        const parts = ['1', '31', '0'];
        parts[position] = big.toString();
        const version = parts.join('.');
        const result = scan([clusterWith('absurd', version), clusterWith('current', '1.31.2')]);
        expect(findingOf(result, connectedClusterId('absurd'), 'DS-10').status).toBe('ERROR');
        const current = findingOf(result, connectedClusterId('current'), 'DS-10');
        expect(current.status, current.reason).toBe('PASS');
        expect(result.run.inventoryWarnings).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('a newest version far above every other cluster is reported as an inventory warning naming the cluster', () => {
    const result = scan([
      clusterWith('outlier', '9.0.0'),
      clusterWith('a', '1.31.2'),
      clusterWith('b', '1.30.1'),
    ]);
    expect(result.run.inventoryWarnings).toHaveLength(1);
    expect(result.run.inventoryWarnings[0]?.message).toContain('"9.0.0"');
    expect(result.run.inventoryWarnings[0]?.message).toContain('outlier');
    expect(result.run.inventoryWarnings[0]?.message).toContain('1.31.2');
  });

  it('warns exactly when the newest version is a major version or more than twelve minor versions above the next', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 60 }),
        (majorA, minorA, majorB, minorB) => {
          const a = { major: majorA, minor: minorA };
          const b = { major: majorB, minor: minorB };
          const [top, next] =
            a.major > b.major || (a.major === b.major && a.minor >= b.minor) ? [a, b] : [b, a];
          const result = scan([
            clusterWith('a', `${a.major}.${a.minor}.0`),
            clusterWith('b', `${b.major}.${b.minor}.0`),
          ]);
          const same = top.major === next.major && top.minor === next.minor;
          const outlier = !same && (top.major !== next.major || top.minor - next.minor > 12);
          expect(result.run.inventoryWarnings.length).toBe(outlier ? 1 : 0);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('values read while linking and from settings', () => {
  it('a configured minimum agent version that is not plausible is ERROR, not a silent fall-back to the fleet newest', () => {
    for (const minimum of ['999999999999.0', '1.30junk', '1.' + '9'.repeat(40)]) {
      const finding = evaluate([arcCluster({ name: 'integrity-01' })], ARC, 'DS-10', {
        settings: { thresholds: { minimumAgentVersion: minimum } },
      });
      expect(finding.status, minimum).toBe('ERROR');
      expect(finding.reason).toContain('configured minimum');
    }
  });

  it('an Azure Backup instance whose data source cannot be read protects nothing, and says so as an inventory warning', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.array(fc.string(), { maxLength: 2 }),
          fc.constant(''),
        ),
        (resourceId) => {
          const instance = backupInstance({ vaultName: 'vault-01', name: 'bi-01', dataSourceId: ARC });
          const properties = instance['properties'] as Row;
          for (const holder of ['dataSourceInfo', 'dataSourceSetInfo']) {
            const info = properties[holder];
            if (info && typeof info === 'object') (info as Row)['resourceID'] = resourceId;
          }
          const rows = [
            arcCluster({ name: 'integrity-01' }),
            armExtension(ARC, { name: 'azurebackup', extensionType: EXTENSION_TYPE.backup }),
            instance,
          ];
          const result = scan(rows);
          const finding = findingOf(result, ARC, 'DS-09');
          expect(finding.status, finding.reason).not.toBe('PASS');
          expect(result.run.inventoryWarnings.map((w) => w.message).join('\n')).toContain(
            'no readable data source',
          );
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('a cluster whose properties are not an object', () => {
  it('gets no PASS from its extensions: whether they are current cannot be told', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant('@{connectivityStatus=Offline; agentVersion=1.31.2}'),
          fc.string().filter((text) => !text.trim().startsWith('{')),
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
        ),
        (properties) => {
          const rows = [
            arcCluster({ name: 'integrity-01', rawProperties: properties }),
            armExtension(ARC, { name: 'ssarcextension', extensionType: EXTENSION_TYPE.secretStore }),
            armExtension(ARC, { name: 'flux', extensionType: EXTENSION_TYPE.flux }),
            armExtension(ARC, { name: 'osm', extensionType: EXTENSION_TYPE.openServiceMesh }),
            armExtension(ARC, { name: 'backup', extensionType: EXTENSION_TYPE.backup }),
          ];
          const findings = scan(rows).findings;
          expect(
            findings.filter((f) => f.status === 'PASS').map((f) => `${f.controlId}: ${f.reason}`),
          ).toEqual([]);
          const ds01 = findings.find((f) => f.controlId === 'DS-01');
          expect(ds01?.status).toBe('ERROR');
          expect(ds01?.reason).toContain('properties is');
        },
      ),
      { numRuns: 40 },
    );
  });
});
