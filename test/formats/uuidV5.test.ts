import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { uuidV5 } from '../../shared/formats/uuidV5.js';

describe('uuidV5', () => {
  it('gives the RFC 9562 example value (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('is a version 5, RFC variant UUID, stable for a name and different for different names', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const uuid = uuidV5(a);
        expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(uuidV5(a)).toBe(uuid);
        if (a !== b) expect(uuidV5(b)).not.toBe(uuid);
      }),
    );
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(RangeError);
  });
});
