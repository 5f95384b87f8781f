/**
 * Fakes of the Jira Cloud REST API v3 and ServiceNow Table API subsets the ticket destinations use,
 * with Basic authentication checked, every call recorded, and faults injected on demand.
 */
import { startFakeServer, type FakeServer, type Reply } from './fakeHttpServer.js';

const json = (status: number, body: unknown): Reply => ({ status, body: JSON.stringify(body) });

export interface JiraIssue {
  id: string;
  key: string;
  summary: string;
  labels: string[];
  description: { type?: string; version?: number; content?: unknown[] };
  status: 'To Do' | 'Done';
  comments: string[];
  transitions: string[];
}

export interface FakeJira extends FakeServer {
  issues: Map<string, JiraIssue>;
  /** Milliseconds each create waits before answering (to overlap two deliveries). */
  createDelayMs: number;
  /** Requests by route, e.g. `POST issue`, `POST comment`, `GET transitions`. */
  calls: string[];
}

function adfText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const value = node as { text?: string; content?: unknown[] };
  return `${value.text ?? ''}${(value.content ?? []).map(adfText).join('')}`;
}

/** Jira Cloud: issues (create, status), comments, transitions (Done ⇄ Reopen), JQL label search. */
export async function startFakeJira(credentials: string): Promise<FakeJira> {
  const issues = new Map<string, JiraIssue>();
  const calls: string[] = [];
  const expected = `Basic ${Buffer.from(credentials).toString('base64')}`;
  const state = { createDelayMs: 0 };
  const server = await startFakeServer(async (request) => {
    if (request.headers.authorization !== expected) return json(401, { errorMessages: ['unauthorized'] });
    const url = new URL(request.path, 'http://jira');
    const path = url.pathname;
    if (request.method === 'POST' && path === '/rest/api/3/issue') {
      calls.push('POST issue');
      const body = JSON.parse(request.body) as {
        fields: {
          project: { key: string };
          summary: string;
          labels: string[];
          description: JiraIssue['description'];
        };
      };
      if (body.fields.description.type !== 'doc' || body.fields.description.version !== 1)
        return json(400, { errors: { description: 'not ADF' } });
      if (state.createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.createDelayMs));
      const id = String(10_000 + issues.size);
      const key = `${body.fields.project.key}-${issues.size + 1}`;
      issues.set(key, {
        id,
        key,
        summary: body.fields.summary,
        labels: body.fields.labels,
        description: body.fields.description,
        status: 'To Do',
        comments: [],
        transitions: [],
      });
      return json(201, { id, key, self: `http://jira/rest/api/3/issue/${id}` });
    }
    if (request.method === 'POST' && path === '/rest/api/3/search/jql') {
      calls.push('POST search');
      const { jql } = JSON.parse(request.body) as { jql: string };
      const label = /labels = "([^"]+)"/.exec(jql)?.[1] ?? '';
      const found = [...issues.values()].filter((issue) => issue.labels.includes(label));
      return json(200, { issues: found.slice(0, 1).map((issue) => ({ id: issue.id, key: issue.key })) });
    }
    const match = /^\/rest\/api\/3\/issue\/([^/]+)(\/comment|\/transitions)?$/.exec(path);
    const issue = match ? issues.get(decodeURIComponent(match[1] ?? '')) : undefined;
    if (!match || !issue) return json(404, { errorMessages: ['Issue does not exist'] });
    if (match[2] === '/comment' && request.method === 'POST') {
      calls.push('POST comment');
      issue.comments.push(adfText((JSON.parse(request.body) as { body: unknown }).body));
      return json(201, { id: String(issue.comments.length) });
    }
    if (match[2] === '/transitions' && request.method === 'GET') {
      calls.push('GET transitions');
      const transitions =
        issue.status === 'Done'
          ? [{ id: '41', name: 'Reopen', to: { name: 'To Do', statusCategory: { key: 'new' } } }]
          : [
              {
                id: '21',
                name: 'In Progress',
                to: { name: 'In Progress', statusCategory: { key: 'indeterminate' } },
              },
              { id: '31', name: 'Done', to: { name: 'Done', statusCategory: { key: 'done' } } },
            ];
      return json(200, { transitions });
    }
    if (match[2] === '/transitions' && request.method === 'POST') {
      calls.push('POST transitions');
      const { transition } = JSON.parse(request.body) as { transition: { id: string } };
      if (transition.id === '31' && issue.status !== 'Done') issue.status = 'Done';
      else if (transition.id === '41' && issue.status === 'Done') issue.status = 'To Do';
      else return json(400, { errorMessages: ['transition not available'] });
      issue.transitions.push(transition.id === '31' ? 'Done' : 'Reopen');
      return { status: 204 };
    }
    if (match[2] === undefined && request.method === 'GET') {
      calls.push('GET issue');
      const category = issue.status === 'Done' ? 'done' : 'new';
      return json(200, {
        id: issue.id,
        key: issue.key,
        fields: { status: { name: issue.status, statusCategory: { key: category } } },
      });
    }
    return json(405, { errorMessages: ['method not allowed'] });
  });
  return Object.defineProperty(Object.assign(server, { issues, calls }), 'createDelayMs', {
    get: () => state.createDelayMs,
    set: (value: number) => {
      state.createDelayMs = value;
    },
  }) as FakeJira;
}

