import { describe, expect, it } from 'vitest';

import { clusterPortalUrl, portalBase } from '../../shared/reports/portalLink.js';
import { cellText, truncationMarker } from '../../shared/reports/workbook/cellText.js';
import { sheetName } from '../../shared/reports/workbook/sheetNames.js';
import { EXCEL_LIMITS, resolveLimits } from '../../shared/reports/workbook/workbookLimits.js';

describe('sheet names', () => {
  it('replaces the characters Excel forbids and keeps 31 characters, suffix included', () => {
    expect(sheetName('NSA/CISA: [draft]*?\\', 1, new Set())).toBe('NSA-CISA- -draft----');
    const long = 'A framework with a very long name indeed';
    expect(sheetName(long, 1, new Set())).toBe(long.slice(0, 31));
    expect(sheetName(long, 12, new Set())).toBe(`${long.slice(0, 26).trimEnd()} (12)`);
    expect(sheetName(long, 12, new Set()).length).toBeLessThanOrEqual(31);
    expect(sheetName("'quoted'", 1, new Set())).toBe('quoted');
  });

  it('never reuses a name, ignoring case', () => {
    expect(sheetName('Findings', 1, new Set(['findings']))).toBe('Findings (2)');
    expect(sheetName('Findings', 2, new Set(['findings', 'findings (2)']))).toBe('Findings (3)');
  });
});

describe('cell text', () => {
  it('neutralises formula starts with the shared spreadsheetSafe', () => {
    expect(cellText('=1+1', 100)).toBe("'=1+1");
    expect(cellText('  @SUM(1)', 100)).toBe("'  @SUM(1)");
    expect(cellText('plain', 100)).toBe('plain');
  });

  it('cuts long text to the limit with a marker, never splitting a surrogate pair', () => {
    const kept = 200 - truncationMarker(1_000).length;
    const value = `${'a'.repeat(kept - 1)}😀${'b'.repeat(1_000 - kept - 1)}`;
    expect(value).toHaveLength(1_000);
    const cut = cellText(value, 200);
    expect(cut).toBe(`${'a'.repeat(kept - 1)}${truncationMarker(1_000)}`);
    expect(cut).toMatch(/ … \[TRUNCATED: 1,000 characters; full value in findings\.json\]$/);
    expect(cellText('x'.repeat(200), 200)).toBe('x'.repeat(200));
  });
});

describe('limits and links', () => {
  it('defaults to Excel limits and refuses values Excel does not allow', () => {
    expect(resolveLimits()).toEqual(EXCEL_LIMITS);
    expect(resolveLimits({ maxHyperlinksPerSheet: 0 }).maxHyperlinksPerSheet).toBe(0);
    expect(() => resolveLimits({ maxRowsPerSheet: 1.5 })).toThrow(RangeError);
    expect(() => resolveLimits({ maxHyperlinksPerSheet: 70_000 })).toThrow(RangeError);
    expect(() => resolveLimits({ maxCellChars: 10 })).toThrow(RangeError);
  });

  it('builds portal links from an https base and percent-encodes each ID segment', () => {
    expect(portalBase(undefined)).toBe('https://portal.azure.com');
    expect(portalBase('https://portal.azure.cn//')).toBe('https://portal.azure.cn');
    expect(clusterPortalUrl('https://portal.azure.com', '/subscriptions/a b/x?y#z')).toBe(
      'https://portal.azure.com/#@/resource/subscriptions/a%20b/x%3Fy%23z/overview',
    );
    expect(() => portalBase('javascript:alert(1)')).toThrow(RangeError);
    expect(() => portalBase('https://user:pw@portal.azure.com')).toThrow(RangeError);
  });
});
