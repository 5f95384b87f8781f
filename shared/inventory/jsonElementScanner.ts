/**
 * A streaming JSON scanner: validates a JSON text given in pieces of any size and hands chosen values
 * to a listener as text, so a document far larger than memory can be read element by element.
 *
 * The listener decides, for every value whose enclosing containers it descended into, whether to
 * descend into it too (its members or elements are offered one by one), to capture it (its complete
 * text is handed over, for `JSON.parse`) or to skip it (validated, then forgotten). Memory is bounded
 * by the largest captured value, whatever the size of the document.
 *
 * Invalid JSON is reported at the same offset, with the same explanation, as V8's `JSON.parse` of the
 * whole text gives (the explanation without its position and without the snippet of text it quotes),
 * so an error in a streamed file reads like the same error in a file parsed whole.
 */

/** What to do with a value the listener is offered. */
export type ScanAction = 'descend' | 'capture' | 'skip';

/** A value about to be read: where it is and its first character. */
export interface ValueStart {
  /** Containers open around the value: 0 for the top-level value. */
  readonly depth: number;
  /** Its member name, when the enclosing container is an object. */
  readonly key: string | undefined;
  /** Its position, when the enclosing container is an array; -1 otherwise. */
  readonly index: number;
  /** The character code of its first character: `{`, `[`, `"`, `-`, a digit, `t`, `f` or `n`. */
  readonly first: number;
}

export interface ElementListener {
  /** A value starts; `descend` applies to objects and arrays only (a scalar is then skipped). */
  value(start: ValueStart): ScanAction;
  /** The complete text of a value the listener chose to capture. */
  captured(text: string): void;
  /** A container the listener descended into has closed; `depth` is the depth of its value. */
  closed(depth: number): void;
}

/** The text is not valid JSON (`empty`: it holds nothing but white space). */
export class JsonScanError extends Error {
  override readonly name = 'JsonScanError';
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly column: number,
    readonly empty = false,
  ) {
    super(empty ? 'empty JSON text' : `${detail} at line ${line} column ${column}`);
  }
}

// Scanner states. Those up to DONE expect structure, where white space may come.
const VALUE = 0; // a value is expected: top level, after ':' or after ',' in an array
const ARRAY_FIRST = 1; // after '[': a value or ']'
const ARRAY_NEXT = 2; // after an element: ',' or ']'
const OBJECT_FIRST = 3; // after '{': a key or '}'
const OBJECT_KEY = 4; // after ',' in an object: a key
const OBJECT_COLON = 5; // after a key: ':'
const OBJECT_NEXT = 6; // after a member's value: ',' or '}'
const DONE = 7; // after the top-level value
const STRING = 8;
const ESCAPE = 9; // after '\' in a string
const UNICODE = 10; // in the hex digits of '\u'
const MINUS = 11; // after '-'
const ZERO = 12; // after a leading 0
const INTEGER = 13;
const POINT = 14; // after '.'
const FRACTION = 15;
const EXPONENT_MARK = 16; // after 'e' or 'E'
const EXPONENT_SIGN = 17; // after the exponent's sign
const EXPONENT = 18;
const LITERAL = 19; // in true, false or null
const TRIM_SPACE = 20; // before the top-level value, after space that String.trim() removes but JSON rejects

const ARRAY = 0;
const OBJECT = 1;

