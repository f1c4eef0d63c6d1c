import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/index.js';
import { observatoryInChromium, openTracked, SCREENSHOTS, seriousAxeViolations } from './browser.js';

/*
 * Maps (issue 13): the year slider (es/en, keyboard, the URL keeps the year, partial years marked), a state on a map
 * opens its profile on a phone, the profile's locator map, the municipal map's coarse layer on a phone and the detailed
 * one on a wide screen; no page wider than a 390 px phone.
 */
const o = observatoryInChromium();
const { geography } = loadCatalog();
const SHOTS = process.env['SHOTS_DIR'];

const settled = (page: Page) =>
  page.waitForFunction(() => document.body.dataset['rendered'] !== undefined && !document.querySelector('#viz[aria-busy]') && document.querySelector('#viz svg') !== null, undefined, { timeout: 60_000 });

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

interface FileRow { geo: string; period: string; flags: string[] }

describe('the year slider on maps', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`${lang}: labelled, moved with the keyboard, redraws the map and keeps the year in the URL; partial years marked`, async () => {
      const page = await openTracked(o.browser, `${o.server.url}/${lang}/indicators/mx.homicide.rate/?view=map`, { width: 390 });
      await settled(page);
      const slider = page.locator('.year-slider input[type=range]');
      // Named by its label in the page's language; the select it drives is hidden but still the form's field.
      expect(await page.locator('.year-slider label').textContent()).toBe(lang === 'es' ? 'Año del mapa' : 'Map year');
      expect(await slider.evaluate((e) => (e as HTMLInputElement).labels?.[0]?.textContent)).toBe(lang === 'es' ? 'Año del mapa' : 'Map year');
      expect(await page.locator('select[name="year"]').isVisible()).toBe(false);

      // The years the slider offers, and which are partial, from the map's own data file (states with a partial-period flag).
      const file = await page.evaluate(async (l) => (await (await fetch(`/data/${l}/mx.homicide.rate/year.json`)).json()) as { rows: FileRow[] }, lang);
      const stateRows = file.rows.filter((r) => r.geo.length === 2 && r.geo !== '00');
      const years = [...new Set(stateRows.map((r) => r.period))].sort();
      const partial = new Set(stateRows.filter((r) => r.flags.includes('partial-period')).map((r) => r.period));
      expect(await slider.getAttribute('max')).toBe(String(years.length - 1));
      const ticks = await page.locator('.year-ticks .tick').evaluateAll((ts) => ts.map((t) => t.classList.contains('partial')));
      expect(ticks).toEqual(years.map((y) => partial.has(y)));

      // The map opens on the latest complete year; one step left with the keyboard draws the year before and keeps it in the URL.
      const start = Number(await slider.inputValue());
      const opened = years[start] as string;
      expect(partial.has(opened)).toBe(false);
      expect(await page.locator('#viz svg').getAttribute('aria-label')).toContain(`, ${opened}`);
      await slider.focus();
      await page.keyboard.press('ArrowLeft');
      const before = years[start - 1] as string;
      await page.waitForURL((url) => url.searchParams.get('year') === before);
      await settled(page);
      await page.waitForFunction((y) => document.querySelector('#viz svg')?.getAttribute('aria-label')?.includes(`, ${y}`) ?? false, before);
      expect(await slider.getAttribute('aria-valuetext')).toBe(before);
      // Back (the browser's button) returns the slider and the map to the year before.
      await page.goBack();
      await page.waitForFunction((y) => document.querySelector('#viz svg')?.getAttribute('aria-label')?.includes(`, ${y}`) ?? false, opened);
      expect(Number(await slider.inputValue())).toBe(start);

      // The last year: where it is partial, the slider's text and the map's title say so.
      await slider.focus();
      await page.keyboard.press('End');
      const last = years.at(-1) as string;
      await page.waitForURL((url) => url.searchParams.get('year') === last);
      await settled(page);
      const partialWord = lang === 'es' ? 'parcial' : 'partial';
      const valueText = (await slider.getAttribute('aria-valuetext')) ?? '';
      const title = (await page.locator('#viz svg').getAttribute('aria-label')) ?? '';
      if (partial.has(last)) {
        expect(valueText).toContain(partialWord);
        expect(title).toContain(lang === 'es' ? 'periodo parcial' : 'partial period');
        expect(await page.locator('.year-legend').textContent()).toContain('○');
      } else {
        expect(valueText).toBe(last);
        expect(title).not.toContain(partialWord);
      }
      // A shared link opens the same year.
      await page.goto(page.url());
      await settled(page);
      expect(Number(await slider.inputValue())).toBe(years.length - 1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(page.errors).toEqual([]);
      await shot(page, `map-slider-${lang}-390`);
      await page.close();
      // On a desktop: the same slider, beside the map type.
      const wide = await openTracked(o.browser, `${o.server.url}/${lang}/indicators/mx.homicide.rate/?view=map&year=${before}`, { width: 1280 });
      await settled(wide);
      expect(Number(await wide.locator('.year-slider input[type=range]').inputValue())).toBe(start - 1);
      expect(await wide.locator('.year-slider input[type=range]').isVisible()).toBe(true);
      await shot(wide, `map-slider-${lang}-1280`);
      expect(wide.errors).toEqual([]);
      await wide.close();
    }, 180_000);
  }
});

