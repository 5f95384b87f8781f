/**
 * Finds where a JSON text first stops being valid. Node's JSON.parse does not always say where
 * (V8 12 reports only a snippet), and an auditor needs the line and column of a bad export.
 * Returns the offset of the first offending character (text.length for an unexpected end).
 */
export function jsonErrorOffset(text: string): number {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = (): void => {
    while (at < text.length && ' \t\r\n'.includes(text.charAt(at))) at++;
  };
  const literal = (word: string): void => {
    for (const character of word) {
      if (text.charAt(at) !== character) fail();
      at++;
    }
  };
  const string = (): void => {
    at++;
    while (at < text.length) {
      const code = text.charCodeAt(at);
      if (code === 0x22) return void at++;
      if (code < 0x20) fail();
      if (code === 0x5c) {
        at++;
        const escape = text.charAt(at);
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) {
            at++;
            fail();
          }
          at += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escape) || escape === '') fail();
      }
      at++;
    }
    fail();
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match || match[0] === '' || match[0] === '-') fail();
    at += match?.[0].length ?? 0;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    space();
    const character = text.charAt(at);
    if (character === '{') {
      at++;
      space();
      if (text.charAt(at) === '}') return void at++;
      for (;;) {
        space();
        if (text.charAt(at) !== '"') fail();
        string();
        space();
        if (text.charAt(at) !== ':') fail();
        at++;
        value(depth + 1);
        space();
        if (text.charAt(at) === ',') at++;
        else if (text.charAt(at) === '}') return void at++;
        else fail();
      }
    }
    if (character === '[') {
      at++;
      space();
      if (text.charAt(at) === ']') return void at++;
      for (;;) {
        value(depth + 1);
        space();
        if (text.charAt(at) === ',') at++;
        else if (text.charAt(at) === ']') return void at++;
        else fail();
      }
    }
    if (character === '"') return string();
    if (character === 't') return literal('true');
    if (character === 'f') return literal('false');
    if (character === 'n') return literal('null');
    if (character === '-' || (character >= '0' && character <= '9')) return number();
    fail();
  };
  try {
    value(0);
    space();
    return at < text.length ? at : text.length;
  } catch (offset) {
    return typeof offset === 'number' ? Math.min(offset, text.length) : text.length;
  }
}
