import { getCi } from '../inventory/caseInsensitive.js';
import type { CollectionGap, Inventory } from '../inventory/inventory.js';
import { mergeResources } from '../inventory/mergeResources.js';
import type { DocumentRow } from '../inventory/parseInventoryDocument.js';
import { idKey } from '../inventory/resourceId.js';
import { evaluatePart, type EvaluatedPart } from '../scan/evaluateInventory.js';
import type { ScanSettings } from '../settings/scanSettings.js';
import type { MergedFacts } from './batchFacts.js';
import { lentResourcesFor, linkedResourcesFor, type LentRows } from './linkedResources.js';

/** Reads the security settings of Azure Local hosts linked from `documents` and not in them. */
export type HostSettingsReader = (
  documents: DocumentRow[][],
  gaps: CollectionGap[],
) => Promise<DocumentRow[]>;

export interface BatchEvaluationInput {
  /** The batch's own rows. */
  rows: DocumentRow[];
  /** The fleet's facts and the rows that link across batches, merged from every batch. */
  merged: MergedFacts;
  /**
   * `merged`'s linking rows as resources ({@link linkingResourcesOf}), for a process that judges
   * several batches: made once, not once per batch.
   */
  linking?: Inventory;
  /**
   * The batch's share of `merged`'s linking rows, when they are lent per batch
   * ({@link linkingLender}); `merged.linkingRows` is then not read.
   */
  lent?: LentRows;
  /**
   * Every read of the run that failed, known before any batch is judged (so that a batch is judged
   * the same whichever batches come before it). Host settings that fail to read are added.
   */
  gaps: CollectionGap[];
  settings: ScanSettings;
  asOf: Date;
  /** Live runs: hosts linked from this batch whose settings no batch holds are read here. */
  readHosts?: HostSettingsReader;
  /**
   * Whether Azure Backup instances were read for every subscription of the run (a live run, the
   * default); offline, the inventory covers backup instances only when it holds some.
   */
  backupInstancesQueried?: boolean;
  /** Clusters of this batch judged so far, of its total. */
  onProgress?: (done: number, total: number) => void;
}

const rowKey = (row: DocumentRow): string => {
  const id = typeof row.value === 'object' && row.value !== null ? getCi(row.value, 'id') : undefined;
  return typeof id === 'string' ? idKey(id) : '';
};

/**
 * Judges one batch of a run against the whole fleet's facts: its own rows, plus the rows of other
 * batches that link to it (hosts, custom locations, backup instances), plus — in a live run — the
 * settings of hosts that no batch holds. Depends on nothing but its input, so a batch judged in
 * its own invocation, in any order, gives the same part as a batch judged in a single pass.
 */
export async function evaluateBatch(input: BatchEvaluationInput): Promise<EvaluatedPart> {
  const own = mergeResources([input.rows]);
  const ownKeys = new Set(own.resources.map((resource) => resource.key));
  const linkingRows = input.lent?.rows ?? input.merged.linkingRows;
  const hosts = input.readHosts
    ? await input.readHosts([input.rows, linkingRows.filter((row) => !ownKeys.has(rowKey(row)))], input.gaps)
    : [];
  const { linked, backupInstancesLeftOut } = input.lent
    ? lentResourcesFor(own.resources, input.lent)
    : linkedResourcesFor(own.resources, input.linking ?? linkingResourcesOf(input.merged));
  return evaluatePart({
    own: {
      ...(hosts.length > 0 ? mergeResources([input.rows, hosts]) : own),
      gaps: input.gaps,
      // Backup instances left out of `linked` are still backup instances of the fleet.
      backupInstancesQueried: (input.backupInstancesQueried ?? true) || backupInstancesLeftOut,
    },
    linked,
    settings: input.settings,
    asOf: input.asOf,
    facts: input.merged.fleet,
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
}

/** The fleet's linking rows as resources, for {@link BatchEvaluationInput.linking}. */
export function linkingResourcesOf(merged: MergedFacts): Inventory {
  return mergeResources([merged.linkingRows]);
}
