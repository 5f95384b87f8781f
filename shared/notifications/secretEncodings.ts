/**
 * Patterns that find a secret however a receiver re-encoded it before echoing it back: each
 * character may appear as itself or percent-encoded (hex digits in either case, encoded once or
 * several times), as an HTML character reference (decimal, hexadecimal or named, `&amp;`-escaped
 * again or not), as a JSON or JavaScript escape (`\u002f`, `\x2f`, `\/`) or, for a space, as `+`
 * — in any mixture. Whole-value encodings that change every character are matched apart: hex
 * (either case) and base64/base64url at each of the three alignments a secret can have inside a
 * longer base64 text.
 */

/** The shortest encoded core worth matching on its own (shorter ones would hit unrelated text). */
const MIN_CORE = 8;

/** Named HTML references for characters common in keys, tokens and URLs. */
const NAMED_ENTITIES: Record<string, string[]> = {
  '&': ['amp'],
  '<': ['lt'],
  '>': ['gt'],
  '"': ['quot'],
  "'": ['apos'],
  '/': ['sol'],
  '+': ['plus'],
  '=': ['equals'],
  ':': ['colon'],
  '%': ['percnt'],
  '.': ['period'],
  '#': ['num'],
  '?': ['quest'],
  '!': ['excl'],
  _: ['lowbar', 'UnderBar'],
  '-': ['hyphen', 'dash'],
  ',': ['comma'],
  ';': ['semi'],
  '~': ['tilde'],
  $: ['dollar'],
  '*': ['ast', 'midast'],
  '(': ['lpar'],
  ')': ['rpar'],
  '[': ['lsqb', 'lbrack'],
  ']': ['rsqb', 'rbrack'],
  '{': ['lcub', 'lbrace'],
  '}': ['rcub', 'rbrace'],
  '@': ['commat'],
  '\\': ['bsol'],
  '|': ['vert', 'verbar'],
  '^': ['Hat'],
  '`': ['grave'],
  ' ': ['nbsp'],
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** A hex number matched in either case: `2f` → `2[fF]`. */
function anyCaseHex(hex: string): string {
  return [...hex]
    .map((digit) => (/[a-f]/i.test(digit) ? `[${digit.toLowerCase()}${digit.toUpperCase()}]` : digit))
    .join('');
}

/** Every way one character may be written (see the module comment), as a regular expression. */
function characterPattern(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const options = [escapeRegExp(character)];
  const bytes = [...Buffer.from(character, 'utf8')];
  options.push(bytes.map((byte) => `%(?:25)*${anyCaseHex(byte.toString(16).padStart(2, '0'))}`).join(''));
  // HTML references, possibly escaped again as `&amp;…`; the closing `;` may be left out.
  const amp = '&(?:amp;)*';
  options.push(`${amp}#0*${codePoint};?`, `${amp}#[xX]0*${anyCaseHex(codePoint.toString(16))};?`);
  for (const name of NAMED_ENTITIES[character] ?? []) options.push(`${amp}${name};`);
  // JSON / JavaScript escapes, possibly escaped again (`\\u002f`).
  const units = character.length === 2 ? [character.charCodeAt(0), character.charCodeAt(1)] : [codePoint];
  options.push(units.map((unit) => `\\\\+u${anyCaseHex(unit.toString(16).padStart(4, '0'))}`).join(''));
  if (codePoint < 0x100) options.push(`\\\\+x${anyCaseHex(codePoint.toString(16).padStart(2, '0'))}`);
  if (codePoint > 0xffff) options.push(`\\\\+u\\{0*${anyCaseHex(codePoint.toString(16))}\\}`);
  if (character === '/' || character === '"' || character === "'")
    options.push(`\\\\+${escapeRegExp(character)}`);
  if (character === ' ') options.push('\\+');
  return `(?:${options.join('|')})`;
}

/** A pattern matching `value` with each character in any of its encodings. */
export function encodedValuePattern(value: string): RegExp {
  return new RegExp([...value].map(characterPattern).join(''), 'g');
}

/**
 * The base64 (and base64url) characters that depend on `value` alone when its bytes start at
 * each of the three offsets modulo 3 inside a longer encoded text.
 */
export function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const core = encoded.slice(start, end);
    if (core.length >= MIN_CORE) {
      cores.add(core);
      cores.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...cores];
}

/** A pattern for the hex form of `value`'s UTF-8 bytes, in either case. */
export function hexPattern(value: string): RegExp | undefined {
  const hex = Buffer.from(value, 'utf8').toString('hex');
  return hex.length >= MIN_CORE ? new RegExp(anyCaseHex(hex), 'g') : undefined;
}
