/**
 * The HTML report rendered in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
 * what a reader sees, that injected markup never executes, and that the page loads nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STATUSES } from '../../shared/catalog/types.js';
import { renderHtmlReport } from '../../shared/reports/renderHtmlReport.js';
import { REPO_ROOT } from '../support/repoRoot.js';
import { sampleReportInput } from './reportFixtures.js';

/** The DOM the page functions below use (the tests compile without the DOM library). */
interface PageElement {
  tagName: string;
  textContent: string | null;
  attributes: Iterable<{ name: string }>;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
}
declare const document: {
  title: string;
  documentElement: { lang: string };
  body: { innerText: string };
  scripts: { length: number };
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
};
declare const window: { __pwned?: number };

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(REPO_ROOT, 'test-artifacts', 'report-html.png');

const MISSING =
  `Chromium is required for the HTML report tests but ${CHROMIUM} does not exist ` +
  '(install Debian\'s "chromium" package); these tests fail rather than skip without it.';

let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return; // every test below then fails with MISSING
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface OpenedPage {
  page: Page;
  /** Every URL the page tried to load other than about: and data: (each was aborted). */
  requests: string[];
}

/** Loads the markup with scripts enabled (so a payload would run) and every request intercepted. */
async function open(markup: string): Promise<OpenedPage> {
  if (!browser) throw new Error(MISSING);
  const context = await browser.newContext({
    javaScriptEnabled: true,
    viewport: { width: 1100, height: 900 },
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const local = (url: string): boolean => url.startsWith('about:') || url.startsWith('data:');
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (local(url)) return route.continue();
    requests.push(url);
    return route.abort();
  });
  page.on('request', (request) => {
    if (!local(request.url()) && !requests.includes(request.url())) requests.push(request.url());
  });
  await page.setContent(markup, { waitUntil: 'load' });
  return { page, requests };
}

const percent = (score: number): string => `${(score * 100).toFixed(1)}%`;

it(`finds Chromium at ${CHROMIUM}`, () => {
  expect(existsSync(CHROMIUM), MISSING).toBe(true);
});

