/**
 * The one place where text bound for a receiver is made safe and short: every destination's
 * names, titles, reasons, gaps and evidence pass through `limitText`.
 *
 * - Lone surrogates become U+FFFD, so no payload carries half a character.
 * - Control characters no receiver accepts (C0 except tab and line feed, DEL, C1, the
 *   non-characters U+FFFE/U+FFFF) are removed; in single-line fields (summaries, titles,
 *   subjects, header values) tabs, line breaks and the Unicode line/paragraph separators become
 *   one space, runs of spaces collapse, and bidirectional overrides and isolates are removed.
 * - A cap is counted in code points or in UTF-16 units (what Java-based receivers such as Jira
 *   and ServiceNow count); the cut falls only between grapheme clusters, so neither a surrogate
 *   pair nor a base character with its combining marks is split, and a cut text ends with `…`.
 */

/** How a cap is counted. */
export type TextUnit = 'codePoint' | 'utf16';

export interface TextLimit {
  /** The most characters the result may have (marker included), counted in `unit`. */
  max: number;
  /** Default `codePoint`. */
  unit?: TextUnit;
  /** Replace line breaks and tabs by spaces (summaries, titles, subjects, headers). */
  singleLine?: boolean;
  /** Appended to a cut text; default `…`. */
  marker?: string;
}

/** The truncation mark. */
export const TRUNCATION_MARK = '…';

// C0 controls except TAB (09) and LF (0A); CR is handled as a line break; DEL and C1; U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
const LINE_BREAKS = /\r\n?|[\n\t\u2028\u2029\u0085]/g;
// Bidirectional embeddings, overrides and isolates: in a one-line field an unterminated one
// reorders everything after it (the marks U+200E/U+200F stay).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The length of a text in a unit. */
export function textLength(value: string, unit: TextUnit = 'codePoint'): number {
  if (unit === 'utf16') return value.length;
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** Lone surrogates replaced by U+FFFD; nothing else changed. */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

/** Lone surrogates replaced, forbidden control characters removed, lines joined when asked. */
export function cleanText(value: string, singleLine = false): string {
  let result = wellFormed(value).replace(/\r\n?/g, '\n');
  if (singleLine) result = result.replace(LINE_BREAKS, ' ').replace(BIDI_CONTROLS, '');
  result = result.replace(FORBIDDEN, '');
  if (singleLine) result = result.replace(/ {2,}/g, ' ').trim();
  return result;
}

/**
 * The longest prefix of `value` made of whole grapheme clusters whose length in `unit` is at most
 * `max`. A single grapheme longer than `max` (a letter with thousands of combining marks) is
 * left out whole; so is the last one when `value` was cut from a longer text (it may be partial).
 */
function graphemePrefix(value: string, max: number, unit: TextUnit, lastIsWhole: boolean): string {
  let used = 0;
  let end = 0;
  for (const { segment, index } of segmenter.segment(value)) {
    if (!lastIsWhole && index + segment.length === value.length) break;
    const size = textLength(segment, unit);
    if (used + size > max) break;
    used += size;
    end = index + segment.length;
  }
  return value.slice(0, end);
}

/** Cleans a text and caps it (see the module comment). */
export function limitText(value: string, limit: TextLimit): string {
  const unit = limit.unit ?? 'codePoint';
  const marker = limit.marker ?? TRUNCATION_MARK;
  // Only a bounded head of a huge text is cleaned and segmented: the cap never reaches past it.
  const bound = limit.max * 4 + 256;
  const cut = value.length > bound;
  const cleaned = cleanText(cut ? value.slice(0, bound) : value, limit.singleLine ?? false);
  // A cheap upper bound first: a text no longer in UTF-16 units than the cap fits in either unit.
  if (!cut && (cleaned.length <= limit.max || textLength(cleaned, unit) <= limit.max)) return cleaned;
  if (limit.max < textLength(marker, unit)) return '';
  const room = limit.max - textLength(marker, unit);
  // The prefix lies within the first `room` code points, at most `room * 2` UTF-16 units.
  const window = cleaned.slice(0, room * 2 + 2);
  const prefix = graphemePrefix(window, room, unit, !cut && window.length === cleaned.length);
  const trimmed = limit.singleLine ? prefix.trimEnd() : prefix;
  return `${trimmed}${marker}`;
}

/** Single-line text: titles, summaries, subjects, fact labels and values. */
export function limitLine(value: string, max: number, unit: TextUnit = 'codePoint'): string {
  return limitText(value, { max, unit, singleLine: true });
}

/** UTF-8 size of a serialised payload. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
