import type { FindingEventData } from './events.js';
import { fitToBudget } from './payloadBudget.js';
import { PAYLOAD_LIMITS } from './payloadLimits.js';
import { safeLinks } from './runLinks.js';
import { limitText } from './textLimit.js';
import { evidenceLines, findingFacts, findingReason } from './ticketText.js';

const DOCUMENT_LIMIT = PAYLOAD_LIMITS.jira.document;

/** A node of the Atlassian Document Format (the subset used here). */
export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  content?: AdfNode[];
}

/** An ADF document (`version: 1`, `type: 'doc'`). */
export interface AdfDocument extends AdfNode {
  version: 1;
  type: 'doc';
  content: AdfNode[];
}

/** Text nodes must not be empty. */
function text(value: string, marks?: AdfNode['marks']): AdfNode {
  return { type: 'text', text: value === '' ? ' ' : value, ...(marks ? { marks } : {}) };
}

function paragraph(...content: AdfNode[]): AdfNode {
  return { type: 'paragraph', content };
}

function heading(value: string): AdfNode {
  return { type: 'heading', attrs: { level: 3 }, content: [text(value)] };
}

function bulletList(items: AdfNode[][]): AdfNode {
  return {
    type: 'bulletList',
    content: items.map((item) => ({ type: 'listItem', content: [paragraph(...item)] })),
  };
}

function link(label: string, href: string): AdfNode {
  return text(label, [{ type: 'link', attrs: { href } }]);
}

/**
 * An ADF document of one paragraph (a comment body), its serialised form within Jira's text
 * field limit.
 */
export function adfText(value: string): AdfDocument {
  const build = (max: number) => (): AdfDocument => ({
    version: 1,
    type: 'doc',
    content: [paragraph(text(limitText(value, { max, unit: 'utf16' })))],
  });
  return fitToBudget('Jira comment', DOCUMENT_LIMIT, [build(30_000), build(7_000)]).payload;
}

/** How much of a finding a description shows. */
interface DescriptionForm {
  reason: number;
  remediation: number;
  evidence: number;
}

const DESCRIPTION_FORMS: DescriptionForm[] = [
  { reason: 2_000, remediation: 1_000, evidence: Infinity },
  { reason: 1_000, remediation: 500, evidence: 5 },
  { reason: 300, remediation: 200, evidence: 0 },
];

function description(data: FindingEventData, form: DescriptionForm): AdfDocument {
  const content: AdfNode[] = [heading('Reason'), paragraph(text(findingReason(data, form.reason)))];
  const evidence = evidenceLines(data, form.evidence);
  if (evidence.length > 0)
    content.push(heading('Evidence'), bulletList(evidence.map((line) => [text(line)])));
  const remediation = limitText(data.remediation ?? 'See the control in the report.', {
    max: form.remediation,
  });
  content.push(heading('Remediation'), paragraph(text(remediation)));
  content.push(
    heading('Details'),
    bulletList(
      findingFacts(data).map(([label, value]) => [text(`${label}: `, [{ type: 'strong' }]), text(value)]),
    ),
  );
  const links = safeLinks(data.reportLinks, 5);
  if (links.length > 0)
    content.push(
      heading('Report'),
      bulletList(links.map(([name, href]) => [link(limitText(name, { max: 100, singleLine: true }), href)])),
    );
  return { version: 1, type: 'doc', content };
}

/**
 * The issue description: reason, evidence, remediation, the finding's facts and report links;
 * its serialised form within Jira's text field limit (less evidence and shorter texts when not).
 */
export function adfDescription(data: FindingEventData): AdfDocument {
  return fitToBudget(
    'Jira description',
    DOCUMENT_LIMIT,
    DESCRIPTION_FORMS.map((form) => () => description(data, form)),
  ).payload;
}
