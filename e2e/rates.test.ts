import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bundledDataPath } from '../src/catalog/index.js';
import { adapterFor, BOUNDARY_LAYERS, BUNDLED_BOUNDARIES, BUNDLED_FILES, importBoundaries, importFile } from '../src/ingest/index.js';
import { observatoryInChromium, openTracked, SCREENSHOTS, seriousAxeViolations, type TrackedPage } from './browser.js';

// Rates need the victims, CONAPO and the census; the state map its layer. Nothing else is loaded.
const NEEDED = ['sesnsp-victims-state', 'conapo-population-state', 'inegi-population-municipal'];
const o = observatoryInChromium(async (t) => {
  for (const entry of BUNDLED_FILES.filter((f) => NEEDED.includes(f.source))) await importFile(t.store, adapterFor(entry.source), bundledDataPath(entry.path));
  for (const entry of BUNDLED_BOUNDARIES.filter((b) => b.layer === 'states')) await importBoundaries(t.store, BOUNDARY_LAYERS[entry.layer], bundledDataPath(entry.path));
});

const open = (path: string): Promise<TrackedPage> => openTracked(o.browser, `${o.server.url}${path}`, { acceptDownloads: true });
/** Waits for a render that started after `since` (the page stamps each finished render). */
const renderedAfter = (page: Page, since: string) =>
  page.waitForFunction((before) => document.body.dataset['rendered'] !== undefined && document.body.dataset['rendered'] !== before && !document.querySelector('#viz[aria-busy]'), since);
const stamp = (page: Page) => page.evaluate(() => document.body.dataset['rendered'] ?? '');

describe('rates in Chromium', () => {
  it('the map of femicide opens on the rate per 100,000 women and says so; "Number" switches it to the count', async () => {
    const page = await open('/en/indicators/mx.femicide.victims/?view=map');
    await renderedAfter(page, '');
    const title = () => page.locator('#viz').evaluate((v) => v.textContent ?? '');
    expect(await title()).toContain('(victims per 100,000 women)');
    expect(await page.locator('select[name="measure"]').inputValue()).toBe('');
    expect(await page.locator('.measure-shown').textContent()).toBe('victims per 100,000 women');
    const shapes = await page.locator('#viz path[data-geo]').evaluateAll((paths) => paths.map((p) => Number(p.getAttribute('data-value'))));
    expect(shapes).toHaveLength(32);
    // Rates of femicide per 100,000 women are single digits; counts run to the hundreds.
    expect(Math.max(...shapes)).toBeLessThan(10);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}rates-femicide-map-en.png`, fullPage: true });

    let before = await stamp(page);
    await page.locator('select[name="measure"]').selectOption('count');
    await renderedAfter(page, before);
    expect(await title()).toContain('(victims)');
    expect(new URL(page.url()).searchParams.get('measure')).toBe('count');
    expect(await page.locator('#dl-csv').getAttribute('href')).toContain('measure=count');

    // Automatic again, then the chart: its default is the count.
    before = await stamp(page);
    await page.locator('select[name="measure"]').selectOption('');
    await renderedAfter(page, before);
    expect(await title()).toContain('(victims per 100,000 women)');
    before = await stamp(page);
    await page.locator('input[name="view"][value="chart"]').check();
    await renderedAfter(page, before);
    expect(await page.locator('.measure-shown').textContent()).toBe('victims');
    expect(await page.locator('#viz').textContent()).toContain('(victims)');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('the homicide-rate chart draws the projected-population years dotted, with a legend entry', async () => {
    const page = await open('/es/indicators/mx.homicide.rate/?from=2015&to=2024');
    await renderedAfter(page, '');
    expect(await page.locator('#viz path.projected-line, #viz g.projected-line path').count()).toBeGreaterThan(0);
    expect(await page.locator('#viz .legend-projected').count()).toBe(1);
    expect(await page.locator('#viz .legend').textContent()).toContain('población proyectada');
    await page.screenshot({ path: `${SCREENSHOTS}rates-projected-chart-es.png`, fullPage: true });
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('monthly rates can be annualised; the unit and the method say so', async () => {
    const page = await open('/en/indicators/mx.homicide.victims/?geo=11&freq=month&from=2024-01&to=2024-06&measure=rate');
    await renderedAfter(page, '');
    const value = async (period: string) => Number(await page.locator(`#table tr[data-geo="11"][data-period="${period}"] td.num`).first().textContent().then((s) => (s ?? '').replaceAll(',', '')));
    const plain = await value('2024-02');
    const before = await stamp(page);
    await page.locator('input[name="annualise"]').check();
    await renderedAfter(page, before);
    expect(await page.locator('#viz').textContent()).toContain('annualised');
    expect(await value('2024-02')).toBeCloseTo((plain * 365.25) / 29, 0);
    expect(await page.locator('fieldset.annualise').textContent()).toContain('365.25 / days in the month');
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
