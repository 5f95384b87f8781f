/**
 * The approach the live scan avoids, for the benchmark's comparison: list the extensions and Flux
 * configurations of every cluster through the Kubernetes configuration API, one cluster at a time.
 *   node dist/scripts/listExtensionsPerCluster.js clusters.json   (reads ARM_ENDPOINT, managed identity)
 */
import { readFile } from 'node:fs/promises';

import { SourceControlConfigurationClient } from '@azure/arm-kubernetesconfiguration';
import { DefaultAzureCredential } from '@azure/identity';

import { mapWithConcurrency } from '../shared/collection/boundedConcurrency.js';
import { nameOf, resourceGroupOf, subscriptionOf } from '../shared/inventory/resourceId.js';

const file = process.argv[2];
if (!file) throw new Error('usage: listExtensionsPerCluster clusters.json');
const ids = JSON.parse(await readFile(file, 'utf8')) as string[];
const credential = new DefaultAzureCredential();
const clients = new Map<string, SourceControlConfigurationClient>();
let items = 0;
await mapWithConcurrency(ids, 8, async (id) => {
  const subscription = subscriptionOf(id) ?? '';
  let client = clients.get(subscription);
  if (!client) {
    client = new SourceControlConfigurationClient(credential, subscription, {
      endpoint: process.env.ARM_ENDPOINT,
    });
    clients.set(subscription, client);
  }
  const managed = /managedclusters/i.test(id);
  const args = [
    resourceGroupOf(id) ?? '',
    managed ? 'Microsoft.ContainerService' : 'Microsoft.Kubernetes',
    managed ? 'managedClusters' : 'connectedClusters',
    nameOf(id),
  ] as const;
  for await (const extension of client.extensions.list(...args)) if (extension) items++;
  for await (const configuration of client.fluxConfigurations.list(...args)) if (configuration) items++;
});
process.stdout.write(`${items} items listed for ${ids.length} clusters\n`);
