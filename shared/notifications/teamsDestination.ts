import { attempt, type NotificationDestination } from './destination.js';
import { readHttpUrl, type DestinationParser, type TeamsDestinationConfig } from './destinationSettings.js';
import { EVENT_TYPES } from './events.js';
import { expectSuccess } from './deliveryFailure.js';
import { teamsPayload } from './teamsCards.js';

/**
 * Microsoft Teams through a Workflows webhook: each event as one Adaptive Card. The URL is the
 * destination's `url`, or — since a Workflows URL carries its signature — its secret setting.
 */
export function createTeamsDestination(config: TeamsDestinationConfig): NotificationDestination {
  return {
    config,
    deliver: (event, context) =>
      attempt(async () => {
        const url = config.url !== '' ? config.url : context.secret;
        if (!url) throw new Error(`${config.name} has no URL`);
        const response = await context.http({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          body: teamsPayload(event).body,
          timeoutMs: config.timeoutMs,
          maxResponseBytes: config.maxResponseBytes,
        });
        expectSuccess(response, `Teams ${config.name}`, context.now().getTime());
        return `accepted with ${response.status}`;
      }),
  };
}

/** A Teams entry: the Workflows URL in `url`, or (with its signature) in the setting `secretSetting` names. */
export const teamsParser: DestinationParser<TeamsDestinationConfig> = {
  type: 'teams',
  keys: [],
  allowedEvents: EVENT_TYPES,
  defaultEvents: [
    'run.completed',
    'run.partial',
    'finding.opened',
    'finding.reopened',
    'governance.expiring',
    'governance.expired',
  ],
  parse({ reader, common, urlText, secret, defaults }) {
    let url = '';
    if (common.secretSetting !== null) {
      if (urlText !== undefined)
        reader.problem('give either url or secretSetting (holding the Workflows URL), not both');
      if (secret !== undefined) {
        let held: URL | undefined;
        try {
          held = new URL(secret);
        } catch {
          held = undefined;
        }
        const allowed =
          held?.protocol === 'https:' || (defaults.allowHttpLoopback && held?.protocol === 'http:');
        if (!allowed)
          reader.problem(`${common.secretSetting} must hold the https URL of the Workflows webhook`);
      }
    } else if (urlText === undefined) {
      reader.problem('url or secretSetting (holding the URL) is required');
    } else {
      url = readHttpUrl(reader, urlText, defaults.allowHttpLoopback);
    }
    return { ...common, type: 'teams', url };
  },
};
