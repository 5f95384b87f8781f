/** A URL fit for errors: no user information, query or fragment (`?…` marks a dropped query). */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '(an unparseable URL)';
  }
  const query = parsed.search !== '' ? '?…' : '';
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`;
}

/** Every URL inside a text, redacted. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b(?:https?|ftp):\/\/[^\s"'<>]+/gi, (match) => redactUrl(match));
}

/**
 * Removes secrets from a text before it is stored or logged: each secret value (and the
 * base64 form a Basic Authorization header carries), any `Authorization:` header value, and the
 * query strings of URLs.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of [secret, Buffer.from(secret).toString('base64')])
      result = result.split(form).join('***');
  }
  result = result.replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)?\s*[^\s"',}]+/gi, '$1***');
  return redactUrlsIn(result);
}
