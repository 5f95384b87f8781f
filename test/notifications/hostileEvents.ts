/**
 * Notification events whose every text is hostile: astral characters, emoji sequences, combining
 * marks, control characters, bidirectional controls, lone surrogates, markup of every kind
 * (HTML, Markdown, Adaptive Card and Jira wiki syntax, template braces), and lengths from empty to
 * megabytes.
 */
import fc from 'fast-check';

import { CONTROL_IDS } from '../../shared/catalog/types.js';
import type {
  FindingEvent,
  FindingEventData,
  FindingHeadline,
  RunEvent,
  RunEventData,
} from '../../shared/notifications/events.js';
import type { CollectionGap } from '../../shared/inventory/inventory.js';

/** Pieces that break naive text handling. */
export const HOSTILE_PIECES = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\n',
  '\r',
  '\t',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u007f',
  '\u009b',
  '\ufeff',
  '\uffff',
  '\ufffe',
  '\u200e',
  '\u200f',
  '\u202e',
  '\u2066',
  '\u0301',
  'e\u0301\u0302\u0303',
  'a' + '\u0300'.repeat(40),
  '😀',
  '👨‍👩‍👧‍👦',
  '🇫🇷',
  '𝕏',
  '\ud83d',
  '\ude00',
  'مرحبا',
  'שלום',
  '中文',
  '<script>alert(1)</script>',
  '<at>everyone</at>',
  '**bold** _it_ [link](javascript:alert(1))',
  '{{title}}',
  '${data}',
  '{color:red}x{color}',
  ']]>',
  '&amp;&lt;',
  '"quoted"',
  '\\',
  '=HYPERLINK("http://x")',
  '@here',
  ' ',
];

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

const shortText = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

