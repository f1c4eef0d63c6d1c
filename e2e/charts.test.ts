import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { observatoryInChromium, openTracked, SCREENSHOTS, seriousAxeViolations, type TrackedPage } from './browser.js';

// Chart controls (breakdown, log scale), share and embed, fiscal-year axes and the state profile's small multiples.
const o = observatoryInChromium();

const open = (path: string, width = 1280): Promise<TrackedPage> => openTracked(o.browser, `${o.server.url}${path}`, { width });
/** Waits for a render that started after `since` (the page stamps each finished render). */
const renderedAfter = (page: Page, since = '') =>
  page.waitForFunction((before) => document.body.dataset['rendered'] !== undefined && document.body.dataset['rendered'] !== before && !document.querySelector('#viz[aria-busy]'), since);
const stamp = (page: Page) => page.evaluate(() => document.body.dataset['rendered'] ?? '');
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('chart controls in Chromium', () => {
  it('a breakdown by sex is a control kept in the URL: one line per sex, the table names each, the partial year still hollow', async () => {
    const page = await open('/en/indicators/mx.homicide.victims/');
    await renderedAfter(page);
    const before = await stamp(page);
    await page.locator('select[name="by"]').selectOption('sex');
    await renderedAfter(page, before);
    expect(new URL(page.url()).searchParams.get('by')).toBe('sex');
    const series = await page.locator('#viz circle[data-geo]').evaluateAll((cs) => [...new Set(cs.map((c) => c.getAttribute('data-geo')))]);
    expect(series.sort()).toEqual(['00|female', '00|male', '00|unidentified']);
    // No two series drawn alike.
    const styles = await page.locator('#viz circle[data-style]').evaluateAll((cs) => [...new Set(cs.map((c) => `${c.getAttribute('data-geo')} ${c.getAttribute('data-style')}`))]);
    expect(new Set(styles.map((s) => s.split(' ').slice(1).join(' '))).size).toBe(3);
    const legend = await page.locator('#viz .legend').textContent();
    for (const name of ['Men', 'Women', 'Not identified']) expect(legend).toContain(name);
    // 2025 holds six months: every sex's 2025 is hollow, not joined, and labelled partial.
    const partial = await page.locator('#viz circle[data-partial]').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-period')));
    expect(partial).toEqual(['2025', '2025', '2025']);
    expect(await page.locator('#viz .partial-label').count()).toBe(1);
    expect(await page.locator('#table th', { hasText: 'Sex' }).count()).toBe(1);
    expect(await page.locator('#table td', { hasText: 'Women' }).count()).toBeGreaterThan(5);
    expect(await page.locator('.breakdown-note').isVisible()).toBe(true);
    // The measure is the count (no population by weapon or age): the files the page loaded say so.
    expect(await page.locator('#dl-csv').getAttribute('href')).toContain('by=sex');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('twelve places in one chart: twelve different colour and dash pairs', async () => {
    const geos = ['00', '02', '05', '08', '09', '11', '12', '14', '15', '16', '17', '19'];
    const page = await open(`/en/indicators/mx.homicide.victims/?geo=${geos.join(',')}&measure=rate`);
    await renderedAfter(page);
    const styles = await page.locator('#viz circle[data-style]').evaluateAll((cs) => [...new Set(cs.map((c) => `${c.getAttribute('data-geo')}=${c.getAttribute('data-style')}`))]);
    expect(styles.map((s) => s.split('=')[0]).sort()).toEqual([...geos].sort());
    expect(new Set(styles.map((s) => s.split('=')[1])).size).toBe(12);
    expect(await page.locator('#viz .legend line').count()).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: `${SCREENSHOTS}charts-twelve-series-en.png`, fullPage: true });
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('a breakdown over several places draws small multiples, one chart per place', async () => {
    const page = await open('/es/indicators/mx.homicide.victims/?by=modality&geo=00,08,15');
    await renderedAfter(page);
    const panels = await page.locator('#viz .small-multiples .panel').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-geo')));
    expect(panels).toEqual(['00', '08', '15']);
    expect(await page.locator('#viz .small-multiples .panel').first().locator('.legend').textContent()).toContain('Con arma de fuego');
    await page.screenshot({ path: `${SCREENSHOTS}charts-multiples-es.png`, fullPage: true });
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('works without JavaScript: the GET form carries the breakdown and the server draws its table', async () => {
    const context = await o.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${o.server.url}/es/indicators/mx.homicide.victims/`);
    await page.locator('select[name="by"]').selectOption('age');
    await page.locator('#view-form button[type="submit"]').click();
    await page.waitForURL(/by=age/);
    expect(await page.locator('#table th', { hasText: 'Grupo de edad' }).count()).toBe(1);
    expect(await page.locator('#table td', { hasText: 'Menores de edad (0-17)' }).count()).toBeGreaterThan(0);
    expect(await page.locator('select[name="by"]').inputValue()).toBe('age');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('log scale: drawn where every value is above zero, refused with the reason where one is zero', async () => {
    const page = await open('/en/indicators/mx.homicide.victims/?geo=00,03');
    await renderedAfter(page);
    expect(await page.locator('#viz svg[data-y-scale]').getAttribute('data-y-scale')).toBe('linear');
    // Mexico (~30,000 a year) beside Baja California Sur (~100): the page suggests the log scale.
    expect(await page.locator('#log-note').textContent()).toMatch(/span [23] orders of magnitude/);
    let before = await stamp(page);
    await page.locator('input[name="scale"]').check();
    await renderedAfter(page, before);
    expect(new URL(page.url()).searchParams.get('scale')).toBe('log');
    expect(await page.locator('#viz svg[data-y-scale]').getAttribute('data-y-scale')).toBe('log');
    expect(await page.locator('#log-note').isHidden()).toBe(true);
    // Kidnapping victims in Baja California Sur: years with none. Never log over a zero; the page says why.
    before = await stamp(page);
    await page.goto(`${o.server.url}/es/indicators/mx.kidnapping.victims/?geo=00,03&scale=log`);
    await renderedAfter(page, '');
    expect(await page.locator('#viz svg[data-y-scale]').getAttribute('data-y-scale')).toBe('linear');
    expect(await page.locator('#log-note').textContent()).toContain('hay valores en cero');
    expect(await page.locator('#log-note').isVisible()).toBe(true);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  for (const [lang, label, bare] of [['es', 'AF2023', 'FY2023'], ['en', 'FY2023', 'AF2023']] as const) {
    it(`fiscal years are named ${label} on the axis (${lang}), never as a bare year`, async () => {
      const page = await open(`/${lang}/indicators/us.border.encounters/`);
      await renderedAfter(page);
      const ticks = await page.locator('#viz g[aria-label="x-axis tick label"] text').allTextContents();
      expect(ticks).toContain(label);
      expect(ticks.filter((tick) => /^\d{4}$/.test(tick))).toEqual([]);
      expect(ticks.join(' ')).not.toContain(bare);
      expect(await page.locator('#viz .coverage-note').textContent()).toContain(lang === 'es' ? 'año fiscal' : 'fiscal year');
      await page.close();
    });
  }
});

describe('share and embed', () => {
  it('the share link and the embed code carry the current view', async () => {
    const page = await open('/en/indicators/mx.homicide.victims/?geo=00,08&by=sex');
    await renderedAfter(page);
    const url = await page.locator('#share-url').inputValue();
    expect(url).toBe(`${o.server.url}/en/indicators/mx.homicide.victims/?geo=00,08&by=sex`);
    const code = await page.locator('#embed-code').inputValue();
    expect(code).toContain(`src="${o.server.url}/en/embed/indicators/mx.homicide.victims/?geo=00,08&by=sex"`);
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    await page.close();
  });

  it('only the embed route may be framed: its CSP allows any ancestor, other pages keep frame-ancestors none', async () => {
    const embed = await fetch(`${o.server.url}/es/embed/indicators/mx.homicide.victims/`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embed.headers.get('x-frame-options')).toBeNull();
    const pageResponse = await fetch(`${o.server.url}/es/indicators/mx.homicide.victims/`);
    expect(pageResponse.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(pageResponse.headers.get('x-frame-options')).toBe('DENY');
    const missing = await fetch(`${o.server.url}/es/embed/indicators/no.such.indicator/`);
    expect(missing.status).toBe(404);
  });

  it('another site frames the chart: drawn with its citation, sources and data-through date in the page language', async () => {
    // Another origin on this machine (a public page framing a loopback one would meet Chromium's local-network checks).
    const body = `<!doctype html><html lang="en"><head><title>Story</title></head><body><h1>Story</h1>`
      + `<iframe id="chart" title="chart" src="${o.server.url}/es/embed/indicators/mx.homicide.victims/?geo=00,08" width="370" height="760"></iframe>`
      + `<iframe id="page" title="page" src="${o.server.url}/es/indicators/mx.homicide.victims/" width="370" height="300"></iframe></body></html>`;
    const hostServer = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(body));
    await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
    const context = await o.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(hostServer.address() as AddressInfo).port}/story.html`);
    const chart = page.frameLocator('#chart');
    await chart.locator('#viz svg[data-y-scale]').waitFor();
    expect(await chart.locator('#citation').textContent()).toContain('Secretariado Ejecutivo');
    expect(await chart.locator('#citation').textContent()).toContain('/es/indicators/mx.homicide.victims/?geo=00,08');
    expect(await chart.locator('.embed-sources a').count()).toBeGreaterThan(0);
    expect(await chart.locator('#data-through').textContent()).toMatch(/^Datos hasta \w+ de \d{4}\.$/);
    expect(await chart.locator('html').getAttribute('lang')).toBe('es');
    const frameWidth = await chart.locator('html').evaluate(() => document.documentElement.scrollWidth);
    expect(frameWidth).toBeLessThanOrEqual(370);
    // The indicator page itself refuses to be framed: its frame never shows the page.
    const blocked = await (await page.locator('#page').elementHandle())?.contentFrame();
    expect(blocked).toBeTruthy();
    expect(blocked?.url()).not.toContain('/es/indicators/');
    expect(await blocked?.evaluate(() => document.body?.textContent ?? '')).not.toContain('Víctimas de homicidio');
    await page.screenshot({ path: `${SCREENSHOTS}charts-embed-host-390.png`, fullPage: true });
    await context.close();
    hostServer.close();
  });
});

describe('state profile small multiples', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`Chihuahua (${lang}): a trend chart per indicator with the national line, partial periods hollow, the last month`, async () => {
      const page = await open(`/${lang}/states/08/`, 390);
      const cards = page.locator('#trends li[data-indicator]');
      expect(await cards.count()).toBeGreaterThanOrEqual(10);
      const homicide = page.locator('#trends li[data-indicator="mx.homicide.victims"]');
      expect(await homicide.locator('svg[role="img"] polyline.state').count()).toBeGreaterThan(0);
      expect(await homicide.locator('svg polyline.national').count()).toBeGreaterThan(0);
      expect(await homicide.locator('svg circle[data-partial]').count()).toBe(2);
      expect(await homicide.locator('.last-month').getAttribute('data-period')).toMatch(/^\d{4}-\d{2}$/);
      expect(await homicide.locator('h3 a').getAttribute('href')).toContain('measure=rate');
      // The trends lead the page: before the table of the latest year.
      const order = await page.evaluate(() => {
        const trends = document.getElementById('trends');
        const table = document.querySelector('table.profile');
        return trends && table ? trends.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
      });
      expect(order).toBeGreaterThan(0);
      expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}charts-state-08-${lang}-390.png`, fullPage: true });
      await page.close();
    });
  }

  it('indicator and embed pages fit a 390 px phone with a breakdown and the log scale on', async () => {
    for (const path of ['/es/indicators/mx.homicide.victims/?by=sex&scale=log&geo=00,08', '/en/embed/indicators/mx.homicide.victims/?by=age']) {
      const page = await open(path, 390);
      await renderedAfter(page);
      expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      expect(page.errors).toEqual([]);
      await page.close();
    }
  });
});
