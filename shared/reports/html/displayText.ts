import { cutForDisplay, truncatedNote } from './displayCut.js';
import { markup, type SafeHtml } from './htmlTemplate.js';

/**
 * Characters of an inventory value the HTML report (and so the report e-mail) shows: names and
 * identifiers (cluster, subscription, resource group, run), and free text (reasons). Longer values
 * are cut, visibly; findings.json and the workbook keep them whole.
 */
export const DISPLAY_LIMITS = { name: 200, text: 600 } as const;

/** An inventory value as text, cut to `maxChars` with a visible “truncated” note. */
export function displayText(value: string, maxChars: number = DISPLAY_LIMITS.name): SafeHtml {
  const { kept, cutFrom } = cutForDisplay(value, maxChars);
  return cutFrom === undefined
    ? markup`${kept}`
    : markup`${kept}<span class="truncated">${truncatedNote(cutFrom)}</span>`;
}

/** An inventory value for an attribute (a tooltip): cut the same way, the note as plain text. */
export function displayAttribute(value: string, maxChars: number = DISPLAY_LIMITS.name): string {
  const { kept, cutFrom } = cutForDisplay(value, maxChars);
  return cutFrom === undefined ? kept : `${kept}${truncatedNote(cutFrom)}`;
}
