import type { EvidenceCheck } from '../catalog/types.js';
import { equalsCi } from '../inventory/caseInsensitive.js';
import type { ClusterFacts, ExtensionFact } from '../inventory/clusterFacts.js';
import { check } from './verdict.js';

/** Extension types the controls read (docs/controls/), lower case. */
export const EXTENSION_TYPES = {
  secretStore: ['microsoft.azure.secretstore'],
  secretsProvider: ['microsoft.azurekeyvaultsecretsprovider'],
  flux: ['microsoft.flux'],
  backup: ['microsoft.dataprotection.kubernetes'],
  containerStorage: ['microsoft.arc.containerstorage', 'microsoft.edgestorageaccelerator'],
  serviceMesh: ['microsoft.openservicemesh'],
} as const;

export type ExtensionCapability = keyof typeof EXTENSION_TYPES;

export const EXTENSION_LABELS: Record<ExtensionCapability, string> = {
  secretStore: 'Secret Store extension',
  secretsProvider: 'Key Vault Secrets Provider extension',
  flux: 'Flux extension',
  backup: 'Azure Backup extension',
  containerStorage: 'Azure Container Storage extension',
  serviceMesh: 'Open Service Mesh extension',
};

export function isHealthy(extension: ExtensionFact): boolean {
  return equalsCi(extension.provisioningState, 'Succeeded');
}

/** The extensions of one capability; a healthy one first when there are several. */
export function extensionsOf(cluster: ClusterFacts, capability: ExtensionCapability): ExtensionFact[] {
  const types: readonly string[] = EXTENSION_TYPES[capability];
  const found = cluster.extensions.filter((extension) => types.includes(extension.extensionType));
  return found.sort((a, b) => Number(isHealthy(b)) - Number(isHealthy(a)));
}

/** "Secret Store extension ssarcextension (provisioning state Failed)". */
export function describeExtension(capability: ExtensionCapability, extension: ExtensionFact): string {
  return `${EXTENSION_LABELS[capability]} ${extension.name} (provisioning state ${extension.provisioningState ?? 'missing'})`;
}

/** The provisioning state, at the path it was read from (`properties.provisioningState` or top level). */
export function healthCheck(extension: ExtensionFact): EvidenceCheck {
  const state = extension.field('provisioningState');
  return check(extension.id, state.path, state.value, 'Succeeded');
}

/**
 * Evidence that a capability is absent: the extension types looked for among the cluster's
 * extensions, with the path each was read from (`properties.extensionType` for ARM and Resource
 * Graph rows, `extensionType` at the top level of `az k8s-extension show` output).
 */
export function absenceCheck(cluster: ClusterFacts, capability: ExtensionCapability): EvidenceCheck {
  const paths = [...new Set(cluster.extensions.map((extension) => extension.field('extensionType').path))];
  return check(
    cluster.id,
    paths.length === 0 ? 'extensions[]' : paths.map((path) => `extensions[].${path}`).join(' | '),
    cluster.extensions.map((extension) => extension.extensionType || '(none)'),
    `one of ${EXTENSION_TYPES[capability].join(', ')}`,
  );
}
