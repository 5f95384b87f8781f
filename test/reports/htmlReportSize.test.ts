import type { AddressInfo } from 'node:net';

import fc from 'fast-check';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';

import { settingSecrets } from '../../shared/config/secretSource.js';
import type { Finding, Status } from '../../shared/catalog/types.js';
import { parseNotificationSettings } from '../../shared/notifications/notificationSettings.js';
import { sendReportEmail } from '../../shared/notifications/reportEmail.js';
import { DISPLAY_LIMITS } from '../../shared/reports/html/displayText.js';
import { REPORT_HTML_MAX_BYTES, renderHtmlReport } from '../../shared/reports/renderHtmlReport.js';
import type { ReportInput } from '../../shared/reports/reportInput.js';
import { computeRunChanges } from '../../shared/runCalculations/runChanges.js';
import type { ScanResult } from '../../shared/scan/scanResult.js';
import { inputFor, syntheticResult } from './reportFixtures.js';

const STATUSES_CYCLE: Status[] = ['FAIL', 'MANUAL', 'ERROR', 'FAIL', 'PASS'];

/** Tags the report itself writes; anything else would be markup that came from the data. */
const REPORT_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'div',
  'header',
  'h1',
  'h2',
  'h3',
  'p',
  'main',
  'section',
  'table',
  'caption',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'span',
  'a',
  'br',
  'strong',
  'ul',
  'li',
  'figure',
  'svg',
  'line',
  'text',
  'polyline',
  'circle',
  'rect',
  'g',
  'abbr',
  'footer',
  'em',
]);

/** A report input whose every inventory-derived string comes from `text(field, index)`. */
function hostileInput(clusters: number, text: (field: string, index: number) => string): ReportInput {
  const result: ScanResult = syntheticResult(clusters, (i) => STATUSES_CYCLE[i % 5] as Status);
  const byCluster = new Map<string, number>();
  result.clusters.forEach((cluster, index) => byCluster.set(cluster.id, index));
  const rename = (finding: Finding): Finding => {
    const index = byCluster.get(finding.clusterId) ?? 0;
    return {
      ...finding,
      clusterId: text('clusterId', index),
      clusterName: text('clusterName', index),
      subscriptionId: text('subscriptionId', index),
      resourceGroup: text('resourceGroup', index),
      reason: text('reason', index),
      controlTitle: text('controlTitle', index),
      evidence: {
        ...finding.evidence,
        checks: finding.evidence.checks.map((check) => ({ ...check, observed: text('observed', index) })),
      },
    };
  };
  const previousFindings = result.findings.map((finding, i) => ({
    ...rename(finding),
    status: 'PASS' as const,
    // Every other cluster has another ID before: it is listed as removed, this one as added.
    ...(i % 20 < 10 ? { clusterId: `${text('clusterId', i)}-before` } : {}),
  }));
  result.findings = result.findings.map(rename);
  result.clusters = result.clusters.map((cluster, index) => ({
    ...cluster,
    id: text('clusterId', index),
    name: text('clusterName', index),
    resourceGroup: text('resourceGroup', index),
  }));
  result.run = {
    ...result.run,
    id: text('runId', 0),
    source: text('source', 0) as ScanResult['run']['source'],
    complete: false,
    notRead: Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? { kind: 'resource' as const, id: text('gapId', i), reason: text('gapReason', i) }
        : {
            kind: 'scope' as const,
            subscriptionId: text('subscriptionId', i),
            category: text('category', i) as 'extensions',
            reason: text('gapReason', i),
          },
    ),
  };
  const input = inputFor(result);
  return {
    ...input,
    findingsJsonSha256: text('sha', 0),
    changes: computeRunChanges(
      { runId: text('previousRunId', 0), findings: previousFindings },
      { runId: result.run.id, findings: result.findings },
    ),
    trend: Array.from({ length: 120 }, (_, i) => ({
      runId: text('trendRunId', i),
      asOf: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
      score: (i % 10) / 10,
      counts: result.run.counts,
    })),
  };
}

function byteSize(html: string): number {
  return Buffer.byteLength(html, 'utf8');
}

/** Every tag name the page uses, and every attribute name. */
function markupOf(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const match of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    tags.add((match[1] ?? '').toLowerCase());
    // Attribute values are escaped text: only the names outside them are markup.
    const names = (match[2] ?? '').replace(/"[^"]*"/g, '""');
    for (const attribute of names.matchAll(/\s([a-zA-Z-:]+)=/g))
      attributes.add((attribute[1] ?? '').toLowerCase());
  }
  return { tags, attributes };
}

