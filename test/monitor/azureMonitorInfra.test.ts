import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  DEFAULT_FINDINGS_STREAM,
  DEFAULT_RUNS_STREAM,
  parseLogsIngestionSettings,
} from '../../shared/monitor/logsIngestionSettings.js';
import { findingLogRow, runLogRow } from '../../shared/monitor/logRows.js';
import { sampleRun } from '../formats/formatFleets.js';
import { INFRA, MONITOR_TABLES, workspaceDiagnostics, type TableSchema } from './monitorKusto.js';

interface WorkbookItem {
  type: number;
  name: string;
  content: { query?: string; version?: string; resourceType?: string };
}

const workbook = JSON.parse(readFileSync(join(INFRA, 'complianceWorkbook.workbook'), 'utf8')) as {
  version: string;
  items: WorkbookItem[];
};
const queries = workbook.items.filter((item) => item.type === 3);
const bicep = readFileSync(join(INFRA, 'azureMonitorLogs.bicep'), 'utf8');
const publisher = readFileSync(join(INFRA, 'azureMonitorPublisher.bicep'), 'utf8');
const main = readFileSync(join(INFRA, 'main.bicep'), 'utf8');

function jsType(type: string): string {
  return {
    string: 'string',
    datetime: 'string',
    dynamic: 'object',
    long: 'number',
    real: 'number',
    boolean: 'boolean',
  }[type] as string;
}

function expectRowMatches(row: Record<string, unknown>, schema: TableSchema): void {
  expect(Object.keys(row).sort()).toEqual(schema.columns.map((column) => column.name).sort());
  for (const column of schema.columns) {
    expect(typeof row[column.name], column.name).toBe(jsType(column.type));
    if (column.type === 'datetime') expect(Number.isNaN(Date.parse(row[column.name] as string))).toBe(false);
    if (column.type === 'long') expect(Number.isInteger(row[column.name])).toBe(true);
  }
}

describe('the Azure Monitor workbook', () => {
  it('shows the score over time, failing controls, clusters by status and what changed since the last run', () => {
    expect(workbook.version).toBe('Notebook/1.0');
    expect(queries.map((item) => item.name)).toEqual([
      'score-over-time',
      'failing-controls',
      'clusters-by-status',
      'changes-since-last-run',
    ]);
    for (const item of queries) {
      expect(item.content.version).toBe('KqlItem/1.0');
      expect(item.content.resourceType).toBe('microsoft.operationalinsights/workspaces');
    }
  });

  for (const item of queries) {
    it(`${item.name}: parses and binds against the tables' schema with no diagnostics`, () => {
      expect(workspaceDiagnostics(item.content.query ?? '')).toEqual([]);
    });
  }

  it('the check catches a column or table that does not exist', () => {
    expect(workspaceDiagnostics('ArcDataCompliance_CL | where Verdict == "FAIL"').join()).toMatch(/Verdict/);
    expect(workspaceDiagnostics('ArcDataComplianceRun_CL | count').join()).toMatch(/ArcDataComplianceRun_CL/);
    expect(
      workspaceDiagnostics('ArcDataComplianceRuns_CL | summarize avg(Score) by bin(TimeGenerated, 1d)'),
    ).toEqual([]);
  });
});

describe('the Azure Monitor tables', () => {
  it('the rows uploaded have exactly the columns and types the tables and streams declare', () => {
    const run = sampleRun();
    for (const finding of run.findings.slice(0, 50))
      expectRowMatches(
        findingLogRow(finding, run.run, 'live:all') as unknown as Record<string, unknown>,
        MONITOR_TABLES.findings,
      );
    expectRowMatches(
      runLogRow(run.run, 'live:all', run.findings.length, 0) as unknown as Record<string, unknown>,
      MONITOR_TABLES.runs,
    );
  });

  it('the default stream names are the streams the rule declares', () => {
    expect(DEFAULT_FINDINGS_STREAM).toBe(MONITOR_TABLES.findings.stream);
    expect(DEFAULT_RUNS_STREAM).toBe(MONITOR_TABLES.runs.stream);
    for (const schema of [MONITOR_TABLES.findings, MONITOR_TABLES.runs]) {
      expect(schema.table).toMatch(/_CL$/);
      expect(schema.stream).toBe(`Custom-${schema.table}`);
      expect(schema.columns[0]).toEqual({ name: 'TimeGenerated', type: 'datetime' });
    }
  });
});

describe('the Bicep of the Azure Monitor destination', () => {
  it('declares both tables, the data collection endpoint and rule (one flow per stream) and the workbook', () => {
    expect(bicep).toMatch(
      /resource findingsTable 'Microsoft\.OperationalInsights\/workspaces\/tables@[\d-]+'/,
    );
    expect(bicep).toMatch(/resource runsTable 'Microsoft\.OperationalInsights\/workspaces\/tables@[\d-]+'/);
    expect(bicep).toMatch(/resource endpoint 'Microsoft\.Insights\/dataCollectionEndpoints@[\d-]+'/);
    expect(bicep).toMatch(/resource rule 'Microsoft\.Insights\/dataCollectionRules@[\d-]+'/);
    expect(bicep).toMatch(/dataCollectionEndpointId: endpoint\.id/);
    expect(bicep.match(/outputStream: tables\.(findings|runs)\.stream/g)).toHaveLength(2);
    expect(bicep).toMatch(/resource workbook 'Microsoft\.Insights\/workbooks@[\d-]+'/);
    for (const [, file] of bicep.matchAll(/load(?:Json|Text)Content\('([^']+)'\)/g))
      expect(existsSync(join(INFRA, file ?? '')), file).toBe(true);
  });

  it('grants the app identity Monitoring Metrics Publisher on the rule only', () => {
    expect(publisher).toMatch(/scope: rule\b/);
    expect(publisher).toContain("'3913510d-42f4-4e42-8a64-420c390055eb'");
    expect(main).toMatch(/module monitorPublisher 'azureMonitorPublisher\.bicep' = if \(azureMonitorLogs\)/);
    expect(main).toMatch(/principalId: functionApp\.identity\.principalId/);
  });

  it('configures the app with the settings the product reads, empty (off) unless enabled', () => {
    const settings = [
      ...main.matchAll(
        /\{ name: '(MONITOR_[A-Z_]+)', value: azureMonitorLogs \? monitorLogs\.outputs\.\w+ : '' \}/g,
      ),
    ].map((match) => match[1]);
    expect(settings.sort()).toEqual(['MONITOR_DCR_IMMUTABLE_ID', 'MONITOR_INGESTION_ENDPOINT']);
    expect(
      parseLogsIngestionSettings({ MONITOR_DCR_IMMUTABLE_ID: '', MONITOR_INGESTION_ENDPOINT: '' }),
    ).toBeUndefined();
    expect(main).toMatch(/param azureMonitorLogs bool = false/);
  });
});
