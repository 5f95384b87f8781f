import { describe, expect, it } from 'vitest';

import type { InventoryResource, InventoryWarning } from '../../shared/inventory/inventoryResource.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { isWarning, normaliseRow } from '../../shared/inventory/normaliseRow.js';
import { parseInventoryDocument, type DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';
import {
  inventoryAksCluster,
  inventoryArcCluster,
  inventoryAzureLocalCluster,
  inventoryAzureLocalClusterId,
  inventoryConnectedClusterId,
  inventoryCustomLocation,
  inventoryCustomLocationId,
  inventoryApplianceId,
  extension,
  fixtureBody,
  FIXTURE,
  inventoryFluxConfiguration,
  inventoryProvisionedClusterInstance,
  inventorySecuritySettings,
  SUBSCRIPTION,
  INVENTORY_RESOURCE_GROUP,
  type Row,
} from '../support/azureRows.js';

function rowsOf(file: string, values: unknown[]): DocumentRow[] {
  return values.map((value, index) => ({ value, where: `${file}: [${index}]` }));
}

function asResource(result: InventoryResource | InventoryWarning): InventoryResource {
  if (isWarning(result)) throw new Error(`expected a resource, got warning ${result.message}`);
  return result;
}

function asWarning(result: InventoryResource | InventoryWarning): InventoryWarning {
  if (!isWarning(result)) throw new Error(`expected a warning, got resource ${result.id}`);
  return result;
}

describe('normaliseRow', () => {
  it('normalises the ARM envelope: trimmed id, lower-case key and type, name, scope, properties', () => {
    const body = inventoryArcCluster({ name: 'Edge-01', resourceGroup: 'Edge-RG' });
    const resource = asResource(normaliseRow({ value: body, where: 'f.json: [0]' }));
    expect(resource.id).toBe(body.id);
    expect(resource.key).toBe(String(body.id).toLowerCase());
    expect(resource.type).toBe('microsoft.kubernetes/connectedclusters');
    expect(resource.name).toBe('Edge-01');
    expect(resource.subscriptionId).toBe(SUBSCRIPTION);
    expect(resource.resourceGroup).toBe('Edge-RG');
    expect(resource.location).toBe('East US');
    expect(resource.properties).toEqual(body.properties);
    expect(resource.origin).toBe('f.json: [0]');
    expect(resource.raw).toBe(body);
  });

  it('reads envelope keys in any casing (Id, TYPE, Name, Kind, Properties)', () => {
    const id = inventoryConnectedClusterId('cased');
    const resource = asResource(
      normaliseRow({
        value: {
          ID: `  ${id}  `,
          TYPE: 'MICROSOFT.KUBERNETES/CONNECTEDCLUSTERS',
          Name: 'cased',
          Kind: 'ProvisionedCluster',
          Properties: { agentVersion: '1.2.3' },
        },
        where: 'f.json: [0]',
      }),
    );
    expect(resource.id).toBe(id);
    expect(resource.type).toBe('microsoft.kubernetes/connectedclusters');
    expect(resource.name).toBe('cased');
    expect(resource.kind).toBe('ProvisionedCluster');
    expect(resource.properties).toEqual({ agentVersion: '1.2.3' });
  });

  it('derives the name, subscription and resource group from the ID when the row lacks them', () => {
    const id = inventoryConnectedClusterId('from-id', 'sub-x', 'rg-y');
    const resource = asResource(
      normaliseRow({ value: { id, type: 'Microsoft.Kubernetes/connectedClusters' }, where: 'w' }),
    );
    expect(resource.name).toBe('from-id');
    expect(resource.subscriptionId).toBe('sub-x');
    expect(resource.resourceGroup).toBe('rg-y');
    expect(resource.properties).toBeUndefined();
  });

  it('parses properties given as a JSON string', () => {
    const properties = { connectivityStatus: 'Connected', agentVersion: '1.21.10', distribution: 'k3s' };
    const body = inventoryArcCluster({ name: 'stringly', properties: JSON.stringify(properties) });
    const resource = asResource(normaliseRow({ value: body, where: 'w' }));
    expect(resource.properties).toEqual(properties);
  });

  it('parses properties given as an indented JSON string with surrounding whitespace', () => {
    const properties = { agentVersion: '1.21.10' };
    const body = inventoryArcCluster({
      name: 'stringly',
      properties: `\n  ${JSON.stringify(properties, null, 2)}\n`,
    });
    expect(asResource(normaliseRow({ value: body, where: 'w' })).properties).toEqual(properties);
  });

  it('keeps a properties string that is not a JSON object as it is (to be reported as malformed)', () => {
    for (const text of ['{not json', 'Connected', '[1,2]']) {
      const body = inventoryArcCluster({ name: 'bad', properties: text });
      expect(asResource(normaliseRow({ value: body, where: 'w' })).properties).toBe(text);
    }
  });

  it.each([
    ['null', null, /null/],
    ['a number', 42, /number/],
    ['a string', 'resource', /string/],
    ['a boolean', true, /boolean/],
    ['an array', [{ id: '/x', type: 't' }], /array/],
  ])('turns a row that is %s into a warning naming its position', (_label, value, pattern) => {
    const warning = asWarning(normaliseRow({ value, where: 'fleet.json: data[7]' }));
    expect(warning.where).toBe('fleet.json: data[7]');
    expect(warning.message).toMatch(pattern);
  });

  it.each([
    ['no id', { type: 'Microsoft.Kubernetes/connectedClusters' }, /"id"/],
    ['no type', { id: inventoryConnectedClusterId('x') }, /"type"/],
    ['neither', { name: 'x' }, /"id".*"type"/],
    ['an id that is a number', { id: 12, type: 'Microsoft.Kubernetes/connectedClusters' }, /"id"/],
    ['an empty id', { id: '  ', type: 'Microsoft.Kubernetes/connectedClusters' }, /"id"/],
    ['a type that is an object', { id: inventoryConnectedClusterId('x'), type: { name: 't' } }, /"type"/],
  ])(
    'turns a row with %s into a warning naming its position and what is missing',
    (_label, value, pattern) => {
      const warning = asWarning(normaliseRow({ value, where: 'fleet.json: value[3]' }));
      expect(warning.where).toBe('fleet.json: value[3]');
      expect(warning.message).toMatch(pattern);
    },
  );
});

describe('mergeResources', () => {
  it('keeps every type of the contract table, compared case-insensitively', () => {
    const cluster = inventoryConnectedClusterId('c1');
    const azureLocal = inventoryAzureLocalClusterId('hci');
    const location = inventoryCustomLocationId('cl');
    const rows = [
      inventoryArcCluster({ name: 'c1' }),
      inventoryAksCluster({ name: 'aks1' }),
      extension(cluster, 'flux', 'microsoft.flux'),
      inventoryFluxConfiguration(cluster, 'cfg', 'Compliant'),
      inventoryProvisionedClusterInstance(cluster, location),
      inventoryCustomLocation(location, inventoryApplianceId('bridge'), []),
      inventoryAzureLocalCluster(azureLocal),
      inventorySecuritySettings(azureLocal, 'Compliant', 'Compliant'),
      {
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${INVENTORY_RESOURCE_GROUP}/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/b`,
        type: 'Microsoft.DataProtection/backupVaults/backupInstances',
        properties: { dataSourceInfo: { resourceID: cluster } },
      },
    ];
    const inventory = mergeResources([rowsOf('all.json', rows)]);
    expect(inventory.resources).toHaveLength(rows.length);
    expect(inventory.ignoredByType).toEqual({});
    expect(new Set(inventory.resources.map((r) => r.type))).toEqual(
      new Set([
        'microsoft.kubernetes/connectedclusters',
        'microsoft.containerservice/managedclusters',
        'microsoft.kubernetesconfiguration/extensions',
        'microsoft.kubernetesconfiguration/fluxconfigurations',
        'microsoft.hybridcontainerservice/provisionedclusterinstances',
        'microsoft.extendedlocation/customlocations',
        'microsoft.azurestackhci/clusters',
        'microsoft.azurestackhci/clusters/securitysettings',
        'microsoft.dataprotection/backupvaults/backupinstances',
      ]),
    );
    // The AKS fixture spells its type Microsoft.ContainerService/ManagedClusters.
    expect(inventoryAksCluster({ name: 'x' }).type).toBe('Microsoft.ContainerService/ManagedClusters');
  });

  it('ignores resources of other types and counts them by (lower-case) type', () => {
    const first = parseInventoryDocument('p1.json', JSON.stringify(fixtureBody(FIXTURE.graphFirstPage)));
    const next = parseInventoryDocument('p2.json', JSON.stringify(fixtureBody(FIXTURE.graphNextPage)));
    const extra = rowsOf('x.json', [
      {
        id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/disks/D3',
        type: 'Microsoft.Compute/Disks',
      },
      inventoryArcCluster({ name: 'kept' }),
    ]);
    const inventory = mergeResources([first, next, extra]);
    expect(inventory.ignoredByType).toEqual({
      'microsoft.compute/disks': 3,
      'microsoft.automation/automationaccounts': 2,
      'microsoft.automation/automationaccounts/runbooks': 2,
    });
    expect(inventory.resources.map((r) => r.name)).toEqual(['kept']);
    expect(inventory.warnings).toEqual([]);
  });

  it('merges the same ID in different case across files once, the later file winning', () => {
    const early = inventoryArcCluster({ name: 'Edge-01', set: { distribution: 'k3s' } });
    const late = inventoryArcCluster({ name: 'Edge-01', set: { distribution: 'openshift' } });
    late.id = String(late.id).toLowerCase();
    const inventory = mergeResources([rowsOf('early.json', [early]), rowsOf('late.json', [late])]);
    expect(inventory.resources).toHaveLength(1);
    const [kept] = inventory.resources;
    expect(kept?.origin).toContain('late.json');
    expect(kept?.id).toBe(late.id);
    expect((kept?.properties as Row).distribution).toBe('openshift');
    expect(inventory.duplicateCount).toBe(1);
  });

  it('treats a trailing slash or surrounding spaces in an ID as the same resource', () => {
    const early = inventoryArcCluster({ name: 'slash' });
    const late = { ...inventoryArcCluster({ name: 'slash' }), id: ` ${String(early.id).toUpperCase()}/ ` };
    const inventory = mergeResources([rowsOf('a.json', [early]), rowsOf('b.json', [late])]);
    expect(inventory.resources).toHaveLength(1);
    expect(inventory.duplicateCount).toBe(1);
  });

  it('counts every repeated occurrence (three copies: one resource, two duplicates)', () => {
    const copies = [
      inventoryArcCluster({ name: 'dup' }),
      inventoryArcCluster({ name: 'dup' }),
      inventoryArcCluster({ name: 'dup' }),
    ];
    (copies[1] as Row).id = String(copies[1]?.id).toUpperCase();
    const inventory = mergeResources([
      rowsOf('a.json', copies.slice(0, 2)),
      rowsOf('b.json', copies.slice(2)),
    ]);
    expect(inventory.resources).toHaveLength(1);
    expect(inventory.resources[0]?.origin).toBe('b.json: [0]');
    expect(inventory.duplicateCount).toBe(2);
  });

  it('keeps distinct resources distinct', () => {
    const inventory = mergeResources([
      rowsOf('a.json', [inventoryArcCluster({ name: 'one' }), inventoryArcCluster({ name: 'two' })]),
      rowsOf('b.json', [inventoryAksCluster({ name: 'one' })]),
    ]);
    expect(inventory.resources).toHaveLength(3);
    expect(inventory.duplicateCount).toBe(0);
  });

  it('collects a warning with its position for every row that is not a resource, and goes on', () => {
    const inventory = mergeResources([
      rowsOf('a.json', [
        null,
        inventoryArcCluster({ name: 'ok' }),
        { type: 'Microsoft.Kubernetes/connectedClusters' },
      ]),
      rowsOf('b.json', [7, { id: inventoryConnectedClusterId('no-type') }]),
    ]);
    expect(inventory.resources.map((r) => r.name)).toEqual(['ok']);
    expect(inventory.warnings.map((w) => w.where)).toEqual([
      'a.json: [0]',
      'a.json: [2]',
      'b.json: [0]',
      'b.json: [1]',
    ]);
    for (const warning of inventory.warnings) expect(warning.message.length).toBeGreaterThan(0);
  });

  it('returns an inventory without gaps', () => {
    expect(mergeResources([]).gaps).toEqual([]);
    expect(mergeResources([rowsOf('a.json', [inventoryArcCluster({ name: 'x' })])]).gaps).toEqual([]);
  });
});
