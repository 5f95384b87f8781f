import type { NotificationEvent } from './events.js';
import { readFindingLedger, recordPresence } from './findingLedger.js';
import type { NotificationStore } from './notificationStore.js';
import { planEvents, type PlanEventsInput } from './planEvents.js';

/**
 * `planEvents` with the finding ledger read from storage (as it was before this run), so
 * reopenings are told from first openings and re-planning the same run gives the same events.
 * With `scopeKey`, the ledger first records which of its clusters this run saw (absences are
 * counted per scope), so findings of clusters missing from `removedAfterRuns` consecutive
 * complete runs of their scope are closed as removed.
 */
export async function planRunEvents(
  store: NotificationStore,
  input: Omit<PlanEventsInput, 'ledger'> & { scopeKey?: string },
): Promise<NotificationEvent[]> {
  const { scopeKey, ...rest } = input;
  const findings = [...(input.findings ?? [])];
  if (scopeKey !== undefined) {
    await recordPresence(store, {
      id: input.run.id,
      complete: input.run.complete,
      scopeKey,
      clusterIds: new Set(findings.map((finding) => finding.clusterId.trim().toLowerCase())),
    });
  }
  return planEvents({
    ...rest,
    findings,
    ledger: await readFindingLedger(store, input.run.id),
    // Without a scope no absence was counted: nothing can be closed as removed.
    removedAfterRuns: scopeKey === undefined ? undefined : rest.removedAfterRuns,
  });
}
