import type { NotificationEvent } from './events.js';
import { readFindingLedger } from './findingLedger.js';
import type { NotificationStore } from './notificationStore.js';
import { planEvents, type PlanEventsInput } from './planEvents.js';

/**
 * `planEvents` with the finding ledger read from storage (as it was before this run), so
 * reopenings are told from first openings and re-planning the same run gives the same events.
 */
export async function planRunEvents(
  store: NotificationStore,
  input: Omit<PlanEventsInput, 'ledger'>,
): Promise<NotificationEvent[]> {
  return planEvents({ ...input, ledger: await readFindingLedger(store, input.run.id) });
}