/** The longest text between two tags, entities decoded. */
function longestText(html: string): number {
  const body = html.slice(html.indexOf('</style>'));
  let longest = 0;
  for (const match of body.matchAll(/>([^<]*)</g)) {
    const decoded = (match[1] ?? '').replace(/&(?:amp|lt|gt|quot|#39);/g, '_');
    longest = Math.max(longest, decoded.length);
  }
  return longest;
}

const PAYLOAD = '"<script>alert(1)</script><img src=x onerror=alert(2)>&amp;\'😀';

describe('report.html size is bounded whatever the inventory', () => {
  it('regression: a 10 MB cluster name gives a small report that says the name was cut', async () => {
    const huge = 'n'.repeat(10_000_000);
    const input = hostileInput(30, (field, index) =>
      field === 'clusterName' && index === 0 ? huge : `${field}-${index}`,
    );
    const html = await renderHtmlReport(input);
    expect(byteSize(html)).toBeLessThan(REPORT_HTML_MAX_BYTES);
    expect(byteSize(html)).toBeLessThan(1_000_000);
    expect(html).toContain(
      '<span class="truncated">… [truncated: 10,000,000 characters; the full value is in findings.json and report.xlsx]</span>',
    );
    expect(html).toContain(`>${'n'.repeat(DISPLAY_LIMITS.name)}<span class="truncated">`);
    expect(html).not.toContain('n'.repeat(DISPLAY_LIMITS.name + 1));
  });

  it('stays below REPORT_HTML_MAX_BYTES and escapes everything, for huge hostile values in every field (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          clusters: fc.integer({ min: 1, max: 120 }),
          unit: fc.constantFrom('"', "'", '<', '&', '😀', 'é', 'x', PAYLOAD),
          length: fc.integer({ min: 0, max: 12_000 }),
          // Which fields are huge; the others are short but still hostile.
          huge: fc.uniqueArray(
            fc.constantFrom(
              'clusterId',
              'clusterName',
              'subscriptionId',
              'resourceGroup',
              'reason',
              'controlTitle',
              'observed',
              'runId',
              'source',
              'gapId',
              'gapReason',
              'category',
              'sha',
              'previousRunId',
              'trendRunId',
            ),
          ),
        }),
        async ({ clusters, unit, length, huge }) => {
          const big = unit.repeat(Math.ceil(length / unit.length));
          const input = hostileInput(clusters, (field, index) =>
            (huge as readonly string[]).includes(field)
              ? `${index}${PAYLOAD}${big}`
              : `${field}${index}${PAYLOAD}`,
          );
          const html = await renderHtmlReport(input);
          expect(byteSize(html)).toBeLessThan(REPORT_HTML_MAX_BYTES);
          const { tags, attributes } = markupOf(html);
          expect([...tags].filter((tag) => !REPORT_TAGS.has(tag))).toEqual([]);
          expect([...attributes].filter((name) => name.startsWith('on'))).toEqual([]);
          expect(html).not.toMatch(/<script|<img/i);
          // No surrogate pair was split by a cut (escapeHtml would show a lone one as U+FFFD).
          expect(html).not.toContain('\ufffd');
          expect(longestText(html)).toBeLessThan(2_400);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('keeps the worst case — every field longer than any limit and made of quotes — below the bound', async () => {
    // Longer than MAX_INTERPOLATED_CHARS is as long as matters: every value is cut there at most.
    const quotes = '"'.repeat(3_000);
    const html = await renderHtmlReport(hostileInput(200, (_field, index) => `${index}${quotes}`));
    const size = byteSize(html);
    expect(size).toBeLessThan(REPORT_HTML_MAX_BYTES);
    // The bound is tight enough to mean something.
    expect(size).toBeGreaterThan(REPORT_HTML_MAX_BYTES / 4);
  }, 60_000);
});

describe('the report e-mail carries the bounded report', () => {
  it('sends a small message for a fleet with a 10 MB cluster name', async () => {
    let raw = 0;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      size: 50 * 1024 * 1024,
      onData(stream, _session, callback) {
        stream.on('data', (chunk: Buffer) => (raw += chunk.length));
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = smtp.server.address() as AddressInfo;
      const env = {
        SMTP_HOST: 'localhost',
        SMTP_PORT: String(port),
        SMTP_REQUIRE_TLS: 'false',
        REPORT_EMAIL_FROM: 'compliance@example.com',
        REPORT_EMAIL_TO: 'ciso@example.com',
        NOTIFICATIONS_ALLOWED_HOSTS: 'localhost',
      };
      const huge = 'n'.repeat(10_000_000);
      const html = await renderHtmlReport(
        hostileInput(30, (field, index) =>
          field === 'clusterName' && index === 0 ? huge : `${field}-${index}`,
        ),
      );
      const sent = await sendReportEmail(
        parseNotificationSettings(env),
        settingSecrets(env),
        { html, summary: { score: 0.5, previousScore: null, newlyFailing: 1, resolved: 0, complete: false } },
        { resolve: async () => [{ address: '127.0.0.1', family: 4 }] },
      );
      expect(sent.accepted).toEqual(['ciso@example.com']);
      expect(raw).toBeGreaterThan(byteSize(html) / 2);
      expect(raw).toBeLessThan(REPORT_HTML_MAX_BYTES);
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  }, 60_000);
});
