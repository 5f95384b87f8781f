import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { evaluateBatch, linkingResourcesOf } from '../../shared/fanout/batchEvaluation.js';
import { summariseBatches, type RowBatches } from '../../shared/fanout/batchedScan.js';
import { linkedResourcesFor, linkingLender, reachKeysOf } from '../../shared/fanout/linkedResources.js';
import { getCi } from '../../shared/inventory/caseInsensitive.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { parseInventoryDocument, type DocumentRow } from '../../shared/inventory/parseInventoryDocument.js';
import { idKey, subscriptionOf } from '../../shared/inventory/resourceId.js';
import { evaluatePart } from '../../shared/scan/evaluateInventory.js';
import { DEFAULT_SETTINGS } from '../../shared/settings/scanSettings.js';
import { buildSampleFleet } from '../../sample/sampleFleet.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import { batchAssignment } from '../support/batchAssignment.js';

const AS_OF = new Date('2026-11-20T06:00:00Z');
const OTHER = '0f0f0f0f-0000-4000-8000-000000000001';
const VAULT = `/subscriptions/${OTHER}/resourceGroups/backup/providers/Microsoft.DataProtection/backupVaults/vault`;

const idOf = (row: DocumentRow): string => {
  const id = getCi(row.value, 'id');
  return typeof id === 'string' ? id : '';
};
const typeOf = (row: DocumentRow): string => String(getCi(row.value, 'type')).toLowerCase();

function backupInstance(
  name: string,
  id: string,
  dataSource: string | undefined,
  more: Record<string, unknown> = {},
): DocumentRow {
  const source =
    dataSource === undefined
      ? {}
      : {
          dataSourceInfo: {
            resourceID: dataSource,
            datasourceType: 'Microsoft.Kubernetes/connectedClusters',
          },
        };
  return {
    where: `extra: ${name}`,
    value: {
      id,
      name,
      type: 'Microsoft.DataProtection/backupVaults/backupInstances',
      properties: { currentProtectionState: 'ProtectionConfigured', ...source, ...more },
    },
  };
}

