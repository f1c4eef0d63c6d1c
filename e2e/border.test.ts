import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { observatoryInChromium, openTracked, SCREENSHOTS, seriousAxeViolations, type TrackedPage } from './browser.js';


const o = observatoryInChromium();

const open = (path: string, width = 1280): Promise<TrackedPage> => openTracked(o.browser, `${o.server.url}${path}`, { width });
const rendered = (page: Page) => page.waitForFunction(() => document.body.dataset['rendered'] !== undefined && !document.querySelector('#viz[aria-busy]'));

interface Row { geo: string; period: string; value: number | null; flags: string[] }
const apiRows = async (path: string): Promise<Row[]> => ((await (await fetch(`${o.server.url}${path}`)).json()) as { rows: Row[] }).rows;

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

describe('the U.S. border pages in Chromium', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`fentanyl seized (${lang}): fiscal years by default, points equal the API, the partial FY2026 drawn hollow`, async () => {
      const page = await open(`/${lang}/indicators/us.border.fentanyl_seized/`);
      await rendered(page);
      const dots = await page.locator('#viz circle[data-period]').evaluateAll((cs) =>
        cs.map((c) => ({ geo: c.getAttribute('data-geo'), period: c.getAttribute('data-period'), value: Number(c.getAttribute('data-value')), partial: c.hasAttribute('data-partial') })));
      const api = await apiRows(`/api/v1/indicators/us.border.fentanyl_seized/data?geo=US-SWB&freq=fy&lang=${lang}`);
      expect(dots.map((d) => d.period)).toEqual(api.map((r) => r.period));
      for (const d of dots) expect(d.value).toBeCloseTo(api.find((r) => r.period === d.period)?.value ?? Number.NaN, 6);
      expect(dots.filter((d) => d.partial).map((d) => d.period)).toEqual(['FY2026']);
      expect(Math.round((dots.find((d) => d.period === 'FY2023')?.value ?? 0) * 10) / 10).toBe(26717.8);
      // Calendar years from the same months: 2025 is complete (12 months), 2018 is not (the files start in October 2018).
      await page.selectOption('select[name="freq"]', 'year');
      await page.waitForFunction(() => document.querySelector('#viz circle[data-period="2025"]') !== null);
      const partialYears = await page.locator('#viz circle[data-partial]').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-period')));
      expect(partialYears).toEqual(['2018']);
      expect(page.url()).toContain('freq=year');
      expect(page.errors).toEqual([]);
      await page.close();
    });
  }

  it('encounters (es): the chart and the CBP regions to choose from', async () => {
    const page = await open('/es/indicators/us.border.encounters/');
    await rendered(page);
    expect(await page.locator('#viz circle[data-period="FY2023"]').getAttribute('data-value')).toBe('2475669');
    expect(await page.locator('input[name="geo"]').evaluateAll((is) => is.map((i) => (i as HTMLInputElement).value))).toEqual(['US', 'US-SWB', 'US-NB', 'US-CI']);
    expect(await page.locator('select[name="freq"] option').allTextContents()).toContain('Año fiscal de EE. UU. (oct.–sep.)');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  for (const [lang, width] of [['es', 1280], ['en', 1280], ['es', 390], ['en', 390]] as const) {
    it(`both sides (${lang}, ${width} px): indexed chart, base 100 at FY2021/2021, partial FY2026 off the line, accessible`, async () => {
      const page = await open(`/${lang}/both-sides/`, width);
      await page.waitForSelector('[data-viz="fentanyl"] svg');
      const figure = page.locator('[data-viz="fentanyl"] [data-pair="fentanyl"]');
      expect(await figure.getAttribute('data-partial-points')).toBe('1');
      // 7 complete fiscal years (FY2019–FY2025) + CDC's complete calendar years 2015–2024.
      expect(await figure.getAttribute('data-complete-points')).toBe('17');
      const table = page.locator('table[data-indicator="us.border.fentanyl_seized"]');
      expect(await table.locator('tr[data-period="FY2021"] td').nth(1).textContent()).toBe('100');
      expect(await table.locator('tr[data-partial]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-period')))).toEqual(['FY2026']);
      expect(await page.locator('nav.nav-wide a[aria-current="page"]').textContent()).toBe(lang === 'es' ? 'Ambos lados' : 'Both sides');
      // Each pair states its method and its caveats in the page language: seizures measure enforcement, not supply.
      const caveats = { fentanyl: { es: 'miden la actividad de las autoridades', en: 'measure enforcement activity' }, migration: { es: 'eventos, no personas', en: 'events, not people' } };
      for (const [pair, words] of Object.entries(caveats)) {
        const section = page.locator(`#pair-${pair}`);
        expect(await section.locator('p', { hasText: /base = 100/ }).count(), pair).toBe(1);
        expect((await section.locator('ul li').allTextContents()).join(' '), pair).toContain(words[lang]);
      }
      // Fits the viewport: no horizontal scrolling of the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await page.screenshot({ path: `${SCREENSHOTS}both-sides-${lang}-${width}.png`, fullPage: true });
      if (width === 1280) await expectAccessible(page);
      expect(page.errors).toEqual([]);
      await page.close();
    });
  }
});
