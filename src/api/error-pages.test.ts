import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { createApp } from './app.js';

let t: TempStore;
let app: Hono;
beforeAll(async () => {
  t = await tempStore();
  app = createApp(t.store, { contacts: { alternatives: [] } });
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

const get = (path: string, headers: Record<string, string> = {}) => app.fetch(new Request(`http://observa.test${path}`, { headers }));

describe('errors a person meets are pages; API clients keep JSON', () => {
  it('an unknown path is a 404 page in the site\'s layout and in the path\'s language', async () => {
    for (const [path, text, lang] of [['/es/no-existe/', 'Página no encontrada', 'es'], ['/en/nothing/here', 'Page not found', 'en'], ['/es/indicators/mx.nope/', 'Página no encontrada', 'es']] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/text\/html/);
      const body = await res.text();
      expect(body, path).toContain(text);
      expect(body, path).toContain(`<html lang="${lang}">`);
      expect(body, path).toContain('/assets/site.css');
      expect(body, path).toContain('rel="icon"');
    }
    // Outside /es/ and /en/, the browser's language decides.
    expect(await (await get('/nothing', { 'accept-language': 'en-US,en;q=0.9' })).text()).toContain('Page not found');
    expect(await (await get('/assets/nothing.js')).text()).toContain('Página no encontrada');
  });

  it('an out-of-range parameter says so on the page, in the page\'s language', async () => {
    const res = await get('/es/indicators/mx.homicide.rate/?from=ayer');
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('La dirección tiene un valor que no entendemos');
    expect(body).not.toMatch(/"error"|ZodError|invalid_string|regex/);
  });

  it('the API and the data files answer JSON', async () => {
    for (const path of ['/api/v1/nothing', '/data/es/mx.nope/year.json']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe('not_found');
    }
  });

  it('a favicon', async () => {
    const res = await get('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toContain('<svg');
  });
});