describe('maps on a phone', () => {
  it('a tap on a state of the map, or Enter on it, opens its profile (390 px)', async () => {
    const url = `${o.server.url}/es/indicators/mx.homicide.rate/?view=map`;
    const page = await openTracked(o.browser, url, { width: 390 });
    await settled(page);
    await page.locator('#viz a[data-geo-link="19"] path').click();
    await page.waitForURL(`${o.server.url}/es/states/19/`);
    await page.goto(`${o.server.url}/en/indicators/mx.homicide.rate/?view=map&map=hex`);
    await settled(page);
    await page.locator('#viz a[data-geo-link="14"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${o.server.url}/en/states/14/`);
    expect(page.errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('the municipal map draws the coarse layer on a phone, and the detailed one on a wide screen', async () => {
    for (const width of [390, 1280]) {
      const page = await openTracked(o.browser, 'about:blank', { width });
      const asked: string[] = [];
      page.on('request', (r) => asked.push(new URL(r.url()).pathname));
      // The detailed layer is held until the coarse drawing is measured (on a loaded machine it could otherwise arrive
      // and be drawn first, leaving nothing to compare).
      let releaseDetailed: () => void = () => undefined;
      const detailedHeld = new Promise<void>((resolve) => (releaseDetailed = resolve));
      await page.route('**/data/geo/municipalities.json', async (route) => {
        await detailedHeld;
        await route.continue();
      });
      await page.goto(`${o.server.url}/es/indicators/mx.disappeared.persons/?view=map&map=municipal`);
      await settled(page);
      const municipalities = await page.locator('#viz path[data-geo]').count();
      expect(municipalities).toBeGreaterThan(2400);
      expect(asked.filter((p) => p === '/data/geo/municipalities-coarse.json')).toHaveLength(1);
      if (width > 640) {
        // Redrawn with the detailed layer: the same municipalities, more points.
        const coarseLength = await page.evaluate(() => Array.from(document.querySelectorAll('#viz path[data-geo]')).reduce((n, p) => n + (p.getAttribute('d')?.length ?? 0), 0));
        const detailedArrived = page.waitForResponse((r) => r.url().endsWith('/data/geo/municipalities.json'));
        releaseDetailed();
        await detailedArrived;
        await page.waitForFunction((n) => Array.from(document.querySelectorAll('#viz path[data-geo]')).reduce((s, p) => s + (p.getAttribute('d')?.length ?? 0), 0) > n * 1.2, coarseLength);
        expect(await page.locator('#viz path[data-geo]').count()).toBe(municipalities);
      } else {
        expect(asked).not.toContain('/data/geo/municipalities.json');
        releaseDetailed();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      }
      await shot(page, `municipal-map-es-${width}`);
      expect(page.errors).toEqual([]);
      await page.close();
    }
  }, 180_000);
});

describe('the municipal map’s measure', () => {
  it('says it shows counts, and why, when the reader switches to it (en), and when the URL asks for the rate (es)', async () => {
    const page = await openTracked(o.browser, `${o.server.url}/en/indicators/mx.disappeared.persons/?view=map`, { width: 390 });
    await settled(page);
    const note = page.locator('.municipal-count-note');
    expect(await page.locator('.measure-shown').textContent()).toBe('persons per 100,000 inhabitants');
    expect(await note.isVisible()).toBe(false);
    await page.locator('select[name="map"]').selectOption('municipal');
    await page.waitForFunction(() => document.querySelectorAll('#viz path[data-geo]').length > 2400, undefined, { timeout: 60_000 });
    await settled(page);
    // The map draws counts (there are no municipal rates): the caption, the note and the downloads say so.
    expect(await page.locator('.measure-shown').textContent()).toBe('persons');
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toContain('there are no municipal rates');
    expect(await page.locator('#dl-csv').getAttribute('href')).not.toContain('measure=rate');
    await shot(page, 'municipal-map-measure-en-390');
    expect(page.errors).toEqual([]);
    await page.close();

    const es = await openTracked(o.browser, `${o.server.url}/es/indicators/mx.disappeared.persons/?view=map&map=municipal&measure=rate`, { width: 390 });
    await settled(es);
    expect(await es.locator('.measure-shown').textContent()).toBe('personas');
    expect(await es.locator('.municipal-count-note').textContent()).toContain('no hay tasas municipales');
    expect(await es.locator('.municipal-count-note').isVisible()).toBe(true);
    expect(es.errors).toEqual([]);
    await es.close();

    // An indicator without municipalities has no municipal map: the URL's request for one draws the state map, on the rate.
    const none = await openTracked(o.browser, `${o.server.url}/en/indicators/mx.homicide.victims/?view=map&map=municipal`, { width: 390 });
    await settled(none);
    expect(await none.locator('#viz path[data-geo]').count()).toBe(32);
    expect(await none.locator('.measure-shown').textContent()).toBe('victims per 100,000 inhabitants');
    expect(await none.locator('.municipal-count-note').isVisible()).toBe(false);
    expect(none.errors).toEqual([]);
    await none.close();
  }, 180_000);
});

describe('a state profile’s locator map', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`${lang}: drawn on the server, named in the page's language, the state filled; no sideways scroll at 390 px`, async () => {
      for (const width of [390, 1280]) {
        const page = await openTracked(o.browser, `${o.server.url}/${lang}/states/25/`, { width });
        const name = geography.states.find((s) => s.code === '25')?.[lang] as string;
        const map = page.locator('.locator-map svg[role=img]');
        expect(await map.getAttribute('aria-label')).toBe(`${lang === 'es' ? 'Ubicación en México' : 'Location in Mexico'}: ${name}`);
        // Two shapes: every other state in one path, the profile's state filled in the accent colour.
        const fills = await map.locator('path').evaluateAll((ps) => ps.map((p) => p.getAttribute('fill')));
        expect(fills).toEqual(['#dde3ea', '#0b4f8a']);
        // Small: whole-pixel coordinates of simplified outlines, a few KB in the page.
        const markup = await map.evaluate((svg) => svg.outerHTML.length);
        expect(markup).toBeLessThan(12_000);
        if (width === 390) console.info(`locator map: ${markup.toLocaleString('en-US')} characters of SVG`);
        const box = await map.boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(100);
        expect(box?.width ?? 0).toBeLessThanOrEqual(width);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(await seriousAxeViolations(page)).toEqual([]);
        await shot(page, `state-profile-${lang}-${width}`);
        await page.close();
      }
    }, 120_000);
  }
});
