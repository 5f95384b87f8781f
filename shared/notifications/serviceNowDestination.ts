import type { DeliveryContext, NotificationDestination } from './destination.js';
import type { DestinationParser, ServiceNowDestinationConfig } from './destinationSettings.js';
import { DeliveryFailure, jsonBody } from './deliveryFailure.js';
import { FINDING_EVENT_TYPES } from './events.js';
import type { Severity } from '../catalog/types.js';
import {
  basicAuthJsonCall,
  createTicketDestination,
  ticketSystemAccess,
  type TicketRef,
  type TicketSystem,
} from './ticketDestination.js';
import type { FindingEventData } from './events.js';
import { PAYLOAD_LIMITS } from './payloadLimits.js';
import { limitText } from './textLimit.js';
import { dedupeTag, findingText, ticketSummary } from './ticketText.js';

const LIMITS = PAYLOAD_LIMITS.serviceNow;

/** A work note or close note within the journal field limit. */
export function serviceNowNote(note: string): string {
  return limitText(note, { max: LIMITS.journal, unit: 'utf16' });
}

/** The fields of a new incident, each within its dictionary length. */
export function serviceNowIncidentFields(
  config: Pick<ServiceNowDestinationConfig, 'assignmentGroup' | 'callerId' | 'category'>,
  data: FindingEventData,
): Record<string, string> {
  return {
    short_description: ticketSummary(data, LIMITS.shortDescription),
    description: findingText(data, LIMITS.description, 'utf16'),
    correlation_id: dedupeTag(data.dedupeKey),
    correlation_display: 'arc-data-compliance',
    urgency: URGENCY[data.severity],
    impact: '2',
    ...(config.assignmentGroup ? { assignment_group: config.assignmentGroup } : {}),
    ...(config.callerId ? { caller_id: config.callerId } : {}),
    ...(config.category ? { category: config.category } : {}),
  };
}

const URGENCY: Record<Severity, string> = { high: '1', medium: '2', low: '3' };
const RESOLVED = '6';
const FIELDS = 'sys_id,number,state';

interface Incident {
  sys_id?: string;
  number?: string;
  state?: string;
}

/** ServiceNow Table API on `incident`: create, work notes, resolve (state 6), reopen. */
function serviceNowSystem(config: ServiceNowDestinationConfig): TicketSystem {
  const base = config.url.replace(/\/+$/, '');
  const call = basicAuthJsonCall(config, 'ServiceNow');
  const toRef = (incident: Incident): TicketRef => {
    if (!incident.sys_id) throw new DeliveryFailure('ServiceNow: no sys_id in the answer', false);
    return {
      id: incident.sys_id,
      key: incident.number ?? incident.sys_id,
      url: `${base}/nav_to.do?uri=${encodeURIComponent(`incident.do?sys_id=${incident.sys_id}`)}`,
    };
  };
  const patch = async (
    ticket: TicketRef,
    fields: Record<string, string>,
    what: string,
    context: DeliveryContext,
  ): Promise<void> => {
    await call(
      context,
      'PATCH',
      `/api/now/table/incident/${encodeURIComponent(ticket.id)}?sysparm_fields=${FIELDS}`,
      what,
      fields,
    );
  };
  return {
    async find(event, context) {
      const query = new URLSearchParams({
        sysparm_query: `correlation_id=${dedupeTag(event.data.dedupeKey)}^ORDERBYsys_created_on`,
        sysparm_limit: '1',
        sysparm_fields: FIELDS,
      });
      const response = await call(context, 'GET', `/api/now/table/incident?${query.toString()}`, 'lookup');
      const found = jsonBody<{ result?: Incident[] }>(response, 'ServiceNow lookup').result?.[0];
      return found ? toRef(found) : undefined;
    },
    async create(event, context) {
      const body = serviceNowIncidentFields(config, event.data);
      const response = await call(
        context,
        'POST',
        `/api/now/table/incident?sysparm_fields=${FIELDS}`,
        'create incident',
        body,
      );
      return toRef(jsonBody<{ result?: Incident }>(response, 'ServiceNow create').result ?? {});
    },
    async comment(ticket, note, context) {
      await patch(ticket, { work_notes: serviceNowNote(note) }, 'work note', context);
    },
    async resolve(ticket, note, context) {
      await patch(
        ticket,
        {
          state: RESOLVED,
          close_code: config.closeCode,
          close_notes: serviceNowNote(note),
          work_notes: serviceNowNote(note),
        },
        'resolve',
        context,
      );
      return 'resolved';
    },
    async reopen(ticket, note, context) {
      await patch(
        ticket,
        { state: String(config.reopenState), work_notes: serviceNowNote(note) },
        'reopen',
        context,
      );
    },
  };
}

/** ServiceNow: one incident per failing cluster and control, with work notes, resolution, reopening. */
export function createServiceNowDestination(config: ServiceNowDestinationConfig): NotificationDestination {
  return createTicketDestination(config, serviceNowSystem(config));
}

/** A ServiceNow entry: close code, the state to reopen to, optional assignment fields. */
export const serviceNowParser: DestinationParser<ServiceNowDestinationConfig> = {
  type: 'servicenow',
  keys: ['closeCode', 'reopenState', 'assignmentGroup', 'callerId', 'category'],
  allowedEvents: FINDING_EVENT_TYPES,
  defaultEvents: FINDING_EVENT_TYPES,
  parse(entry) {
    const { reader } = entry;
    const access = ticketSystemAccess(entry, 'servicenow');
    const reopenState = reader.integer('reopenState', 2, 1, 2);
    return {
      ...entry.common,
      ...access,
      type: 'servicenow',
      closeCode: reader.string('closeCode', 'Solution provided') ?? 'Solution provided',
      reopenState: reopenState === 1 ? 1 : 2,
      assignmentGroup: reader.string('assignmentGroup') ?? null,
      callerId: reader.string('callerId') ?? null,
      category: reader.string('category') ?? null,
    };
  },
};
