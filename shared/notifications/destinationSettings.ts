import { CLUSTER_KINDS, SEVERITIES, type ClusterKind, type Severity } from '../catalog/types.js';
import {
  EVENT_TYPES,
  FINDING_EVENT_TYPES,
  isFindingEvent,
  type EventType,
  type NotificationEvent,
} from './events.js';
import { isSettingName, type Env } from './settingValues.js';

/** 256 KB unless `NOTIFICATIONS_WEBHOOK_MAX_BODY_KB` or the entry's `maxBodyKb` says otherwise. */
export const WEBHOOK_DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** The destination types `NOTIFICATION_DESTINATIONS` entries may have. */
export const DESTINATION_TYPES = ['webhook', 'jira', 'servicenow', 'teams', 'email'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

/** What every destination has: where, which events, which findings, and how patient to be. */
interface DestinationCommon {
  name: string;
  /** Empty for a Teams destination whose URL is kept in its secret setting. */
  url: string;
  events: EventType[];
  minimumSeverity: Severity;
  /** Lower case; empty means every subscription. */
  subscriptionIds: string[];
  /** Empty means every kind. */
  clusterKinds: ClusterKind[];
  /** The NAME of the setting holding the secret, never the secret itself. */
  secretSetting: string | null;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** A generic receiver: signed JSON per Standard Webhooks. */
export interface WebhookDestinationConfig extends DestinationCommon {
  type: 'webhook';
  secretSetting: string;
  /** The largest body sent (UTF-8 bytes); a larger event is sent shortened, with a link to the run. */
  maxBodyBytes: number;
}

/** Jira Cloud: project, issue type and the transitions to resolve and reopen by. */
export interface JiraDestinationConfig extends DestinationCommon {
  type: 'jira';
  secretSetting: string;
  projectKey: string;
  issueType: string;
  doneTransition: string;
  reopenTransitions: string[];
  labels: string[];
}

/** ServiceNow incidents: close code, reopen state and optional assignment fields. */
export interface ServiceNowDestinationConfig extends DestinationCommon {
  type: 'servicenow';
  secretSetting: string;
  closeCode: string;
  reopenState: 1 | 2;
  assignmentGroup: string | null;
  callerId: string | null;
  category: string | null;
}

/** A Teams Workflows webhook (URL in `url` or, with its signature, in the secret setting). */
export interface TeamsDestinationConfig extends DestinationCommon {
  type: 'teams';
}

/** E-mail to fixed recipients through the SMTP settings. */
export interface EmailDestinationConfig extends DestinationCommon {
  type: 'email';
  recipients: string[];
}

/** One validated entry of `NOTIFICATION_DESTINATIONS`. */
export type DestinationConfig =
  | WebhookDestinationConfig
  | JiraDestinationConfig
  | ServiceNowDestinationConfig
  | TeamsDestinationConfig
  | EmailDestinationConfig;

/** Global defaults a destination entry may override. */
export interface DestinationDefaults {
  timeoutMs: number;
  maxResponseBytes: number;
  /** Default largest webhook body (`NOTIFICATIONS_WEBHOOK_MAX_BODY_KB`). */
  webhookMaxBodyBytes?: number;
  allowHttpLoopback: boolean;
  smtpConfigured: boolean;
}

const ALLOWED_EVENTS: Record<DestinationType, readonly EventType[]> = {
  webhook: EVENT_TYPES,
  jira: FINDING_EVENT_TYPES,
  servicenow: FINDING_EVENT_TYPES,
  teams: EVENT_TYPES,
  email: EVENT_TYPES,
};

const DEFAULT_EVENTS: Record<DestinationType, readonly EventType[]> = {
  webhook: EVENT_TYPES,
  jira: FINDING_EVENT_TYPES,
  servicenow: FINDING_EVENT_TYPES,
  teams: [
    'run.completed',
    'run.partial',
    'finding.opened',
    'finding.reopened',
    'governance.expiring',
    'governance.expired',
  ],
  email: ['run.completed', 'run.partial', 'governance.expiring', 'governance.expired'],
};

const COMMON_KEYS = [
  'name',
  'type',
  'url',
  'events',
  'minimumSeverity',
  'subscriptionIds',
  'clusterKinds',
  'secretSetting',
  'timeoutSeconds',
  'maxResponseKb',
];
const TYPE_KEYS: Record<DestinationType, string[]> = {
  webhook: ['maxBodyKb'],
  jira: ['projectKey', 'issueType', 'doneTransition', 'reopenTransitions', 'labels'],
  servicenow: ['closeCode', 'reopenState', 'assignmentGroup', 'callerId', 'category'],
  teams: [],
  email: [],
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
const LABEL = /^[^\s]{1,255}$/;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
/** Query parameters that carry credentials (Workflows `sig`, SAS `sig`, API keys, tokens). */
const CREDENTIAL_PARAMETERS =
  /^(sig|signature|code|key|apikey|api[-_]key|token|access[-_]token|secret|password|pwd)$/i;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one entry's fields, collecting problems under a label that names the entry. */
class EntryReader {
  constructor(
    private readonly entry: Json,
    private readonly label: string,
    private readonly problems: string[],
  ) {}

  problem(message: string): void {
    this.problems.push(`${this.label}: ${message}`);
  }

  string(key: string, fallback?: string): string | undefined {
    const value = this.entry[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(`${key} must be a non-empty string`);
      return fallback;
    }
    return value.trim();
  }

  strings(key: string, fallback: readonly string[]): string[] {
    const value = this.entry[key];
    if (value === undefined || value === null) return [...fallback];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
      this.problem(`${key} must be an array of non-empty strings`);
      return [...fallback];
    }
    return value.map((item: string) => item.trim());
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.entry[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problem(`${key} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }
}

function parseHttpUrl(reader: EntryReader, raw: string, allowHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    reader.problem('url is not a URL');
    return '';
  }
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && allowHttp);
  if (!allowed) {
    reader.problem(
      allowHttp
        ? 'url must be https (or http to a loopback address)'
        : `url must be https, got ${url.protocol}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    reader.problem('url must not carry a user name or password: name a secret setting in secretSetting');
  }
  if (url.hash !== '') reader.problem('url must not have a fragment');
  for (const name of url.searchParams.keys()) {
    if (CREDENTIAL_PARAMETERS.test(name)) {
      reader.problem(
        `url carries a credential in its query (${name}); keep the whole URL in a secret setting ` +
          'and name that setting in secretSetting',
      );
    }
  }
  return url.toString();
}

function parseMailto(reader: EntryReader, raw: string): string[] {
  if (!/^mailto:/i.test(raw)) {
    reader.problem('url of an email destination must be mailto:address[,address…]');
    return [];
  }
  const recipients = decodeURIComponent(raw.slice('mailto:'.length).split('?')[0] ?? '')
    .split(/[,;]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (recipients.length === 0) reader.problem('url of an email destination names no recipient');
  for (const recipient of recipients)
    if (!EMAIL.test(recipient)) reader.problem(`"${recipient}" is not an e-mail address`);
  return recipients;
}

/** Checks the secret's shape for the destination type without ever echoing it. */
function checkSecret(
  reader: EntryReader,
  type: DestinationType,
  setting: string,
  env: Env,
  allowHttp: boolean,
): void {
  const value = env[setting]?.trim() ?? '';
  if (value === '') {
    reader.problem(`secretSetting names ${setting}, which is not set`);
    return;
  }
  if (type === 'webhook') {
    for (const [index, secret] of value.split(/\s+/).entries()) {
      const body = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
      const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, 'base64').length : 0;
      if (bytes < 24 || bytes > 64) {
        reader.problem(
          `secret ${index + 1} in ${setting} is not a Standard Webhooks secret ` +
            '(whsec_ + base64 of 24–64 bytes)',
        );
      }
    }
  } else if ((type === 'jira' || type === 'servicenow') && !/^[^:\s]+:.+$/.test(value)) {
    reader.problem(`${setting} must hold ${type === 'jira' ? 'email:apiToken' : 'user:password'}`);
  } else if (type === 'teams') {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    const allowed = url?.protocol === 'https:' || (allowHttp && url?.protocol === 'http:');
    if (!allowed) reader.problem(`${setting} must hold the https URL of the Workflows webhook`);
  }
}

function parseEntry(
  entry: unknown,
  index: number,
  env: Env,
  defaults: DestinationDefaults,
  problems: string[],
): DestinationConfig | undefined {
  const rawName = isObject(entry) && typeof entry.name === 'string' ? entry.name : '';
  const label = `NOTIFICATION_DESTINATIONS[${index}]${rawName ? ` ("${rawName.slice(0, 64)}")` : ''}`;
  if (!isObject(entry)) {
    problems.push(`${label}: must be an object`);
    return undefined;
  }
  const reader = new EntryReader(entry, label, problems);
  const before = problems.length;
  const name = reader.string('name') ?? '';
  if (!NAME.test(name))
    reader.problem('name must be 1–63 letters, digits, - or _, starting with a letter or digit');
  const typeText = reader.string('type') ?? '';
  const type = (DESTINATION_TYPES as readonly string[]).includes(typeText)
    ? (typeText as DestinationType)
    : undefined;
  if (!type) {
    reader.problem(`type must be one of ${DESTINATION_TYPES.join(', ')}`);
    return undefined;
  }
  const known = new Set([...COMMON_KEYS, ...TYPE_KEYS[type]]);
  for (const key of Object.keys(entry))
    if (!known.has(key)) reader.problem(`unknown key "${key}" for a ${type} destination`);

  const secretSetting = reader.string('secretSetting') ?? null;
  if (secretSetting !== null && !isSettingName(secretSetting))
    reader.problem('secretSetting must be the NAME of a setting (letters, digits, _ and .), not a secret');
  const urlText = reader.string('url');
  let url = '';
  let recipients: string[] = [];
  if (type === 'email') {
    recipients = urlText === undefined ? [] : parseMailto(reader, urlText);
    if (urlText === undefined) reader.problem('url (mailto:…) is required');
    if (!defaults.smtpConfigured)
      reader.problem('an email destination needs SMTP_HOST and REPORT_EMAIL_FROM');
    url = urlText ?? '';
  } else if (type === 'teams' && secretSetting !== null) {
    if (urlText !== undefined)
      reader.problem('give either url or secretSetting (holding the Workflows URL), not both');
  } else if (urlText === undefined) {
    reader.problem(
      type === 'teams' ? 'url or secretSetting (holding the URL) is required' : 'url is required',
    );
  } else {
    url = parseHttpUrl(reader, urlText, defaults.allowHttpLoopback);
  }
  const needsSecret = type === 'webhook' || type === 'jira' || type === 'servicenow';
  if (needsSecret && secretSetting === null)
    reader.problem(
      `secretSetting is required for a ${type} destination (the name of the setting with the secret)`,
    );
  if (secretSetting !== null && isSettingName(secretSetting))
    checkSecret(reader, type, secretSetting, env, defaults.allowHttpLoopback);

  const events = reader.strings('events', DEFAULT_EVENTS[type]);
  if (events.length === 0) reader.problem('events must name at least one event type');
  for (const event of events) {
    if (!(ALLOWED_EVENTS[type] as readonly string[]).includes(event))
      reader.problem(
        `event "${event}" is not one a ${type} destination takes (${ALLOWED_EVENTS[type].join(', ')})`,
      );
  }
  const severity = reader.string('minimumSeverity', 'low') ?? 'low';
  if (!(SEVERITIES as readonly string[]).includes(severity))
    reader.problem(`minimumSeverity must be one of ${SEVERITIES.join(', ')}`);
  const subscriptionIds = reader.strings('subscriptionIds', []).map((id) => id.toLowerCase());
  for (const id of subscriptionIds)
    if (!GUID.test(id)) reader.problem(`subscription ID "${id}" is not a GUID`);
  const clusterKinds = reader.strings('clusterKinds', []);
  for (const kind of clusterKinds) {
    if (!(CLUSTER_KINDS as readonly string[]).includes(kind))
      reader.problem(`cluster kind "${kind}" is not one of ${CLUSTER_KINDS.join(', ')}`);
  }
  const timeoutMs = reader.integer('timeoutSeconds', defaults.timeoutMs / 1000, 1, 120) * 1000;
  const maxResponseBytes =
    reader.integer('maxResponseKb', defaults.maxResponseBytes / 1024, 1, 10_240) * 1024;

  const common = {
    name,
    url,
    events: events as EventType[],
    minimumSeverity: severity as Severity,
    subscriptionIds,
    clusterKinds: clusterKinds as ClusterKind[],
    secretSetting,
    timeoutMs,
    maxResponseBytes,
  };
  let config: DestinationConfig;
  switch (type) {
    case 'jira': {
      const projectKey = reader.string('projectKey') ?? '';
      if (!PROJECT_KEY.test(projectKey)) reader.problem('projectKey must be a Jira project key such as OPS');
      const labels = reader.strings('labels', []);
      for (const item of labels)
        if (!LABEL.test(item)) reader.problem(`label "${item}" must not contain spaces`);
      config = {
        ...common,
        type,
        secretSetting: secretSetting ?? '',
        projectKey,
        issueType: reader.string('issueType', 'Task') ?? 'Task',
        doneTransition: reader.string('doneTransition', 'Done') ?? 'Done',
        reopenTransitions: reader.strings('reopenTransitions', ['Reopen', 'To Do']),
        labels,
      };
      break;
    }
    case 'servicenow': {
      const reopenState = reader.integer('reopenState', 2, 1, 2);
      config = {
        ...common,
        type,
        secretSetting: secretSetting ?? '',
        closeCode: reader.string('closeCode', 'Solution provided') ?? 'Solution provided',
        reopenState: reopenState === 1 ? 1 : 2,
        assignmentGroup: reader.string('assignmentGroup') ?? null,
        callerId: reader.string('callerId') ?? null,
        category: reader.string('category') ?? null,
      };
      break;
    }
    case 'webhook': {
      const defaultKb = (defaults.webhookMaxBodyBytes ?? WEBHOOK_DEFAULT_MAX_BODY_BYTES) / 1024;
      const maxBodyBytes = reader.integer('maxBodyKb', defaultKb, 16, 10_240) * 1024;
      config = { ...common, type, secretSetting: secretSetting ?? '', maxBodyBytes };
      break;
    }
    case 'teams':
      config = { ...common, type };
      break;
    case 'email':
      config = { ...common, type, recipients };
      break;
  }
  return problems.length === before ? config : undefined;
}

/**
 * Parses `NOTIFICATION_DESTINATIONS` (a JSON array). Every bad entry and field adds a problem to
 * `problems` (which never quote a secret); only valid entries are returned.
 */
export function parseDestinations(
  json: string | undefined,
  env: Env,
  defaults: DestinationDefaults,
  problems: string[],
): DestinationConfig[] {
  const text = json?.trim() ?? '';
  if (text === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(`NOTIFICATION_DESTINATIONS is not JSON (${(error as Error).message})`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    problems.push('NOTIFICATION_DESTINATIONS must be a JSON array of destinations');
    return [];
  }
  const destinations: DestinationConfig[] = [];
  const names = new Set<string>();
  parsed.forEach((entry, index) => {
    const config = parseEntry(entry, index, env, defaults, problems);
    if (!config) return;
    if (names.has(config.name.toLowerCase())) {
      problems.push(`NOTIFICATION_DESTINATIONS[${index}]: name "${config.name}" is used twice`);
      return;
    }
    names.add(config.name.toLowerCase());
    destinations.push(config);
  });
  return destinations;
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

/** True when a destination takes an event: its type, and for findings severity and scope. */
export function destinationAccepts(destination: DestinationConfig, event: NotificationEvent): boolean {
  if (!destination.events.includes(event.type)) return false;
  if (!isFindingEvent(event)) return true;
  const { data } = event;
  if (SEVERITY_RANK[data.severity] < SEVERITY_RANK[destination.minimumSeverity]) return false;
  if (
    destination.subscriptionIds.length > 0 &&
    !destination.subscriptionIds.includes(data.subscriptionId.toLowerCase())
  )
    return false;
  return destination.clusterKinds.length === 0 || destination.clusterKinds.includes(data.clusterKind);
}
