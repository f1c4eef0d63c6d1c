import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/index.js';
import { bakedBundledSite, loadedStore } from '../test-support/bundled-store.js';
import type { TempStore } from '../test-support/temp-store.js';
import { bakeSite, siteUrls } from './bake.js';

let t: TempStore;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await loadedStore();
  app = createApp(t.store);
});
afterAll(async () => t.cleanup());

const get = (path: string, headers: Record<string, string> = {}) => app.fetch(new Request(`http://test${path}`, { headers }));
const text = async (path: string) => {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return res.text();
};

describe('site pages (server-rendered)', () => {
  it('/ sends the browser to its language', async () => {
    expect((await get('/', { 'accept-language': 'en-US,en;q=0.8' })).headers.get('location')).toBe('/en/');
    expect((await get('/', { 'accept-language': 'es-MX,es;q=0.9' })).headers.get('location')).toBe('/es/');
  });

  it('the home page shows the three goals with their key indicators, in Spanish with es-MX numbers', async () => {
    const es = await text('/es/');
    expect(es).toContain('<html lang="es">');
    expect(es).toContain('Proteger a nuestra gente');
    expect(es).toContain('Cronología del Entendimiento');
    // 2024 homicide rate: 23.36 → es-MX writes 23.36; victims 30,898 → "30,898" in es-MX too; check a Spanish label instead.
    expect(es).toMatch(/data-indicator="mx.homicide.victims" data-period="2024" data-value="30898">30,898 <small>víctimas/);
    const en = await text('/en/');
    expect(en).toContain('Protect our people');
    expect(en).toContain('Framework timeline');
  });

  it('an indicator page carries its definition, table, sources, releases and citation, and the language switch keeps the view', async () => {
    const html = await text('/en/indicators/mx.homicide.rate/?geo=00,25&from=2019&to=2024');
    expect(html).toContain('Intentional homicide and femicide victim rate');
    expect(html).toMatch(/<tr data-geo="25" data-period="2024"><th scope="row">Sinaloa<\/th><td>2024<\/td><td class="num">[\d.]+<\/td>/);
    expect(html).toContain('IDVFC_NM_2015-2025.csv.gz');
    expect(html).toContain('Cite as');
    expect(html).toContain('href="/es/indicators/mx.homicide.rate/"');
  });

  it('the same URL with .csv or .json returns the view’s data, equal to the API’s', async () => {
    const view = await text('/es/indicators/mx.homicide.victims.csv?geo=00,09&from=2020&to=2021');
    const api = await text('/api/v1/indicators/mx.homicide.victims/data.csv?geo=00,09&period=2020..2021&lang=es');
    expect(view).toBe(api);
    const json = JSON.parse(await text('/es/indicators/mx.homicide.victims.json?geo=09&from=2020&to=2020')) as { rows: { value: number }[] };
    expect(json.rows).toHaveLength(1);
  });

  it('a state profile lists every state-level indicator beside the national value, with a rank', async () => {
    const html = await text('/es/states/25/');
    expect(html).toContain('Sinaloa');
    expect(html).toMatch(/data-indicator="mx.homicide.rate">.*?<td>2024<\/td><td class="num">32\.28<\/td><td class="num">23\.36<\/td>\s*<td class="num">10 de 32 <small class="muted">\(1 = el valor más alto\)<\/small><\/td>/s);
    // Population projections run to 2070; the profile shows the current year, not a projection decades ahead.
    const year = new Date().getUTCFullYear();
    expect(html).toMatch(new RegExp(`data-indicator="mx.population">.*?<td>${year}</td>`, 's'));
    const detail = JSON.parse(await text('/api/v1/indicators/mx.population')) as { latest: { period: string } };
    expect(detail.latest.period).toBe(String(year));
  });

  it('framework, data, search and 404 pages', async () => {
    expect(await text('/en/framework/1.3/')).toContain('Linked indicators');
    expect(await text('/es/data/')).toMatch(/[0-9a-f]{16}…/);
    const found = await text('/es/search/?q=michoacan');
    expect(found).toContain('href="/es/states/16/"');
    const english = await text('/es/search/?q=homicide');
    expect(english).toContain('href="/es/indicators/mx.homicide.victims/"');
    const missing = await get('/en/indicators/mx.nope/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Page not found');
  });
});

describe('static bake', () => {
  it('writes every page and data file', async () => {
    const { dir: out, summary } = await bakedBundledSite();
    expect(summary.pages).toBeGreaterThan(100);
    for (const file of ['index.html', 'es/index.html', 'en/indicators/mx.homicide.rate/index.html', 'es/states/09/index.html', 'data/es/mx.homicide.rate/year.json',
      'data/en/mx.disappeared.persons/municipality-2024.json', 'data/geo/states.json', 'es/indicators/mx.homicide.rate.csv', 'assets/site.css']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const data = JSON.parse(readFileSync(join(out, 'data/es/mx.homicide.victims/year.json'), 'utf8')) as { rows: { geo: string }[] };
    expect(new Set(data.rows.map((r) => r.geo)).size).toBe(33);
    // Answers computed several at once are the answers the server gives one at a time.
    for (const url of ['/en/indicators/mx.homicide.rate/', '/data/en/mx.homicide.victims/month-by-sex.json', '/es/states/16/', '/data/es/mx.disappeared.persons/municipality-2024.json']) {
      const file = join(out, url.endsWith('/') ? `${url}index.html` : url);
      expect(readFileSync(file, 'utf8'), url).toBe(await text(url));
    }
    // A 404.html for static hosts: the site's layout, in Spanish and English, with links that work from any path.
    const notFound = readFileSync(join(out, '404.html'), 'utf8');
    expect(notFound).toContain('<link rel="stylesheet" href="/assets/site.css">');
    expect(notFound).toMatch(/<html lang="es">/);
    expect(notFound).toContain('<h1>Página no encontrada</h1>');
    expect(notFound).toMatch(/<section class="not-found" lang="en"[^>]*><h2[^>]*>Page not found<\/h2>/);
    expect(notFound).toContain('action="/es/search/"');
    expect(notFound).toContain('action="/en/search/"');
    // And each language's own 404, the live server's page.
    for (const lang of ['es', 'en'] as const) {
      const live = await get(`/${lang}/no-such-page/`);
      expect(live.status).toBe(404);
      expect(readFileSync(join(out, `${lang}/404.html`), 'utf8')).toBe(await live.text());
    }
    // The bake (built once per run, shared with e2e/site.test.ts and language-leak.test.ts) computes every data file, rates of counts of people
    // included: minutes on a loaded 2-core machine.
  }, 300_000);

  it('stops at the first answer that is not 200 and names it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'observa-bake-'));
    let asked = 0;
    try {
      const failing = '/data/en/mx.homicide.victims/month.json';
      const bake = bakeSite(t.store, (r) => {
        asked++;
        return new URL(r.url).pathname === failing ? new Response('no', { status: 500 }) : new Response('ok');
      }, out, undefined, [], false, 4);
      await expect(bake).rejects.toThrow(`bake: ${failing} answered 500`);
      // Nothing after it starts beyond what was already running (4 at once), and the chooser page is not written.
      const urls = await siteUrls(t.store);
      expect(asked).toBeLessThanOrEqual(urls.indexOf(failing) + 4);
      expect(existsSync(join(out, 'index.html'))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
