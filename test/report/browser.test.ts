// The report in a real browser: headless Chromium (Debian's `chromium`,
// installed by .ci/run) driven by playwright-core. No console errors, the
// charts and graphs are laid out and visible, hostile text does not run,
// and a screenshot is written for people to look at.
//
// Without chromium the test passes with a printed note (not silently): the
// rest of the report is covered by report.test.ts.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateReport } from '../../lib/index.js';
import { fixture } from './helpers.js';

const CHROMIUM = process.env.REFSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const Browser = suite('report in headless chromium');

Browser('opens offline: no console errors, charts and graphs visible, hostile text inert, screenshot taken', async () => {
  if (!existsSync(CHROMIUM)) {
    console.log(`NOTE: browser test skipped (passed with note): no chromium at ${CHROMIUM}; install it with 'apt-get install -y chromium'`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'refscope-browser-'));
  const pages = {
    demo: (await generateReport(fixture('demo/leak.py'), 'leak.py')).html,
    hostile: (await generateReport(fixture('report/hostile.py'), 'hostile.py')).html,
  };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    for (const [name, html] of Object.entries(pages)) {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, html);
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: true });
      const page = await context.newPage();
      const problems: string[] = [];
      const dialogs: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
      // Offline: any request other than the file itself is a failure.
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (problems.push(`network: ${route.request().url()}`), route.abort())));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      assert.equal(problems, [], `${name}: console errors or network requests`);
      assert.equal(dialogs, [], `${name}: a dialog opened`);
      assert.is(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, `${name}: hostile text ran`);
      assert.is(await page.locator('script').count(), 0);
      const chart = page.locator('#timeline figure.chart svg').first();
      assert.ok(await chart.isVisible(), `${name}: timeline chart visible`);
      const box = await chart.boundingBox();
      assert.ok(box && box.width > 300 && box.height > 100, `${name}: chart laid out (${JSON.stringify(box)})`);
      assert.ok((await page.locator('#timeline polyline').count()) >= 3, `${name}: chart lines drawn`);
      const graph = page.locator('#suspects figure.graph svg').first();
      assert.ok(await graph.isVisible(), `${name}: back-reference graph visible`);
      assert.ok((await page.locator('#pymalloc .pool.full, #pymalloc .pool.used').count()) > 0, `${name}: pymalloc grid drawn`);
      // Long hostile strings must not widen the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name}: page scrolls sideways by ${overflow}px`);
      const shot = join(dir, `${name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`screenshot: ${shot}`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

Browser.run();
