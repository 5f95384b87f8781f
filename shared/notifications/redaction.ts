import { limitLine, wellFormed } from './textLimit.js';

/** What replaces a secret. */
export const REDACTED = '***';

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

/** Every URL inside a text, redacted; URLs that do not parse lose everything after the host. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s"'<>]+/gi, (match) => {
    const redacted = redactUrl(match);
    if (redacted !== '(an unparseable URL)') return redacted;
    const scheme = match.slice(0, match.indexOf('://') + 3);
    return `${scheme}${
      match
        .slice(scheme.length)
        .replace(/^[^@/?#]*@/, '')
        .split(/[/?#]/)[0] ?? ''
    }/…`;
  });
}

/**
 * Names of parameters whose value is a credential: query parameters (`?sig=`), form fields,
 * JSON properties (`"token": "…"`). Matched whole, case-insensitively.
 */
const SECRET_NAMES = [
  'sig',
  'signature',
  'code',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth_token',
  'private_token',
  'key',
  'apikey',
  'api_key',
  'api-key',
  'x-api-key',
  'subscription-key',
  'secret',
  'client_secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'credential',
  'credentials',
  'sas',
  'sastoken',
  'auth',
];
const pattern = (names: string[]): string => names.map((name) => name.replace(/[-]/g, '[-_]?')).join('|');
const NAMES = pattern(SECRET_NAMES);
// `code` is a credential in a query (`?code=` of a function key) but an error code in a JSON
// body or a log line, which stays readable.
const FIELD_NAMES = pattern(SECRET_NAMES.filter((name) => name !== 'code'));
// name=value (also with %3D / %26 as percent-encoded separators), value up to a separator.
const PARAMETER = new RegExp(
  `(?<![A-Za-z0-9_.-])(${NAMES})((?:=|%3D)\\s*)((?:(?!%26)[^&\\s"'<>,;\\\\])+)`,
  'gi',
);
// "name": "value" or 'name': 'value' (JSON and similar), escaped quotes inside the value kept in.
const PROPERTY = new RegExp(`(["'])(${FIELD_NAMES})\\1(\\s*:\\s*)(["'])((?:\\\\.|(?!\\4).)*)\\4`, 'gi');
// name: value (headers, logs), up to the end of the value.
const HEADER = new RegExp(
  `(?<![A-Za-z0-9_.-])(${FIELD_NAMES}|authorization)(\\s*:\\s*)(?!["'])([^\\s,;"'}]+)`,
  'gi',
);
const AUTH_SCHEME = /\b(basic|bearer|sharedaccesssignature|sharedkey|digest)\s+[A-Za-z0-9._~+/=:%-]{4,}/gi;

/** The forms in which a secret may appear in a text echoed back by a receiver. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const add = (value: string | undefined): void => {
    if (value !== undefined && value.length >= 4) forms.add(value);
  };
  const tryDecode = (value: string): string | undefined => {
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  };
  for (const found of [secret, tryDecode(secret)]) {
    if (found === undefined) continue;
    add(found);
    // Encoders throw on half a surrogate pair; such a secret is matched in its well-formed form.
    const value = wellFormed(found);
    add(value);
    add(encodeURIComponent(value));
    add(encodeURI(value));
    add(new URLSearchParams({ v: value }).toString().slice(2));
    add(JSON.stringify(value).slice(1, -1));
    add(JSON.stringify(value).slice(1, -1).replace(/\//g, '\\/'));
    const base64 = Buffer.from(value).toString('base64');
    add(base64);
    add(base64.replace(/=+$/, ''));
    add(Buffer.from(value).toString('base64url'));
  }
  // A secret that is a URL (a Teams Workflows URL): its query values and user information too.
  try {
    const url = new URL(secret);
    for (const [, value] of url.searchParams)
      if (value.length >= 8) for (const form of secretForms(value)) add(form);
    if (url.password.length >= 4) for (const form of secretForms(decodeURIComponent(url.password))) add(form);
  } catch {
    // not a URL
  }
  return [...forms];
}

/**
 * The secret values to look for: each configured value, and its parts when it is a
 * `user:token` pair or a list of signing keys (parts of 8 characters or more).
 */
export function secretValues(values: ReadonlyArray<string | null | undefined>): string[] {
  const result = new Set<string>();
  for (const value of values) {
    if (!value || value.length < 4) continue;
    result.add(value);
    for (const part of value.split(/[\s:]+/)) if (part.length >= 8) result.add(part);
    // A Standard Webhooks key `whsec_<base64>`: its key bytes too.
    const key = /^whsec_(.+)$/.exec(value)?.[1];
    if (key && key.length >= 8) result.add(key);
  }
  return [...result];
}

/**
 * Removes secrets from a text before it is stored, logged or returned: every form of each
 * configured secret (plain, URL-encoded and -decoded, form-encoded, JSON-escaped, base64 and
 * base64url), credentials by parameter name (`sig=`, `code=`, `token=`, `key=`, `"password": …`),
 * Authorization schemes (Basic, Bearer, SharedAccessSignature…), and the user information, query
 * and fragment of every URL.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets)
    if (secret.length >= 4) for (const form of secretForms(secret)) forms.add(form);
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length))
    result = result.split(form).join(REDACTED);
  result = result
    .replace(AUTH_SCHEME, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(
      PROPERTY,
      (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}${vq}`,
    )
    .replace(PARAMETER, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(HEADER, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  return redactUrlsIn(result);
}

/** The longest excerpt of a receiver's answer kept with an error (characters). */
export const EXCERPT_CHARS = 300;

/**
 * A receiver's answer as an error excerpt: whitespace collapsed, secrets scrubbed from the
 * whole text FIRST, and only then cut to `EXCERPT_CHARS` (so a secret split by the cut cannot
 * leave its beginning behind).
 */
export function errorExcerpt(body: string, secrets: readonly string[]): string {
  return limitLine(scrubSecrets(body.replace(/\s+/g, ' '), secrets), EXCERPT_CHARS);
}