export interface Incident {
  sys_id: string;
  number: string;
  state: string;
  short_description: string;
  description: string;
  correlation_id: string;
  urgency: string;
  close_code: string;
  close_notes: string;
  work_notes: string[];
  states: string[];
}

export interface FakeServiceNow extends FakeServer {
  incidents: Map<string, Incident>;
  calls: string[];
}

/** ServiceNow Table API on `incident`: POST, PATCH (state, work notes, close fields), GET by query. */
export async function startFakeServiceNow(credentials: string): Promise<FakeServiceNow> {
  const incidents = new Map<string, Incident>();
  const calls: string[] = [];
  const expected = `Basic ${Buffer.from(credentials).toString('base64')}`;
  const server = await startFakeServer((request) => {
    if (request.headers.authorization !== expected)
      return json(401, { error: { message: 'User Not Authenticated' } });
    const url = new URL(request.path, 'http://servicenow');
    const view = (incident: Incident): Record<string, string> => ({
      sys_id: incident.sys_id,
      number: incident.number,
      state: incident.state,
    });
    if (url.pathname === '/api/now/table/incident' && request.method === 'POST') {
      calls.push('POST incident');
      const body = JSON.parse(request.body) as Record<string, string>;
      if (body.state === '6' && (!body.close_code || !body.close_notes))
        return json(400, { error: { message: 'close_code and close_notes are mandatory' } });
      const sysId = `${(incidents.size + 1).toString(16).padStart(32, 'a')}`;
      const incident: Incident = {
        sys_id: sysId,
        number: `INC${String(incidents.size + 1).padStart(7, '0')}`,
        state: '1',
        short_description: body.short_description ?? '',
        description: body.description ?? '',
        correlation_id: body.correlation_id ?? '',
        urgency: body.urgency ?? '',
        close_code: '',
        close_notes: '',
        work_notes: [],
        states: ['1'],
      };
      incidents.set(sysId, incident);
      return json(201, { result: view(incident) });
    }
    if (url.pathname === '/api/now/table/incident' && request.method === 'GET') {
      calls.push('GET incident');
      const correlation = /correlation_id=([^^]+)/.exec(url.searchParams.get('sysparm_query') ?? '')?.[1];
      const found = [...incidents.values()].filter((incident) => incident.correlation_id === correlation);
      return json(200, { result: found.slice(0, 1).map(view) });
    }
    const match = /^\/api\/now\/table\/incident\/([0-9a-f]+)$/.exec(url.pathname);
    const incident = match ? incidents.get(match[1] ?? '') : undefined;
    if (!incident) return json(404, { error: { message: 'No Record found' } });
    if (request.method === 'PATCH') {
      calls.push('PATCH incident');
      const body = JSON.parse(request.body) as Record<string, string>;
      if (body.state === '6' && (!body.close_code || !body.close_notes))
        return json(400, { error: { message: 'close_code and close_notes are mandatory' } });
      if (body.state) {
        incident.state = body.state;
        incident.states.push(body.state);
      }
      if (body.close_code) incident.close_code = body.close_code;
      if (body.close_notes) incident.close_notes = body.close_notes;
      if (body.work_notes) incident.work_notes.push(body.work_notes);
      return json(200, { result: view(incident) });
    }
    return json(405, { error: { message: 'method not allowed' } });
  });
  return Object.assign(server, { incidents, calls });
}
