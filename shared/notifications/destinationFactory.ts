import type { NotificationDestination } from './destination.js';
import type { DestinationConfig } from './destinationSettings.js';
import { createEmailDestination } from './emailDestination.js';
import { createJiraDestination } from './jiraDestination.js';
import { createServiceNowDestination } from './serviceNowDestination.js';
import { createTeamsDestination } from './teamsDestination.js';
import { createWebhookDestination } from './webhookDestination.js';

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
