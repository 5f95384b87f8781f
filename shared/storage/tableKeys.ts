import { createHash } from 'node:crypto';

/**
 * Table Storage keys may not contain `/`, `\`, `#`, `?` or control characters and are limited to
 * 1 KiB. ARM IDs contain `/` (and, rarely, other characters), so keys are encoded: lower case;
 * letters, digits and `-_.()` kept; `/` written as `|`; any other character as `~` and four hex
 * digits. An encoding longer than 400 characters becomes `~h` and its SHA-256 (the original ID is
 * always stored in a property as well).
 */
export function encodeKey(value: string): string {
  let encoded = '';
  for (const character of value.trim().toLowerCase()) {
    if (/[a-z0-9\-_.()]/.test(character)) encoded += character;
    else if (character === '/') encoded += '|';
    else {
      for (let i = 0; i < character.length; i++) {
        encoded += `~${character.charCodeAt(i).toString(16).padStart(4, '0')}`;
      }
    }
  }
  if (encoded.length > 400)
    return `~h${createHash('sha256').update(value.trim().toLowerCase()).digest('hex')}`;
  return encoded;
}

/** Inverse of {@link encodeKey} for keys that were not hashed. */
export function decodeKey(key: string): string | undefined {
  if (key.startsWith('~h')) return undefined;
  return key
    .replace(/\|/g, '/')
    .replace(/~([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const MAX_TIME = 9_999_999_999_999;

/** A row-key prefix that sorts newest first: 13 digits of (max − epoch ms). */
export function newestFirst(time: Date): string {
  return String(MAX_TIME - time.getTime()).padStart(13, '0');
}

const FORBIDDEN_CHARACTERS = new Set(['/', '\\', '#', '?']);

function isForbidden(character: string): boolean {
  const code = character.charCodeAt(0);
  return FORBIDDEN_CHARACTERS.has(character) || code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** Throws when a key would be rejected by the Table service. */
export function assertValidKey(key: string): string {
  if (key.length === 0 || key.length > 1024 || [...key].some(isForbidden)) {
    throw new RangeError(`not a valid Table Storage key: ${JSON.stringify(key.slice(0, 80))}`);
  }
  return key;
}
