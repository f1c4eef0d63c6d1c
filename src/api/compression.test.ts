import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { createApp } from './app.js';
import { preferredEncoding } from './compression.js';

let t: TempStore;
let app: Hono;
beforeAll(async () => {
  t = await tempStore();
  app = createApp(t.store, { contacts: { alternatives: [] } });
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

const get = (path: string, encoding: string) => app.fetch(new Request(`http://observa.test${path}`, { headers: { 'accept-encoding': encoding } }));

describe('compressed text responses', () => {
  it('picks brotli, then gzip, honouring q=0', () => {
    expect(preferredEncoding('gzip, deflate, br')).toBe('br');
    expect(preferredEncoding('gzip, br;q=0')).toBe('gzip');
    expect(preferredEncoding('identity')).toBeNull();
    expect(preferredEncoding(undefined)).toBeNull();
    expect(preferredEncoding('*')).toBe('br');
  });

  it('pages, API JSON and assets come compressed, and decompress to the same bytes', async () => {
    for (const path of ['/es/framework/', '/api/v1/indicators', '/assets/site.css', '/api/v1/openapi.json']) {
      const plain = await get(path, 'identity');
      expect(plain.headers.get('content-encoding'), path).toBeNull();
      const text = await plain.text();
      expect(text.length, path).toBeGreaterThan(1024);
      const br = await get(path, 'gzip, br');
      expect(br.headers.get('content-encoding'), path).toBe('br');
      expect(br.headers.get('vary'), path).toMatch(/Accept-Encoding/);
      const packed = Buffer.from(await br.arrayBuffer());
      expect(packed.byteLength, path).toBeLessThan(Buffer.byteLength(text) / 2);
      expect(brotliDecompressSync(packed).toString('utf8'), path).toBe(text);
      const gz = await get(path, 'gzip');
      expect(gz.headers.get('content-encoding'), path).toBe('gzip');
      expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'), path).toBe(text);
    }
  });

  it('a 304 stays empty', async () => {
    const first = await get('/es/framework/', 'br');
    const etag = first.headers.get('etag') ?? '';
    const again = await app.fetch(new Request('http://observa.test/es/framework/', { headers: { 'accept-encoding': 'br', 'if-none-match': etag } }));
    expect(again.status).toBe(304);
    expect(again.headers.get('content-encoding')).toBeNull();
  });
});
