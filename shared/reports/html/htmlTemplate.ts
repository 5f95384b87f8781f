import { escapeHtml } from '../escapeHtml.js';
import { cutForDisplay, truncatedNote } from './displayCut.js';

/**
 * The longest string any interpolation shows. Inventory values are cut much shorter where they
 * are shown (displayText); this is the backstop that bounds every other value, so no input can
 * make the page grow without bound.
 */
export const MAX_INTERPOLATED_CHARS = 2000;

function bounded(value: string): string {
  const { kept, cutFrom } = cutForDisplay(value, MAX_INTERPOLATED_CHARS);
  return cutFrom === undefined ? kept : `${kept}${truncatedNote(cutFrom)}`;
}

/** Markup that is already safe: produced by {@link markup} from escaped parts. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(typeof value === 'string' ? bounded(value) : (value as number));
}

/**
 * Template tag for markup: every interpolated string or number is escaped with {@link escapeHtml}
 * (text and attribute values alike), a string first cut to MAX_INTERPOLATED_CHARS; only SafeHtml
 * from another `markup` template passes unchanged.
 */
export function markup(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** A constant of the code base (the stylesheet) inserted as is; never pass data to it. */
export function trustedMarkup(constant: string): SafeHtml {
  return new SafeHtml(constant);
}

/** Items separated by ", ", each kept on one line (so "DS-08 FAIL" never breaks at its hyphen). */
export function nowrapList(items: readonly string[]): SafeHtml {
  return markup`${items.map((item, index) => markup`${index > 0 ? ', ' : ''}<span class="nowrap">${item}</span>`)}`;
}
