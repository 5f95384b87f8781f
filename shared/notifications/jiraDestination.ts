import type { DeliveryContext, NotificationDestination } from './destination.js';
import type { DestinationParser, JiraDestinationConfig } from './destinationSettings.js';
import { DeliveryFailure, jsonBody } from './deliveryFailure.js';
import { FINDING_EVENT_TYPES, type FindingEventData } from './events.js';
import { adfDescription, adfText, type AdfDocument } from './jiraDocument.js';
import { PAYLOAD_LIMITS } from './payloadLimits.js';
import {
  basicAuthJsonCall,
  createTicketDestination,
  ticketSystemAccess,
  type TicketRef,
  type TicketSystem,
} from './ticketDestination.js';
import { dedupeTag, ticketSummary } from './ticketText.js';

interface JiraTransition {
  id: string;
  name: string;
  to?: { name?: string; statusCategory?: { key?: string } };
}

/** The `fields` of a new issue: one-line summary within 255, description within the text field limit. */
export function jiraIssueFields(
  config: Pick<JiraDestinationConfig, 'projectKey' | 'issueType' | 'labels'>,
  data: FindingEventData,
): {
  project: { key: string };
  issuetype: { name: string };
  summary: string;
  description: AdfDocument;
  labels: string[];
} {
  return {
    project: { key: config.projectKey },
    issuetype: { name: config.issueType },
    summary: ticketSummary(data, PAYLOAD_LIMITS.jira.summary),
    description: adfDescription(data),
    labels: ['arc-compliance', dedupeTag(data.dedupeKey), ...config.labels],
  };
}

/** The body of a comment. */
export function jiraCommentBody(note: string): { body: AdfDocument } {
  return { body: adfText(note) };
}

