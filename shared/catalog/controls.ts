import type { ClusterKind, ControlId, OutcomeScope, Severity, Status } from './types.js';

/** A control of the catalog: what a person reads about it. Evaluation lives in evaluation/controls. */
export interface ControlDefinition {
  id: ControlId;
  /**
   * The version of the control's verdict rules: a change to what verdict a cluster gets (the
   * evaluator, its thresholds or its reachable outcomes) bumps it, with a line in CHANGELOG.md.
   * Every finding carries it, so verdicts of different rule versions are never compared unawares.
   */
  version: number;
  title: string;
  severity: Severity;
  /** The guide section the control comes from. */
  section: 'vault' | 'secret-store' | 'workload-data' | 'recovery' | 'platform';
  objective: string;
  /** How to fix a failure, per kind (absent where the kind cannot fail). */
  remediation: Partial<Record<ClusterKind, string>>;
  /** What a person must confirm when the verdict is MANUAL, per kind (and for agentless connections). */
  attestation: Partial<Record<OutcomeScope, string>>;
  /**
   * The verdicts each kind can reach from well-formed data (ERROR, from missing or unreadable
   * data, is possible beyond these), and the one verdict of an agentless Arc connection. The
   * sample-fleet test proves each one is reached and nothing else is.
   */
  outcomes: Record<OutcomeScope, readonly Status[]>;
}

export const CATALOG_VERSION = '1';

/** The catalog's controls as a range, first to last: `DS-01 … DS-10`. */
export function controlRange(): string {
  const ids = CONTROLS.map((control) => control.id);
  return ids.length > 1 ? `${ids[0]} … ${ids.at(-1)}` : (ids[0] ?? '');
}

