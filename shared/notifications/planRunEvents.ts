import type { NotificationEvent } from './events.js';
import { readFindingLedger, recordPresence } from './findingLedger.js';
import { readGovernanceNotices } from './governanceNoticeLedger.js';
import type { NotificationStore } from './notificationStore.js';
import { planGovernanceEvents } from './planGovernanceEvents.js';
import { RunEventPlanner, type PlanEventsInput, type PlanFinding } from './planEvents.js';

/** A run's findings, read part by part (a `RunSource` is one); every call streams them all again. */
export interface PlanFindingParts {
  parts(): AsyncIterable<{ readonly findings: Iterable<PlanFinding> }>;
}

/** The lower-case IDs of the clusters with findings in the run, in one pass over its parts. */
async function clustersOf(source: PlanFindingParts | undefined): Promise<Set<string>> {
  const ids = new Set<string>();
  if (!source) return ids;
  for await (const part of source.parts())
    for (const finding of part.findings) ids.add(finding.clusterId.trim().toLowerCase());
  return ids;
}

/**
 * `planEvents` with the finding ledger read from storage (as it was before this run), so
 * reopenings are told from first openings and re-planning the same run gives the same events.
 * The findings are read from `source` part by part, never all at once: with `scopeKey`, a first
 * pass records in the ledger which of its clusters this run saw (absences are counted per scope),
 * so findings of clusters missing from `removedAfterRuns` consecutive complete runs of their scope
 * are closed as removed; the planning pass follows. With `expiryNoticeDays`, governance records
 * of the run nearing or past expiry add `governance.expiring` / `governance.expired` events, each
 * once per record, threshold and expiry (the notice ledger is read here and written on enqueue).
 */
export async function planRunEvents(
  store: NotificationStore,
  input: Omit<PlanEventsInput, 'ledger' | 'findings'> & {
    source?: PlanFindingParts;
    scopeKey?: string;
    expiryNoticeDays?: number;
  },
): Promise<NotificationEvent[]> {
  const { scopeKey, expiryNoticeDays, source, ...rest } = input;
  if (scopeKey !== undefined) {
    await recordPresence(store, {
      id: input.run.id,
      complete: input.run.complete,
      scopeKey,
      clusterIds: await clustersOf(source),
    });
  }
  const planner = new RunEventPlanner({
    ...rest,
    ledger: await readFindingLedger(store, input.run.id),
    // Without a scope no absence was counted: nothing can be closed as removed.
    removedAfterRuns: scopeKey === undefined ? undefined : rest.removedAfterRuns,
  });
  if (source) for await (const part of source.parts()) planner.add(part.findings);
  const events = planner.events();
  const governance = input.run.governance ?? [];
  if (expiryNoticeDays === undefined || governance.length === 0) return events;
  const notices = planGovernanceEvents({
    run: { id: input.run.id, asOf: input.run.asOf, complete: input.run.complete },
    governance,
    noticeDays: expiryNoticeDays,
    notified: await readGovernanceNotices(store, input.run.id),
    reportLinks: input.reportLinks,
  });
  return [...events, ...notices.map((planned) => planned.event)];
}
