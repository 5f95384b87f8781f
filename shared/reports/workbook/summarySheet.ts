import { EFFECTIVE_STATUSES } from '../../governance/records.js';
import type { CellValue, Style, Worksheet } from 'exceljs';

import { CATALOG_VERSION, controlRange } from '../../catalog/controls.js';
import { STATUSES } from '../../catalog/types.js';
import type { RunMetadata } from '../../scan/scanResult.js';
import type { RunChanges } from '../../runCalculations/runChanges.js';
import type { ControlRollup, KindRollup } from '../controlSummaries.js';
import { STATUS_COLOURS } from '../statusColours.js';
import { totalOf } from '../statusBreakdown.js';
import { cellText } from './cellText.js';
import {
  DATE_FORMAT,
  HEADER_STYLE,
  INTEGER_FORMAT,
  NOTE_FONT,
  PERCENT_FORMAT,
  SECTION_FONT,
  TITLE_FONT,
} from './cellStyles.js';
import { CHANGE_LISTS } from './changesSheet.js';
import { gapCells } from './notReadSheet.js';
import type { WorkbookSession } from './workbookSession.js';

/** At most this many collection gaps are listed on the Summary; all are on the "Not read" sheet. */
export const SUMMARY_GAP_LIMIT = 100;

export interface SummaryFacts {
  run: RunMetadata;
  /** Findings of the run. */
  findingCount: number;
  findingsJsonSha256: string;
  generatedAt: Date;
  changes: RunChanges | undefined;
  controls: readonly ControlRollup[];
  kinds: readonly KindRollup[];
  notificationDeadLetters?: number;
}

type SummaryCell = string | number | Date | null | { percent: number | null };

/** Writes free-form rows with the Summary's styles; text through cellText, numbers and dates typed. */
class SummaryRows {
  constructor(
    private readonly session: WorkbookSession,
    private readonly worksheet: Worksheet,
  ) {}

  private write(cells: readonly SummaryCell[], style?: (column: number) => Partial<Style> | undefined): void {
    const values: CellValue[] = cells.map((cell) => {
      if (typeof cell === 'string') return cellText(cell, this.session.limits.maxCellChars);
      if (cell !== null && typeof cell === 'object' && !(cell instanceof Date)) return cell.percent ?? 'n/a';
      return cell;
    });
    const row = this.worksheet.addRow(values);
    cells.forEach((cell, index) => {
      const target = row.getCell(index + 1);
      if (cell instanceof Date) target.numFmt = DATE_FORMAT;
      else if (typeof cell === 'number') target.numFmt = INTEGER_FORMAT;
      else if (cell !== null && typeof cell === 'object') target.numFmt = PERCENT_FORMAT;
      const extra = style?.(index + 1);
      if (extra) target.style = { ...target.style, ...extra };
      target.alignment = { vertical: 'top', horizontal: 'left', wrapText: index === 1 };
    });
    row.commit();
    if (cells.length > 0) this.session.rows++; // exceljs writes no empty row
  }

  blank(): void {
    this.write([]);
  }

  title(text: string): void {
    this.write([text], () => ({ font: TITLE_FONT }));
  }

  section(text: string): void {
    this.blank();
    this.write([text], () => ({ font: SECTION_FONT }));
  }

  pair(label: string, value: SummaryCell): void {
    this.write([label, value], (column) => (column === 1 ? { font: { bold: true } } : undefined));
  }

  header(cells: readonly string[]): void {
    this.write(cells, () => HEADER_STYLE);
  }

