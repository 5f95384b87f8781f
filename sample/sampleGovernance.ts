import { stringify } from 'yaml';

/**
 * The sample fleet's governance file: a few exceptions (one expiring within days, one expired,
 * one that matches nothing, one on an ERROR finding, which cannot be accepted) and attestations
 * for MANUAL controls Azure cannot observe. Dates are relative to the fleet's as-of time.
 */
const STORES = 'b77901c8-0e14-551d-b793-41f4cb2fd39c';
const PLANTS = '28e571aa-b602-5b62-b124-0538724a66e9';
const PAYMENTS = '27a75ef1-2b2f-5bb9-92c1-c213771d4d4a';
const WORKLOADS = 'b1fca434-4aa9-5a9e-a417-0b0e8c48637c';
const DATA = '51b8fb8f-b9b4-5b67-8e3f-9357705ab3c5';
const DAY_MS = 86_400_000;

const aks = (subscription: string, group: string, name: string): string =>
  `/subscriptions/${subscription}/resourcegroups/${group}/providers/Microsoft.ContainerService/managedClusters/${name}`;

export interface SampleGovernanceDocument {
  exceptions: Array<Record<string, unknown>>;
  attestations: Array<Record<string, unknown>>;
}

export function buildSampleGovernance(asOf: Date): SampleGovernanceDocument {
  const at = (days: number): string => new Date(asOf.getTime() + days * DAY_MS).toISOString();
  return {
    exceptions: [
      {
        id: 'EXC-2026-014',
        control: 'DS-02',
        scope: { resourceGroups: [`/subscriptions/${STORES}/resourceGroups/rg-stores-na`] },
        owner: 'Store platform team (store-platform@contoso.example)',
        justification:
          'North-American store clusters still sync secrets with the CSI Secrets Provider; the move to the Secret Store extension ships with the point-of-sale upgrade.',
        ticket: 'STORE-412',
        expires: at(10),
      },
      {
        id: 'EXC-2026-021',
        control: 'DS-08',
        scope: { clusters: [aks(PAYMENTS, 'rg-payments-dr', 'payments-dr-aks')] },
        owner: 'Payments SRE',
        justification:
          'The disaster-recovery cluster is rebuilt from the production pipeline; GitOps onboarding follows the PCI change freeze.',
        ticket: 'PAY-2231',
        expires: at(120),
      },
      {
        id: 'EXC-2026-003',
        control: 'DS-01',
        scope: { clusters: [aks(DATA, 'rg-data-dev', 'reporting-dev-aks')] },
        owner: 'Data engineering',
        justification:
          'Development cluster used connection strings in Kubernetes secrets until the vault migration.',
        expires: at(-5),
      },
      {
        id: 'EXC-2026-030',
        control: 'DS-06',
        scope: { subscriptions: [PLANTS], kinds: ['aks'] },
        owner: 'Plant IT',
        justification:
          'Planned AKS clusters at the plants would keep node-local volumes unencrypted during the pilot.',
        expires: at(60),
      },
      {
        id: 'EXC-2026-040',
        control: 'DS-06',
        scope: { clusters: [aks(DATA, 'rg-finance-bi', 'finance-reporting-aks')] },
        owner: 'Finance BI',
        justification: 'Volumes hold only public reference data.',
        expires: at(90),
      },
    ],
    attestations: [
      {
        id: 'ATT-2026-101',
        control: 'DS-04',
        scope: { subscriptions: [STORES], kinds: ['arc'] },
        result: 'PASS',
        attestedBy: 'Priya Raman, store platform lead',
        statement:
          'Every store k3s cluster encrypts secrets at rest with the KMS v2 plugin backed by the store HSM; checked with the encryption-config runbook on each cluster.',
        evidence: [
          {
            title: 'Runbook output, November review',
            url: 'https://wiki.contoso.example/stores/kms-review-2026-11',
          },
          {
            title: 'encryption-config.yaml as deployed',
            sha256: '3f786850e387550fdab836ed7e6dc881de23001b0c7b1d56bd0ab7c1e3a3c4b1',
          },
        ],
        attestedAt: at(-20),
        expires: at(160),
      },
      {
        id: 'ATT-2026-102',
        control: 'DS-05',
        scope: { resourceGroups: [`/subscriptions/${STORES}/resourceGroups/rg-stores-emea`] },
        result: 'PASS',
        attestedBy: 'Priya Raman, store platform lead',
        statement:
          'etcd listens on localhost only with client certificate authentication on the EMEA store clusters.',
        evidence: [{ title: 'k3s server flags', url: 'https://wiki.contoso.example/stores/etcd-mtls' }],
        attestedAt: at(-20),
        expires: at(160),
      },
      {
        id: 'ATT-2026-103',
        control: 'DS-09',
        scope: { clusters: [aks(WORKLOADS, 'rg-platform-aks', 'platform-tools-aks')] },
        result: 'FAIL',
        attestedBy: 'Tom Becker, platform engineering',
        statement:
          'The restore test of the tools cluster failed: the Velero bucket had no snapshots for 12 days.',
        evidence: [
          { title: 'Restore test report', url: 'https://wiki.contoso.example/platform/restore-test-2026-11' },
        ],
        attestedAt: at(-3),
        expires: at(90),
      },
      {
        id: 'ATT-2026-104',
        control: 'DS-07',
        scope: { kinds: ['aks'] },
        result: 'PASS',
        attestedBy: 'Aiko Tanaka, security architecture',
        statement:
          'Every AKS workload terminates TLS at the ingress and in the mesh (mTLS STRICT); verified from the mesh policy.',
        evidence: [
          {
            title: 'Mesh peer authentication policy',
            url: 'https://wiki.contoso.example/security/mesh-mtls',
          },
        ],
        attestedAt: at(-30),
        expires: at(300),
      },
    ],
  };
}

/** The as-of time of the checked-in sample (sample/fleet.governance.yaml). */
export const SAMPLE_GOVERNANCE_AS_OF = new Date('2026-11-20T06:00:00Z');

/** The governance file as shipped beside the sample fleet. */
export function renderSampleGovernance(asOf: Date): string {
  return (
    `# Exceptions and attestations of the sample fleet as of ${asOf.toISOString()}\n` +
    `# (npm run scan -- --inventory sample/fleet/*.json --governance sample/fleet.governance.yaml --as-of ${asOf.toISOString()})\n` +
    stringify(buildSampleGovernance(asOf), { lineWidth: 0 })
  );
}
