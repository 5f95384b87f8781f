import { getCi, getStringCi } from './caseInsensitive.js';
import type { AzureLocalLink } from './clusterFacts.js';
import { resourceGroupKey, type FleetIndex } from './fleetIndex.js';
import type { InventoryResource } from './inventoryResource.js';
import { idKey, resourceGroupOf, subscriptionOf, typeOfId } from './resourceId.js';
import { RESOURCE_TYPES } from './resourceTypes.js';

const INSTANCE_SUFFIX = '/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default';
const SECURITY_SETTINGS_SUFFIX = '/securitySettings/default';

type Candidates = { ids: string[]; trail: string[] };

/** Rule 2: custom location → its cluster extensions → `HCIClusterID` → Azure Local cluster. */
function candidatesFromClusterExtensions(customLocation: InventoryResource, index: FleetIndex): Candidates {
  const trail: string[] = [];
  const found = new Map<string, string>();
  const extensionIds = getCi(customLocation.properties, 'clusterExtensionIds');
  const ids = Array.isArray(extensionIds)
    ? extensionIds.filter((x): x is string => typeof x === 'string')
    : [];
  if (ids.length === 0) trail.push(`custom location ${customLocation.id} lists no clusterExtensionIds`);
  for (const extensionId of ids) {
    const extension = index.byKey.get(idKey(extensionId));
    if (!extension) {
      trail.push(`cluster extension ${extensionId} is not in the inventory`);
      continue;
    }
    const settings = getCi(extension.properties, 'configurationSettings');
    const hciClusterId = getStringCi(settings, ['HCIClusterID'])?.trim();
    if (!hciClusterId) continue;
    const byId = index.byKey.get(idKey(hciClusterId));
    const byCloudId = index.azureLocalByCloudId.get(hciClusterId.toLowerCase());
    if (byId?.type === RESOURCE_TYPES.azureLocalCluster) {
      found.set(byId.key, byId.id);
      trail.push(`${extensionId} HCIClusterID matches Azure Local cluster ${byId.id}`);
    } else if (byCloudId) {
      found.set(byCloudId.key, byCloudId.id);
      trail.push(`${extensionId} HCIClusterID matches the cloudId of Azure Local cluster ${byCloudId.id}`);
    } else if (typeOfId(hciClusterId) === RESOURCE_TYPES.azureLocalCluster) {
      found.set(idKey(hciClusterId), hciClusterId);
      trail.push(
        `${extensionId} HCIClusterID names Azure Local cluster ${hciClusterId} (not in the inventory)`,
      );
    } else {
      trail.push(`${extensionId} HCIClusterID ${hciClusterId} matches no Azure Local cluster`);
    }
  }
  return { ids: [...found.values()], trail };
}

/** Rule 3: the Azure Local clusters in the custom location's subscription and resource group. */
function candidatesInResourceGroup(customLocationId: string, index: FleetIndex): Candidates {
  const subscription = subscriptionOf(customLocationId) ?? '';
  const group = resourceGroupOf(customLocationId) ?? '';
  const clusters = index.azureLocalByResourceGroup.get(resourceGroupKey(subscription, group)) ?? [];
  return {
    ids: clusters.map((cluster) => cluster.id),
    trail: [
      `${clusters.length} Azure Local cluster(s) in resource group ${group} of subscription ${subscription}`,
    ],
  };
}

function withSecuritySettings(link: AzureLocalLink, hostId: string, index: FleetIndex): AzureLocalLink {
  const settingsId = `${hostId}${SECURITY_SETTINGS_SUFFIX}`;
  const settings = index.byKey.get(idKey(settingsId));
  const failure =
    index.failedReads.get(idKey(settingsId)) ??
    index.scopeFailure(subscriptionOf(hostId) ?? '', 'azureLocal');
  const base = {
    ...link,
    outcome: 'resolved' as const,
    azureLocalClusterId: hostId,
    securitySettingsId: settingsId,
  };
  if (settings)
    return {
      ...base,
      securitySettings: settings,
      trail: [...link.trail, `security settings ${settings.id} found`],
    };
  if (failure) {
    return {
      ...base,
      outcome: 'read-failed',
      problem: `reading security settings ${settingsId} failed: ${failure}`,
    };
  }
  return {
    ...base,
    problem: `security settings ${settingsId} of the hosting Azure Local cluster are not in the inventory`,
  };
}

