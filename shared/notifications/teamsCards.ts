import { isFindingEvent, type FindingEvent, type NotificationEvent, type RunEvent } from './events.js';
import { fitToBudget } from './payloadBudget.js';
import { safeLinks } from './runLinks.js';
import { PAYLOAD_LIMITS } from './payloadLimits.js';
import { limitLine, limitText } from './textLimit.js';
import { findingFacts, findingReason } from './ticketText.js';

const CAP = PAYLOAD_LIMITS.text;

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
  return {
    type: 'TextBlock',
    text: limitLine(text, CAP.title),
    weight: 'Bolder',
    size: 'Medium',
    wrap: true,
    color,
  };
}

function paragraph(text: string, subtle = false): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...(subtle ? { isSubtle: true } : {}) };
}

function facts(pairs: Array<[string, string]>): CardElement {
  return { type: 'FactSet', facts: pairs.map(([label, value]) => ({ title: label, value })) };
}

function links(reportLinks: Record<string, string>): CardElement[] {
  return safeLinks(reportLinks, 5).map(([name, url]) => ({
    type: 'Action.OpenUrl',
    title: limitLine(`Open ${name}`, 60),
    url,
  }));
}

/** "… and 7 more not shown: see the report." */
function leftOut(count: number): string {
  return `… and ${count} more not shown: see the report.`;
}

function percent(score: number): string {
  return `${(score * 100).toFixed(1)}%`;
}

function runCard(event: RunEvent, detailRows: number): AdaptiveCard {
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
      .slice(0, detailRows)
      .map((gap) =>
        limitLine(
          `- ${gap.kind === 'scope' ? `${gap.subscriptionId} ${gap.category}` : gap.id}: ${gap.reason}`,
          CAP.gapLine,
        ),
      );
    const hidden = Math.max(data.coverage.notReadCount, data.coverage.notRead.length) - lines.length;
    if (hidden > 0) lines.push(leftOut(hidden));
    if (lines.length > 0) body.push(paragraph(lines.join('\n'), true));
  } else {
    body.push(
      title(`Compliance ${percent(data.run.score)}${change}${data.run.complete ? '' : ' — partial run'}`),
    );
    body.push(
      facts([
        ['Run', limitLine(data.run.id, CAP.factValue)],
        ['As of', limitLine(data.run.asOf, CAP.factValue)],
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
      const lines = data.newlyFailing
        .slice(0, detailRows)
        .map((f) =>
          limitLine(`- ${f.controlId} ${f.clusterName} (${f.severity}): ${f.reason}`, CAP.headline),
        );
      const hidden = Math.max(data.changes.newlyFailing, data.newlyFailing.length) - lines.length;
      if (hidden > 0) lines.push(leftOut(hidden));
      body.push(title('Newly failing', 'attention'));
      body.push(paragraph(lines.join('\n')));
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

/** How much of a finding a card shows. */
interface FindingCardForm {
  reason: number;
  remediation: number;
}

const FINDING_CARD_FORMS: FindingCardForm[] = [
  { reason: CAP.reason, remediation: CAP.remediation },
  { reason: 500, remediation: 300 },
  { reason: 200, remediation: 0 },
];

function findingCard(event: FindingEvent, form: FindingCardForm): AdaptiveCard {
  const { data } = event;
  const [label, color] = FINDING_TITLES[event.type];
  const body: CardElement[] = [
    title(`${label}: [${data.controlId}] ${data.clusterName}`, color),
    facts(findingFacts(data)),
    paragraph(findingReason(data, form.reason) || '-'),
  ];
  if (data.remediation && event.type !== 'finding.resolved' && form.remediation > 0)
    body.push(paragraph(limitText(`Remediation: ${data.remediation}`, { max: form.remediation }), true));
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

function message(content: AdaptiveCard): TeamsMessage {
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}

/**
 * The Teams message for an event (one Adaptive Card) and its serialised body, within the
 * Teams message budget: detail rows are dropped (the card says how many, and links the report)
 * and texts shortened until it fits.
 */
export function teamsPayload(event: NotificationEvent): {
  message: TeamsMessage;
  body: string;
  bytes: number;
} {
  const budget = PAYLOAD_LIMITS.teams.bodyBytes;
  const forms = isFindingEvent(event)
    ? FINDING_CARD_FORMS.map((form) => () => message(findingCard(event, form)))
    : [PAYLOAD_LIMITS.teams.detailRows, 5, 2, 0].map((rows) => () => message(runCard(event, rows)));
  const fitted = fitToBudget('Teams message', budget, forms);
  return { message: fitted.payload, body: fitted.body, bytes: fitted.bytes };
}

/** The Teams message for an event: one Adaptive Card within the Teams budget. */
export function teamsMessage(event: NotificationEvent): TeamsMessage {
  return teamsPayload(event).message;
}
