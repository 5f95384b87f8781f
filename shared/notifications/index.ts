/** The notification domain's public surface, for the Functions app. */
export {
  EVENT_TYPES,
  FINDING_EVENT_TYPES,
  RUN_EVENT_TYPES,
  dedupeKey,
  eventId,
  isFindingEvent,
} from './events.js';
export type {
  EventType,
  FindingEvent,
  FindingEventData,
  FindingEventType,
  NotificationEvent,
  RunEvent,
  RunEventData,
} from './events.js';
export { planEvents } from './planEvents.js';
export type { LedgerEntry, PlanEventsInput, PlanRun } from './planEvents.js';
export { planRunEvents } from './planRunEvents.js';
export { readFindingLedger, recordFindingLedger } from './findingLedger.js';
export { parseNotificationSettings } from './notificationSettings.js';
export type { DeliverySettings, NotificationSettings } from './notificationSettings.js';
export { DESTINATION_TYPES, destinationAccepts } from './destinationSettings.js';
export type { DestinationConfig, DestinationType } from './destinationSettings.js';
export { createNotificationStore, NOTIFICATION_TABLES } from './notificationStore.js';
export type { NotificationStore } from './notificationStore.js';
export {
  enqueueEvents,
  listDeadLetters,
  listPendingOutbox,
  parseOutboxMessage,
  readOutboxEntry,
  requeueDeadLetter,
} from './outbox.js';
export type { EnqueueResult, OutboxEntry, OutboxMessage, OutboxStatus } from './outbox.js';
export { deliverOutboxEntry } from './outboxDelivery.js';
export { pruneDeliveredOutbox } from './outboxRetention.js';
export type { OutboxPruneOutcome } from './outboxRetention.js';
export type { DeliveryDeps, DeliveryOutcome } from './outboxDelivery.js';
export { createTicketMap } from './ticketMap.js';
export type { TicketRecord } from './ticketMap.js';
export { reportSubject, sendReportEmail } from './reportEmail.js';
export type { ReportEmailContent, ReportEmailResult, ReportEmailSummary } from './reportEmail.js';
export { runLinks, runPath } from './runLinks.js';
export { configuredSecrets, scrubbedEntry } from './configuredSecrets.js';
export type { Resolver } from './outboundGuard.js';
