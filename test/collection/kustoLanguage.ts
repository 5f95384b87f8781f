/** Resource Graph schema and analysis over the Kusto language service, for the query checks. */
import { K } from '../support/kustoLanguageService.js';

const STANDARD_SCHEMA: Array<[string, string]> = [
  ['id', 'String'],
  ['name', 'String'],
  ['type', 'String'],
  ['kind', 'String'],
  ['location', 'String'],
  ['resourceGroup', 'String'],
  ['subscriptionId', 'String'],
  ['tenantId', 'String'],
  ['tags', 'Dynamic'],
  ['identity', 'Dynamic'],
  ['properties', 'Dynamic'],
  ['extendedLocation', 'Dynamic'],
  ['sku', 'Dynamic'],
  ['zones', 'Dynamic'],
];

/** The Resource Graph tables the product queries, each with the standard columns. */
const RESOURCE_GRAPH = K.GlobalState.Default.WithDatabase(
  new K.Symbols.DatabaseSymbol.$ctor3(
    'resourcegraph',
    null,
    ['resources', 'kubernetesconfigurationresources', 'recoveryservicesresources', 'resourcecontainers'].map(
      (table) =>
        new K.Symbols.TableSymbol.$ctor4(
          table,
          STANDARD_SCHEMA.map(
            ([name, type]) => new K.Symbols.ColumnSymbol(name, K.Symbols.ScalarTypes[type]),
          ),
        ),
    ),
    false,
  ),
);

/** Syntax and semantic errors of a query against the Resource Graph schema. */
export function kustoDiagnostics(query: string): string[] {
  const diagnostics = K.KustoCode.ParseAndAnalyze(query, RESOURCE_GRAPH).GetDiagnostics();
  const messages: string[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const diagnostic = diagnostics.getItem(i);
    messages.push(`${diagnostic.Severity} at ${diagnostic.Start}: ${diagnostic.Message}`);
  }
  return messages;
}
