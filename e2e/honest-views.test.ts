import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { observatoryInChromium, openTracked, SCREENSHOTS } from './browser.js';

const o = observatoryInChromium();

const open = (path: string) => openTracked(o.browser, `${o.server.url}${path}`, { acceptDownloads: true });
const rendered = (page: Page) => page.waitForFunction(() => document.body.dataset['rendered'] !== undefined && !document.querySelector('#viz[aria-busy]'));

/** The vertices of an SVG path made of M/L commands (Plot's linear lines). */
function vertices(d: string): { x: number; y: number }[] {
  return [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}

const THROUGH = { es: 'datos hasta junio de 2025', en: 'data through June 2025' } as const;

/** Pixels (RGBA) of a PNG at the given points, decoded by the browser itself. */
async function pngPixels(page: Page, png: Buffer, points: readonly { x: number; y: number }[]): Promise<{ width: number; height: number; rgba: number[][] }> {
  return page.evaluate(async ({ base64, at }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    ctx.drawImage(bitmap, 0, 0);
    return { width: bitmap.width, height: bitmap.height, rgba: at.map((p) => Array.from(ctx.getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data)) };
  }, { base64: png.toString('base64'), at: points });
}

/** Close to the chart's first series colour (#0072B2) — the line and the filled dots. */
const isSeriesBlue = ([r = 0, g = 0, b = 0]: number[]) => Math.abs(r - 0x00) < 40 && Math.abs(g - 0x72) < 40 && Math.abs(b - 0xb2) < 40;

describe('honest views in Chromium', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`yearly homicide rate (${lang}): no segment from 2024 to the partial 2025, which stands apart, labelled; the page and the downloads say "${THROUGH[lang]}"`, async () => {
      const page = await open(`/${lang}/indicators/mx.homicide.rate/`);
      await rendered(page);
      expect(page.errors).toEqual([]);
      const dot = async (period: string) => {
        const c = page.locator(`#viz circle[data-geo="00"][data-period="${period}"]`);
        return { x: Number(await c.getAttribute('cx')), y: Number(await c.getAttribute('cy')), partial: (await c.getAttribute('data-partial')) !== null };
      };
      const [d2023, d2024, d2025] = [await dot('2023'), await dot('2024'), await dot('2025')];
      expect([d2024.partial, d2025.partial]).toEqual([false, true]);
      // Every line vertex is a complete year: the line ends at 2024 and never reaches 2025.
      const paths = await page.locator('#viz g[aria-label="line"] path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''));
      const points = paths.flatMap(vertices);
      expect(points.length).toBeGreaterThan(5);
      const lastX = Math.max(...points.map((p) => p.x));
      expect(Math.abs(lastX - d2024.x)).toBeLessThan(0.5);
      expect(points.some((p) => Math.abs(p.x - d2025.x) < 0.5)).toBe(false);
      expect(points.some((p) => Math.abs(p.x - d2023.x) < 0.5)).toBe(true);
      // The partial year is labelled where it stands.
      const label = await page.locator('#viz .partial-label text, #viz g.partial-label text, #viz text.partial-label').allTextContents();
      expect(label.join(' ')).toMatch(lang === 'es' ? /2025: parcial \(6 meses\), no comparable/ : /2025: partial \(6 months\), not comparable/);
      // The page states the last month of data, from the data, in its language — and so does the chart's SVG.
      expect((await page.locator('#data-through').textContent())?.toLowerCase()).toContain(THROUGH[lang].toLowerCase());
      expect((await page.locator('#viz svg .coverage-note').first().textContent())?.toLowerCase()).toContain(THROUGH[lang].toLowerCase());
      // Without JavaScript too: the server-rendered page says it.
      expect((await (await fetch(`${o.server.url}/${lang}/indicators/mx.homicide.rate/`)).text()).toLowerCase()).toContain(THROUGH[lang].toLowerCase());

      const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-svg').click()]);
      const svg = readFileSync(await svgDownload.path(), 'utf8');
      expect(svg.toLowerCase()).toContain(THROUGH[lang].toLowerCase());
      expect(svg).toContain(lang === 'es' ? '2025: parcial (6 meses), no comparable' : '2025: partial (6 months), not comparable');
      // The PNG is rasterised from that SVG (twice its size): the plot sits below the title, translated by `dy`.
      const size = (attr: string) => Number(new RegExp(`<svg[^>]*\\s${attr}="([\\d.]+)"`).exec(svg)?.[1] ?? 0);
      const dy = Number(/<g transform="translate\(0,([\d.]+)\)"/.exec(svg)?.[1] ?? Number.NaN);
      expect(dy).toBeGreaterThan(0);
      const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-png').click()]);
      const png = readFileSync(await pngDownload.path());
      const at = (p: { x: number; y: number }) => ({ x: p.x * 2, y: (p.y + dy) * 2 });
      const between = [0.3, 0.5, 0.7].map((f) => at({ x: d2024.x + (d2025.x - d2024.x) * f, y: d2024.y + (d2025.y - d2024.y) * f }));
      const pixels = await pngPixels(page, png, [at(d2024), at(d2025), at({ x: (d2023.x + d2024.x) / 2, y: (d2023.y + d2024.y) / 2 }), ...between]);
      expect([pixels.width, pixels.height]).toEqual([Math.ceil(size('width')) * 2, Math.ceil(size('height')) * 2]);
      const [p2024, p2025, p2023to2024, ...gap] = pixels.rgba;
      // The mapping is right: the complete 2024 dot and the 2023–2024 segment are the series colour, the partial dot is hollow…
      expect(isSeriesBlue(p2024 ?? []), `2024 dot ${p2024}`).toBe(true);
      expect(isSeriesBlue(p2023to2024 ?? []), `2023–2024 segment ${p2023to2024}`).toBe(true);
      expect(p2025?.slice(0, 3), 'hollow 2025 dot').toEqual([255, 255, 255]);
      // …and nothing of the series colour lies on the way from 2024 to 2025.
      for (const p of gap) expect(isSeriesBlue(p), `gap pixel ${p}`).toBe(false);
      // Citations carry no empty "()" and no stray punctuation (".)").
      for (const text of [await page.locator('#citation').textContent(), await page.locator('#cited').textContent()]) expect(text).not.toMatch(/\(\s*\)|\.\)|\s[,;:.]\s/);
      await page.screenshot({ path: `${SCREENSHOTS}honest-rate-${lang}.png`, fullPage: true });
      await page.close();
    });
  }

  it('the same-months control compares January–June of every year: 2025 is then a comparable, solid point', async () => {
    const page = await open('/en/indicators/mx.homicide.rate/');
    await rendered(page);
    await Promise.all([page.waitForFunction(() => location.search.includes('ytd=true')), page.locator('input[name="ytd"]').check()]);
    await page.waitForFunction(() => document.querySelector('#viz circle[data-period="2025"]') !== null && (document.getElementById('data-through')?.textContent ?? '').includes('January–June'));
    await rendered(page);
    expect(await page.locator('#viz circle[data-partial]').count()).toBe(0);
    const file = await (await fetch(`${o.server.url}/data/en/mx.homicide.rate/year-ytd.json`)).json() as { ytd_months: number[]; rows: { geo: string; period: string; value: number; flags: string[] }[] };
    expect(file.ytd_months).toEqual([1, 2, 3, 4, 5, 6]);
    const y2025 = file.rows.find((r) => r.geo === '00' && r.period === '2025');
    expect(Number(await page.locator('#viz circle[data-geo="00"][data-period="2025"]').getAttribute('data-value'))).toBe(y2025?.value);
    expect(y2025?.flags).not.toContain('partial-period');
    await page.screenshot({ path: `${SCREENSHOTS}honest-rate-ytd-en.png`, fullPage: true });
    await page.close();
  });

  it('draws nothing where nothing exists: reporting status instead of an empty chart; no map of Mexico for a U.S. indicator', async () => {
    const empty = await open('/es/indicators/mx.homicide.incidence/');
    await rendered(empty);
    expect(await empty.locator('#viz .reporting-status').textContent()).toContain('Sin datos cargados');
    expect(await empty.locator('#viz svg').count()).toBe(0);
    expect(await empty.locator('#citation').textContent()).not.toContain('()');
    await empty.close();
    const us = await open('/en/indicators/us.overdose.deaths/?view=map');
    await rendered(us);
    expect(await us.locator('input[name="view"][value="map"]').count()).toBe(0);
    expect(await us.locator('#viz .observa-map').count()).toBe(0);
    expect(await us.locator('#viz circle[data-period]').count()).toBeGreaterThan(5);
    const title = await us.locator('#viz figure h2').first().textContent();
    expect(title).not.toMatch(/\(\s*\)|\s[,.;:]|[,;:]$/);
    await us.close();
  });

  it('a map of the partial year says it is partial and how far the data goes', async () => {
    const page = await open('/es/indicators/mx.homicide.rate/?view=map&year=2025');
    await rendered(page);
    const title = (await page.locator('#viz .observa-map > text').first().locator('tspan').allTextContents()).join(' ');
    expect(title).toContain('2025 (víctimas por 100 000 habitantes, periodo parcial)');
    const text = (await page.locator('#viz .observa-map').textContent()) ?? '';
    // Each state's title names its flags in Spanish, not by their codes.
    expect(text).toContain('Aguascalientes: ');
    expect(text).not.toContain('partial-period');
    expect(text.toLowerCase()).toContain(THROUGH.es);
    await page.close();
  });

  it('RNPDNO pages show the status date and that the unlocated count only in the national total', async () => {
    const page = await open('/es/indicators/mx.disappeared.persons/');
    await rendered(page);
    expect(await page.locator('#data-through').textContent()).toMatch(/estatus a la fecha de consulta \(marzo de 2026\)/);
    expect(await page.locator('.national-note').textContent()).toContain('sin estado registrado');
    expect(await page.locator('#viz svg .coverage-note').first().textContent()).toMatch(/marzo de 2026/);
    await page.close();
  });
});
