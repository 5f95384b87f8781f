import type { EvidenceCheck } from '../catalog/types.js';
import { equalsCi } from '../inventory/caseInsensitive.js';
import type { ClusterFacts, ExtensionFact } from '../inventory/clusterFacts.js';
import { check } from './verdict.js';

/** Extension types of controls.md, lower case. */
export const EXTENSION_TYPES = {
  secretStore: ['microsoft.azure.secretstore'],
  secretsProvider: ['microsoft.azurekeyvaultsecretsprovider'],
  flux: ['microsoft.flux'],
  backup: ['microsoft.dataprotection.kubernetes'],
  containerStorage: ['microsoft.arc.containerstorage', 'microsoft.edgestorageaccelerator'],
  serviceMesh: ['microsoft.openservicemesh'],
} as const;

export const EXTENSION_LABELS: Record<keyof typeof EXTENSION_TYPES, string> = {
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
export function extensionsOf(
  cluster: ClusterFacts,
  capability: keyof typeof EXTENSION_TYPES,
): ExtensionFact[] {
  const types: readonly string[] = EXTENSION_TYPES[capability];
  const found = cluster.extensions.filter((extension) => types.includes(extension.extensionType));
  return found.sort((a, b) => Number(isHealthy(b)) - Number(isHealthy(a)));
}

/** "Secret Store extension ssarcextension (provisioning state Failed)". */
export function describeExtension(
  capability: keyof typeof EXTENSION_TYPES,
  extension: ExtensionFact,
): string {
  return `${EXTENSION_LABELS[capability]} ${extension.name} (provisioning state ${extension.provisioningState ?? 'missing'})`;
}

export function healthCheck(extension: ExtensionFact): EvidenceCheck {
  return check(extension.id, 'properties.provisioningState', extension.provisioningState, 'Succeeded');
}

/** Evidence that a capability is absent: the extension types looked for among the cluster's extensions. */
export function absenceCheck(cluster: ClusterFacts, capability: keyof typeof EXTENSION_TYPES): EvidenceCheck {
  return check(
    cluster.id,
    'extensions[].properties.extensionType',
    cluster.extensions.map((extension) => extension.extensionType || '(none)'),
    `one of ${EXTENSION_TYPES[capability].join(', ')}`,
  );
}
