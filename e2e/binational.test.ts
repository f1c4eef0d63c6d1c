import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bundledDataPath } from '../src/catalog/index.js';
import { adapterFor, BOUNDARY_LAYERS, BUNDLED_FILES, importBoundaries, importFile } from '../src/ingest/index.js';
import { observatoryInChromium, openTracked, SCREENSHOTS, seriousAxeViolations, type TrackedPage } from './browser.js';

const MINE = new Set([
  'iom-missing-migrants', 'foreignassistance-country', 'inegi-envipe-perception', 'secondary-extraditions', 'secondary-wjp-rule-of-law',
  'secondary-enpol-torture', 'secondary-headline-figures', 'secondary-guardia-nacional-2019', 'secondary-guardia-nacional-2020', 'secondary-guardia-nacional-2021',
]);

const o = observatoryInChromium(async (t) => {
  for (const entry of BUNDLED_FILES.filter((e) => MINE.has(e.source))) await importFile(t.store, adapterFor(entry.source), bundledDataPath(entry.path));
  await importBoundaries(t.store, BOUNDARY_LAYERS.states, bundledDataPath('geo/mx_estados.geojson'));
  await importBoundaries(t.store, BOUNDARY_LAYERS['states-hex'], bundledDataPath('geo/mx_estados_hexgrid.topojson.json'));
});

const open = (path: string, width = 1280): Promise<TrackedPage> => openTracked(o.browser, `${o.server.url}${path}`, { width });
const rendered = (page: Page) => page.waitForFunction(() => document.body.dataset['rendered'] !== undefined && !document.querySelector('[aria-busy]'));

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

interface IncidentFile { features: { properties: { id: string; date: string; total: number; url: string; cause: string } }[]; attribution: string }

describe('the binational border map', () => {
  for (const [lang, dead, attribution] of [['es', 'muertas', 'OIM, Proyecto Migrantes Desaparecidos'], ['en', 'dead', 'IOM Missing Migrants Project']] as const) {
    it(`${lang}: both countries and every located IOM incident, with tooltip and source link in the page language`, async () => {
      const file = (await (await fetch(`${o.server.url}/data/${lang}/migrant-incidents.json`)).json()) as IncidentFile;
      expect(file.features.length).toBeGreaterThan(2600);
      for (const width of [1280, 390]) {
        const page = await open(`/${lang}/border-map/`, width);
        await rendered(page);
        expect(page.errors).toEqual([]);
        expect(await page.locator('#border-map svg path').count()).toBeGreaterThan(32 + 50);
        expect(await page.locator('#border-map circle[data-id]').count()).toBe(file.features.length);
        const largest = [...file.features].sort((a, b) => b.properties.total - a.properties.total)[0];
        const title = await page.locator(`#border-map circle[data-id="${largest?.properties.id}"] title`).textContent();
        expect(title).toContain(largest?.properties.date);
        expect(title).toContain(` ${dead},`);
        expect(title).toContain(largest?.properties.cause);
        const linked = file.features.find((f) => /^https?:/.test(f.properties.url));
        expect(await page.locator(`#border-map a[href="${linked?.properties.url}"] circle`).count()).toBeGreaterThan(0);
        expect(await page.locator('main').textContent()).toContain(attribution);
        await page.screenshot({ path: `${SCREENSHOTS}border-map-${lang}-${width}.png`, fullPage: true });
        if (width === 1280) await expectAccessible(page);
        await page.close();
      }
    }, 120_000);
  }
});

