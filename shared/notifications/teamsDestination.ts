import { attempt, type NotificationDestination } from './destination.js';
import type { TeamsDestinationConfig } from './destinationSettings.js';
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
