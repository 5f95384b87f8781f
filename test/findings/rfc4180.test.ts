import { describe, expect, it } from 'vitest';

import { CsvSyntaxError, findColumn, parseCsvStrict } from './rfc4180.js';

/** The test parser must itself be strict, or the findings.csv tests could not fail. */
describe('parseCsvStrict (test helper)', () => {
  it('parses quoted fields with commas, doubled quotes, CR and LF', () => {
    expect(parseCsvStrict('a,b\r\n"x,1","say ""hi""\r\nbye"\r\n')).toEqual([
      ['a', 'b'],
      ['x,1', 'say "hi"\r\nbye'],
    ]);
  });

  it('accepts a last record without CRLF, empty fields and a BOM', () => {
    expect(parseCsvStrict('\ufeffa,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsvStrict('a,b,c\r\n,,')).toEqual([
      ['a', 'b', 'c'],
      ['', '', ''],
    ]);
  });

  it.each([
    ['a bare LF line ending', 'a,b\n1,2\n'],
    ['a bare CR', 'a,b\r1,2\r\n'],
    ['a quote inside an unquoted field', 'a,b\r\n1,x"y\r\n'],
    ['text after a closing quote', 'a,b\r\n"1"x,2\r\n'],
    ['an unterminated quote', 'a,b\r\n"1,2\r\n'],
    ['a record with too few fields', 'a,b\r\n1\r\n'],
    ['a record with too many fields', 'a,b\r\n1,2,3\r\n'],
  ])('rejects %s', (_label, text) => {
    expect(() => parseCsvStrict(text)).toThrow(CsvSyntaxError);
  });

  it('finds columns ignoring case, spaces and punctuation, and throws for a missing one', () => {
    expect(findColumn(['clusterId', 'Control Title'], 'cluster id')).toBe('clusterId');
    expect(findColumn(['clusterId', 'Control Title'], 'controlTitle')).toBe('Control Title');
    expect(() => findColumn(['clusterId'], 'severity')).toThrow();
  });
});
