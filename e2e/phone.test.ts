import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { observatoryInChromium, SCREENSHOTS } from './browser.js';

/*
 * A phone (390 × 844): no page scrolls sideways, the chart fills the width with the citation under it, and the menu
 * collapses behind one button.
 */
const PHONE = { width: 390, height: 844 };
const PAGES = [
  '/',
  '/indicators/mx.homicide.rate/',
  '/indicators/mx.homicide.rate/?view=map',
  '/indicators/mx.homicide.rate/?view=map&map=hex',
  '/indicators/mx.homicide.rate/?view=table',
  '/indicators/mx.disappeared.persons/?view=map&map=municipal',
  '/states/',
  '/states/25/',
  '/data/',
  '/scorecard/',
  '/framework/',
  '/search/',
];

const o = observatoryInChromium();

/** The page's width and, when it is too wide, the elements that stick out (tag.class and right edge) to say why. */
async function widthOf(page: Page): Promise<{ width: number; wide: string[] }> {
  return page.evaluate((limit) => {
    const width = document.documentElement.scrollWidth;
    const wide: string[] = [];
    if (width > limit) {
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > limit + 1 && r.width > 0 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 1)) {
          wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}#${el.id} → ${Math.round(r.right)}`);
        }
      }
    }
    return { width, wide: wide.slice(0, 8) };
  }, PHONE.width);
}

const settled = (page: Page) =>
  page.waitForFunction(() => !document.querySelector('#viz, #states-map') || (document.body.dataset['rendered'] !== undefined && !document.querySelector('#viz[aria-busy], #states-map[aria-busy]')), undefined, { timeout: 60_000 });

describe('pages on a 390 px phone', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`no ${lang} page scrolls sideways`, async () => {
      const context = await o.browser.newContext({ viewport: PHONE, bypassCSP: true });
      const problems: string[] = [];
      for (const path of PAGES) {
        const page = await context.newPage();
        await page.goto(`${o.server.url}/${lang}${path}`);
        await settled(page);
        const { width, wide } = await widthOf(page);
        if (width > PHONE.width) problems.push(`${path}: ${width} px (${wide.join('; ')})`);
        await page.close();
      }
      expect(problems).toEqual([]);
      await context.close();
    }, 240_000);
  }

  it('the chart fills the width, the citation sits under it, the menu collapses', async () => {
    const context = await o.browser.newContext({ viewport: PHONE, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${o.server.url}/es/indicators/mx.homicide.rate/`);
    await settled(page);
    const chart = await page.locator('#viz svg').first().boundingBox();
    const main = await page.locator('main').boundingBox();
    if (!chart || !main) throw new Error('no chart drawn');
    // The chart uses the width main gives it (its padding aside).
    expect(chart.width).toBeGreaterThan(main.width - 48);
    const citation = await page.locator('#viz figcaption').first().boundingBox();
    if (citation) expect(citation.y).toBeGreaterThanOrEqual(chart.y + chart.height - 1);
    // The menu: one button; the links appear when it is opened.
    const menu = page.locator('details.menu');
    expect(await menu.isVisible()).toBe(true);
    expect(await page.locator('details.menu nav a').first().isVisible()).toBe(false);
    await page.locator('details.menu summary').click();
    expect(await page.locator('details.menu nav a').first().isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}phone-indicator-es.png`, fullPage: true });
    await context.close();
  }, 120_000);
});
