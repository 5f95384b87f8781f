import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { renderHtmlReport } from '../../shared/reports/renderHtmlReport.js';
import { sampleReportInput } from './reportFixtures.js';
it('scratch', async () => {
  const input = sampleReportInput();
  const page = renderHtmlReport(input);
  writeFileSync('/tmp/scratch/report.html', page);
  console.log(page.length);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const p = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await p.setContent(page);
    await p.screenshot({ path: '/tmp/scratch/shot.png', fullPage: true });
  } finally { await browser.close(); }
});
