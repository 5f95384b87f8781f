import { createHash } from 'node:crypto';

import type { LargeValueStore } from './historyStore.js';
import { joinProperty, splitProperty } from './propertyCodec.js';

/** Strings up to this many characters are split over properties; longer ones go to a blob. */
const MAX_INLINE_CHARS = 256_000;

/**
 * Stores a possibly large text in entity properties (`name`, `name_1`, …) or, past the inline
 * limit, whole in a blob (`name_blob` holds its name). Never truncates.
 */
export async function encodeLargeText(
  name: string,
  text: string,
  blobName: string,
  store: LargeValueStore,
): Promise<Record<string, string | number>> {
  if (text.length <= MAX_INLINE_CHARS) {
    const split = splitProperty(name, text, Math.ceil(MAX_INLINE_CHARS / 32_000));
    if (split) return split;
  }
  const hashed = `${blobName}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`;
  await store.put(hashed, text);
  return { [`${name}_blob`]: hashed, [`${name}_chars`]: text.length };
}

/** Reads back a text stored by {@link encodeLargeText}. */
export async function decodeLargeText(
  entity: Record<string, unknown>,
  name: string,
  store: LargeValueStore,
): Promise<string | undefined> {
  const blob = entity[`${name}_blob`];
  if (typeof blob === 'string') return store.get(blob);
  return joinProperty(entity, name);
}
