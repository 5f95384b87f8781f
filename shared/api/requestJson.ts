/** A request body that is not JSON, or JSON that gives a key twice in one object. */
export class RequestJsonError extends SyntaxError {
  override readonly name = 'RequestJsonError';
}

type Frame = { keys: Set<string>; expectKey: boolean } | undefined;

/** The first key given twice in one object of a valid JSON text; undefined when there is none. */
function duplicateKey(text: string): string | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') stack.push({ keys: new Set(), expectKey: true });
    else if (c === '[') stack.push(undefined);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top) top.expectKey = true;
    } else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.expectKey) {
        // Compared as read, so "\u0061" and "a" are the same key.
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return key;
        top.keys.add(key);
        top.expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

/**
 * Reads a request body as JSON, refusing a key given twice in one object: JSON.parse would keep the
 * last one silently, so the request would do something other than what its text shows. Throws
 * {@link RequestJsonError} with the reason. (`__proto__` stays an ordinary key, as JSON.parse
 * keeps it.)
 */
export function readRequestJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new RequestJsonError('the body is not JSON');
  }
  const duplicate = duplicateKey(text);
  if (duplicate !== undefined)
    throw new RequestJsonError(`the key ${JSON.stringify(duplicate.slice(0, 60))} is given more than once`);
  return value;
}
