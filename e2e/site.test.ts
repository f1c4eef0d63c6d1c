import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sirv from 'sirv';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bakedBundledSite } from '../src/test-support/bundled-store.js';
import { observatoryInChromium, openTracked, SCREENSHOTS, seriousAxeViolations, type TrackedPage } from './browser.js';


const o = observatoryInChromium();

/** A new page that records uncaught script errors (one test below runs without the CSP bypass). */
const open = (path: string, base = o.server.url): Promise<TrackedPage> => openTracked(o.browser, `${base}${path}`, { acceptDownloads: true });
const rendered = (page: Page) => page.waitForFunction(() => document.body.dataset['rendered'] !== undefined && !document.querySelector('#viz[aria-busy]'));
const apiJson = async <T>(path: string): Promise<T> => (await fetch(`${o.server.url}${path}`)).json() as Promise<T>;

interface Row { geo: string; geo_name: string; period: string; value: number | null }

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

describe('the observatory in Chromium', () => {
  it('the home page shows the goals and passes axe; keyboard reaches the skip link first', async () => {
    const page = await open('/en/');
    await expect(page.locator('h2').first().textContent()).resolves.toContain('three goals');
    expect(await page.locator('.goal').count()).toBe(3);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}home-en.png`, fullPage: true });
    await page.close();
  });

  it('the map draws the 32 states with the API’s values in their titles', async () => {
    const page = await open('/en/indicators/mx.homicide.rate/?view=map&year=2024');
    await rendered(page);
    const shapes = await page.locator('#viz path[data-geo]').evaluateAll((paths) =>
      paths.map((p) => ({ geo: p.getAttribute('data-geo') ?? '', value: p.getAttribute('data-value') ?? '', title: p.querySelector('title')?.textContent ?? '' })));
    expect(shapes).toHaveLength(32);
    const api = await apiJson<{ rows: Row[] }>('/api/v1/indicators/mx.homicide.rate/data?geo=level:state&period=2024&lang=en');
    for (const row of api.rows) {
      const shape = shapes.find((s) => s.geo === row.geo);
      expect(shape, row.geo).toBeDefined();
      expect(Number(shape?.value)).toBeCloseTo(row.value ?? Number.NaN, 6);
      expect(shape?.title).toContain(row.geo_name);
      expect(shape?.title).toContain(new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(row.value ?? 0));
    }
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}map-states-en.png`, fullPage: true });
    await page.close();
  });

  it('the chart’s last point equals the API’s value', async () => {
    const page = await open('/en/indicators/mx.homicide.victims/?geo=00,25&from=2015&to=2024');
    await rendered(page);
    const dots = await page.locator('#viz [data-geo="00"][data-period]').evaluateAll((els) =>
      els.map((e) => ({ period: e.getAttribute('data-period') ?? '', value: Number(e.getAttribute('data-value')) })));
    const last = dots.sort((a, b) => a.period.localeCompare(b.period)).at(-1);
    const api = await apiJson<{ rows: Row[] }>('/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2024');
    expect(last).toEqual({ period: '2024', value: api.rows[0]?.value });
    expect(await page.locator('#viz [data-geo="25"][data-period]').count()).toBe(10);
    await page.screenshot({ path: `${SCREENSHOTS}chart-en.png`, fullPage: true });
    await page.close();
  });

  it('the Spanish page shows Spanish labels and es-MX numbers and dates', async () => {
    const page = await open('/es/indicators/mx.homicide.rate/?view=table&from=2024&to=2024&geo=00');
    await rendered(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await expect(page.locator('legend').first().textContent()).resolves.toBe('Vista');
    const cell = await page.locator('#table td.num').first().textContent();
    const api = await apiJson<{ rows: Row[] }>('/api/v1/indicators/mx.homicide.rate/data?geo=00&period=2024&lang=es');
    expect(cell).toBe(new Intl.NumberFormat('es-MX', { maximumFractionDigits: 2 }).format(api.rows[0]?.value ?? 0));
    const home = await open('/es/');
    await expect(home.locator('.timeline time').first().textContent()).resolves.toBe('8 de octubre de 2021');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}table-es.png`, fullPage: true });
    await page.close();
    await home.close();
  });

  it('a permalink restores its view, and switching language keeps it', async () => {
    const page = await open('/en/indicators/mx.homicide.rate/');
    await rendered(page);
    await page.locator('input[name="geo"][value="25"]').check();
    await rendered(page);
    await page.locator('input[name="view"][value="map"]').check();
    await rendered(page);
    await page.locator('select[name="map"]').selectOption('hex');
    await rendered(page);
    const url = page.url();
    expect(url).toContain('geo=00,25');
    expect(url).toContain('view=map');
    expect(url).toContain('map=hex');
    const again = await open(new URL(url).pathname + new URL(url).search);
    await rendered(again);
    expect(await again.locator('input[name="view"][value="map"]').isChecked()).toBe(true);
    expect(await again.locator('input[name="geo"][value="25"]').isChecked()).toBe(true);
    expect(await again.locator('#viz path[data-geo]').count()).toBe(32);
    await again.screenshot({ path: `${SCREENSHOTS}map-hex-en.png`, fullPage: true });
    const spanish = await again.locator('#lang-switch').getAttribute('href');
    expect(spanish).toBe(`/es/indicators/mx.homicide.rate/${new URL(url).search}`);
    await page.close();
    await again.close();
  });

  it('the CSV download equals the API’s CSV for the same view', async () => {
    const page = await open('/es/indicators/mx.homicide.victims/?geo=00,09&from=2019&to=2021');
    await rendered(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-csv').click()]);
    const file = await download.path();
    const api = await (await fetch(`${o.server.url}/api/v1/indicators/mx.homicide.victims/data.csv?geo=00,09&period=2019..2021&lang=es`)).text();
    expect(readFileSync(file, 'utf8')).toBe(api);
    await page.close();
  });

  it('the municipal map of disappeared persons draws municipalities', async () => {
    const page = await open('/en/indicators/mx.disappeared.persons/?view=map&map=municipal&year=2024');
    await rendered(page);
    expect(await page.locator('#viz path[data-geo]').count()).toBeGreaterThan(2000);
    await page.screenshot({ path: `${SCREENSHOTS}map-municipal-en.png`, fullPage: true });
    await page.close();
  });

  it('state profile and search pass axe', async () => {
    const page = await open('/es/states/25/');
    await expectAccessible(page);
    await page.screenshot({ path: `${SCREENSHOTS}state-es.png`, fullPage: true });
    const search = await open('/en/search/');
    await search.locator('#q').fill('feminicidio');
    await search.waitForSelector('#results a');
    expect(await search.locator('#results a').first().getAttribute('href')).toContain('/en/indicators/mx.femicide.victims/');
    await expectAccessible(search);
    await page.close();
    await search.close();
  }, 120_000);

  // Six pages through axe and full-page screenshots: 41 s alone on a 2-core machine, past the 60 s default in a full run.
  it('scorecard, assistance, timeline, cited figures and an action\'s evidence pass axe in both languages', async () => {
    const scorecard = await open('/es/scorecard/');
    await expectAccessible(scorecard);
    // One row per catalog node, each linking to its framework page; the gap report lists nodes lacking targets.
    const card = await apiJson<{ nodes: { id: string }[]; gaps: { id: string; missing: string[] }[] }>('/api/v1/scorecard?lang=es');
    expect(await scorecard.locator('table.scorecard tbody tr').count()).toBe(card.nodes.length);
    expect(await scorecard.locator('#gaps + p + .table-wrap tbody tr').count()).toBe(card.gaps.length);
    await scorecard.screenshot({ path: `${SCREENSHOTS}scorecard-es.png`, fullPage: true });
    for (const path of ['/en/assistance/', '/en/timeline/', '/en/figures/', '/es/framework/1.3.b.1/', '/en/framework/2.2.a/']) {
      const page = await open(path);
      await expectAccessible(page);
      expect(page.errors).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}${path.replaceAll('/', '-').replace(/^-|-$/g, '')}.png`, fullPage: true });
      await page.close();
    }
    const indicator = await open('/en/indicators/mx.homicide.victims/');
    expect(await indicator.locator('#cited li').first().textContent()).toContain('36,773');
    await indicator.close();
    const figures = await open('/en/figures/');
    expect(await figures.locator('#homicides-2020 td').nth(1).textContent()).toContain('36,773');
    await figures.close();
    await scorecard.close();
  }, 240_000);

  it('the Content Security Policy lets the chart, the map and the downloads work, and nothing breaks it', async () => {
    const page = await o.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    page.on('pageerror', (e) => violations.push(e.message));
    await page.goto(`${o.server.url}/en/indicators/mx.homicide.rate/?geo=00,09`);
    await rendered(page);
    expect(await page.locator('#viz [data-geo="09"][data-period]').count()).toBeGreaterThan(5);
    await page.goto(`${o.server.url}/es/indicators/mx.homicide.rate/?view=map&year=2024`);
    await rendered(page);
    await page.goto(`${o.server.url}/en/scorecard/`);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('the baked site works with the server stopped', async () => {
    // The run's one bake of the bundled store (this suite's store is a copy of it), shared with src/site/site.test.ts.
    const { dir: out } = await bakedBundledSite();
    await o.server.close();
    const files = sirv(out, { dev: false, etag: true, extensions: ['html'] });
    // As static hosts do: an unknown path answers 404 with the bake's 404.html.
    const staticServer: Server = createServer((req, res) => files(req, res, () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(readFileSync(join(out, '404.html')));
    }));
    await new Promise<void>((r) => staticServer.listen(0, '127.0.0.1', r));
    const address = staticServer.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const page = await open('/en/indicators/mx.homicide.rate/?geo=00,09', base);
      await rendered(page);
      expect(page.errors).toEqual([]);
      expect(await page.locator('#viz [data-geo="09"][data-period]').count()).toBeGreaterThan(5);
      const home = await open('/es/', base);
      expect(await home.locator('.goal').count()).toBe(3);
      // The footer's link to the intake form leads to a page that says the form needs the live server, not to a 404.
      const intake = await fetch(`${base}/es/report-kidnapping/`);
      expect(intake.status).toBe(200);
      expect(await intake.text()).toContain('copia estática');
      await page.screenshot({ path: `${SCREENSHOTS}baked-chart-en.png`, fullPage: true });
      // The municipal map from the baked TopoJSON layer.
      const municipal = await open('/es/indicators/mx.disappeared.persons/?view=map&map=municipal&year=2024', base);
      await rendered(municipal);
      expect(await municipal.locator('#viz path[data-geo]').count()).toBeGreaterThan(2000);
      expect(municipal.errors).toEqual([]);
      // Any unknown path: the bake's 404.html, in the site's layout and both languages, axe clean, no sideways scroll on a phone.
      expect((await fetch(`${base}/en/no-such-page/`)).status).toBe(404);
      for (const width of [390, 1280]) {
        const missing = await openTracked(o.browser, `${base}/en/no-such-page/`, { width });
        expect(await missing.locator('h1').textContent()).toBe('Página no encontrada');
        expect(await missing.locator('section[lang="en"] h2').textContent()).toBe('Page not found');
        expect(await missing.locator('link[rel="stylesheet"]').getAttribute('href')).toBe('/assets/site.css');
        expect(await missing.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await expectAccessible(missing);
        await missing.screenshot({ path: `${SCREENSHOTS}baked-404-${width}.png`, fullPage: true });
        await missing.close();
      }
      await municipal.close();
      await page.close();
      await home.close();
    } finally {
      await new Promise((r) => staticServer.close(r));
    }
    // The bake computes every data file, rates of counts of people included: minutes on a loaded 2-core machine.
  }, 300_000);
});
