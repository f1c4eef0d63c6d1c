import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { observatoryInChromium, openTracked, SCREENSHOTS, seriousAxeViolations } from './browser.js';

/*
 * Framework events on a chart are numbered markers that never overlap, listed with their dates under the chart in the
 * page language; a state on a states map is a link (click or keyboard) to its profile.
 */
const o = observatoryInChromium();

const settled = (page: Page) =>
  page.waitForFunction(() => document.body.dataset['rendered'] !== undefined && !document.querySelector('#viz[aria-busy]'), undefined, { timeout: 60_000 });

describe('event markers on the homicide-rate chart', () => {
  for (const lang of ['es', 'en'] as const) {
    for (const width of [1280, 390]) {
      it(`${lang} at ${width} px: markers never overlap, the legend lists every event drawn, axe clean`, async () => {
        const page = await openTracked(o.browser, `${o.server.url}/${lang}/indicators/mx.homicide.rate/`, { width });
        await settled(page);
        const markers = await page.locator('#viz .event-marker').evaluateAll((gs) =>
          gs.map((g) => {
            const r = (g.querySelector('rect') as SVGRectElement).getBoundingClientRect();
            return { events: (g.getAttribute('data-events') ?? '').split(',').map(Number), box: { x: r.x, y: r.y, w: r.width, h: r.height } };
          }));
        expect(markers.length).toBeGreaterThan(0);
        for (const [i, ma] of markers.entries()) {
          for (const mb of markers.slice(i + 1)) {
            const [a, b] = [ma.box, mb.box];
            const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            expect(overlap, `markers ${ma.events.join(',')} and ${mb.events.join(',')}`).toBe(false);
          }
        }
        // Each event drawn has one number, one rule, one legend line "n — date: title" in the page language.
        const numbers = markers.flatMap((m) => m.events).sort((a, b) => a - b);
        expect(numbers).toEqual(numbers.map((_, i) => i + 1));
        const legend = await page.locator('#viz .event-legend-item').allTextContents();
        expect(legend.map((l) => Number(/^(\d+) — /.exec(l)?.[1]))).toEqual(numbers);
        const month = lang === 'es' ? /\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic)\.? \d{4}: / : /(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}: /;
        for (const line of legend) expect(line).toMatch(month);
        // The markers sit above the plot frame, so they never cover the data.
        const frameTop = await page.locator('#viz svg g[aria-label="y-grid"]').evaluate((g) => g.getBoundingClientRect().top);
        for (const m of markers) expect(m.box.y + m.box.h).toBeLessThanOrEqual(frameTop + 1);
        // Month ticks never collide.
        const ticks = await page.locator('#viz svg g[aria-label="x-axis tick label"] text').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect()).map((r) => ({ l: r.left, r: r.right })));
        ticks.slice(1).forEach((tick, i) => expect(tick.l).toBeGreaterThanOrEqual((ticks[i] as { r: number }).r));
        // Every legend line stays inside the chart (labels wrap on a phone).
        const overflow = await page.locator('#viz svg').first().evaluate((svg) => {
          const right = svg.getBoundingClientRect().right;
          return Array.from(svg.querySelectorAll('.legend text')).filter((t) => t.getBoundingClientRect().right > right + 1).map((t) => t.textContent);
        });
        expect(overflow).toEqual([]);
        // The partial year's label never crosses an event rule on a phone: there it is in the legend, beside the hollow dot.
        if (width === 390) {
          const rules = await page.locator('#viz svg g[aria-label="rule"] line').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().left));
          const labels = await page.locator('#viz svg .partial-label text').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect()).map((r) => ({ l: r.left, r: r.right })));
          for (const label of labels) expect(rules.filter((x) => x > label.l && x < label.r)).toEqual([]);
          const legendText = (await page.locator('#viz svg .legend').first().textContent()) ?? '';
          expect(legendText).toMatch(lang === 'es' ? /2025: parcial \(\d+ meses\), no comparable/ : /2025: partial \(\d+ months\), not comparable/);
        }
        // The download is built from the chart's SVG, so it carries the event legend.
        const svg = await page.evaluate(() => new XMLSerializer().serializeToString(document.querySelector('#viz svg') as Element));
        expect(svg).toContain('event-legend-item');
        expect(await seriousAxeViolations(page)).toEqual([]);
        expect(page.errors).toEqual([]);
        await page.locator('#viz').screenshot({ path: `${SCREENSHOTS}chart-events-${lang}-${width}.png` });
        await page.close();
      }, 120_000);
    }
  }
});

describe('monthly axes', () => {
  // The yearly chart above has few labels; month labels ("sept 2024") are wide, and d3's tick count is only a hint.
  for (const lang of ['es', 'en'] as const) {
    for (const width of [390, 1280]) {
      it(`${lang} at ${width} px: month tick labels never collide, over 18 months and over six years`, async () => {
        for (const query of ['freq=month&from=2024-01&to=2025-06', 'freq=month&from=2019-01&to=2025-06']) {
          const page = await openTracked(o.browser, `${o.server.url}/${lang}/indicators/mx.homicide.rate/?${query}`, { width });
          await settled(page);
          const ticks = await page.locator('#viz svg g[aria-label="x-axis tick label"] text').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect()).map((r) => ({ l: r.left, r: r.right })));
          expect(ticks.length, query).toBeGreaterThanOrEqual(2);
          ticks.slice(1).forEach((tick, i) => expect(tick.l, `${query}: tick ${i + 1}`).toBeGreaterThan((ticks[i] as { r: number }).r + 4));
          await page.close();
        }
      }, 120_000);
    }
  }
});

describe('a state on the states map opens its profile', () => {
  for (const [lang, map] of [['es', ''], ['en', '&map=hex']] as const) {
    it(`${lang}${map}: click and keyboard`, async () => {
      const url = `${o.server.url}/${lang}/indicators/mx.homicide.rate/?view=map${map}`;
      const page = await openTracked(o.browser, url);
      await settled(page);
      const link = page.locator('#viz a[data-geo-link="25"]');
      expect(await link.getAttribute('aria-label')).toMatch(/^Sinaloa: [\d.,]+ /);
      expect(await page.locator('#viz a[data-geo-link]').count()).toBe(32);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await link.locator('path').click();
      await page.waitForURL(`${o.server.url}/${lang}/states/25/`);
      // Keyboard: the link takes focus and Enter follows it.
      await page.goto(url);
      await settled(page);
      await page.locator('#viz a[data-geo-link="09"]').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${o.server.url}/${lang}/states/09/`);
      expect(page.errors).toEqual([]);
      await page.close();
    }, 120_000);
  }
});
