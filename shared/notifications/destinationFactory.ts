import type { SecretSource } from '../config/secretSource.js';
import { isSettingName } from '../config/secretSource.js';
import type { NotificationDestination } from './destination.js';
import {
  COMMON_KEYS,
  DESTINATION_TYPES,
  EntryReader,
  isObject,
  readCommonFields,
  type DestinationConfig,
  type DestinationDefaults,
  type DestinationParser,
  type DestinationType,
} from './destinationSettings.js';
import { createEmailDestination, emailParser } from './emailDestination.js';
import { createJiraDestination, jiraParser } from './jiraDestination.js';
import { createServiceNowDestination, serviceNowParser } from './serviceNowDestination.js';
import { createTeamsDestination, teamsParser } from './teamsDestination.js';
import { createWebhookDestination, webhookParser } from './webhookDestination.js';

/** Each destination type's configuration parser, owned by the module that creates it. */
const PARSERS: { [T in DestinationType]: DestinationParser<Extract<DestinationConfig, { type: T }>> } = {
  webhook: webhookParser,
  jira: jiraParser,
  servicenow: serviceNowParser,
  teams: teamsParser,
  email: emailParser,
};

/** The destination implementation for a configured entry. */
export function createDestination(config: DestinationConfig): NotificationDestination {
  switch (config.type) {
    case 'webhook':
      return createWebhookDestination(config);
    case 'jira':
      return createJiraDestination(config);
    case 'servicenow':
      return createServiceNowDestination(config);
    case 'teams':
      return createTeamsDestination(config);
    case 'email':
      return createEmailDestination(config);
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

function parseEntry(
  entry: unknown,
  index: number,
  secrets: SecretSource,
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
  if (!(DESTINATION_TYPES as readonly string[]).includes(typeText)) {
    reader.problem(`type must be one of ${DESTINATION_TYPES.join(', ')}`);
    return undefined;
  }
  const parser = PARSERS[typeText as DestinationType] as DestinationParser<DestinationConfig>;
  const known = new Set<string>([...COMMON_KEYS, ...parser.keys]);
  for (const key of Object.keys(entry))
    if (!known.has(key)) reader.problem(`unknown key "${key}" for a ${parser.type} destination`);

  const secretSetting = reader.string('secretSetting') ?? null;
  let secret: string | undefined;
  if (secretSetting !== null && !isSettingName(secretSetting))
    reader.problem('secretSetting must be the NAME of a setting (letters, digits, _ and .), not a secret');
  else if (secretSetting !== null) {
    secret = secrets.secret(secretSetting);
    if (secret === undefined) reader.problem(`secretSetting names ${secretSetting}, which is not set`);
  }
  const urlText = reader.string('url');
  const common = readCommonFields(reader, name, secretSetting, parser, defaults);
  const config = parser.parse({ reader, common, urlText, secret, defaults });
  return problems.length === before ? config : undefined;
}

/**
 * Parses `NOTIFICATION_DESTINATIONS` (a JSON array). Every bad entry and field adds a problem to
 * `problems` (which never quote a secret); only valid entries are returned.
 */
export function parseDestinations(
  json: string | undefined,
  secrets: SecretSource,
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
    const config = parseEntry(entry, index, secrets, defaults, problems);
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
