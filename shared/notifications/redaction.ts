import { base64Cores, encodedValuePattern, hexPattern } from './secretEncodings.js';
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
  'private_key',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'account_key',
  'shared_access_key',
  'connection_string',
];
// `client_secret` also matches `client-secret` and `clientSecret` (names match case-insensitively).
const pattern = (names: string[]): string => names.map((name) => name.replace(/[-_]/g, '[-_]?')).join('|');
const NAMES = pattern(SECRET_NAMES);
// `code` is a credential in a query (`?code=` of a function key) but an error code in a JSON
// body or a log line, which stays readable.
const FIELD_NAMES = pattern(SECRET_NAMES.filter((name) => name !== 'code'));
// name=value (also with %3D / %26 as percent-encoded separators), value up to a separator.
const PARAMETER = new RegExp(
  `(?<![A-Za-z0-9_.-])(${NAMES})(\\s*(?:=|%3D)\\s*)("[^"]*"|'[^']*'|(?:(?!%26)[^&\\s"'<>,;\\\\])+)`,
  'gi',
);
// "name": "value" or 'name': 'value' (JSON and similar), escaped quotes inside the value kept in.
const PROPERTY = new RegExp(`(["'])(${FIELD_NAMES})\\1(\\s*:\\s*)(["'])((?:\\\\.|(?!\\4).)*)\\4`, 'gi');
// The same inside a JSON text that is itself a JSON string (`\"token\": \"…\"`).
const ESCAPED_PROPERTY = new RegExp(`(\\\\+["'])(${FIELD_NAMES})\\1(\\s*:\\s*)\\1((?:(?!\\1).)*)\\1`, 'gi');
// <name>value</name> (XML, SOAP faults).
const ELEMENT = new RegExp(`<(${FIELD_NAMES})(\\s[^>]*)?>[^<]*</\\1\\s*>`, 'gi');
// name: value (headers, logs, YAML), up to the end of the value; a quoted value whole.
const HEADER = new RegExp(
  `(?<![A-Za-z0-9_.-])(${FIELD_NAMES})(\\s*:\\s*)("[^"]*"|'[^']*'|[^\\s,;"'}]+)`,
  'gi',
);
// Headers whose whole value is a credential, whatever its scheme (`Authorization: token …`,
// `SSWS …`, `AWS4-HMAC-SHA256 Credential=…`) or its cookies: up to a quote, brace or line end.
const CREDENTIAL_HEADER =
  /(?<![A-Za-z0-9_.-])((?:proxy-)?authorization|(?:set-)?cookie)(\s*:\s*)[^"'}\r\n]+/gi;
// The other parts of a shared access signature (version, expiry, permissions, resource, the
// user-delegation key's object, tenant, times, service and version…): scrubbed wherever a `sig`
// parameter shows the text holds a SAS, since together they describe what the token grants.
const SAS_PARTS = new RegExp(
  `(?<![A-Za-z0-9_.-])(${pattern(['sv', 'ss', 'srt', 'sp', 'se', 'st', 'spr', 'sr', 'si', 'sip', 'sdd', 'skoid', 'sktid', 'skt', 'ske', 'sks', 'skv', 'saoid', 'suoid', 'scid', 'ses', 'rscc', 'rscd', 'rsce', 'rscl', 'rsct'])})((?:=|%3D)\\s*)((?:(?!%26)[^&\\s"'<>,;\\\\])+)`,
  'gi',
);
const HAS_SAS = /(?<![A-Za-z0-9_.-])sig(?:=|%3D)/i;
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
  for (const part of urlParts(secret)) for (const form of secretForms(part)) add(form);
  return [...forms];
}

/** The query values (8 characters or more) and the password of a secret that is a URL. */
function urlParts(secret: string): string[] {
  const parts: string[] = [];
  try {
    const url = new URL(secret);
    for (const [, value] of url.searchParams) if (value.length >= 8) parts.push(value);
    if (url.password.length >= 4) parts.push(decodeURIComponent(url.password));
  } catch {
    // not a URL, or a password that is not valid percent-encoding
  }
  return parts;
}

/** The values whose every encoding is looked for: the secret, its URL-decoded form, its URL parts. */
function baseValues(secret: string): string[] {
  const values = new Set<string>([wellFormed(secret)]);
  try {
    values.add(wellFormed(decodeURIComponent(secret.replace(/\+/g, ' '))));
  } catch {
    // not valid percent-encoding
  }
  for (const part of urlParts(secret)) for (const value of baseValues(part)) values.add(value);
  return [...values].filter((value) => value.length >= 4);
}

interface EncodedMatchers {
  /** The value with each character in any encoding, mixed. */
  characters: RegExp;
  /** The value's bytes in hex, either case. */
  hex: RegExp | undefined;
  /** Its base64 and base64url at each alignment. */
  base64: string[];
}

const matcherCache = new Map<string, EncodedMatchers[]>();

/** The encoding-tolerant matchers of a secret (cached: the same few secrets are scrubbed often). */
function encodedMatchers(secret: string): EncodedMatchers[] {
  let found = matcherCache.get(secret);
  if (found === undefined) {
    found = baseValues(secret).map((value) => ({
      characters: encodedValuePattern(value),
      hex: hexPattern(value),
      base64: base64Cores(value),
    }));
    if (matcherCache.size >= 256) matcherCache.clear();
    matcherCache.set(secret, found);
  }
  return found;
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
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const matchers of encodedMatchers(secret)) {
      result = result.replace(matchers.characters, REDACTED);
      if (matchers.hex) result = result.replace(matchers.hex, REDACTED);
      for (const core of matchers.base64) result = result.split(core).join(REDACTED);
    }
  }
  if (HAS_SAS.test(result))
    result = result.replace(SAS_PARTS, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  result = result
    .replace(AUTH_SCHEME, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(
      PROPERTY,
      (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}${vq}`,
    )
    .replace(
      ESCAPED_PROPERTY,
      (_m, q: string, name: string, sep: string) => `${q}${name}${q}${sep}${q}${REDACTED}${q}`,
    )
    .replace(
      ELEMENT,
      (_m, name: string, attributes?: string) => `<${name}${attributes ?? ''}>${REDACTED}</${name}>`,
    )
    .replace(CREDENTIAL_HEADER, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
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
