import { describe, expect, it } from 'vitest';

import { kqlIdentifier, kqlString, kqlStringList } from '../../shared/collection/kql.js';
import {
  backupInstancesOfClusterQuery,
  INVENTORY_QUERIES,
  SUBSCRIPTIONS_QUERY,
} from '../../shared/collection/resourceGraphQueries.js';
import { kustoDiagnostics } from './kustoLanguage.js';

/** Tabular operators Resource Graph documents as supported. */
const SUPPORTED_OPERATORS = new Set([
  'count',
  'distinct',
  'extend',
  'join',
  'limit',
  'take',
  'mv-expand',
  'order',
  'sort',
  'parse',
  'project',
  'project-away',
  'summarize',
  'top',
  'union',
  'where',
]);

/** Decodes a single-quoted KQL literal the way Kusto does, to prove the escaping round-trips. */
function decodeLiteral(literal: string): string {
  expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
  return literal.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escape: string) => {
    if (escape.startsWith('u')) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[escape] ?? escape;
  });
}

const ALL_QUERIES = [
  ...INVENTORY_QUERIES.map((query) => ({ label: query.table, text: query.text })),
  { label: 'subscriptions', text: SUBSCRIPTIONS_QUERY },
  {
    label: 'backup instances of one cluster',
    text: backupInstancesOfClusterQuery(
      "/subscriptions/0000/resourceGroups/rg'x/providers/Microsoft.Kubernetes/connectedClusters/a\\b",
    ),
  },
];

describe('KQL built by the product', () => {
  for (const query of ALL_QUERIES) {
    it(`${query.label}: parses and binds against the Resource Graph schema with no diagnostics`, () => {
      expect(kustoDiagnostics(query.text)).toEqual([]);
    });

    it(`${query.label}: uses only operators Resource Graph supports and projects id`, () => {
      const operators = [...query.text.matchAll(/\|\s*([a-z-]+)/g)].map((match) => match[1]);
      expect(operators.length).toBeGreaterThan(0);
      for (const operator of operators) expect(SUPPORTED_OPERATORS.has(operator ?? '')).toBe(true);
      expect(query.text).toMatch(/\|\s*project\s+id\b/);
      expect(query.text).not.toMatch(/\b(join|union|let)\b/);
    });
  }

  it('the language service catches a broken query (the check can fail)', () => {
    expect(kustoDiagnostics('resources | where typo =~ 1 | projecct id').length).toBeGreaterThan(0);
  });
});

describe('kqlString', () => {
  const hostile = [
    "x' or 1 == 1 //",
    "' | project secret | where '' == '",
    'back\\slash',
    'line\nbreak\rand\ttab',
    'nul\u0000and\u001fcontrol',
    'ünïcödé ✓ 漢字',
    '',
  ];
  for (const value of hostile) {
    it(`keeps ${JSON.stringify(value)} a single literal that decodes to itself`, () => {
      const literal = kqlString(value);
      expect(decodeLiteral(literal)).toBe(value);
      const query = `resources | where name == ${literal} | project id`;
      expect(kustoDiagnostics(query)).toEqual([]);
      const outsideLiterals = query.replace(/'(?:[^'\\]|\\.)*'/g, "''");
      expect([...outsideLiterals.matchAll(/\|\s*([a-z-]+)/g)].map((m) => m[1])).toEqual(['where', 'project']);
    });
  }

  it('builds lists and refuses empty ones', () => {
    expect(kqlStringList(['a', "b'"])).toBe("('a', 'b\\'')");
    expect(() => kqlStringList([])).toThrow(RangeError);
  });

  it('accepts only plain identifiers', () => {
    expect(kqlIdentifier('resources')).toBe('resources');
    expect(() => kqlIdentifier('resources | take 1')).toThrow(RangeError);
  });
});
