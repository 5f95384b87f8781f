import { describe, expect, it } from 'vitest';

import {
  SUBSCRIPTION,
  type Row,
  aksArcCluster,
  aksCluster,
  arcCluster,
  asResourceGraphRow,
  connectedClusterId,
  managedClusterId,
} from '../support/azureRows.js';
import { daysBeforeNow } from '../support/clock.js';
import { checkAt, evaluate, expectSources } from '../support/scan.js';

const ARC = connectedClusterId('arc-10');
const AKS_ARC = connectedClusterId('aksarc-10');
const AKS = managedClusterId('aks-10');

/** A connected cluster elsewhere in the fleet that sets the newest agent version seen. */
function newestInFleet(version: string): Row {
  return arcCluster({ name: 'fleet-newest', properties: { agentVersion: version } });
}

describe('DS-10 Cluster is connected and its Arc agents are supported', () => {
  it('is a medium-severity control with the catalog title', () => {
    const finding = evaluate([arcCluster({ name: 'arc-10' })], ARC, 'DS-10');
    expect(finding.controlTitle).toBe('Cluster is connected and its Arc agents are supported');
    expect(finding.severity).toBe('medium');
  });

  describe('connectivity', () => {
    it('passes a Connected cluster whose agent is current', () => {
      const finding = evaluate([arcCluster({ name: 'arc-10' })], ARC, 'DS-10');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('Connected');
      expect(finding.reason).toContain('1.31.2');
      const status = checkAt(finding, /connectivityStatus/i, ARC);
      expect(status.observed).toBe('Connected');
      expect(checkAt(finding, /agentVersion/i, ARC).observed).toBe('1.31.2');
      expectSources(finding, ARC);
    });

    it('fails an Expired cluster, saying since when', () => {
      const since = daysBeforeNow(3);
      const rows = [
        arcCluster({
          name: 'arc-10',
          properties: { connectivityStatus: 'Expired', lastConnectivityTime: since },
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Expired');
      expect(finding.reason).toContain(since.slice(0, 10));
      expect(checkAt(finding, /connectivityStatus/i).observed).toBe('Expired');
    });

    it('passes an Offline cluster within the 30-day limit, with the offline time in the reason', () => {
      const since = daysBeforeNow(10);
      const rows = [
        arcCluster({
          name: 'arc-10',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('Offline');
      expect(finding.reason).toContain(since.slice(0, 10));
      expect(finding.reason).toMatch(/10 days/);
      expect(checkAt(finding, /lastConnectivityTime/i, ARC).observed).toBe(since);
    });

    it('passes an Offline cluster exactly at the limit (30 days is not older than 30 days)', () => {
      const rows = [
        arcCluster({
          name: 'arc-10',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: daysBeforeNow(30) },
        }),
      ];
      expect(evaluate(rows, ARC, 'DS-10').status).toBe('PASS');
    });

    it('fails an Offline cluster beyond 30 days, naming the offline date and the limit', () => {
      const since = daysBeforeNow(31);
      const rows = [
        arcCluster({
          name: 'arc-10',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain(since.slice(0, 10));
      expect(finding.reason).toContain('30');
    });

    it('fails an Offline cluster whose last contact is more than 30 days (30½ days) ago', () => {
      const since = daysBeforeNow(30.5);
      const rows = [
        arcCluster({
          name: 'arc-10',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain(since.slice(0, 10));
    });

    it('fails an Offline cluster whose lastConnectivityTime is absent', () => {
      const rows = [
        arcCluster({
          name: 'arc-10',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: undefined },
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/Offline/);
      expect(checkAt(finding, /lastConnectivityTime/i).observed).toBeNull();
    });

    it('compares the connectivity status ignoring case (offline)', () => {
      const rows = [
        arcCluster({
          name: 'arc-10',
          properties: { connectivityStatus: 'offline', lastConnectivityTime: daysBeforeNow(60) },
        }),
      ];
      expect(evaluate(rows, ARC, 'DS-10').status).toBe('FAIL');
    });

    it('applies a configured maximum of days offline (7): 10 days fails', () => {
      const rows = [
        arcCluster({
          name: 'arc-10',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: daysBeforeNow(10) },
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10', { settings: { thresholds: { maxDaysOffline: 7 } } });
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/\b7\b/);
    });

    it('reads PascalCase property keys (ConnectivityStatus, LastConnectivityTime, AgentVersion)', () => {
      const since = daysBeforeNow(40);
      const rows = [
        arcCluster({
          name: 'arc-10',
          properties: {
            connectivityStatus: undefined,
            lastConnectivityTime: undefined,
            agentVersion: undefined,
            ConnectivityStatus: 'Offline',
            LastConnectivityTime: since,
            AgentVersion: '1.31.2',
          },
        }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain(since.slice(0, 10));
    });

    it('is still evaluated when the extensions could not be read (it does not need them)', () => {
      const finding = evaluate([arcCluster({ name: 'arc-10' })], ARC, 'DS-10', {
        gaps: [{ kind: 'scope', subscriptionId: SUBSCRIPTION, category: 'extensions', reason: 'Forbidden' }],
      });
      expect(finding.status).toBe('PASS');
    });

    it('aks-arc: fails when Expired', () => {
      const rows = [aksArcCluster({ name: 'aksarc-10', properties: { connectivityStatus: 'Expired' } })];
      const finding = evaluate(rows, AKS_ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('Expired');
    });

    it('aks-arc: passes when Connected (Resource Graph row)', () => {
      const finding = evaluate([asResourceGraphRow(aksArcCluster({ name: 'aksarc-10' }))], AKS_ARC, 'DS-10');
      expect(finding.status).toBe('PASS');
    });

    it('aks-arc: fails when Offline for more than 30 days', () => {
      const since = daysBeforeNow(45);
      const rows = [
        aksArcCluster({
          name: 'aksarc-10',
          properties: { connectivityStatus: 'Offline', lastConnectivityTime: since },
        }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain(since.slice(0, 10));
    });
  });

  describe('agent version', () => {
    it('passes an agent 2 minor versions behind the newest in the fleet', () => {
      const rows = [
        newestInFleet('1.33.0'),
        arcCluster({ name: 'arc-10', properties: { agentVersion: '1.31.4' } }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('PASS');
      expect(finding.reason).toContain('1.31.4');
    });

    it('fails an agent 3 minor versions behind the newest in the fleet, naming both versions', () => {
      const rows = [
        newestInFleet('1.33.0'),
        arcCluster({ name: 'arc-10', properties: { agentVersion: '1.30.9' } }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('1.30.9');
      expect(finding.reason).toContain('1.33.0');
      const check = checkAt(finding, /agentVersion/i, ARC);
      expect(check.observed).toBe('1.30.9');
      expect(check.expected).toContain('1.33.0');
    });

    it('fails an agent more than 3 minor versions behind', () => {
      const rows = [
        newestInFleet('1.33.0'),
        arcCluster({ name: 'arc-10', properties: { agentVersion: '1.24.1' } }),
      ];
      expect(evaluate(rows, ARC, 'DS-10').status).toBe('FAIL');
    });

    it('counts AKS Arc clusters when finding the newest agent in the fleet', () => {
      const rows = [
        aksArcCluster({ name: 'aksarc-10', properties: { agentVersion: '1.34.1' } }),
        arcCluster({ name: 'arc-10', properties: { agentVersion: '1.31.0' } }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('1.34.1');
    });

    it('aks-arc: fails an agent 3 minor versions behind the fleet', () => {
      const rows = [
        newestInFleet('1.33.2'),
        aksArcCluster({ name: 'aksarc-10', properties: { agentVersion: '1.30.0' } }),
      ];
      const finding = evaluate(rows, AKS_ARC, 'DS-10');
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('1.30.0');
    });

    it('applies a configured number of minor versions allowed behind (0)', () => {
      const rows = [
        newestInFleet('1.33.0'),
        arcCluster({ name: 'arc-10', properties: { agentVersion: '1.32.7' } }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10', {
        settings: { thresholds: { maxAgentMinorVersionsBehind: 0 } },
      });
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('1.32.7');
    });

    it('judges against a configured minimumAgentVersion instead of the fleet: at the minimum passes', () => {
      const rows = [
        newestInFleet('1.35.0'),
        arcCluster({ name: 'arc-10', properties: { agentVersion: '1.30.0' } }),
      ];
      const finding = evaluate(rows, ARC, 'DS-10', {
        settings: { thresholds: { minimumAgentVersion: '1.30' } },
      });
      expect(finding.status).toBe('PASS');
      expect(checkAt(finding, /agentVersion/i).expected).toContain('1.30');
    });

    it('judges against a configured minimumAgentVersion: far below it fails, naming both versions', () => {
      const rows = [arcCluster({ name: 'arc-10', properties: { agentVersion: '1.26.3' } })];
      const finding = evaluate(rows, ARC, 'DS-10', {
        settings: { thresholds: { minimumAgentVersion: '1.30' } },
      });
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toContain('1.26.3');
      expect(finding.reason).toContain('1.30');
    });

    it('judges against a configured minimumAgentVersion: just below the minimum fails', () => {
      const rows = [arcCluster({ name: 'arc-10', properties: { agentVersion: '1.29.9' } })];
      const finding = evaluate(rows, ARC, 'DS-10', {
        settings: { thresholds: { minimumAgentVersion: '1.30' } },
      });
      expect(finding.status).toBe('FAIL');
    });
  });

  describe('missing or malformed data is ERROR', () => {
    it('is ERROR when connectivityStatus is missing, naming it', () => {
      const rows = [arcCluster({ name: 'arc-10', properties: { connectivityStatus: undefined } })];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toContain('connectivityStatus');
      expect(finding.reason).toMatch(/missing/i);
    });

    it.each([['Banana'], [42], [null]])('is ERROR when connectivityStatus is malformed (%s)', (value) => {
      const rows = [arcCluster({ name: 'arc-10', properties: { connectivityStatus: value } })];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toContain('connectivityStatus');
    });

    it('is ERROR when agentVersion is missing, naming it', () => {
      const rows = [arcCluster({ name: 'arc-10', properties: { agentVersion: undefined } })];
      const finding = evaluate(rows, ARC, 'DS-10');
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toContain('agentVersion');
    });

    it.each([['latest'], [1.31], ['']])('is ERROR when agentVersion is malformed (%s)', (value) => {
      const rows = [aksArcCluster({ name: 'aksarc-10', properties: { agentVersion: value } })];
      const finding = evaluate(rows, AKS_ARC, 'DS-10');
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toContain('agentVersion');
    });

    it('is ERROR when the cluster has no properties', () => {
      const finding = evaluate([arcCluster({ name: 'arc-10', rawProperties: null })], ARC, 'DS-10');
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/connectivityStatus|properties/);
    });
  });

  describe('aks', () => {
    it('is NOT_APPLICABLE: AKS runs no Arc agents', () => {
      const finding = evaluate([aksCluster({ name: 'aks-10' })], AKS, 'DS-10');
      expect(finding.status).toBe('NOT_APPLICABLE');
      expect(finding.reason).toMatch(/AKS|Arc agents/);
    });

    it('names the cluster in the NOT_APPLICABLE evidence', () => {
      const finding = evaluate([aksCluster({ name: 'aks-10' })], AKS, 'DS-10');
      expectSources(finding, AKS);
    });
  });
});
