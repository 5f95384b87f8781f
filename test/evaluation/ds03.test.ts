import { describe, expect, it } from 'vitest';

import {
  EXTENSION_TYPE,
  SUBSCRIPTION,
  aksArcCluster,
  aksCluster,
  arcCluster,
  armExtension,
  asResourceGraphRow,
  connectedClusterId,
  extensionIdOf,
  managedClusterId,
  resourceGraphExtension,
} from '../support/azureRows.js';
import { daysBeforeNow } from '../support/clock.js';
import { checkAt, evaluate, expectSources } from '../support/scan.js';

const ARC = connectedClusterId('arc-03');
const AKS_ARC = connectedClusterId('aksarc-03');
const AKS = managedClusterId('aks-03');
const CSI_ROTATION = 'secrets-store-csi-driver.enableSecretRotation';

function sse(clusterId: string, settings?: Record<string, string>) {
  return armExtension(clusterId, {
    name: 'ssarcextension',
    extensionType: EXTENSION_TYPE.secretStore,
    ...(settings === undefined ? {} : { configurationSettings: settings }),
  });
}

function csi(clusterId: string, settings: Record<string, string> = {}) {
  return armExtension(clusterId, {
    name: 'akvsecretsprovider',
    extensionType: EXTENSION_TYPE.secretsProvider,
    configurationSettings: settings,
  });
}

function addon(config: Record<string, unknown> | null, key = 'azureKeyvaultSecretsProvider', enabled = true) {
  return { addonProfiles: { [key]: { enabled, config } } };
}

