import { describe, expect, it } from 'vitest';

import { STATUSES, type Finding } from '../../shared/catalog/types.js';
import { escapeHtml } from '../../shared/reports/escapeHtml.js';
import { markup } from '../../shared/reports/html/htmlTemplate.js';
import { svgTrendChart } from '../../shared/reports/html/svgTrendChart.js';
import { renderHtmlReport } from '../../shared/reports/renderHtmlReport.js';
import { STATUS_COLOURS } from '../../shared/reports/statusColours.js';
import { inputFor, sampleReportInput, syntheticResult } from './reportFixtures.js';

/** WCAG 2 contrast ratio of two RRGGBB colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, bl] = [0, 2, 4].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('escapeHtml and the markup tag', () => {
  it('escapes the five HTML-significant characters, for text and attribute values alike', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml(42)).toBe('42');
  });

  it('replaces characters HTML does not allow', () => {
    expect(escapeHtml('a\u0000b\u0007c\u001bd\u007fe\ud800f')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf');
    expect(escapeHtml('tab\tnew\nline\r😀')).toBe('tab\tnew\nline\r😀');
  });

  it('escapes every interpolation and keeps only nested markup', () => {
    const name = '<script>alert(1)</script>';
    const fragment = markup`<b title="${name}">${name}</b>`;
    expect(fragment.markup).toBe(
      '<b title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</b>',
    );
    expect(markup`<p>${[fragment, ' & ', 3, null, undefined, false]}</p>`.markup).toBe(
      `<p>${fragment.markup} &amp; 3</p>`,
    );
  });
});

describe('colours', () => {
  it('gives every status text/fill pair a contrast of at least 4.5:1, and the page too', () => {
    for (const status of STATUSES) {
      const { text, fill } = STATUS_COLOURS[status];
      expect(contrast(text, fill), status).toBeGreaterThanOrEqual(4.5);
      expect(contrast(text, 'FFFFFF'), `${status} bar on white`).toBeGreaterThanOrEqual(3);
    }
    expect(contrast('FFFFFF', '1F4E78')).toBeGreaterThanOrEqual(4.5); // table headers
    expect(contrast('595959', 'FFFFFF')).toBeGreaterThanOrEqual(4.5); // muted text
    expect(contrast('595959', 'F3F6F9')).toBeGreaterThanOrEqual(4.5); // muted text on striped rows
    expect(contrast('0B5CAD', 'FFFFFF')).toBeGreaterThanOrEqual(4.5); // links
  });
});

describe('the trend chart', () => {
  const point = (day: number, score: number) => ({
    runId: `run-${day}`,
    asOf: new Date(Date.UTC(2026, 10, day)).toISOString(),
    score,
    counts: { PASS: 1, FAIL: 1, MANUAL: 0, NOT_APPLICABLE: 0, ERROR: 0 },
  });

  it('is a labelled inline SVG with one point per run', () => {
    const svg = svgTrendChart([point(1, 0.2), point(2, 0.5), point(4, 0.75)]).markup;
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-label="Compliance over 3 runs went from 20\.0%/);
    expect(svg).toContain('<title>Compliance over 3 runs went from 20.0% (2026-11-01) to 75.0% (2026-11-04)');
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg.match(/<polyline points="([^"]*)"/)?.[1]?.split(' ')).toHaveLength(3);
  });

  it('is replaced by a sentence when there is a single run', async () => {
    const input = inputFor(syntheticResult(2));
    const html = await renderHtmlReport(input);
    expect(html).not.toContain('<polyline');
    expect(html).toContain('One run so far: compliance');
    expect(html.match(/<svg /g)).toHaveLength(1); // the controls chart only
  });
});

describe('the HTML report', () => {
  it('is one self-contained file: no scripts, no external resources, only portal links', async () => {
    const html = await renderHtmlReport(sampleReportInput());
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|url\(|@import/i);
    const urls = html.match(/https?:\/\/[^"'\s<)]+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(
        url.startsWith('https://portal.azure.com/#@/resource/') || url === 'http://www.w3.org/2000/svg',
      ).toBe(true);
    }
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;');
  });

  it('says when this is the first run of a scope', async () => {
    const html = await renderHtmlReport({ ...sampleReportInput(), changes: undefined });
    expect(html).toContain('First run of this scope: there is no previous complete run to compare with.');
  });

  it('warns about a partial scan, listing ten gaps and counting the rest', async () => {
    const result = syntheticResult(3);
    result.run.complete = false;
    result.run.notRead = Array.from({ length: 15 }, (_, i) => ({
      kind: 'scope' as const,
      subscriptionId: `sub-${i}`,
      category: 'clusters' as const,
      reason: 'throttled until the deadline',
    }));
    const html = await renderHtmlReport(inputFor(result));
    const warning = html.match(/<div class="warning" role="note">([\s\S]*?)<\/div>/)?.[1] ?? '';
    expect(warning).toContain('PARTIAL scan: 15 read(s) failed.');
    expect(warning.match(/<li>/g)).toHaveLength(10);
    expect(warning).toContain('… and 5 more');
  });

  it('caps the clusters listed per control awaiting attestation and counts the rest', async () => {
    const result = syntheticResult(40, (index) => (index % 10 === 3 ? 'MANUAL' : 'PASS'));
    const html = await renderHtmlReport(inputFor(result));
    expect(html).toContain('<strong>40</strong> MANUAL findings');
    expect(html).toContain('DS-04: clusters awaiting attestation (first 25 of 40)');
    expect(html).toContain('… and 15 more in report.xlsx, sheet “To attest”.');
    expect(html).toContain('No cluster has a failing or unevaluated control.');
  });

  it('lists at most 20 clusters needing attention, worst first', async () => {
    const result = syntheticResult(30, (index) =>
      index % 10 < Math.floor(index / 10) % 7 ? 'FAIL' : 'PASS',
    );
    const html = await renderHtmlReport(inputFor(result));
    const table = html.match(/<table id="worst-clusters">([\s\S]*?)<\/table>/)?.[1] ?? '';
    const fails = [
      ...table.matchAll(
        /<tr><th scope="row"><a [^>]*>[^<]*<\/a><\/th><td class="nowrap">\w+(?:-\w+)?<\/td><td>[^]*?<\/td><td class="num">(\d+)<\/td>/g,
      ),
    ].map((match) => Number(match[1]));
    expect(fails).toHaveLength(20);
    expect(fails).toEqual([...fails].sort((a, b) => b - a));
    const worst = Math.max(
      ...result.clusters.map(
        (c) => result.findings.filter((f: Finding) => f.clusterId === c.id && f.status === 'FAIL').length,
      ),
    );
    expect(fails[0]).toBe(worst);
  });
});