/** The sample and a synthetic fleet, plus backup instances of every awkward sort. */
function fleetRows(): DocumentRow[] {
  const sample = buildSampleFleet({ asOf: AS_OF, day: 'current' });
  const files = [
    ...sample.files,
    { name: 'synthetic.json', content: syntheticFleet({ clusters: 30, subscriptions: 4 }).resources },
  ];
  const rows = files.flatMap((file) => parseInventoryDocument(file.name, JSON.stringify(file.content)));
  const protectedIds = new Set(
    rows
      .filter((row) => typeOf(row).endsWith('/backupinstances'))
      .map((row) => String(getCi(getCi(getCi(row.value, 'properties'), 'dataSourceInfo'), 'resourceID')))
      .map(idKey),
  );
  const withBackupExtension = new Set(
    rows
      .filter((row) =>
        JSON.stringify(row.value).toLowerCase().includes('microsoft.dataprotection.kubernetes'),
      )
      .map((row) => idKey(idOf(row).split(/\/providers\/microsoft\.kubernetesconfiguration\//i)[0] ?? '')),
  );
  // Clusters running the backup extension that no backup instance protects come first: a backup
  // instance of another batch protecting one of them decides its DS-09 verdict.
  const clusters = rows
    .filter((row) => /\/(connectedclusters|managedclusters)$/.test(typeOf(row)))
    .map(idOf)
    .sort(
      (a, b) =>
        Number(withBackupExtension.has(idKey(b)) && !protectedIds.has(idKey(b))) -
        Number(withBackupExtension.has(idKey(a)) && !protectedIds.has(idKey(a))),
    );
  expect(
    withBackupExtension.has(idKey(clusters[5] ?? '')) && !protectedIds.has(idKey(clusters[5] ?? '')),
  ).toBe(true);
  const customLocations = [
    ...new Set(
      rows
        .filter((row) => typeOf(row).endsWith('/provisionedclusterinstances'))
        .map((row) => String(getCi(getCi(row.value, 'extendedLocation'), 'name'))),
    ),
  ];
  // The first is listed with a backup instance as its cluster extension, the second has an impostor.
  const [customLocation = '', impostor = ''] = customLocations;
  const extension = rows.find((row) => typeOf(row) === 'microsoft.kubernetesconfiguration/extensions');
  const azureLocal = rows.find((row) => typeOf(row) === 'microsoft.azurestackhci/clusters');
  const b7 = `${VAULT}/backupInstances/b7`;
  // The custom location lists a backup instance as a cluster extension too.
  const listing = rows.map((row) =>
    idKey(idOf(row)) === idKey(customLocation) && typeOf(row) === 'microsoft.extendedlocation/customlocations'
      ? {
          ...row,
          value: {
            ...(row.value as object),
            properties: { ...(getCi(row.value, 'properties') as object), clusterExtensionIds: [b7] },
          },
        }
      : row,
  );
  expect(listing).not.toEqual(rows);
  return [
    ...listing,
    // Protecting a cluster of another subscription, in upper case.
    backupInstance('b1', `${VAULT}/backupInstances/b1`, clusters[0]?.toUpperCase()),
    // Protecting nothing in the fleet.
    backupInstance(
      'b2',
      `${VAULT}/backupInstances/b2`,
      `/subscriptions/${OTHER}/resourceGroups/x/providers/Microsoft.Kubernetes/connectedClusters/ghost`,
    ),
    // No readable data source: reported.
    backupInstance('b3', `${VAULT}/backupInstances/b3`, undefined),
    // Typed as a backup instance under a custom location's ID (read as the custom location).
    backupInstance(
      'b4',
      ` ${impostor}`,
      `/subscriptions/${OTHER}/resourceGroups/x/providers/Microsoft.Kubernetes/connectedClusters/ghost`,
    ),
    // Typed as a backup instance under an extension's ID.
    backupInstance('b5', `${idOf(extension ?? { where: '', value: {} })}/`, clusters[1]),
    // The same backup instance twice, the later protecting another cluster.
    backupInstance('b6', `${VAULT}/backupInstances/b6`, clusters[2]),
    backupInstance('b6', `${VAULT.toUpperCase()}/backupInstances/B6`, clusters[3]),
    // Named by a custom location as its cluster extension, naming an Azure Local cluster as one does.
    backupInstance('b7', b7, clusters[4], {
      configurationSettings: { HCIClusterID: idOf(azureLocal ?? { where: '', value: {} }) },
    }),
    // Naming another backup instance as its extended location: b9 protects nothing in the fleet.
    {
      ...backupInstance('b8', `${VAULT}/backupInstances/b8`, clusters[5]),
      value: {
        ...(backupInstance('b8', `${VAULT}/backupInstances/b8`, clusters[5]).value as object),
        extendedLocation: { name: `${VAULT}/backupInstances/B9`, type: 'CustomLocation' },
      },
    },
    backupInstance(
      'b9',
      `${VAULT}/backupInstances/b9`,
      `/subscriptions/${OTHER}/resourceGroups/x/providers/Microsoft.Kubernetes/connectedClusters/ghost`,
    ),
    // Not a row a resource can be made of.
    { where: 'extra: no id', value: { type: 'Microsoft.DataProtection/backupVaults/backupInstances' } },
  ];
}

function split(
  rows: DocumentRow[],
  count: number,
  batchOf: (subscription: string) => number,
): DocumentRow[][] {
  const batches: DocumentRow[][] = Array.from({ length: count }, () => []);
  for (const row of rows) {
    const subscription = subscriptionOf(idOf(row))?.toLowerCase();
    batches[subscription === undefined ? 0 : batchOf(subscription)]?.push(row);
  }
  return batches;
}

describe('a batch is lent only the linking resources that can matter to it', () => {
  const rows = fleetRows();
  // No host mappings: every AKS Arc host is found through its custom location.
  const settings = DEFAULT_SETTINGS;
  const subscriptions = [...new Set(rows.map((row) => subscriptionOf(idOf(row))?.toLowerCase() ?? ''))];

  it('judging with them is judging with every linking resource of other batches', async () => {
    await fc.assert(
      fc.asyncProperty(
        batchAssignment(subscriptions.length, 1, 5),
        fc.boolean(),
        async ([count, assignment], queried) => {
          const batches = split(rows, count, (s) => assignment[subscriptions.indexOf(s)] ?? 0);
          const stored: RowBatches = { count, read: (index) => Promise.resolve(batches[index] ?? []) };
          const { merged } = await summariseBatches(stored, settings);
          const lend = linkingLender(merged.linkingRows);
          for (const batch of batches) {
            const input = {
              rows: batch,
              merged,
              gaps: [],
              settings,
              asOf: AS_OF,
              backupInstancesQueried: queried,
            };
            const part = await evaluateBatch(input);
            // The linking resources made once for every batch judge each batch alike.
            expect(await evaluateBatch({ ...input, linking: linkingResourcesOf(merged) })).toEqual(part);
            const own = mergeResources([batch]);
            const ownKeys = new Set(own.resources.map((resource) => resource.key));
            const everyLinked = merged.linkingRows.filter((row) => !ownKeys.has(idKey(idOf(row))));
            const reference = evaluatePart({
              own: { ...own, gaps: [], backupInstancesQueried: queried },
              linked: mergeResources([everyLinked]),
              settings,
              asOf: AS_OF,
              facts: merged.fleet,
            });
            expect(part).toEqual(reference);
            // Lent only the rows it can reach, as a batch evaluated in its own invocation is.
            const reach = new Set(reachKeysOf(own.resources));
            const lent = lend(reach);
            expect(await evaluateBatch({ ...input, lent })).toEqual(part);
            // Never more rows than every linking row, and fewer once a backup instance is left out.
            expect(lent.rows.every((row) => merged.linkingRows.includes(row))).toBe(true);
            expect(lent.rows.length < merged.linkingRows.length).toBe(lent.backupInstancesLeftOut);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('leaves out backup instances of other clusters, and says some were left out', () => {
    const linking = mergeResources([rows.filter((row) => typeOf(row).endsWith('/backupinstances'))]);
    const none = linkedResourcesFor([], linking);
    const names = none.linked.resources.map((resource) => resource.name).sort();
    // b3 (no data source), b4 and b5 (not a backup instance's ID) and b9 (named by b8) stay; b1, b2,
    // b6, b7 (named by a custom location, which is not lent here), b8 and the fleet's own go.
    expect(names).toEqual(['b3', 'b4', 'b5', 'b9']);
    // Judged with the rest of the fleet as its own: the custom location that names b7 among it.
    const rest = mergeResources([rows.filter((row) => !typeOf(row).endsWith('/backupinstances'))]);
    const named = linkedResourcesFor(rest.resources, linking);
    expect(named.linked.resources.map((resource) => resource.name)).toContain('b7');
    expect(none.backupInstancesLeftOut).toBe(true);
    const nothing = linkedResourcesFor([], mergeResources([[]]));
    expect(nothing).toEqual({ linked: mergeResources([[]]), backupInstancesLeftOut: false });
  });
});
