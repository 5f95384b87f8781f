/** Microsoft's Kusto language service (a Bridge.NET build that installs itself on globalThis). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');

export interface Diagnostic {
  Message: string;
  Start: number;
  Severity: string;
}
export interface KustoList<T> {
  Count: number;
  getItem(index: number): T;
}
interface KustoApi {
  Symbols: {
    ColumnSymbol: new (name: string, type: unknown) => unknown;
    ScalarTypes: Record<string, unknown>;
    TableSymbol: { $ctor4: new (name: string, columns: unknown[]) => unknown };
    DatabaseSymbol: {
      $ctor3: new (name: string, alternate: null, members: unknown[], isOpen: boolean) => unknown;
    };
  };
  GlobalState: { Default: { WithDatabase(database: unknown): unknown } };
  KustoCode: { ParseAndAnalyze(text: string, globals: unknown): { GetDiagnostics(): KustoList<Diagnostic> } };
}

export const K = (globalThis as unknown as { Kusto: { Language: KustoApi } }).Kusto.Language;