describe('indicator pages of the new indicators', () => {
  const cases: [string, string, boolean][] = [
    ['migrants.border.dead_missing', '', false],
    ['us.assistance.mexico', '', false],
    ['mx.extraditions.to_us', '', false],
    ['mx.insecurity_perception', '?view=map', true],
    ['mx.rule_of_law.wjp', '?view=map', true],
    ['mx.torture.arrest_share', '?view=map', true],
    ['mx.guardia_nacional.personnel', '?view=map&year=2021-03', true],
    ['mx.fentanyl_labs.sedena', '', false],
  ];
  for (const lang of ['es', 'en'] as const) {
    it(`${lang}: charts (and state maps where the level is state), secondary values with their source links, axe clean`, async () => {
      for (const [code, query, map] of cases) {
        const page = await open(`/${lang}/indicators/${code}/${query}`);
        await rendered(page);
        expect(page.errors, code).toEqual([]);
        expect(await page.locator('#viz svg').count(), code).toBeGreaterThan(0);
        if (map) expect(await page.locator('#viz svg path[data-geo]').count(), code).toBe(32);
        if (code.startsWith('mx.') && !code.includes('insecurity')) {
          // Every secondary row of the table carries its source link; the page says what a secondary source is.
          const rows = await page.locator('#table tbody tr').count();
          expect(rows, code).toBeGreaterThan(0);
          expect(await page.locator('#table tbody tr a.source-link').count(), code).toBeGreaterThanOrEqual(rows);
          expect(await page.locator('.secondary-note').count(), code).toBe(1);
        }
        await page.screenshot({ path: `${SCREENSHOTS}indicator-${code}-${lang}-1280.png`, fullPage: true });
        await expectAccessible(page);
        await page.close();
      }
      const narrow = await open(`/${lang}/indicators/mx.extraditions.to_us/`, 390);
      await rendered(narrow);
      await narrow.screenshot({ path: `${SCREENSHOTS}indicator-mx.extraditions.to_us-${lang}-390.png`, fullPage: true });
      await narrow.close();
    }, 240_000);
  }

  it('the extraditions table links each value to the page it was transcribed from, and the CSV download carries the links', async () => {
    const page = await open('/en/indicators/mx.extraditions.to_us/?from=2019&to=2022');
    await rendered(page);
    expect(await page.locator('#table tbody tr[data-period="2021"] a.source-link').getAttribute('href')).toBe('https://www.elmanana.com/noticias/nacional/extradicion-delincuencial-a-la-baja/5790406');
    await page.close();
    const csv = await (await fetch(`${o.server.url}/en/indicators/mx.extraditions.to_us.csv`)).text();
    expect(csv.split('\n')[0]).toMatch(/,source_url,citation$/);
    expect(csv).toMatch(/2021,37,persons,37,,,secondary-source,\d+,https:\/\/www\.elmanana\.com\//);
  });

  it('state profiles and home cards show secondary values with their flag and link; state-only indicators open on states', async () => {
    for (const lang of ['es', 'en'] as const) {
      const state = await open(`/${lang}/states/09/`);
      const row = state.locator('tr[data-indicator="mx.rule_of_law.wjp"]');
      expect(await row.locator('a.source-link').getAttribute('href')).toMatch(/^https:\/\/estadisticas\.sinaloa\.gob\.mx\//);
      const link = await row.locator('th a').getAttribute('href');
      expect(link).toBe(`/${lang}/indicators/mx.rule_of_law.wjp/?geo=09`);
      const page = await open(link ?? '');
      await rendered(page);
      expect(page.errors).toEqual([]);
      expect(await page.locator('#table tbody tr').count()).toBeGreaterThan(0);
      await page.close();
      await expectAccessible(state);
      await state.close();
      const home = await open(`/${lang}/`);
      const card = home.locator('.card', { has: home.locator('[data-indicator="mx.extraditions.to_us"]') }).first();
      expect(await card.locator('a.source-link').count()).toBeGreaterThan(0);
      await home.close();
    }
  }, 120_000);

  it('the scorecard says how many goals, areas and objectives are measured', async () => {
    for (const [lang, words] of [['es', 'de 28 metas, áreas y objetivos medidos'], ['en', 'of 28 goals, areas and objectives measured']] as const) {
      const page = await open(`/${lang}/scorecard/`);
      expect(await page.locator('#measured-with-data').textContent()).toContain(words);
      await page.close();
    }
  });
});