const END_OF_INPUT = 'Unexpected end of JSON input';

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** White space and line terminators as `String.prototype.trim` removes them. */
function isTrimSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHex(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** `"` `\` `/` `b` `f` `n` `r` `t`: the characters that may follow a backslash, besides `u`. */
function isEscape(code: number): boolean {
  return (
    code === 0x22 ||
    code === 0x5c ||
    code === 0x2f ||
    code === 0x62 ||
    code === 0x66 ||
    code === 0x6e ||
    code === 0x72 ||
    code === 0x74
  );
}

/** V8's explanation for a character that cannot be where it is. */
function unexpectedToken(code: number): string {
  if (code === 0x2d || isDigit(code)) return 'Unexpected number in JSON';
  if (code === 0x22) return 'Unexpected string in JSON';
  return `Unexpected token '${String.fromCharCode(code)}'`;
}

export class JsonElementScanner {
  private state = VALUE;
  /** Type (ARRAY or OBJECT) of each open container. */
  private types = new Uint8Array(64);
  private depth = 0;
  /** Next element index of each open array the listener descended into. */
  private readonly indexes: number[] = [];
  /** The member name being read in each open object the listener descended into. */
  private readonly keys: (string | undefined)[] = [];
  /** Depth of the value being captured or skipped; -1 when the listener sees every value. */
  private quietDepth = -1;
  private capturing = false;
  private readonly captureParts: string[] = [];
  private captureFrom = -1;
  private keyParts: string[] = [];
  private keyFrom = -1;
  private stringIsKey = false;
  private hexLeft = 0;
  private literal = '';
  private literalAt = 0;
  /** Offset of the current piece in the whole text, and the offset where the current line starts. */
  private pieceOffset = 0;
  private line = 1;
  private lineStart = 0;
  private pending: JsonScanError | undefined;

  constructor(private readonly listener: ElementListener) {}

  /** Scans the next piece of the text. Throws {@link JsonScanError} at the first invalid character. */
  write(piece: string): void {
    const n = piece.length;
    let i = 0;
    while (i < n) {
      const code = piece.charCodeAt(i);
      if (code <= 0x20 && this.state <= DONE) {
        // White space between tokens, most of an indented file: skipped before anything else.
        if (code === 0x20 || code === 0x09 || code === 0x0d) {
          i++;
          continue;
        }
        if (code === 0x0a) {
          i = this.space(i, code);
          continue;
        }
      }
      switch (this.state) {
        case STRING: {
          let j = i;
          let c = code;
          while (c !== 0x22 && c !== 0x5c && c >= 0x20) {
            if (++j === n) break;
            c = piece.charCodeAt(j);
          }
          if (j === n) {
            i = n;
          } else if (c === 0x22) {
            i = j + 1;
            this.stringEnd(piece, i);
          } else if (c === 0x5c) {
            this.state = ESCAPE;
            i = j + 1;
          } else {
            this.fail(j, 'Bad control character in string literal in JSON');
          }
          break;
        }
        case ESCAPE:
          if (code === 0x75) {
            this.state = UNICODE;
            this.hexLeft = 4;
          } else if (isEscape(code)) this.state = STRING;
          // V8 words it differently for a character beyond Latin-1.
          else this.fail(i, code > 0xff ? unexpectedToken(code) : 'Bad escaped character in JSON');
          i++;
          break;
        case UNICODE:
          if (!isHex(code)) this.fail(i, 'Bad Unicode escape in JSON');
          if (--this.hexLeft === 0) this.state = STRING;
          i++;
          break;
        case VALUE:
        case ARRAY_FIRST:
          if (isJsonSpace(code)) i = this.space(i, code);
          else if (code === 0x5d && this.state === ARRAY_FIRST) i = this.close(piece, i);
          else i = this.beginValue(i, code);
          break;
        case ARRAY_NEXT:
          if (isJsonSpace(code)) i = this.space(i, code);
          else if (code === 0x2c) {
            this.state = VALUE;
            i++;
          } else if (code === 0x5d) i = this.close(piece, i);
          else this.fail(i, "Expected ',' or ']' after array element in JSON");
          break;
        case OBJECT_FIRST:
        case OBJECT_KEY:
          if (isJsonSpace(code)) i = this.space(i, code);
          else if (code === 0x22) i = this.beginKey(i);
          else if (code === 0x7d && this.state === OBJECT_FIRST) i = this.close(piece, i);
          else this.failObjectKey(i);
          break;
        case OBJECT_COLON:
          if (isJsonSpace(code)) i = this.space(i, code);
          else if (code === 0x3a) {
            this.state = VALUE;
            i++;
          } else this.fail(i, "Expected ':' after property name in JSON");
          break;
        case OBJECT_NEXT:
          if (isJsonSpace(code)) i = this.space(i, code);
          else if (code === 0x2c) {
            this.state = OBJECT_KEY;
            i++;
          } else if (code === 0x7d) i = this.close(piece, i);
          else this.fail(i, "Expected ',' or '}' after property value in JSON");
          break;
        case MINUS:
          if (code === 0x30) this.state = ZERO;
          else if (isDigit(code)) this.state = INTEGER;
          else this.fail(i, 'No number after minus sign in JSON');
          i++;
          break;
        case ZERO:
          if (isDigit(code)) this.fail(i, 'Unexpected number in JSON');
          i = this.afterInteger(piece, i, code);
          break;
        case INTEGER:
          if (isDigit(code)) i++;
          else i = this.afterInteger(piece, i, code);
          break;
        case POINT:
          if (!isDigit(code)) this.fail(i, 'Unterminated fractional number in JSON');
          this.state = FRACTION;
          i++;
          break;
        case FRACTION:
          if (isDigit(code)) i++;
          else if (code === 0x65 || code === 0x45) {
            this.state = EXPONENT_MARK;
            i++;
          } else this.valueEnd(piece, i);
          break;
        case EXPONENT_MARK:
          if (code === 0x2b || code === 0x2d) this.state = EXPONENT_SIGN;
          else if (isDigit(code)) this.state = EXPONENT;
          else this.fail(i, 'Exponent part is missing a number in JSON');
          i++;
          break;
        case EXPONENT_SIGN:
          if (!isDigit(code)) this.fail(i, 'Exponent part is missing a number in JSON');
          this.state = EXPONENT;
          i++;
          break;
        case EXPONENT:
          if (isDigit(code)) i++;
          else this.valueEnd(piece, i);
          break;
        case LITERAL:
          if (code !== this.literal.charCodeAt(this.literalAt)) this.fail(i, unexpectedToken(code));
          i++;
          if (++this.literalAt === this.literal.length) this.valueEnd(piece, i);
          break;
        case DONE:
          if (!isJsonSpace(code)) this.fail(i, 'Unexpected non-whitespace character after JSON');
          i = this.space(i, code);
          break;
        default: // TRIM_SPACE
          if (!isTrimSpace(code)) throw this.pending ?? new JsonScanError(END_OF_INPUT, 1, 1);
          i++;
      }
    }
    if (this.captureFrom >= 0) {
      this.captureParts.push(piece.slice(this.captureFrom));
      this.captureFrom = 0;
    }
    if (this.keyFrom >= 0) {
      this.keyParts.push(piece.slice(this.keyFrom));
      this.keyFrom = 0;
    }
    this.pieceOffset += n;
  }

  /** The text has ended: throws {@link JsonScanError} when it is incomplete (or empty). */
  end(): void {
    const at = 0; // the end of the text: index 0 past the last piece
    switch (this.state) {
      case DONE:
        return;
      case ZERO:
      case INTEGER:
      case FRACTION:
      case EXPONENT:
        this.valueEnd('', at);
        if (this.depth === 0) return;
        this.end();
        return;
      case VALUE:
        if (this.depth === 0) throw new JsonScanError('file is empty', 1, 1, true);
        this.fail(at, END_OF_INPUT);
        break;
      case TRIM_SPACE:
        throw new JsonScanError('file is empty', 1, 1, true);
      case ARRAY_NEXT:
        this.fail(at, "Expected ',' or ']' after array element in JSON");
        break;
      case OBJECT_FIRST:
      case OBJECT_KEY:
        this.failObjectKey(at);
        break;
      case OBJECT_COLON:
        this.fail(at, "Expected ':' after property name in JSON");
        break;
      case OBJECT_NEXT:
        this.fail(at, "Expected ',' or '}' after property value in JSON");
        break;
      case STRING:
        this.fail(at, 'Unterminated string in JSON');
        break;
      case UNICODE:
        this.fail(at, 'Bad Unicode escape in JSON');
        break;
      case MINUS:
        this.fail(at, 'No number after minus sign in JSON');
        break;
      case POINT:
        this.fail(at, 'Unterminated fractional number in JSON');
        break;
      case EXPONENT_MARK:
      case EXPONENT_SIGN:
        this.fail(at, 'Exponent part is missing a number in JSON');
        break;
      default: // ARRAY_FIRST, ESCAPE, LITERAL
        this.fail(at, END_OF_INPUT);
    }
  }

  /** Throws the error for the character at `index` of the current piece (or the end of the text). */
  private fail(index: number, detail: string): never {
    const offset = this.pieceOffset + index;
    throw new JsonScanError(detail, this.line, offset - this.lineStart + 1);
  }

  private failObjectKey(index: number): never {
    this.fail(
      index,
      this.state === OBJECT_FIRST
        ? "Expected property name or '}' in JSON"
        : 'Expected double-quoted property name in JSON',
    );
  }

  private space(index: number, code: number): number {
    if (code === 0x0a) {
      this.line++;
      this.lineStart = this.pieceOffset + index + 1;
    }
    return index + 1;
  }

  private beginValue(index: number, code: number): number {
    let next: number;
    if (code === 0x22) next = STRING;
    else if (code === 0x2d) next = MINUS;
    else if (code === 0x30) next = ZERO;
    else if (isDigit(code)) next = INTEGER;
    else if (code === 0x7b || code === 0x5b) next = code === 0x7b ? OBJECT_FIRST : ARRAY_FIRST;
    else if (code === 0x74 || code === 0x66 || code === 0x6e) {
      next = LITERAL;
      this.literal = code === 0x74 ? 'true' : code === 0x66 ? 'false' : 'null';
      this.literalAt = 1;
    } else if (this.depth === 0 && this.state === VALUE && isTrimSpace(code)) {
      // String.trim() takes the whole text for empty if nothing but such space follows.
      this.pending = new JsonScanError(
        unexpectedToken(code),
        this.line,
        this.pieceOffset + index - this.lineStart + 1,
      );
      this.state = TRIM_SPACE;
      return index + 1;
    } else this.fail(index, unexpectedToken(code));
    if (this.quietDepth < 0) this.offer(index, code);
    this.state = next;
    if (next === OBJECT_FIRST || next === ARRAY_FIRST) this.open(next === OBJECT_FIRST ? OBJECT : ARRAY);
    else if (next === STRING) this.stringIsKey = false;
    return index + 1;
  }

  /** Offers a value to the listener (every enclosing container was descended into). */
  private offer(index: number, code: number): void {
    const depth = this.depth;
    const parentIsArray = depth > 0 && this.types[depth - 1] === ARRAY;
    let position = -1;
    if (parentIsArray) {
      position = this.indexes[depth - 1] ?? 0;
      this.indexes[depth - 1] = position + 1;
    }
    const action = this.listener.value({
      depth,
      key: depth > 0 && !parentIsArray ? this.keys[depth - 1] : undefined,
      index: position,
      first: code,
    });
    const container = code === 0x7b || code === 0x5b;
    if (action === 'descend' && container) return;
    this.quietDepth = depth;
    this.capturing = action === 'capture';
    if (this.capturing) {
      this.captureParts.length = 0;
      this.captureFrom = index;
    }
  }

  private open(type: number): void {
    if (this.depth === this.types.length) {
      const grown = new Uint8Array(this.types.length * 2);
      grown.set(this.types);
      this.types = grown;
    }
    this.types[this.depth] = type;
    if (this.quietDepth < 0) {
      this.indexes[this.depth] = 0;
      this.keys[this.depth] = undefined;
    }
    this.depth++;
  }

  private close(piece: string, index: number): number {
    this.depth--;
    if (this.quietDepth < 0) this.listener.closed(this.depth);
    this.valueEnd(piece, index + 1);
    return index + 1;
  }

  private beginKey(index: number): number {
    this.state = STRING;
    this.stringIsKey = true;
    if (this.quietDepth < 0) {
      this.keyParts = [];
      this.keyFrom = index;
    }
    return index + 1;
  }

  private stringEnd(piece: string, end: number): void {
    if (!this.stringIsKey) {
      this.valueEnd(piece, end);
      return;
    }
    this.state = OBJECT_COLON;
    if (this.keyFrom >= 0) {
      this.keyParts.push(piece.slice(this.keyFrom, end));
      this.keys[this.depth - 1] = JSON.parse(this.keyParts.join('')) as string;
      this.keyFrom = -1;
      this.keyParts = [];
    }
  }

  private afterInteger(piece: string, index: number, code: number): number {
    if (code === 0x2e) this.state = POINT;
    else if (code === 0x65 || code === 0x45) this.state = EXPONENT_MARK;
    else {
      this.valueEnd(piece, index);
      return index;
    }
    return index + 1;
  }

  /** A value ended just before `end` in the current piece; the scanner returns to its container. */
  private valueEnd(piece: string, end: number): void {
    const depth = this.depth;
    if (depth === this.quietDepth) {
      this.quietDepth = -1;
      if (this.capturing) {
        this.capturing = false;
        this.captureParts.push(piece.slice(this.captureFrom, end));
        this.captureFrom = -1;
        const text = this.captureParts.join('');
        this.captureParts.length = 0;
        this.listener.captured(text);
      }
    }
    this.state = depth === 0 ? DONE : this.types[depth - 1] === ARRAY ? ARRAY_NEXT : OBJECT_NEXT;
  }
}