describe('DS-03 Synced secrets are rotated from the vault', () => {
  it('is a medium-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-03' })], ARC, 'DS-03');
    expect(finding.controlTitle).toBe('Synced secrets are rotated from the vault');
    expect(finding.severity).toBe('medium');
  });

  describe('Secret Store extension rotation poll interval', () => {
    it('passes when rotationPollIntervalInSeconds is absent (default 3600 s)', () => {
      const finding = evaluate([arcCluster({ name: 'arc-03' }), sse(ARC, {})], ARC, 'DS-03');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('3600');
      const check = checkAt(finding, /rotationPollIntervalInSeconds/i, extensionIdOf(ARC, 'ssarcextension'));
      expect(check.observed).toBeNull();
      expect(check.expected).toContain('3600');
      expectSources(finding, extensionIdOf(ARC, 'ssarcextension'));
    });

    it('passes at exactly the maximum (3600)', () => {
      const rows = [arcCluster({ name: 'arc-03' }), sse(ARC, { rotationPollIntervalInSeconds: '3600' })];
      const finding = evaluate(rows, ARC, 'DS-03');
      expect(finding.status).toBe('PASS');
      expect(checkAt(finding, /rotationPollIntervalInSeconds/i).observed).toBe('3600');
    });

    it('passes below the maximum', () => {
      const rows = [arcCluster({ name: 'arc-03' }), sse(ARC, { rotationPollIntervalInSeconds: '300' })];
      expect(evaluate(rows, ARC, 'DS-03').status).toBe('PASS');
    });

    it('fails above the maximum, naming the interval seen', () => {
      const rows = [arcCluster({ name: 'arc-03' }), sse(ARC, { rotationPollIntervalInSeconds: '3601' })];
      const finding = evaluate(rows, ARC, 'DS-03');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('3601');
      expect(checkAt(finding, /rotationPollIntervalInSeconds/i).observed).toBe('3601');
    });

    it('fails when the interval is not a number, naming the value', () => {
      const rows = [arcCluster({ name: 'arc-03' }), sse(ARC, { rotationPollIntervalInSeconds: '1h' })];
      const finding = evaluate(rows, ARC, 'DS-03');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('1h');
      expect(finding.reason).toMatch(/not a number/i);
    });

    it('reads ConfigurationSettings from a PascalCase Resource Graph row', () => {
      const rows = [
        asResourceGraphRow(arcCluster({ name: 'arc-03' })),
        resourceGraphExtension(ARC, {
          name: 'ssarcextension',
          extensionType: EXTENSION_TYPE.secretStore,
          configurationSettings: { rotationPollIntervalInSeconds: '7200' },
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-03');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('7200');
    });

    it('applies a configured maximum (600 s): 900 fails, 300 passes', () => {
      const settings = { thresholds: { maxRotationPollIntervalSeconds: 600 } };
      const slow = [arcCluster({ name: 'arc-03' }), sse(ARC, { rotationPollIntervalInSeconds: '900' })];
      const quick = [arcCluster({ name: 'arc-03' }), sse(ARC, { rotationPollIntervalInSeconds: '300' })];
      const failed = evaluate(slow, ARC, 'DS-03', { settings });
      expect(failed.status).toBe('FAIL');
      expect(failed.reason).toContain('900');
      expect(failed.reason).toContain('600');
      expect(evaluate(quick, ARC, 'DS-03', { settings }).status).toBe('PASS');
    });

    it('applies to aks-arc clusters', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-03' }),
        sse(AKS_ARC, { rotationPollIntervalInSeconds: '86400' }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-03');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('86400');
    });

    it('applies to AKS clusters that use the Secret Store extension', () => {
      const rows = [aksCluster({ name: 'aks-03' }), sse(AKS, {})];
      expect(evaluate(rows, AKS, 'DS-03').status).toBe('PASS');
    });
  });

  describe('Key Vault Secrets Provider extension (arc, aks-arc)', () => {
    it('passes on arc when secrets-store-csi-driver.enableSecretRotation is true', () => {
      const rows = [arcCluster({ name: 'arc-03' }), csi(ARC, { [CSI_ROTATION]: 'true' })];
      const finding = evaluate(rows, ARC, 'DS-03');
      expect(finding.status).toBe('PASS');
      const check = checkAt(finding, /enableSecretRotation/i, extensionIdOf(ARC, 'akvsecretsprovider'));
      expect(check.observed).toBe('true');
    });

    it('fails on arc when the setting is absent, because rotation is off by default', () => {
      const finding = evaluate([arcCluster({ name: 'arc-03' }), csi(ARC)], ARC, 'DS-03');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/enableSecretRotation/);
      expect(finding.reason).toMatch(/default|unset|off/i);
      expect(checkAt(finding, /enableSecretRotation/i).observed).toBeNull();
    });

    it('fails on aks-arc when the setting is "false"', () => {
      const rows = [aksArcCluster({ name: 'aksarc-03' }), csi(AKS_ARC, { [CSI_ROTATION]: 'false' })];
      const finding = evaluate(rows, AKS_ARC, 'DS-03');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('false');
    });

    it('passes on aks-arc when the setting is true', () => {
      const rows = [aksArcCluster({ name: 'aksarc-03' }), csi(AKS_ARC, { [CSI_ROTATION]: 'true' })];
      expect(evaluate(rows, AKS_ARC, 'DS-03').status).toBe('PASS');
    });
  });

  describe('AKS add-on', () => {
    it('passes when config.enableSecretRotation is "true" (spec example)', () => {
      const finding = evaluate([aksCluster({ name: 'aks-03', from: 'keyvault-addon' })], AKS, 'DS-03');
      expect(finding.status).toBe('PASS');
      const check = checkAt(finding, /enableSecretRotation/i, AKS);
      expect(check.observed).toBe('true');
      expect(check.expected).toContain('true');
    });

    it('fails when config.enableSecretRotation is "false"', () => {
      const cluster = aksCluster({ name: 'aks-03', properties: addon({ enableSecretRotation: 'false' }) });
      const finding = evaluate([cluster], AKS, 'DS-03');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('false');
    });

    it('fails when config.enableSecretRotation is absent', () => {
      const cluster = aksCluster({ name: 'aks-03', properties: addon({ rotationPollInterval: '2m' }) });
      const finding = evaluate([cluster], AKS, 'DS-03');
      expect(finding.status).toBe('FAIL');
      expect(checkAt(finding, /enableSecretRotation/i).observed).toBeNull();
    });

    it('reads a fully lower-cased add-on profile (Resource Graph tolower(properties))', () => {
      const cluster = aksCluster({
        name: 'aks-03',
        properties: addon({ enablesecretrotation: 'true' }, 'azurekeyvaultsecretsprovider'),
      });
      expect(evaluate([asResourceGraphRow(cluster)], AKS, 'DS-03').status).toBe('PASS');
    });
  });

  describe('no vault sync', () => {
    it.each([
      ['arc', ARC, () => arcCluster({ name: 'arc-03' })],
      ['aks-arc', AKS_ARC, () => aksArcCluster({ name: 'aksarc-03' })],
      ['aks', AKS, () => aksCluster({ name: 'aks-03' })],
    ] as const)('is NOT_APPLICABLE on %s, pointing to DS-01', (_kind, id, cluster) => {
      const finding = evaluate([cluster()], id, 'DS-03');
      expect(finding.status).toBe('NOT_APPLICABLE');
      expect(finding.reason).toContain('DS-01');
    });

    it('treats a disabled AKS add-on as no vault sync', () => {
      const cluster = aksCluster({
        name: 'aks-03',
        properties: addon({ enableSecretRotation: 'true' }, 'azureKeyvaultSecretsProvider', false),
      });
      expect(evaluate([cluster], AKS, 'DS-03').status).toBe('NOT_APPLICABLE');
    });
  });

  describe('when SSE and the add-on or extension are both present, SSE decides', () => {
    it('AKS: rotating add-on but SSE polling too slowly → FAIL', () => {
      const rows = [
        aksCluster({ name: 'aks-03', from: 'keyvault-addon' }),
        sse(AKS, { rotationPollIntervalInSeconds: '7200' }),
      ];
      const finding = evaluate(rows, AKS, 'DS-03');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('7200');
      expectSources(finding, extensionIdOf(AKS, 'ssarcextension'));
    });

    it('AKS: add-on without rotation but SSE on the default interval → PASS', () => {
      const rows = [
        aksCluster({ name: 'aks-03', properties: addon({ enableSecretRotation: 'false' }) }),
        sse(AKS, {}),
      ];
      expect(evaluate(rows, AKS, 'DS-03').status).toBe('PASS');
    });

    it('arc: rotating Secrets Provider but SSE polling too slowly → FAIL', () => {
      const rows = [
        arcCluster({ name: 'arc-03' }),
        csi(ARC, { [CSI_ROTATION]: 'true' }),
        sse(ARC, { rotationPollIntervalInSeconds: '7200' }),
      ];
      expect(evaluate(rows, ARC, 'DS-03').status).toBe('FAIL');
    });

    it('aks-arc: Secrets Provider without rotation but SSE within the maximum → PASS', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-03' }),
        csi(AKS_ARC, { [CSI_ROTATION]: 'false' }),
        sse(AKS_ARC, { rotationPollIntervalInSeconds: '1800' }),
      ];
      expect(evaluate(rows, AKS_ARC, 'DS-03').status).toBe('PASS');
    });
  });

  it("marks an Offline arc cluster's verdict stale, naming since when", () => {
    const since = daysBeforeNow(5);
    const rows = [
      arcCluster({
        name: 'arc-03',
        properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
      }),
      sse(ARC, {}),
    ];
    const finding = evaluate(rows, ARC, 'DS-03');
    expect(finding.status).toBe('PASS');
    expect(finding.evidence.stale).toBe(true);
    expect(finding.reason).toContain(since.slice(0, 10));
  });

  it("marks a NOT_APPLICABLE drawn from an Offline cluster's last known extensions stale too", () => {
    const since = daysBeforeNow(9);
    const rows = [
      arcCluster({
        name: 'arc-03',
        properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
      }),
    ];
    const finding = evaluate(rows, ARC, 'DS-03');
    expect(finding.status).toBe('NOT_APPLICABLE');
    expect(finding.evidence.stale).toBe(true);
    expect(finding.reason).toContain(since.slice(0, 10));
  });

  it('is ERROR, never PASS or NOT_APPLICABLE, when the extensions could not be read', () => {
    const finding = evaluate([arcCluster({ name: 'arc-03' })], ARC, 'DS-03', {
      gaps: [{ kind: 'scope', subscriptionId: SUBSCRIPTION, category: 'extensions', reason: 'Forbidden' }],
    });
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toMatch(/extensions/i);
  });
});
