import { getCi, getPathCi, isJsonObject, readBoolean } from '../inventory/caseInsensitive.js';
import type { ClusterFacts } from '../inventory/clusterFacts.js';

export interface SecretsProviderAddon {
  /** Path of the add-on as found, e.g. `properties.addonProfiles.azurekeyvaultsecretsprovider`. */
  path: string;
  enabledRaw: unknown;
  enabled: boolean;
  /** `config.enableSecretRotation`, read when asked for (DS-03 reads it, DS-01 does not). */
  readonly rotationRaw: unknown;
}

/** The AKS azureKeyvaultSecretsProvider add-on (key in any casing); undefined when the profile is absent. */
export function secretsProviderAddon(cluster: ClusterFacts): SecretsProviderAddon | undefined {
  const profiles = getCi(cluster.properties, 'addonProfiles');
  if (!isJsonObject(profiles)) return undefined;
  const key = Object.keys(profiles).find(
    (candidate) => candidate.toLowerCase() === 'azurekeyvaultsecretsprovider',
  );
  if (key === undefined) return undefined;
  const profile = profiles[key];
  const enabledRaw = getCi(profile, 'enabled');
  return {
    path: `properties.addonProfiles.${key}`,
    enabledRaw,
    enabled: readBoolean(enabledRaw) === true,
    get rotationRaw() {
      return getPathCi(profile, ['config', 'enableSecretRotation']);
    },
  };
}
