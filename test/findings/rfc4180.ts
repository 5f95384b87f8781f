/**
 * A strict RFC 4180 parser for tests: records end with CRLF (the last one may omit it), fields are
 * separated by commas, a field is either quoted ("…", with "" for a quote, and may then contain
 * commas, CR and LF) or unquoted (and then contains no quote, CR or LF). Anything else throws, and
 * every record must have as many fields as the first.
 */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
}

export function parseCsvStrict(input: string): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new CsvSyntaxError(`${message} at offset ${i} (record ${records.length + 1})`);
  };
  if (text.length === 0) return records;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('quote inside an unquoted field');
        field += text[i];
        i++;
      }
    }
    record.push(field);
    if (i >= text.length) {
      records.push(record);
      break;
    }
    const c = text[i];
    if (c === ',') {
      i++;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') {
      i += 2;
      records.push(record);
      record = [];
      if (i >= text.length) break;
      continue;
    }
    fail(
      c === '\r' || c === '\n'
        ? 'bare CR or LF outside quotes'
        : `unexpected ${JSON.stringify(c)} after a field`,
    );
  }
  const width = records[0]?.length ?? 0;
  records.forEach((r, index) => {
    if (r.length !== width) {
      throw new CsvSyntaxError(`record ${index + 1} has ${r.length} fields, the header has ${width}`);
    }
  });
  return records;
}

/** Header and rows as objects keyed by the header's names. */
export function csvObjects(input: string): { header: string[]; rows: Array<Record<string, string>> } {
  const [header, ...records] = parseCsvStrict(input);
  if (!header) throw new CsvSyntaxError('no header row');
  return {
    header,
    rows: records.map((record) =>
      Object.fromEntries(header.map((name, index) => [name, record[index] ?? ''])),
    ),
  };
}

/** Normalised column name: lower case, letters and digits only (`Cluster ID` → `clusterid`). */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The header column that matches one of `aliases` (compared ignoring case, spaces and punctuation);
 * throws when none does, so a missing contract column fails the test.
 */
export function findColumn(header: readonly string[], ...aliases: string[]): string {
  const wanted = new Set(aliases.map(normaliseName));
  const found = header.find((name) => wanted.has(normaliseName(name)));
  if (found === undefined) throw new Error(`no column ${aliases.join(' / ')} in header ${header.join(',')}`);
  return found;
}

/** The contract columns of findings.csv (docs/findings.md), with the names they may go by. */
export const CONTRACT_COLUMNS = {
  clusterId: ['cluster id', 'clusterId'],
  clusterName: ['cluster name', 'clusterName'],
  kind: ['kind', 'clusterKind', 'cluster kind'],
  subscription: ['subscription', 'subscriptionId', 'subscription id'],
  resourceGroup: ['resource group', 'resourceGroup'],
  controlId: ['control id', 'controlId'],
  controlTitle: ['control title', 'controlTitle'],
  severity: ['severity'],
  status: ['status'],
  reason: ['reason'],
  benchmarkIds: ['benchmark ids', 'benchmarkIds', 'benchmarks'],
} as const;

export type ContractColumn = keyof typeof CONTRACT_COLUMNS;

export function contractColumns(header: readonly string[]): Record<ContractColumn, string> {
  return Object.fromEntries(
    Object.entries(CONTRACT_COLUMNS).map(([key, aliases]) => [key, findColumn(header, ...aliases)]),
  ) as Record<ContractColumn, string>;
}

/** Characters that make a spreadsheet treat a cell as a formula (docs/findings.md). */
export const FORMULA_START = /^[=+\-@\t\r]/;