export const CONTROLS: readonly ControlDefinition[] = [
  {
    id: 'DS-01',
    version: 1,
    title: 'Secrets are sourced from Azure Key Vault',
    severity: 'high',
    section: 'vault',
    objective: 'Application secrets live in Azure Key Vault and reach the cluster through a supported sync.',
    remediation: {
      arc: 'Install the Secret Store extension (microsoft.azure.secretstore) and make sure it provisions successfully.',
      'aks-arc':
        'Install the Secret Store extension (microsoft.azure.secretstore) and make sure it provisions successfully.',
      aks: 'Enable the azureKeyvaultSecretsProvider add-on (az aks enable-addons --addons azure-keyvault-secrets-provider).',
    },
    attestation: {
      'arc-agentless':
        "Confirm how the cluster's workloads receive secrets from Azure Key Vault (or the cloud's own vault) without Arc extensions, and record which sync is used.",
    },
    outcomes: {
      arc: ['PASS', 'FAIL'],
      'aks-arc': ['PASS', 'FAIL'],
      aks: ['PASS', 'FAIL'],
      'arc-agentless': ['MANUAL'],
    },
  },
  {
    id: 'DS-02',
    version: 1,
    title: 'Secrets stay available while the cluster is disconnected',
    severity: 'medium',
    section: 'vault',
    objective:
      'On-premises clusters keep synced copies of vault secrets in their own secret store, so pods start while the cloud link is down.',
    remediation: {
      arc: 'Use the Secret Store extension (SSE) rather than the CSI-only Secrets Provider; migrate per the SSE migration guide.',
      'aks-arc':
        'Use the Secret Store extension (SSE) rather than the CSI-only Secrets Provider; migrate per the SSE migration guide.',
    },
    attestation: {},
    outcomes: {
      arc: ['PASS', 'FAIL'],
      'aks-arc': ['PASS', 'FAIL'],
      aks: ['NOT_APPLICABLE'],
      'arc-agentless': ['NOT_APPLICABLE'],
    },
  },
  {
    id: 'DS-03',
    version: 1,
    title: 'Synced secrets are rotated from the vault',
    severity: 'medium',
    section: 'vault',
    objective: 'Secret changes in the vault reach the cluster within the accepted rotation interval.',
    remediation: {
      arc: 'SSE: set rotationPollIntervalInSeconds within the maximum. Secrets Provider: set secrets-store-csi-driver.enableSecretRotation=true.',
      'aks-arc':
        'SSE: set rotationPollIntervalInSeconds within the maximum. Secrets Provider: set secrets-store-csi-driver.enableSecretRotation=true.',
      aks: 'az aks addon update --addon azure-keyvault-secrets-provider --enable-secret-rotation.',
    },
    attestation: {
      'arc-agentless':
        'Confirm that the secret sync recorded for DS-01 picks up vault changes within the maximum rotation interval.',
    },
    outcomes: {
      arc: ['PASS', 'FAIL', 'NOT_APPLICABLE'],
      'aks-arc': ['PASS', 'FAIL', 'NOT_APPLICABLE'],
      aks: ['PASS', 'FAIL', 'NOT_APPLICABLE'],
      'arc-agentless': ['MANUAL'],
    },
  },
  {
    id: 'DS-04',
    version: 1,
    title: 'Kubernetes secrets are encrypted at rest with a KMS provider',
    severity: 'high',
    section: 'secret-store',
    objective: 'The Kubernetes secret store (etcd) is encrypted with a key held outside the cluster.',
    remediation: {
      aks: 'Enable KMS etcd encryption with Azure Key Vault (az aks update --enable-azure-keyvault-kms) or KMS infrastructure encryption.',
    },
    attestation: {
      arc: "Confirm the distribution encrypts Secrets at rest with a KMS provider per the vendor's guidance (the API server's EncryptionConfiguration lists a kms provider first).",
      'arc-agentless':
        "Confirm the cloud provider's cluster encrypts Secrets at rest with a KMS key (for example EKS envelope encryption or GKE application-layer secrets encryption).",
    },
    outcomes: { arc: ['MANUAL'], 'aks-arc': ['PASS'], aks: ['PASS', 'FAIL'], 'arc-agentless': ['MANUAL'] },
  },
  {
    id: 'DS-05',
    version: 1,
    title: 'The cluster store (etcd) is access-restricted and uses mutual TLS',
    severity: 'high',
    section: 'secret-store',
    objective: 'Only the API server can reach etcd, over mutually authenticated TLS.',
    remediation: {},
    attestation: {
      arc: 'Confirm etcd listens only to the API server, with --client-cert-auth=true, --peer-client-cert-auth=true and a dedicated CA.',
      'arc-agentless':
        'Confirm the cloud provider operates etcd for this managed cluster, or, for a self-managed control plane, that etcd listens only to the API server with mutual TLS.',
    },
    outcomes: { arc: ['MANUAL'], 'aks-arc': ['PASS'], aks: ['NOT_APPLICABLE'], 'arc-agentless': ['MANUAL'] },
  },
  {
    id: 'DS-06',
    version: 1,
    title: 'Workload volumes are encrypted at rest',
    severity: 'high',
    section: 'workload-data',
    objective:
      'Volumes that hold workload data are encrypted at rest (BitLocker on Azure Local, host encryption on AKS).',
    remediation: {
      'aks-arc': 'Enable BitLocker data-at-rest encryption on the hosting Azure Local cluster volumes.',
      aks: 'Enable encryption at host on every agent pool (--enable-encryption-at-host; requires recreating the pool).',
    },
    attestation: {
      arc: 'Confirm the nodes encrypt the disks that hold persistent volumes (for example LUKS or BitLocker) and record how.',
      'aks-arc':
        'Confirm on the hosting Azure Local cluster that BitLocker protects the cluster volumes (Get-AzsSecurity or Windows Admin Center).',
      'arc-agentless':
        "Confirm the cloud provider encrypts the disks behind the cluster's persistent volumes and record the key used.",
    },
    outcomes: {
      arc: ['MANUAL'],
      'aks-arc': ['PASS', 'FAIL', 'MANUAL'],
      aks: ['PASS', 'FAIL'],
      'arc-agentless': ['MANUAL'],
    },
  },
  {
    id: 'DS-07',
    version: 1,
    title: 'Data in transit is protected',
    severity: 'medium',
    section: 'workload-data',
    objective: 'Traffic between workloads and nodes is encrypted.',
    remediation: {
      'aks-arc':
        'Enable data-in-transit protection (SMB encryption for intra-cluster traffic) on the hosting Azure Local cluster.',
    },
    attestation: {
      arc: 'Confirm a service mesh with mutual TLS (or an encrypting CNI) protects pod-to-pod traffic, and record which.',
      'aks-arc': 'Confirm data-in-transit protection on the hosting Azure Local cluster.',
      aks: 'Confirm an in-cluster mesh or WireGuard encryption protects pod-to-pod traffic, and record which.',
      'arc-agentless':
        'Confirm a service mesh with mutual TLS (or an encrypting CNI) protects pod-to-pod traffic, and record which.',
    },
    outcomes: {
      arc: ['PASS', 'MANUAL'],
      'aks-arc': ['PASS', 'FAIL', 'MANUAL'],
      aks: ['PASS', 'MANUAL'],
      'arc-agentless': ['MANUAL'],
    },
  },
  {
    id: 'DS-08',
    version: 1,
    title: 'Cluster configuration is recoverable from Git (GitOps)',
    severity: 'medium',
    section: 'recovery',
    objective:
      'The cluster can be rebuilt from Git: Flux is installed, healthy and in sync with at least one source.',
    remediation: {
      arc: 'Install the Flux extension (microsoft.flux) and create a Flux configuration; fix reconciliation errors until it is Compliant.',
      'aks-arc':
        'Install the Flux extension (microsoft.flux) and create a Flux configuration; fix reconciliation errors until it is Compliant.',
      aks: 'Install the Flux extension (microsoft.flux) and create a Flux configuration; fix reconciliation errors until it is Compliant.',
    },
    attestation: {
      'arc-agentless':
        'Confirm the cluster configuration is reconciled from Git by a GitOps tool installed without Arc (for example Flux or Argo CD) and record the repository.',
    },
    outcomes: {
      arc: ['PASS', 'FAIL'],
      'aks-arc': ['PASS', 'FAIL'],
      aks: ['PASS', 'FAIL'],
      'arc-agentless': ['MANUAL'],
    },
  },
  {
    id: 'DS-09',
    version: 1,
    title: 'Workload data is backed up or synchronised to the cloud',
    severity: 'high',
    section: 'recovery',
    objective:
      'Data that lives only in the cluster can be restored: Azure Backup protects it or it is synchronised to the cloud.',
    remediation: {
      arc: 'Install Azure Backup for Kubernetes and configure a backup instance, or synchronise data with Azure Container Storage enabled by Azure Arc.',
      'aks-arc':
        'Install Azure Backup for Kubernetes and configure a backup instance, or synchronise data with Azure Container Storage enabled by Azure Arc.',
      aks: 'Install the Azure Backup extension and configure a backup instance for the cluster in a Backup vault.',
    },
    attestation: {
      arc: 'Confirm a backup tool (for example Velero) backs up the cluster on a schedule and that a restore was tested.',
      'aks-arc':
        'Confirm a backup tool (for example Velero) backs up the cluster on a schedule and that a restore was tested.',
      aks: 'Confirm a backup tool (for example Velero) backs up the cluster on a schedule and that a restore was tested.',
      'arc-agentless':
        "Confirm a backup tool (for example Velero or the cloud provider's backup service) backs up the cluster on a schedule and that a restore was tested.",
    },
    outcomes: {
      arc: ['PASS', 'FAIL', 'MANUAL'],
      'aks-arc': ['PASS', 'FAIL', 'MANUAL'],
      aks: ['PASS', 'FAIL', 'MANUAL'],
      'arc-agentless': ['MANUAL'],
    },
  },
  {
    id: 'DS-10',
    version: 1,
    title: 'Cluster is connected and its Arc agents are supported',
    severity: 'medium',
    section: 'platform',
    objective:
      'The cluster reports to Azure and runs Arc agents inside the supported window, so the evidence above is current.',
    remediation: {
      arc: 'Restore connectivity (az connectedk8s troubleshoot) and upgrade the agents (az connectedk8s upgrade) or enable auto-upgrade.',
      'aks-arc': 'Restore connectivity of the AKS Arc cluster and upgrade its Arc agents.',
    },
    attestation: {},
    outcomes: {
      arc: ['PASS', 'FAIL'],
      'aks-arc': ['PASS', 'FAIL'],
      aks: ['NOT_APPLICABLE'],
      'arc-agentless': ['NOT_APPLICABLE'],
    },
  },
];

const BY_ID = new Map(CONTROLS.map((control) => [control.id, control]));

export function controlById(id: ControlId): ControlDefinition {
  const control = BY_ID.get(id);
  if (!control) throw new RangeError(`unknown control ${id}`);
  return control;
}
