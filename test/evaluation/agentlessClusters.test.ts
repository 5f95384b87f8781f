/**
 * Arc agentless connections (top-level kind AWS or GCP, connectivityStatus AgentNotInstalled, no
 * agentVersion) run no Arc agents and so no cluster extensions. They get the one verdict per control
 * the catalog declares for them, with a reason naming the agentless connection, never a FAIL for a
 * missing extension or an ERROR for a missing agent version.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { controlById } from '../../shared/catalog/controls.js';
import { CONTROL_IDS } from '../../shared/catalog/types.js';
import { attestationFor } from '../../shared/reports/attestationQueue.js';
import {
  EXTENSION_TYPE,
  arcCluster,
  armExtension,
  asResourceGraphRow,
  connectedClusterId,
  fixtureBody,
  type Row,
} from '../support/azureRows.js';
import { checkAt, findingOf, scan } from '../support/scan.js';

const EXAMPLE = 'connectedClusters_createAgentless_kindAWS_2024-12-01-preview.json';

function randomCase(text: string, bits: readonly boolean[]): string {
  return [...text].map((c, i) => (bits[i % bits.length] ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** The agentless example, renamed, with its kind and status spelt as given. */
function agentless(name: string, kind = 'AWS', status = 'AgentNotInstalled'): Row {
  const body = fixtureBody(EXAMPLE);
  body['id'] = connectedClusterId(name);
  body['name'] = name;
  body['kind'] = kind;
  (body['properties'] as Row)['connectivityStatus'] = status;
  return body;
}

describe('Arc agentless connections', () => {
  it('the 2024-12-01-preview example (kind AWS) gets the catalog verdict for every control, each naming the agentless connection', () => {
    const id = connectedClusterId('eks-agentless');
    const result = scan([agentless('eks-agentless')]);
    for (const controlId of CONTROL_IDS) {
      const finding = findingOf(result, id, controlId);
      expect([finding.status], `${controlId}: ${finding.reason}`).toEqual(
        controlById(controlId).outcomes['arc-agentless'],
      );
      expect(finding.clusterKind).toBe('arc');
      expect(finding.reason).toContain(
        'agentless connection (kind AWS, connectivityStatus AgentNotInstalled)',
      );
      expect(finding.evidence.stale).toBe(false);
      expect(checkAt(finding, /^kind$/).observed).toBe('AWS');
      expect(checkAt(finding, /^properties\.connectivityStatus$/).observed).toBe('AgentNotInstalled');
      // A MANUAL verdict says what to attest for an agentless connection (the catalog's text).
      expect(finding.evidence.verification).toBe(
        finding.status === 'MANUAL' ? controlById(controlId).attestation['arc-agentless'] : undefined,
      );
      if (finding.status === 'MANUAL') {
        // The workbook's "What to confirm" is the agentless text, not the one for agent-based Arc clusters.
        expect(attestationFor(finding)).toBe(controlById(controlId).attestation['arc-agentless']);
      }
    }
    expect(findingOf(result, id, 'DS-01').status).toBe('MANUAL');
    expect(findingOf(result, id, 'DS-02').status).toBe('NOT_APPLICABLE');
    expect(findingOf(result, id, 'DS-08').status).toBe('MANUAL');
    expect(findingOf(result, id, 'DS-10').status).toBe('NOT_APPLICABLE');
    expect(result.run.inventoryWarnings).toEqual([]);
  });

  it('the same for kind GCP, any casing of kind and status, as ARM or Resource Graph rows', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('AWS', 'GCP'),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 17 }),
        fc.boolean(),
        (kind, bits, graph) => {
          const arm = agentless(
            'connected-elsewhere',
            randomCase(kind, bits),
            randomCase('AgentNotInstalled', bits),
          );
          const row = graph ? asResourceGraphRow(arm) : arm;
          const result = scan([row]);
          for (const controlId of CONTROL_IDS) {
            const finding = findingOf(result, connectedClusterId('connected-elsewhere'), controlId);
            expect([finding.status]).toEqual(controlById(controlId).outcomes['arc-agentless']);
            expect(finding.reason).toMatch(/agentless connection \(kind (AWS|GCP)/i);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('does not count towards the fleet agent baseline nor fail it', () => {
    const result = scan([
      agentless('eks-agentless'),
      arcCluster({ name: 'k3s-01', properties: { agentVersion: '1.31.2' } }),
    ]);
    expect(findingOf(result, connectedClusterId('k3s-01'), 'DS-10').status).toBe('PASS');
  });

  it('a cluster of kind AWS whose agent is installed and connected is judged as any Arc cluster', () => {
    const rows = [
      arcCluster({ name: 'eks-with-agent', properties: { agentVersion: '1.31.2' } }),
      armExtension(connectedClusterId('eks-with-agent'), {
        name: 'flux',
        extensionType: EXTENSION_TYPE.flux,
      }),
    ];
    (rows[0] as Row)['kind'] = 'AWS';
    const result = scan(rows);
    const id = connectedClusterId('eks-with-agent');
    expect(findingOf(result, id, 'DS-10').status).toBe('PASS');
    expect(findingOf(result, id, 'DS-01').status).toBe('FAIL');
    expect(findingOf(result, id, 'DS-08').reason).not.toContain('agentless');
  });

  it('AgentNotInstalled on a cluster that is not an agentless connection FAILs DS-10, saying no agent is installed', () => {
    for (const kind of [undefined, '', 'Kubernetes', 'Azure']) {
      const row = arcCluster({ name: 'no-agent', properties: { connectivityStatus: 'AgentNotInstalled' } });
      if (kind === undefined) delete row['kind'];
      else row['kind'] = kind;
      const finding = findingOf(scan([row]), connectedClusterId('no-agent'), 'DS-10');
      expect(finding.status, finding.reason).toBe('FAIL');
      expect(finding.reason).toMatch(/no Arc agent is installed/i);
    }
  });

  it('a malformed status on a kind AWS cluster is not taken for an agentless connection', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.array(fc.string(), { maxLength: 2 }),
          fc.constantFrom('', 'Agent Not Installed'),
        ),
        (status) => {
          const row = agentless('eks-odd', 'AWS');
          (row['properties'] as Row)['connectivityStatus'] = status;
          const finding = findingOf(scan([row]), connectedClusterId('eks-odd'), 'DS-10');
          expect(finding.status, finding.reason).toBe('ERROR');
          expect(finding.reason).not.toContain('agentless');
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a kind or status given twice in different letter case with different values is not taken for an agentless connection: ERROR, never PASS', () => {
    const twins: [string, (row: Row) => void][] = [
      ['status', (row) => ((row['properties'] as Row)['CONNECTIVITYSTATUS'] = 'Connected')],
      ['kind', (row) => (row['KIND'] = 'ProvisionedCluster')],
    ];
    for (const [what, twin] of twins) {
      const row = agentless('eks-twin', 'AWS');
      twin(row);
      const result = scan([row]);
      for (const controlId of ['DS-10', 'DS-02'] as const) {
        const finding = findingOf(result, connectedClusterId('eks-twin'), controlId);
        expect(finding.status, `${what} ${controlId}: ${finding.reason}`).not.toBe('PASS');
        expect(finding.reason, what).not.toContain('agentless connection');
      }
      expect(findingOf(result, connectedClusterId('eks-twin'), 'DS-10').status, what).toBe('ERROR');
    }
  });
});