function unresolved(link: AzureLocalLink, problem: string): AzureLocalLink {
  return { ...link, outcome: 'unresolved', problem };
}

/**
 * Finds the Azure Local cluster that hosts an AKS Arc cluster, per DS-06 in the catalog (docs/controls/ds-06.md): an explicit
 * mapping in settings; else the custom location's cluster-extension `HCIClusterID`; else the only
 * Azure Local cluster in the custom location's resource group. Two or more candidates in a rule, or
 * none in all rules, leave it unresolved — never a guess.
 */
export function resolveAzureLocalHost(
  clusterId: string,
  index: FleetIndex,
  configuredHosts: ReadonlyMap<string, string>,
): AzureLocalLink {
  const instanceId = `${clusterId}${INSTANCE_SUFFIX}`;
  let link: AzureLocalLink = {
    outcome: 'unresolved',
    instanceId: undefined,
    customLocationId: undefined,
    azureLocalClusterId: undefined,
    via: undefined,
    securitySettingsId: undefined,
    securitySettings: undefined,
    problem: undefined,
    trail: [],
  };
  const instance = index.byKey.get(idKey(instanceId));
  if (!instance) {
    const failure = index.failedReads.get(idKey(instanceId));
    if (failure)
      return {
        ...link,
        outcome: 'read-failed',
        problem: `reading AKS Arc instance ${instanceId} failed: ${failure}`,
      };
    return unresolved(
      link,
      `the AKS Arc instance ${instanceId} is not in the inventory, so its custom location is unknown`,
    );
  }
  const customLocationId = getStringCi(instance.extendedLocation, ['name'])?.trim();
  link = { ...link, instanceId: instance.id, trail: [`AKS Arc instance ${instance.id} found`] };
  if (!customLocationId) {
    return unresolved(
      link,
      `the AKS Arc instance ${instance.id} names no custom location in extendedLocation.name`,
    );
  }
  link = { ...link, customLocationId, trail: [...link.trail, `custom location ${customLocationId}`] };

  const configured = configuredHosts.get(idKey(customLocationId));
  if (configured) {
    return withSecuritySettings(
      {
        ...link,
        via: 'settings',
        trail: [...link.trail, `settings map it to Azure Local cluster ${configured}`],
      },
      configured,
      index,
    );
  }

  const customLocation = index.byKey.get(idKey(customLocationId));
  if (customLocation) {
    const rule2 = candidatesFromClusterExtensions(customLocation, index);
    link = { ...link, trail: [...link.trail, ...rule2.trail] };
    if (rule2.ids.length > 1) {
      return unresolved(
        link,
        `custom location ${customLocationId} points to ${rule2.ids.length} Azure Local clusters`,
      );
    }
    const [only] = rule2.ids;
    if (only) return withSecuritySettings({ ...link, via: 'hci-cluster-id' }, only, index);
  } else {
    link = { ...link, trail: [...link.trail, `custom location ${customLocationId} is not in the inventory`] };
  }

  const rule3 = candidatesInResourceGroup(customLocationId, index);
  link = { ...link, trail: [...link.trail, ...rule3.trail] };
  if (rule3.ids.length > 1) {
    return unresolved(
      link,
      `${rule3.ids.length} Azure Local clusters share the custom location's resource group and none is linked explicitly`,
    );
  }
  const [only] = rule3.ids;
  if (only) return withSecuritySettings({ ...link, via: 'resource-group' }, only, index);
  const failure = index.scopeFailure(subscriptionOf(customLocationId) ?? '', 'azureLocal');
  if (failure)
    return { ...link, outcome: 'read-failed', problem: `reading Azure Local clusters failed: ${failure}` };
  return unresolved(link, `no Azure Local cluster could be linked to custom location ${customLocationId}`);
}
