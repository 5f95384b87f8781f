import type { FindingEventData } from './events.js';
import { evidenceLines, findingFacts } from './ticketText.js';

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

/** An ADF document of one paragraph. */
export function adfText(value: string): AdfDocument {
  return { version: 1, type: 'doc', content: [paragraph(text(value))] };
}

/** The issue description: reason, evidence, remediation, the finding's facts and report links. */
export function adfDescription(data: FindingEventData): AdfDocument {
  const content: AdfNode[] = [heading('Reason'), paragraph(text(data.reason))];
  const evidence = evidenceLines(data);
  if (evidence.length > 0)
    content.push(heading('Evidence'), bulletList(evidence.map((line) => [text(line)])));
  content.push(heading('Remediation'), paragraph(text(data.remediation ?? 'See the control in the report.')));
  content.push(
    heading('Details'),
    bulletList(
      findingFacts(data).map(([label, value]) => [text(`${label}: `, [{ type: 'strong' }]), text(value)]),
    ),
  );
  const links = Object.entries(data.reportLinks).filter(([, href]) => /^https:\/\//i.test(href));
  if (links.length > 0)
    content.push(heading('Report'), bulletList(links.map(([name, href]) => [link(name, href)])));
  return { version: 1, type: 'doc', content };
}
