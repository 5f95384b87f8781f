import { CLUSTER_KINDS, SEVERITIES, type ClusterKind, type Severity } from '../catalog/types.js';
import { isFindingEvent, type EventType, type NotificationEvent } from './events.js';
import { isWholeNumberIn, wholeNumberProblem } from '../config/settingReaders.js';

/** The destination types `NOTIFICATION_DESTINATIONS` entries may have. */
export const DESTINATION_TYPES = ['webhook', 'jira', 'servicenow', 'teams', 'email'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

/** What every destination has: where, which events, which findings, and how patient to be. */
export interface DestinationCommon {
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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The keys every destination entry may have; each type adds its own. */
export const COMMON_KEYS = [
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
] as const;

/** Query parameters that carry credentials (Workflows `sig`, SAS `sig`, API keys, tokens). */
const CREDENTIAL_PARAMETERS =
  /^(sig|signature|code|key|apikey|api[-_]key|token|access[-_]token|secret|password|pwd)$/i;

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one entry's fields, collecting problems under a label that names the entry. */
export class EntryReader {
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
    if (!isWholeNumberIn(value, min, max)) {
      this.problem(wholeNumberProblem(key, min, max));
      return fallback;
    }
    return value;
  }
}

/** An http(s) URL without credentials, fragment or credential-bearing query; '' when it is none. */
export function readHttpUrl(reader: EntryReader, raw: string, allowHttp: boolean): string {
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

/** What a destination type's parser is given: the entry's reader and its common fields. */
export interface DestinationEntry {
  reader: EntryReader;
  common: DestinationCommon;
  /** The `url` field as written (undefined when absent). */
  urlText: string | undefined;
  /** The secret of `common.secretSetting`; undefined when none is named or it is not set. */
  secret: string | undefined;
  defaults: DestinationDefaults;
}

/** How one destination type is configured; it lives next to that type's create…Destination. */
export interface DestinationParser<C extends DestinationConfig> {
  type: C['type'];
  /** Keys this type adds to `COMMON_KEYS`. */
  keys: readonly string[];
  /** The event types it may take, and those it takes when `events` is not given. */
  allowedEvents: readonly EventType[];
  defaultEvents: readonly EventType[];
  /** Reads the type's URL, secret and own keys; each problem goes to `entry.reader`. */
  parse(entry: DestinationEntry): C;
}

/** The http(s) URL every type except e-mail (and Teams with its URL in a secret) requires. */
export function requiredHttpUrl(entry: DestinationEntry): string {
  if (entry.urlText === undefined) {
    entry.reader.problem('url is required');
    return '';
  }
  return readHttpUrl(entry.reader, entry.urlText, entry.defaults.allowHttpLoopback);
}

/** The secret setting a type cannot work without; undefined (with a problem) when missing. */
export function requiredSecret(entry: DestinationEntry, type: DestinationType): string | undefined {
  const setting = entry.common.secretSetting;
  if (setting === null) {
    entry.reader.problem(
      `secretSetting is required for a ${type} destination (the name of the setting with the secret)`,
    );
    return undefined;
  }
  return entry.secret;
}

/** Reads the fields common to every type, after the type is known. */
export function readCommonFields(
  reader: EntryReader,
  name: string,
  secretSetting: string | null,
  parser: Pick<DestinationParser<DestinationConfig>, 'type' | 'allowedEvents' | 'defaultEvents'>,
  defaults: DestinationDefaults,
): DestinationCommon {
  const { type, allowedEvents, defaultEvents } = parser;
  const events = reader.strings('events', defaultEvents);
  if (events.length === 0) reader.problem('events must name at least one event type');
  for (const event of events) {
    if (!(allowedEvents as readonly string[]).includes(event))
      reader.problem(`event "${event}" is not one a ${type} destination takes (${allowedEvents.join(', ')})`);
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
  return {
    name,
    url: '',
    events: events as EventType[],
    minimumSeverity: severity as Severity,
    subscriptionIds,
    clusterKinds: clusterKinds as ClusterKind[],
    secretSetting,
    timeoutMs: reader.integer('timeoutSeconds', defaults.timeoutMs / 1000, 1, 120) * 1000,
    maxResponseBytes: reader.integer('maxResponseKb', defaults.maxResponseBytes / 1024, 1, 10_240) * 1024,
  };
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