  row(cells: readonly SummaryCell[], statusColumn?: number): void {
    this.write(cells, (column) => {
      const status = column === statusColumn ? STATUSES.find((s) => s === cells[column - 1]) : undefined;
      if (!status) return undefined;
      const colours = STATUS_COLOURS[status];
      return {
        font: { color: { argb: `FF${colours.text}` } },
        fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${colours.fill}` } },
      };
    });
  }

  note(text: string): void {
    this.write([text], () => ({ font: NOTE_FONT }));
  }
}

const STATUS_HEADERS = [...STATUSES];

function writeCoverage(rows: SummaryRows, run: RunMetadata): void {
  const gaps = run.notRead;
  rows.pair(
    'Coverage',
    run.complete
      ? 'complete: every part of the scope was read'
      : `PARTIAL: ${gaps.length} read(s) failed; findings that need them are ERROR, never PASS`,
  );
  if (gaps.length === 0) return;
  rows.section('Not read');
  rows.header(['Gap', 'Subscription or resource', 'Category', 'Reason']);
  for (const gap of gaps.slice(0, SUMMARY_GAP_LIMIT)) rows.row(gapCells(gap));
  if (gaps.length > SUMMARY_GAP_LIMIT) {
    rows.note(`… and ${gaps.length - SUMMARY_GAP_LIMIT} more: see the "Not read" sheet.`);
  }
}

function writeRun(rows: SummaryRows, facts: SummaryFacts): void {
  const { run } = facts;
  rows.section('Run');
  rows.pair('Run ID', run.id);
  rows.pair('Started (UTC)', new Date(run.startedAt));
  rows.pair('Finished (UTC)', new Date(run.finishedAt));
  rows.pair('As of (UTC)', new Date(run.asOf));
  rows.pair('Report generated (UTC)', facts.generatedAt);
  rows.pair('Source', run.source);
  rows.pair('Catalog version', CATALOG_VERSION);
  rows.pair('Clusters', run.clusterCount);
  rows.pair('Findings', facts.findingCount);
  rows.pair('Inventory resources read', run.inventory.resources);
  rows.pair('Duplicate resource IDs (later kept)', run.inventory.duplicates);
  rows.pair(
    'Resources of unused types',
    Object.values(run.inventory.ignoredByType).reduce((sum, count) => sum + count, 0),
  );
  rows.pair('Inventory warnings (in findings.json)', run.inventoryWarnings.length);
  for (const [name, value] of Object.entries(run.thresholds)) {
    if (value === undefined || value === null) continue;
    rows.pair(`Threshold: ${name}`, typeof value === 'number' ? value : String(value));
  }
  rows.pair('findings.json SHA-256', facts.findingsJsonSha256);
  writeCoverage(rows, run);
  if (facts.notificationDeadLetters !== undefined) {
    rows.pair('Notification deliveries given up (dead letters)', facts.notificationDeadLetters);
  }
  if (run.stats) {
    rows.section('Collection statistics');
    for (const [name, value] of Object.entries(run.stats)) rows.pair(name, value);
  }
}

function writeStatuses(rows: SummaryRows, facts: SummaryFacts): void {
  const { counts, score } = facts.run;
  rows.section('Findings by status');
  rows.header(['Status', 'Findings']);
  for (const status of STATUSES) rows.row([status, counts[status]], 1);
  rows.row(['Total', totalOf(counts)]);
  rows.pair('Overall compliance', { percent: score });
  rows.note('Compliance = PASS / (PASS + FAIL + MANUAL + ERROR); NOT_APPLICABLE is excluded.');
  const { effectiveCounts, effectiveScore } = facts.run;
  if (effectiveCounts && effectiveScore !== undefined) {
    rows.section('After exceptions and attestations');
    rows.header(['Effective status', 'Findings']);
    for (const status of EFFECTIVE_STATUSES) rows.row([status, effectiveCounts[status]], 1);
    rows.pair('Observed compliance', { percent: score });
    rows.pair('Effective compliance', { percent: effectiveScore });
    rows.note(
      'Effective = PASS / (PASS + FAIL + MANUAL + ERROR) after governance: EXCEPTED findings (accepted risks) leave the denominator, attested findings count as their attested result. See the Exceptions and Attestations sheets.',
    );
  }
}

function writeRollups(rows: SummaryRows, facts: SummaryFacts): void {
  rows.section('By control');
  rows.header(['Control', 'Title', 'Severity', ...STATUS_HEADERS, 'Compliance']);
  for (const control of facts.controls) {
    rows.row([
      control.controlId,
      control.title,
      control.severity,
      ...STATUSES.map((status) => control.counts[status]),
      { percent: control.score },
    ]);
  }
  rows.section('By cluster kind');
  rows.header(['Kind', 'Clusters', ...STATUS_HEADERS, 'Compliance']);
  for (const kind of facts.kinds) {
    rows.row([
      kind.kind,
      kind.clusters,
      ...STATUSES.map((status) => kind.counts[status]),
      { percent: kind.score },
    ]);
  }
}

function writeChanges(rows: SummaryRows, changes: RunChanges | undefined): void {
  rows.section('Changes since the previous run');
  if (changes === undefined) {
    rows.pair('Previous run', 'first run: no previous complete run of this scope to compare with');
    return;
  }
  rows.pair('Previous run', changes.previousRunId ?? '(none)');
  for (const [list, label] of CHANGE_LISTS) rows.pair(label, changes[list].length);
  rows.pair('clusters added', changes.clustersAdded.length);
  rows.pair('clusters removed', changes.clustersRemoved.length);
}

/** The Summary sheet: run, coverage, counts, scores per control and kind, changes, digest. */
export function writeSummarySheet(session: WorkbookSession, facts: SummaryFacts): void {
  const worksheet = session.addSheet('Summary', 1, [{ state: 'normal' }]);
  worksheet.columns = [{ width: 38 }, { width: 66 }, ...Array.from({ length: 8 }, () => ({ width: 14 }))];
  const rows = new SummaryRows(session, worksheet);
  rows.title('Data-security compliance report');
  rows.note(
    `Arc-enabled Kubernetes, AKS on Azure Local and AKS; controls ${controlRange()} (catalog v${CATALOG_VERSION}).`,
  );
  writeRun(rows, facts);
  writeStatuses(rows, facts);
  writeRollups(rows, facts);
  writeChanges(rows, facts.changes);
  rows.section('Notes');
  rows.note('Times are UTC.');
  rows.note(
    'Text that starts with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe so it is never evaluated.',
  );
  rows.note(
    `Text longer than ${session.limits.maxCellChars.toLocaleString('en-US')} characters is cut; the cell then ends with "… [TRUNCATED: <length> characters; full value in findings.json]".`,
  );
  worksheet.commit();
}