/** Jira Cloud REST API v3: issues, comments, transitions, and a JQL search for recovery. */
function jiraSystem(config: JiraDestinationConfig): TicketSystem {
  const base = config.url.replace(/\/+$/, '');
  const call = basicAuthJsonCall(config, 'Jira');
  const issuePath = (ticket: TicketRef): string => `/rest/api/3/issue/${encodeURIComponent(ticket.key)}`;
  const toRef = (issue: { id: string; key: string }): TicketRef => ({
    id: issue.id,
    key: issue.key,
    url: `${base}/browse/${encodeURIComponent(issue.key)}`,
  });
  const transitions = async (ticket: TicketRef, context: DeliveryContext): Promise<JiraTransition[]> => {
    const response = await call(context, 'GET', `${issuePath(ticket)}/transitions`, 'transitions');
    return jsonBody<{ transitions?: JiraTransition[] }>(response, 'Jira transitions').transitions ?? [];
  };
  const statusCategory = async (ticket: TicketRef, context: DeliveryContext): Promise<string> => {
    const response = await call(context, 'GET', `${issuePath(ticket)}?fields=status`, 'status');
    const issue = jsonBody<{ fields?: { status?: { statusCategory?: { key?: string } } } }>(
      response,
      'Jira issue',
    );
    return issue.fields?.status?.statusCategory?.key ?? '';
  };
  const pick = (available: JiraTransition[], names: string[]): JiraTransition | undefined => {
    for (const name of names) {
      const wanted = name.toLowerCase();
      const match = available.find(
        (t) => t.name.toLowerCase() === wanted || (t.to?.name ?? '').toLowerCase() === wanted,
      );
      if (match) return match;
    }
    return undefined;
  };
  const transition = async (
    ticket: TicketRef,
    chosen: JiraTransition,
    context: DeliveryContext,
  ): Promise<void> => {
    await call(context, 'POST', `${issuePath(ticket)}/transitions`, `transition "${chosen.name}"`, {
      transition: { id: chosen.id },
    });
  };
  const comment = async (ticket: TicketRef, note: string, context: DeliveryContext): Promise<void> => {
    await call(context, 'POST', `${issuePath(ticket)}/comment`, 'comment', jiraCommentBody(note));
  };
  const names = (available: JiraTransition[]): string =>
    available.map((t) => `"${t.name}"`).join(', ') || 'none';
  return {
    async find(event, context) {
      const label = dedupeTag(event.data.dedupeKey);
      const jql = `project = "${config.projectKey}" AND labels = "${label}" ORDER BY created ASC`;
      const response = await call(context, 'POST', '/rest/api/3/search/jql', 'search', {
        jql,
        fields: ['status'],
        maxResults: 1,
      });
      const issue = jsonBody<{ issues?: Array<{ id: string; key: string }> }>(response, 'Jira search')
        .issues?.[0];
      return issue ? toRef(issue) : undefined;
    },
    async create(event, context) {
      const response = await call(context, 'POST', '/rest/api/3/issue', 'create issue', {
        fields: jiraIssueFields(config, event.data),
      });
      const issue = jsonBody<{ id?: string; key?: string }>(response, 'Jira create issue');
      if (!issue.id || !issue.key)
        throw new DeliveryFailure('Jira create issue: no key in the answer', false);
      return toRef({ id: issue.id, key: issue.key });
    },
    comment,
    async resolve(ticket, note, context) {
      const available = await transitions(ticket, context);
      const chosen = pick(available, [config.doneTransition]);
      if (!chosen) {
        if ((await statusCategory(ticket, context)) === 'done') {
          await comment(ticket, note, context);
          return 'already';
        }
        throw new DeliveryFailure(
          `Jira ${config.name}: ${ticket.key} offers no transition "${config.doneTransition}" ` +
            `(available: ${names(available)})`,
          false,
        );
      }
      await transition(ticket, chosen, context);
      await comment(ticket, note, context);
      return 'resolved';
    },
    async reopen(ticket, note, context) {
      const available = await transitions(ticket, context);
      const chosen = pick(available, config.reopenTransitions);
      if (chosen) await transition(ticket, chosen, context);
      else if ((await statusCategory(ticket, context)) === 'done') {
        throw new DeliveryFailure(
          `Jira ${config.name}: ${ticket.key} offers none of the reopen transitions ` +
            `${config.reopenTransitions.map((n) => `"${n}"`).join(', ')} (available: ${names(available)})`,
          false,
        );
      }
      await comment(ticket, note, context);
    },
  };
}

/** Jira Cloud: one issue per failing cluster and control, commented, transitioned to done, reopened. */
export function createJiraDestination(config: JiraDestinationConfig): NotificationDestination {
  return createTicketDestination(config, jiraSystem(config));
}

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
const LABEL = /^[^\s]{1,255}$/;

/** A Jira Cloud entry: project, issue type, the transitions to resolve and reopen by, labels. */
export const jiraParser: DestinationParser<JiraDestinationConfig> = {
  type: 'jira',
  keys: ['projectKey', 'issueType', 'doneTransition', 'reopenTransitions', 'labels'],
  allowedEvents: FINDING_EVENT_TYPES,
  defaultEvents: FINDING_EVENT_TYPES,
  parse(entry) {
    const { reader } = entry;
    const access = ticketSystemAccess(entry, 'jira');
    const projectKey = reader.string('projectKey') ?? '';
    if (!PROJECT_KEY.test(projectKey)) reader.problem('projectKey must be a Jira project key such as OPS');
    const labels = reader.strings('labels', []);
    for (const item of labels)
      if (!LABEL.test(item)) reader.problem(`label "${item}" must not contain spaces`);
    return {
      ...entry.common,
      ...access,
      type: 'jira',
      projectKey,
      issueType: reader.string('issueType', 'Task') ?? 'Task',
      doneTransition: reader.string('doneTransition', 'Done') ?? 'Done',
      reopenTransitions: reader.strings('reopenTransitions', ['Reopen', 'To Do']),
      labels,
    };
  },
};
