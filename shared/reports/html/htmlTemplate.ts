import { escapeHtml } from '../escapeHtml.js';

/** Markup that is already safe: produced by {@link html} from escaped parts. */
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
 * (text and attribute values alike); only SafeHtml from another `html` template passes unchanged.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup);
}

/** Joins fragments with no separator. */
export function joinHtml(parts: readonly HtmlValue[]): SafeHtml {
  return new SafeHtml(render(parts));
}
