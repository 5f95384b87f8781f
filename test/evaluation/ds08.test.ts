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
  fluxConfiguration,
  fluxConfigurationIdOf,
  managedClusterId,
  resourceGraphExtension,
} from '../support/azureRows.js';
import { daysBeforeNow } from '../support/clock.js';
import { checkAt, evaluate, evidenceText, expectSources } from '../support/scan.js';

const ARC = connectedClusterId('arc-08');
const AKS_ARC = connectedClusterId('aksarc-08');
const AKS = managedClusterId('aks-08');

const flux = (clusterId: string, provisioningState = 'Succeeded') =>
  armExtension(clusterId, { name: 'flux', extensionType: EXTENSION_TYPE.flux, provisioningState });

describe('DS-08 Cluster configuration is recoverable from Git (GitOps)', () => {
  it('is a medium-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-08' })], ARC, 'DS-08');
    expect(finding.controlTitle).toBe('Cluster configuration is recoverable from Git (GitOps)');
    expect(finding.severity).toBe('medium');
  });

  describe('arc', () => {
    it('passes with a healthy Flux extension and a Compliant configuration (spec example)', () => {
      const rows = [
        arcCluster({ name: 'arc-08' }),
        flux(ARC),
        fluxConfiguration(ARC, { name: 'srs-fluxconfig', complianceState: 'Compliant' }),
      ];
      const finding = evaluate(rows, ARC, 'DS-08');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('srs-fluxconfig');
      expect(checkAt(finding, /provisioningState/i, extensionIdOf(ARC, 'flux')).observed).toBe('Succeeded');
      const config = checkAt(finding, /complianceState/i, fluxConfigurationIdOf(ARC, 'srs-fluxconfig'));
      expect(config.observed).toBe('Compliant');
      expect(config.expected).toBe('Compliant');
      expectSources(finding, extensionIdOf(ARC, 'flux'), fluxConfigurationIdOf(ARC, 'srs-fluxconfig'));
    });

    it('passes when at least one of several configurations is Compliant', () => {
      const rows = [
        arcCluster({ name: 'arc-08' }),
        flux(ARC),
        fluxConfiguration(ARC, { name: 'infra', complianceState: 'Non-Compliant' }),
        fluxConfiguration(ARC, { name: 'apps', complianceState: 'Compliant' }),
      ];
      expect(evaluate(rows, ARC, 'DS-08').status).toBe('PASS');
    });

    it('fails when the Flux extension is missing', () => {
      const rows = [
        arcCluster({ name: 'arc-08' }),
        fluxConfiguration(ARC, { name: 'apps', complianceState: 'Compliant' }),
      ];
      const finding = evaluate(rows, ARC, 'DS-08');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/Flux/);
      expect(finding.reason).toMatch(/not installed|missing/i);
      expect(evidenceText(finding)).toContain('microsoft.flux');
    });

    it('fails when the Flux extension is unhealthy, naming its state', () => {
      const rows = [
        arcCluster({ name: 'arc-08' }),
        flux(ARC, 'Failed'),
        fluxConfiguration(ARC, { name: 'apps', complianceState: 'Compliant' }),
      ];
      const finding = evaluate(rows, ARC, 'DS-08');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Failed');
      expect(checkAt(finding, /provisioningState/i, extensionIdOf(ARC, 'flux')).observed).toBe('Failed');
    });

    it('fails when no Flux configuration exists', () => {
      const finding = evaluate([arcCluster({ name: 'arc-08' }), flux(ARC)], ARC, 'DS-08');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/no Flux configuration/i);
    });

    it('fails when none is Compliant, listing the states seen (Non-Compliant spelling)', () => {
      const rows = [
        arcCluster({ name: 'arc-08' }),
        flux(ARC),
        fluxConfiguration(ARC, { name: 'infra', complianceState: 'Non-Compliant' }),
        fluxConfiguration(ARC, { name: 'apps', complianceState: 'Pending' }),
      ];
      const finding = evaluate(rows, ARC, 'DS-08');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Non-Compliant');
      expect(finding.reason).toContain('Pending');
      expect(finding.reason).toContain('infra');
      expect(finding.reason).toContain('apps');
      expect(checkAt(finding, /complianceState/i, fluxConfigurationIdOf(ARC, 'infra')).observed).toBe(
        'Non-Compliant',
      );
    });

    it('does not mistake Non-Compliant for Compliant', () => {
      const rows = [
        arcCluster({ name: 'arc-08' }),
        flux(ARC),
        fluxConfiguration(ARC, { name: 'infra', complianceState: 'Non-Compliant' }),
      ];
      expect(evaluate(rows, ARC, 'DS-08').status).toBe('FAIL');
    });

    it('marks the verdict stale for an Offline cluster, naming since when', () => {
      const since = daysBeforeNow(20);
      const rows = [
        arcCluster({
          name: 'arc-08',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
        }),
        flux(ARC),
        fluxConfiguration(ARC, { name: 'apps', complianceState: 'Compliant' }),
      ];
      const finding = evaluate(rows, ARC, 'DS-08');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.stale).toBe(true);
      expect(finding.reason).toContain(since.slice(0, 10));
    });

    it('is ERROR when the Flux configurations could not be read', () => {
      const finding = evaluate([arcCluster({ name: 'arc-08' }), flux(ARC)], ARC, 'DS-08', {
        gaps: [
          {
            kind: 'scope',
            subscriptionId: SUBSCRIPTION,
            category: 'fluxConfigurations',
            reason: 'BadRequest',
          },
        ],
      });
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/Flux configurations/i);
      expect(finding.reason).toContain('BadRequest');
    });

    it('is ERROR when the extensions could not be read', () => {
      const rows = [
        arcCluster({ name: 'arc-08' }),
        fluxConfiguration(ARC, { name: 'apps', complianceState: 'Compliant' }),
      ];
      const finding = evaluate(rows, ARC, 'DS-08', {
        gaps: [{ kind: 'scope', subscriptionId: SUBSCRIPTION, category: 'extensions', reason: 'Forbidden' }],
      });
      expect(finding.status).toBe('ERROR');
    });
  });

  describe('aks-arc (Resource Graph rows)', () => {
    it('passes with a healthy Flux extension and a compliant configuration, any case', () => {
      const rows = [
        asResourceGraphRow(aksArcCluster({ name: 'aksarc-08' })),
        resourceGraphExtension(AKS_ARC, {
          name: 'flux',
          extensionType: 'Microsoft.Flux',
          provisioningState: 'SUCCEEDED',
        }),
        asResourceGraphRow(
          fluxConfiguration(AKS_ARC, { name: 'cluster-config', complianceState: 'compliant' }),
          {
            lowerCaseId: true,
          },
        ),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-08');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('cluster-config');
    });

    it('reads a Flux configuration whose property keys are PascalCase', () => {
      const config = fluxConfiguration(AKS_ARC, { name: 'cluster-config', complianceState: 'Compliant' });
      const properties = config['properties'] as Record<string, unknown>;
      config['properties'] = {
        ComplianceState: properties['complianceState'],
        ProvisioningState: 'Succeeded',
      };
      const rows = [aksArcCluster({ name: 'aksarc-08' }), flux(AKS_ARC), config];
      expect(evaluate(rows, AKS_ARC, 'DS-08').status).toBe('PASS');
    });

    it('fails when none is compliant, listing the states', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-08' }),
        flux(AKS_ARC),
        fluxConfiguration(AKS_ARC, { name: 'cluster-config', complianceState: 'Suspended' }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-08');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Suspended');
    });

    it('fails when the Flux extension is unhealthy, naming its state', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-08' }),
        flux(AKS_ARC, 'Canceled'),
        fluxConfiguration(AKS_ARC, { name: 'cluster-config', complianceState: 'Compliant' }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-08');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Canceled');
    });

    it('fails when Flux is missing', () => {
      expect(evaluate([aksArcCluster({ name: 'aksarc-08' })], AKS_ARC, 'DS-08').status).toBe('FAIL');
    });
  });

  describe('aks', () => {
    it('passes with a healthy Flux extension and a Compliant configuration', () => {
      const rows = [
        aksCluster({ name: 'aks-08' }),
        flux(AKS),
        fluxConfiguration(AKS, { name: 'baseline', complianceState: 'Compliant' }),
      ];
      const finding = evaluate(rows, AKS, 'DS-08');
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.stale).toBe(false);
    });

    it('fails when the Flux extension is still Creating', () => {
      const rows = [
        aksCluster({ name: 'aks-08' }),
        flux(AKS, 'Creating'),
        fluxConfiguration(AKS, { name: 'baseline', complianceState: 'Compliant' }),
      ];
      const finding = evaluate(rows, AKS, 'DS-08');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Creating');
    });

    it('fails when no configuration exists', () => {
      const finding = evaluate([aksCluster({ name: 'aks-08' }), flux(AKS)], AKS, 'DS-08');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/no Flux configuration/i);
    });
  });
});
