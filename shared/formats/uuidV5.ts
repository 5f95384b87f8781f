import { createHash } from 'node:crypto';

/** The namespace of every name-based UUID the project derives (a fixed, randomly chosen UUID). */
export const PROJECT_UUID_NAMESPACE = '3f0c6b1e-6a59-4a8e-9d0f-2b7c4e5a81d3';

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

/**
 * A version 5 (SHA-1, name-based) UUID as RFC 9562 defines it: the same namespace and name always
 * give the same UUID, so a document written twice from the same run is byte-identical.
 */
export function uuidV5(name: string, namespace: string = PROJECT_UUID_NAMESPACE): string {
  const digest = createHash('sha1')
    .update(uuidBytes(namespace))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
