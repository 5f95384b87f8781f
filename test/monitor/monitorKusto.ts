/** Microsoft's Kusto language service bound to the compliance tables of infra/azureMonitorTables.json. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { K } from '../support/kustoLanguageService.js';

export const INFRA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'infra');

export interface TableSchema {
  table: string;
  stream: string;
  columns: { name: string; type: string }[];
}

export const MONITOR_TABLES = JSON.parse(readFileSync(join(INFRA, 'azureMonitorTables.json'), 'utf8')) as {
  findings: TableSchema;
  runs: TableSchema;
};

/** Stream/table column types as the language service names them. */
const KUSTO_TYPES: Record<string, string> = {
  string: 'String',
  datetime: 'DateTime',
  dynamic: 'Dynamic',
  long: 'Long',
  int: 'Int',
  real: 'Real',
  boolean: 'Bool',
};

const WORKSPACE = K.GlobalState.Default.WithDatabase(
  new K.Symbols.DatabaseSymbol.$ctor3(
    'workspace',
    null,
    [MONITOR_TABLES.findings, MONITOR_TABLES.runs].map(
      (table) =>
        new K.Symbols.TableSymbol.$ctor4(
          table.table,
          table.columns.map((column) => {
            const type = KUSTO_TYPES[column.type];
            if (!type) throw new Error(`unknown column type ${column.type}`);
            return new K.Symbols.ColumnSymbol(column.name, K.Symbols.ScalarTypes[type]);
          }),
        ),
    ),
    false,
  ),
);

/** Syntax and semantic errors of a query against the two tables. */
export function workspaceDiagnostics(query: string): string[] {
  const diagnostics = K.KustoCode.ParseAndAnalyze(query, WORKSPACE).GetDiagnostics();
  const messages: string[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const diagnostic = diagnostics.getItem(i);
    messages.push(`${diagnostic.Severity} at ${diagnostic.Start}: ${diagnostic.Message}`);
  }
  return messages;
}
