import { isFindingEvent, type FindingEvent, type NotificationEvent, type RunEvent } from './events.js';
import { findingFacts } from './ticketText.js';

/** An Adaptive Card element (the subset used here). */
export type CardElement = Record<string, unknown>;

/** An Adaptive Card 1.4. */
export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: '1.4';
  body: CardElement[];
  actions?: CardElement[];
}

/** The message a Teams Workflows webhook ("When a Teams webhook request is received") takes. */
export interface TeamsMessage {
  type: 'message';
  attachments: Array<{
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: AdaptiveCard;
  }>;
}

function title(text: string, color: 'default' | 'attention' | 'good' | 'warning' = 'default'): CardElement {
  return { type: 'TextBlock', text, weight: 'Bolder', size: 'Medium', wrap: true, color };
}

function paragraph(text: string, subtle = false): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...(subtle ? { isSubtle: true } : {}) };
}

function facts(pairs: Array<[string, string]>): CardElement {
  return { type: 'FactSet', facts: pairs.map(([label, value]) => ({ title: label, value })) };
}

function links(reportLinks: Record<string, string>): CardElement[] {
  return Object.entries(reportLinks)
    .filter(([, url]) => /^https:\/\//i.test(url))
    .slice(0, 5)
    .map(([name, url]) => ({ type: 'Action.OpenUrl', title: `Open ${name}`, url }));
}

function percent(score: number): string {
  return `${(score * 100).toFixed(1)}%`;
}

function runCard(event: RunEvent): AdaptiveCard {
  const { data } = event;
  const change =
    data.run.scoreChange === null
      ? ''
      : ` (${data.run.scoreChange >= 0 ? '+' : ''}${data.run.scoreChange.toFixed(1)})`;
  const body: CardElement[] = [];
  if (event.type === 'run.partial') {
    body.push(title('Compliance run partial: part of the scope could not be read', 'warning'));
    body.push(
      paragraph(
        `${data.coverage.notReadCount} part(s) of the scope were not read. Findings there are ERROR; ` +
          'nothing is resolved until a complete run.',
      ),
    );
    const lines = data.coverage.notRead
      .slice(0, 10)
      .map(
        (gap) =>
          `- ${gap.kind === 'scope' ? `${gap.subscriptionId} ${gap.category}` : gap.id}: ${gap.reason}`,
      );
    if (lines.length > 0) body.push(paragraph(lines.join('\n'), true));
  } else {
    body.push(
      title(`Compliance ${percent(data.run.score)}${change}${data.run.complete ? '' : ' — partial run'}`),
    );
    body.push(
      facts([
        ['Run', data.run.id],
        ['As of', data.run.asOf],
        ...(data.run.clusterCount === null
          ? []
          : [['Clusters', String(data.run.clusterCount)] as [string, string]]),
        ['Newly failing', String(data.changes.newlyFailing)],
        ['Resolved', String(data.changes.resolved)],
        ['Still failing', String(data.changes.stillFailing)],
        [
          'FAIL / ERROR / MANUAL',
          `${data.run.counts.FAIL} / ${data.run.counts.ERROR} / ${data.run.counts.MANUAL}`,
        ],
        [
          'Coverage',
          data.coverage.complete ? 'complete' : `partial (${data.coverage.notReadCount} not read)`,
        ],
      ]),
    );
    if (data.newlyFailing.length > 0) {
      body.push(title('Newly failing', 'attention'));
      body.push(
        paragraph(
          data.newlyFailing
            .slice(0, 10)
            .map((f) => `- ${f.controlId} ${f.clusterName} (${f.severity}): ${f.reason}`)
            .join('\n'),
        ),
      );
    }
  }
  return card(body, links(data.reportLinks));
}

const FINDING_TITLES: Record<FindingEvent['type'], [string, 'attention' | 'good' | 'warning']> = {
  'finding.opened': ['New failure', 'attention'],
  'finding.updated': ['Status changed', 'warning'],
  'finding.reopened': ['Failing again', 'attention'],
  'finding.resolved': ['Resolved', 'good'],
};

function findingCard(event: FindingEvent): AdaptiveCard {
  const { data } = event;
  const [label, color] = FINDING_TITLES[event.type];
  const body: CardElement[] = [
    title(`${label}: [${data.controlId}] ${data.clusterName}`, color),
    facts(findingFacts(data)),
    paragraph(data.reason),
  ];
  if (data.remediation && event.type !== 'finding.resolved')
    body.push(paragraph(`Remediation: ${data.remediation}`, true));
  return card(body, links(data.reportLinks));
}

function card(body: CardElement[], actions: CardElement[]): AdaptiveCard {
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

/** The Teams message for an event: one Adaptive Card. */
export function teamsMessage(event: NotificationEvent): TeamsMessage {
  const content = isFindingEvent(event) ? findingCard(event) : runCard(event);
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}
