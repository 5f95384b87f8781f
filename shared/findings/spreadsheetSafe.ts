/**
 * Text for spreadsheet cells (findings.csv and every text cell of report.xlsx), made safe in one
 * place and in one order: characters a cell cannot hold are replaced, the text is cut when a limit
 * applies, and only then is it neutralised against formula evaluation — so no later step can undo
 * the neutralisation (a stripped NUL once turned `'\0=1+1`… into `=1+1`).
 */

/**
 * Characters a spreadsheet cell cannot carry: C0 controls other than tab, line feed and carriage
 * return, DEL (dropped by the workbook writer), U+FFFE/U+FFFF and lone surrogates (not XML).
 * They become U+FFFD, as in the HTML report, so both outputs show the same text.
 */
const NOT_STORABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * What a spreadsheet program may skip before it looks for a formula start: white space of any
 * script (tab, CR, LF, no-break and ideographic spaces), control characters, format characters
 * (zero-width spaces and joiners, bidirectional marks, the byte-order mark, soft hyphen) and the
 * other default-ignorable code points — and U+FFFD, which stands for a character that was dropped.
 */
const SKIPPED_LEADING = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\ufffd]+/u;

/**
 * Characters that make a cell a formula, a command (DDE) or a Lotus-style expression when they
 * come first: = + - @ |, and U+2212 MINUS SIGN. Compatibility forms (full-width ＝＋－＠｜, small
 * forms ﹦﹢﹣﹫, superscript and subscript signs) fold to these under NFKC and are caught too.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '|', '\u2212']);

/** A DDE call written without a leading `=` (`DDE ("cmd";"/C calc";"!A0")`), which some programs run. */
const DDE_CALL = /^dde\s*\(/i;

/** The text a spreadsheet program looks at: leading ignorable characters skipped, NFKC-folded. */
export function spreadsheetView(value: string): string {
  return value.replace(SKIPPED_LEADING, '').slice(0, 16).normalize('NFKC');
}

/**
 * True when a spreadsheet program could read the cell as anything but text: it starts with a
 * control character (tab, CR, LF…), or its first character after skipped ones is a formula
 * trigger (in any compatibility form), or it is a bare DDE call.
 */
export function startsLikeFormula(value: string): boolean {
  if (value === '') return false;
  if (/^\p{Cc}/u.test(value)) return true;
  const view = spreadsheetView(value);
  const first = view.charAt(0);
  return FORMULA_TRIGGERS.has(first) || DDE_CALL.test(view);
}

/** Characters a cell cannot hold replaced by U+FFFD. */
export function storableText(value: string): string {
  return value.replace(NOT_STORABLE, '\ufffd');
}

/** Neutralises text that could start a formula by a leading apostrophe (shown as text, never run). */
function neutralise(value: string): string {
  return startsLikeFormula(value) ? `'${value}` : value;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** The visible end of a cut cell, saying how much was cut and where the whole value is. */
export function truncationMarker(originalLength: number): string {
  return ` … [TRUNCATED: ${numberFormat.format(originalLength)} characters; full value in findings.json]`;
}

/** The first `maxChars` characters with the marker, never splitting a surrogate pair. */
function cut(value: string, maxChars: number): string {
  const marker = truncationMarker(value.length);
  let keep = value.slice(0, Math.max(0, maxChars - marker.length));
  const last = keep.charCodeAt(keep.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep = keep.slice(0, -1);
  return keep + marker;
}

/**
 * The one way text reaches a spreadsheet cell: characters a cell cannot hold replaced, cut to
 * `maxChars` (marker included, neutralising apostrophe included) with a visible marker when
 * longer, then neutralised — always last.
 */
export function spreadsheetCell(value: string, maxChars = Number.POSITIVE_INFINITY): string {
  const text = storableText(value);
  if (text.length <= maxChars && !(text.length === maxChars && startsLikeFormula(text)))
    return neutralise(text);
  const shortened = cut(text, maxChars);
  return startsLikeFormula(shortened) ? neutralise(cut(text, maxChars - 1)) : shortened;
}

/**
 * A line break, tab or semicolon followed (after skipped characters and quotes) by a formula
 * trigger: where a program that splits a CSV line on tabs or semicolons (a locale whose list
 * separator is `;`) or breaks records at every line break, quotes or not, would start a new cell.
 * Line breaks are every Unicode one (CR LF as one, NEL U+0085, U+2028, U+2029), as readers that
 * split lines the Unicode way (Python's `splitlines`) see them.
 */
const INNER_CELL_START =
  /(\r\n|[\r\n\t;\u0085\u2028\u2029])(?=[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\ufffd"]*(?:[=+\-@|\u2212]|dde\s*\())/giu;
const INNER_SEPARATOR = /[\r\n\t;\u0085\u2028\u2029]/;

/** Folds compatibility forms (full-width, small, superscript signs) so INNER_CELL_START sees them. */
function foldedTriggers(value: string): string {
  return value.replace(
    /[\uff0b\uff0d\uff1d\uff20\uff5c\ufe62\ufe63\ufe66\ufe6b\u207a-\u207c\u208a-\u208c]/g,
    (c) => c.normalize('NFKC'),
  );
}

/**
 * {@link spreadsheetCell} without a length limit, for findings.csv: besides its start, every
 * place after a line break, tab or semicolon where a separator-splitting program would begin a
 * cell with a formula gets an apostrophe too (the exact values stay in findings.json).
 */
export function spreadsheetSafe(value: string): string {
  const cell = spreadsheetCell(value);
  if (!INNER_SEPARATOR.test(cell)) return cell;
  let out = '';
  let last = 0;
  const folded = foldedTriggers(cell);
  for (const match of folded.matchAll(INNER_CELL_START)) {
    const at = match.index + (match[1]?.length ?? 1);
    out += `${cell.slice(last, at)}'`;
    last = at;
  }
  return out + cell.slice(last);
}
