// SPDX-License-Identifier: Apache-2.0
// Opens Kiln HTML reports in Debian's headless Chromium (never a downloaded browser) and prints what it saw
// as one JSON document; the Java test (HtmlReportBrowserTest) makes the assertions.
// usage: node report-check.mjs SPEC.json   where SPEC = {"chromium": "/usr/bin/chromium",
//        "pages": [{"file": "/abs/report.html", "search": "mixHeavy", "screenshot": "/abs/out.png", "needle": "text"}]}
import { chromium } from 'playwright-core';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const userDataDir = mkdtempSync(join(tmpdir(), 'kiln-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: spec.chromium || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const results = [];
try {
  for (const p of spec.pages) {
    const page = await context.newPage();
    const url = pathToFileURL(p.file).href;
    const r = { file: p.file, consoleErrors: [], requests: [], dialogs: [] };
    page.on('console', m => { if (m.type() === 'error') r.consoleErrors.push(m.text()); });
    page.on('pageerror', e => r.consoleErrors.push('pageerror: ' + e.message));
    page.on('request', q => { if (q.url() !== url) r.requests.push(q.url()); });
    page.on('dialog', d => { r.dialogs.push(d.type() + ': ' + d.message()); d.dismiss().catch(() => {}); });
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.kilnReport && window.kilnReport.ready, null, { timeout: 30000 });
    r.loadMillis = Date.now() - t0;
    const state = () => page.evaluate(() => ({ drawnBoxes: window.kilnReport.drawnBoxes, rootLabel: window.kilnReport.rootLabel,
      matchedShare: window.kilnReport.matchedShare, canvasDrawn: Number(document.getElementById('flame').dataset.drawn || 0) }));
    r.initial = await state();
    r.xssFlag = await page.evaluate(() => window.__kilnXss === true);
    if (p.needle) r.needleShown = await page.evaluate(n => document.body.innerText.includes(n), p.needle);
    r.scriptElements = await page.evaluate(() => document.querySelectorAll('script').length);
    r.sections = await page.evaluate(() => [...document.querySelectorAll('section')].filter(s => !s.hidden).map(s => s.id));
    r.graph = await page.evaluate(() => {
      const nodes = [...document.querySelectorAll('#graph g.node')];
      const box = document.querySelector('#graph svg');
      return { nodes: nodes.map(n => n.querySelector('title').textContent.replace(/ \([^()]*\)$/, '')),
        edges: document.querySelectorAll('#graph g.edge').length, width: box ? box.getBoundingClientRect().width : 0,
        note: document.getElementById('graph-note').textContent };
    });
    r.cpuChart = await page.evaluate(() => {
      const svg = document.querySelector('#cpu-chart svg.series');
      if (!svg) return null;
      return { width: svg.getBoundingClientRect().width,
        points: [...svg.querySelectorAll('polyline')].map(l => l.getAttribute('points').trim().split(/\s+/).length),
        titles: [...svg.querySelectorAll('circle title')].map(t => t.textContent) };
    });
    if (p.cpuShot && r.cpuChart) await page.locator('#cpu-section').screenshot({ path: p.cpuShot });
    // clicks on the page ({click: selector, read: selector}): the text the read element shows after each
    if (p.clicks) { r.clicks = []; for (const c of p.clicks) { await page.click(c.click); r.clicks.push(await page.textContent(c.read)); } }
    // screenshots of sections ({selector: png path})
    for (const [sel, path] of Object.entries(p.shots || {})) await page.locator(sel).screenshot({ path });
    r.svgCharts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.chartbox[id]')]
      .map(b => [b.id, [...b.querySelectorAll('svg.series')].map(svg => ({ width: svg.getBoundingClientRect().width,
        legend: [...svg.querySelectorAll('text[y="17"]')].map(t => t.textContent),
        points: [...svg.querySelectorAll('g.series-line')].map(g => g.querySelectorAll('circle').length) }))]))); // samples (a line steps through more points)
    r.title = await page.title();
    // every table's cells as text, and the timeline's lane names, for pages whose tables the test checks
    r.tables = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('table[id]')]
      .map(t => [t.id, [...t.rows].map(row => [...row.cells].map(c => c.textContent))])));
    if (p.envSearch) { // the environment's search: the rows still shown
      await page.fill('#env-search', p.envSearch);
      r.envShown = await page.evaluate(() => [...document.querySelectorAll('#env tr')].filter(t => !t.hidden).map(t => [...t.cells].map(c => c.textContent)));
      await page.fill('#env-search', '');
    }
    r.excChart = await page.evaluate(() => { const s = document.querySelector('#exc-chart svg'); return s ? s.querySelectorAll('polyline').length : -1; });
    // every inline chart: samples (dots) per series, by its box's id
    r.charts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.chartbox[id]')].filter(b => b.querySelector('svg'))
      .map(b => [b.id, [...b.querySelectorAll('g.series-line')].map(g => g.querySelectorAll('circle').length)])));
    r.lanes = await page.evaluate(() => [...document.querySelectorAll('#timeline .lane .name')].map(n => n.textContent));
    if (p.search) {
      await page.fill('#search', p.search);
      r.afterSearch = await state();
      r.matchedText = await page.textContent('#matched');
      r.highlightedPixels = await page.evaluate(() => {
        const c = document.getElementById('flame'), g = c.getContext('2d');
        const d = g.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] === 0xe0 && d[i + 1] === 0x40 && d[i + 2] === 0xfb) n++;
        return n;
      });
      await page.fill('#search', '');
    }
    // Click the widest frame below the root: the graph zooms to it.
    if (r.initial.drawnBoxes > 1) {
      await page.evaluate(() => document.getElementById('flame').scrollIntoView());
      const box = await page.evaluate(() => { const c = document.getElementById('flame').getBoundingClientRect(); return { left: c.left, top: c.top }; });
      const t2 = await page.evaluate(() => {
        const R = window.kilnReport; let best = null;
        for (const b of R.boxes) if (b[1] > 0 && b[1] < 20 && (!best || b[2] > best[2])) best = b;
        if (!best) return null;
        return { x: best[0] + best[2] / 2, y: best[1] + 8, name: R.nameOf(best[3]) };
      });
      if (t2) {
      await page.mouse.move(box.left + t2.x, box.top + t2.y);
      r.tooltip = await page.textContent('#tooltip');
      await page.mouse.click(box.left + t2.x, box.top + t2.y);
      r.clicked = t2.name;
      r.afterClick = await state();
      }
    }
    if (p.screenshot) {
      await page.click('#reset');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(0, 0);
      await page.setViewportSize({ width: 1400, height: 1500 });
      await page.screenshot({ path: p.screenshot, fullPage: false });
    }
    r.xssFlag = r.xssFlag || await page.evaluate(() => window.__kilnXss === true);
    await page.close();
    results.push(r);
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify({ chromium: spec.chromium, results }) + '\n');
