import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bundledDataPath, loadCatalog } from '../src/catalog/index.js';
import { BOUNDARY_LAYERS, importBoundaries } from '../src/ingest/boundaries.js';
import { observatoryInChromium, openTracked, SCREENSHOTS, seriousAxeViolations } from './browser.js';

/*
 * The states index has a map: 32 hexagons, each a link named after its state to the state's profile, on a phone
 * without sideways scroll, axe clean, in Spanish and English. The page needs only the hexagon layer.
 */
const o = observatoryInChromium((t) => importBoundaries(t.store, BOUNDARY_LAYERS['states-hex'], bundledDataPath('geo/mx_estados_hexgrid.topojson.json')));
const { geography } = loadCatalog();
const SHOTS = process.env['SHOTS_DIR'];

const drawn = (page: Page) => page.waitForFunction(() => document.querySelector('#states-map svg') !== null && !document.querySelector('#states-map[aria-busy]'));

describe('the map on the states index', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`${lang}: every state is a named link to its profile; no sideways scroll at 390 px; axe clean`, async () => {
      for (const width of [390, 1280]) {
        const page = await openTracked(o.browser, `${o.server.url}/${lang}/states/`, { width });
        await drawn(page);
        const links = await page.locator('#states-map a[data-geo-link]').evaluateAll((as) =>
          as.map((a) => ({ code: a.getAttribute('data-geo-link'), href: a.getAttribute('href'), name: a.getAttribute('aria-label') })));
        expect(links).toHaveLength(32);
        for (const s of geography.states) {
          expect(links, s.code).toContainEqual({ code: s.code, href: `/${lang}/states/${s.code}/`, name: s[lang] });
        }
        // The title and the note in the page's language; the list under the map stays.
        expect(await page.locator('#states-map svg').getAttribute('aria-label')).toBe(lang === 'es' ? 'Los 32 estados: elija uno para ver su perfil' : 'The 32 states: choose one to see its profile');
        expect(await page.locator('main ul.columns a').count()).toBe(32);
        const box = await page.locator('#states-map svg').boundingBox();
        expect(box?.width ?? 0).toBeLessThanOrEqual(width);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(await seriousAxeViolations(page)).toEqual([]);
        expect(page.errors).toEqual([]);
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: `${SCREENSHOTS}states-index-${lang}-${width}.png`, fullPage: true });
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/states-index-${lang}-${width}.png`, fullPage: true });
        await page.close();
      }
    });
  }

  it('a click on a hexagon, or Enter on it, opens the state’s profile', async () => {
    const page = await openTracked(o.browser, `${o.server.url}/es/states/`, { width: 390 });
    await drawn(page);
    await Promise.all([page.waitForURL(`${o.server.url}/es/states/25/`), page.locator('#states-map a[data-geo-link="25"]').click()]);
    expect(await page.locator('h1').textContent()).toContain('Sinaloa');
    await page.goto(`${o.server.url}/en/states/`);
    await drawn(page);
    await page.locator('#states-map a[data-geo-link="09"]').focus();
    await Promise.all([page.waitForURL(`${o.server.url}/en/states/09/`), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toContain('Mexico City');
    await page.close();
  });
});
