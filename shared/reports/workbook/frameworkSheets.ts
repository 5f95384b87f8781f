import { frameworkByKey } from '../../catalog/frameworks.js';
import type { FrameworkCompliance } from '../frameworkCompliance.js';
import { TableSheet, type TableColumn } from './tableSheet.js';
import type { WorkbookSession } from './workbookSession.js';

export const FRAMEWORK_COLUMNS: readonly TableColumn[] = [
  { header: 'Recommendation', width: 24, kind: 'wrap' },
  { header: 'Title', width: 60, kind: 'wrap' },
  { header: 'Relation', width: 16 },
  { header: 'Direct controls', width: 16, kind: 'wrap' },
  { header: 'Related controls', width: 16, kind: 'wrap' },
  { header: 'Findings', width: 10, kind: 'integer' },
  { header: 'PASS', width: 8, kind: 'integer' },
  { header: 'FAIL', width: 8, kind: 'integer' },
  { header: 'MANUAL', width: 9, kind: 'integer' },
  { header: 'NOT_APPLICABLE', width: 9, kind: 'integer' },
  { header: 'ERROR', width: 8, kind: 'integer' },
  { header: 'Compliance', width: 11, kind: 'percent' },
];

function relationOf(direct: readonly string[], related: readonly string[]): string {
  if (direct.length > 0 && related.length > 0) return 'direct and related';
  return direct.length > 0 ? 'direct' : 'related';
}

/** One sheet per framework: each mapped recommendation, the controls behind it, counts and compliance. */
export async function writeFrameworkSheets(
  session: WorkbookSession,
  frameworks: readonly FrameworkCompliance[],
): Promise<void> {
  for (const framework of frameworks) {
    const { note, sheetName } = frameworkByKey(framework.key);
    const preamble = [
      `${framework.name} ${framework.version}`,
      `Counts are over the findings of every control behind a recommendation; compliance = PASS / (PASS + FAIL + MANUAL + ERROR), NOT_APPLICABLE excluded.${note ? ` Note: ${note}.` : ''}`,
    ];
    const table = new TableSheet(session, sheetName, FRAMEWORK_COLUMNS, {
      preamble,
      frozenColumns: 1,
    });
    for (const recommendation of framework.recommendations) {
      const { counts } = recommendation;
      await table.add([
        recommendation.id,
        recommendation.title,
        relationOf(recommendation.directControls, recommendation.relatedControls),
        recommendation.directControls.join(', '),
        recommendation.relatedControls.join(', '),
        counts.PASS + counts.FAIL + counts.MANUAL + counts.NOT_APPLICABLE + counts.ERROR,
        counts.PASS,
        counts.FAIL,
        counts.MANUAL,
        counts.NOT_APPLICABLE,
        counts.ERROR,
        recommendation.score ?? 'n/a',
      ]);
    }
    table.close();
  }
}
