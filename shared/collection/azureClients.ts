import { getClient } from '@azure-rest/core-client';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { SourceControlConfigurationClient } from '@azure/arm-kubernetesconfiguration';
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';

import type { LiveSettings } from '../settings/liveSettings.js';
import { restArmReader, type ArmReader } from './armReader.js';
import { sdkResourceGraphTransport, type ResourceGraphTransport } from './resourceGraphTransport.js';

export interface AzureClients {
  credential: TokenCredential;
  graph: ResourceGraphTransport;
  arm: ArmReader;
  /** Kubernetes configuration client for one subscription (single-cluster checks). */
  kubernetesConfiguration(subscriptionId: string): SourceControlConfigurationClient;
}

/**
 * The real SDK clients against `ARM_ENDPOINT`, authenticated by `@azure/identity`'s default chain
 * (managed identity in Azure, developer sign-in locally). Their own retry policies are off: the
 * collection layer retries, paces and counts every request itself.
 */
export function createAzureClients(settings: LiveSettings): AzureClients {
  const credential = new DefaultAzureCredential(
    settings.managedIdentityClientId ? { managedIdentityClientId: settings.managedIdentityClientId } : {},
  );
  const noRetries = { maxRetries: 0 };
  const graphClient = new ResourceGraphClient(credential, {
    endpoint: settings.armEndpoint,
    credentials: { scopes: [settings.armScope] },
    retryOptions: noRetries,
  });
  const restClient = getClient(settings.armEndpoint, credential, {
    credentials: { scopes: [settings.armScope] },
    retryOptions: noRetries,
  });
  return {
    credential,
    graph: sdkResourceGraphTransport(graphClient),
    arm: restArmReader(restClient, settings.armEndpoint),
    kubernetesConfiguration: (subscriptionId) =>
      new SourceControlConfigurationClient(credential, subscriptionId, {
        endpoint: settings.armEndpoint,
        credentialScopes: [settings.armScope],
        retryOptions: noRetries,
      }),
  };
}