/**
 * A hostile text: usually short; sometimes long (a few thousand characters around a cap);
 * rarely megabytes (a piece repeated), so the suite's run time stays reasonable.
 */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: shortText },
  {
    weight: 3,
    arbitrary: fc
      .tuple(shortText, fc.constantFrom(...HOSTILE_PIECES), fc.integer({ min: 100, max: 5_000 }), shortText)
      .map(([before, repeated, times, after]) => `${before}${repeated.repeat(times)}${after}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('😀', 'e\u0301', 'x', '\u0000', '<b>', '\ud83d'),
        fc.integer({ min: 100_000, max: 600_000 }),
      )
      .map(([repeated, times]) => repeated.repeat(times)),
  },
);

/**
 * Texts at or past every cap: astral characters and combining sequences thousands long, so
 * every payload is pushed to its budget.
 */
export const saturatedText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('😀', 'e\u0301', '👨‍👩‍👧‍👦', '"', 'x\u0000'), fc.integer({ min: 2_000, max: 3_000 }))
  .map(([repeated, times]) => repeated.repeat(times));

const linkOf = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant('https://compliance.example.com/api/runs/r1/report.xlsx'),
    text.map((value) => `https://reports.example.com/${value}`),
    text,
  );
const reportLinksOf = (text: fc.Arbitrary<string>) => fc.dictionary(text, linkOf(text), { maxKeys: 6 });

const count = fc.nat({ max: 1_000_000 });
const score = fc.double({ min: 0, max: 1, noNaN: true });
const severity = fc.constantFrom('high' as const, 'medium' as const, 'low' as const);
const status = fc.constantFrom('PASS' as const, 'FAIL' as const, 'ERROR' as const, 'MANUAL' as const);

/** A finding event's data with every text drawn from `hostileText`. */
export function findingDataOf(hostileText: fc.Arbitrary<string>): fc.Arbitrary<FindingEventData> {
  const run = fc.record({ id: hostileText, asOf: hostileText, complete: fc.boolean() });
  return fc.record({
    dedupeKey: hostileText,
    run,
    clusterId: hostileText,
    clusterName: hostileText,
    clusterKind: fc.constantFrom('arc' as const, 'aks-arc' as const, 'aks' as const),
    subscriptionId: hostileText,
    controlId: fc.constantFrom(...CONTROL_IDS),
    controlTitle: hostileText,
    severity,
    previousStatus: fc.option(status, { nil: null }),
    status,
    reason: hostileText,
    remediation: fc.option(hostileText, { nil: null }),
    evidence: fc.option(
      fc.record({
        checks: fc.array(
          fc.record({ source: hostileText, path: hostileText, observed: hostileText, expected: hostileText }),
          { maxLength: 12 },
        ),
        omittedChecks: fc.nat({ max: 1000 }),
        sourceIds: fc.array(hostileText, { maxLength: 4 }),
        stale: fc.boolean(),
        staleSince: fc.option(hostileText, { nil: null }),
        inferred: fc.boolean(),
      }),
      { nil: null },
    ),
    reportLinks: reportLinksOf(hostileText),
  });
}

/** A finding event with every text drawn from `text`. */
export function findingEventOf(text: fc.Arbitrary<string>): fc.Arbitrary<FindingEvent> {
  return fc.record({
    id: text,
    type: fc.constantFrom(
      'finding.opened' as const,
      'finding.updated' as const,
      'finding.resolved' as const,
      'finding.reopened' as const,
    ),
    timestamp: text,
    data: findingDataOf(text),
  });
}

export const hostileFindingEvent = findingEventOf(hostileText);

/** A run event's data with every text drawn from `hostileText` and lists up to 60 long. */
export function runDataOf(hostileText: fc.Arbitrary<string>): fc.Arbitrary<RunEventData> {
  const headline: fc.Arbitrary<FindingHeadline> = fc.record({
    clusterName: hostileText,
    clusterId: hostileText,
    controlId: fc.constantFrom(...CONTROL_IDS),
    controlTitle: hostileText,
    severity,
    status,
    reason: hostileText,
  });

  const gap: fc.Arbitrary<CollectionGap> = fc.oneof(
    fc.record({ kind: fc.constant('resource' as const), id: hostileText, reason: hostileText }),
    fc.record({
      kind: fc.constant('scope' as const),
      subscriptionId: hostileText,
      category: fc.constantFrom(
        'clusters' as const,
        'extensions' as const,
        'fluxConfigurations' as const,
        'backupInstances' as const,
        'azureLocal' as const,
      ),
      reason: hostileText,
    }),
  );

  return fc.record({
    run: fc.record({
      id: hostileText,
      asOf: hostileText,
      complete: fc.boolean(),
      previousRunId: fc.option(hostileText, { nil: null }),
      score,
      previousScore: fc.option(score, { nil: null }),
      scoreChange: fc.option(fc.double({ min: -100, max: 100, noNaN: true }), { nil: null }),
      counts: fc.record({ PASS: count, FAIL: count, ERROR: count, MANUAL: count, NOT_APPLICABLE: count }),
      clusterCount: fc.option(count, { nil: null }),
    }),
    changes: fc.record({
      newlyFailing: count,
      resolved: count,
      stillFailing: count,
      newlyUnobservable: count,
      otherChanges: count,
      clustersAdded: count,
      clustersRemoved: count,
    }),
    newlyFailing: fc.array(headline, { maxLength: 60 }),
    resolved: fc.array(headline, { maxLength: 20 }),
    trend: fc.array(fc.record({ runId: hostileText, asOf: hostileText, score }), { maxLength: 30 }),
    coverage: fc.record({
      complete: fc.boolean(),
      notReadCount: count,
      notRead: fc.array(gap, { maxLength: 60 }),
    }),
    reportLinks: reportLinksOf(hostileText),
  });
}

/** A run event with every text drawn from `text`. */
export function runEventOf(text: fc.Arbitrary<string>): fc.Arbitrary<RunEvent> {
  return fc.record({
    id: text,
    type: fc.constantFrom('run.completed' as const, 'run.partial' as const),
    timestamp: text,
    data: runDataOf(text),
  });
}

export const hostileRunEvent = runEventOf(hostileText);