describe('the sample fleet report in Chromium', () => {
  const input = sampleReportInput();
  const markup = renderHtmlReport(input);
  let opened: OpenedPage | undefined;

  let opening: Promise<OpenedPage> | undefined;
  /** The page, opened once for this block; fails each test (rather than skipping it) without Chromium. */
  async function sample(): Promise<OpenedPage> {
    opening ??= markup.then(open);
    opened = await opening;
    return opened;
  }

  afterAll(async () => {
    await opened?.page.context().close();
  });

  it('shows the score, the counts and the clusters as rendered text', async () => {
    const { page } = await sample();
    const { run } = input.result;
    expect(await page.locator('#overall-score').innerText()).toBe(percent(run.score));
    expect(percent(run.score)).toBe('36.6%');
    expect(await page.locator('#cluster-count').innerText()).toBe('38');
    const rows = page.locator('#status-counts tbody tr');
    expect(await rows.count()).toBe(STATUSES.length + 1);
    for (const [index, status] of STATUSES.entries()) {
      const cells = await rows.nth(index).locator('th, td').allInnerTexts();
      expect(cells).toEqual([status, String(run.counts[status])]);
    }
    expect(await rows.nth(STATUSES.length).locator('th, td').allInnerTexts()).toEqual(['Total', '380']);
    const body = await page.locator('body').innerText();
    expect(body).toContain('Coverage: complete.');
    expect(body).toContain('Compliance over 7 runs went from 31.0%');
  });

  it('ranks the controls by failures and shows the changes since the previous run', async () => {
    const { page } = await sample();
    const firstControl = await page.locator('#controls tbody tr').first().locator('th').innerText();
    const failures = new Map<string, number>();
    for (const finding of input.result.findings) {
      if (finding.status === 'FAIL')
        failures.set(finding.controlId, (failures.get(finding.controlId) ?? 0) + 1);
    }
    const most = Math.max(...failures.values());
    expect(failures.get(firstControl)).toBe(most);
    const summary = await page.locator('#changes-summary').innerText();
    expect(summary).toContain(`${input.changes?.newlyFailing.length} newly failing`);
    expect(summary).toContain(`${input.changes?.resolved.length} resolved`);
    expect(await page.locator('#newly-failing tbody tr').count()).toBe(input.changes?.newlyFailing.length);
    expect(await page.locator('#resolved tbody tr').count()).toBe(input.changes?.resolved.length);
  });

  it('lists the worst clusters (at most 20) and the MANUAL findings awaiting attestation', async () => {
    const { page } = await sample();
    const worst = page.locator('#worst-clusters tbody tr');
    expect(await worst.count()).toBe(20);
    const links = await page
      .locator('#worst-clusters tbody a')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    expect(
      links.every((href) => href.startsWith('https://portal.azure.com/#@/resource/subscriptions/')),
    ).toBe(true);
    expect(await page.locator('#attest-summary').innerText()).toContain(
      `${input.result.run.counts.MANUAL} MANUAL`,
    );
  });

  it('is accessible: one h1, headings in order, captions, scoped headers, labelled SVG, a language', async () => {
    const { page } = await sample();
    const facts = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      levels: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
      tablesWithoutCaption: [...document.querySelectorAll('table:not([role="presentation"])')].filter(
        (table) => !table.querySelector('caption')?.textContent?.trim(),
      ).length,
      unscopedHeaders: [...document.querySelectorAll('table:not([role="presentation"]) th')].filter(
        (th) => !['col', 'row'].includes(th.getAttribute('scope') ?? ''),
      ).length,
      svgs: [...document.querySelectorAll('svg')].map((svg) => ({
        role: svg.getAttribute('role'),
        label: svg.getAttribute('aria-label') ?? '',
        title: svg.querySelector(':scope > title')?.textContent ?? '',
      })),
    }));
    expect(facts.lang).toBe('en');
    expect(facts.levels.filter((level) => level === 1)).toHaveLength(1);
    expect(facts.levels[0]).toBe(1);
    facts.levels.forEach((level, index) => {
      if (index > 0) expect(level - (facts.levels[index - 1] ?? 1)).toBeLessThanOrEqual(1);
    });
    expect(facts.tablesWithoutCaption).toBe(0);
    expect(facts.unscopedHeaders).toBe(0);
    expect(facts.svgs).toHaveLength(2);
    for (const svg of facts.svgs) {
      expect(svg.role).toBe('img');
      expect(svg.label.length).toBeGreaterThan(20);
      expect(svg.title).toBe(svg.label);
    }
  });

  it('loads nothing from anywhere and runs no script', async () => {
    const { page, requests } = await sample();
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
  });

  it('saves a full-page screenshot to test-artifacts/report-html.png', async () => {
    await mkdir(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    const image = await (await sample()).page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(image.length).toBeGreaterThan(50_000);
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});

describe('injected markup in names, reasons and IDs', () => {
  const PAYLOADS = [
    `<script>window.__pwned = 1; document.title = 'pwned';</script>`,
    `<img src=x onerror="window.__pwned = 2; document.title = 'pwned'">`,
    `"><svg onload="window.__pwned = 3">`,
    `' onmouseover='window.__pwned = 4' x='`,
    `<img src="https://evil.example/pixel.png">`,
    `<link rel="stylesheet" href="https://evil.example/a.css">`,
    `</style><style>@import url(https://evil.example/b.css);</style>`,
    `</title><script>window.__pwned = 5</script>`,
    `<iframe src="https://evil.example/"></iframe>`,
  ];
  const payloadOf = (index: number): string => PAYLOADS[index % PAYLOADS.length] ?? '';

  const input = sampleReportInput((result) => {
    result.clusters.forEach((cluster, index) => {
      const payload = payloadOf(index);
      const name = `${payload}#${index}`;
      for (const finding of result.findings.filter((f) => f.clusterId === cluster.id)) {
        finding.clusterName = name;
        finding.resourceGroup = payload;
        finding.subscriptionId = payload;
        finding.reason = `${payload} reason`;
        finding.controlTitle = `${payload} title`;
      }
      cluster.name = name;
      cluster.resourceGroup = payload;
    });
    result.run.id = payloadOf(0);
    result.run.complete = false;
    result.run.notRead = PAYLOADS.map((payload) => ({
      kind: 'resource' as const,
      id: payload,
      reason: payload,
    }));
  });
  input.trend = input.trend.map((point, index) => ({ ...point, runId: payloadOf(index) }));
  input.findingsJsonSha256 = payloadOf(1);
  if (input.changes) input.changes.previousRunId = payloadOf(7);

  const rendered = renderHtmlReport(input);
  const withoutPolicy = (shipped: string): string =>
    shipped.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');

  for (const [variant, variantOf] of [
    ['as shipped', (shipped: string) => shipped],
    ['with its Content-Security-Policy removed (escaping alone)', withoutPolicy],
  ] as const) {
    it(`never executes, never loads and shows the payloads as text (${variant})`, async () => {
      const shipped = await rendered;
      const markup = variantOf(shipped);
      expect(markup.includes('Content-Security-Policy')).toBe(markup === shipped);
      const { page, requests } = await open(markup);
      try {
        await page.mouse.move(300, 300);
        await page.locator('#worst-clusters tbody tr').first().hover();
        const state = await page.evaluate(() => ({
          pwned: window.__pwned,
          title: document.title,
          scripts: document.scripts.length,
          embedded: document.querySelectorAll('img, link, iframe, object, embed, style:not(head > style)')
            .length,
          handlers: [...document.querySelectorAll('*')].filter((element) =>
            [...element.attributes].some((attribute) => attribute.name.toLowerCase().startsWith('on')),
          ).length,
          text: document.body.innerText,
        }));
        expect(state.pwned).toBeUndefined();
        expect(state.title).toMatch(/^Data-security compliance report, /);
        expect(state.scripts).toBe(0);
        expect(state.embedded).toBe(0);
        expect(state.handlers).toBe(0);
        for (const payload of PAYLOADS) expect(state.text).toContain(payload);
        expect(requests).toEqual([]);
      } finally {
        await page.context().close();
      }
    });
  }
});
