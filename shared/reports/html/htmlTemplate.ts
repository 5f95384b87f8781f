import { escapeHtml } from '../escapeHtml.js';

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
  return escapeHtml(value as string | number);
}

/**
 * Template tag for markup: every interpolated string or number is escaped with {@link escapeHtml}
 * (text and attribute values alike); only SafeHtml from another `markup` template passes unchanged.
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
