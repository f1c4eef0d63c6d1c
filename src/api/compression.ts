import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

/*
 * Every text response (pages, JSON, CSV, scripts, styles, SVG) goes out brotli- or gzip-compressed when the client
 * accepts it (hono/compress offers gzip and deflate only; Node's zlib has brotli). Responses that carry an ETag are
 * compressed once per ETag and encoding and kept (bounded by bytes), so the cached pages cost the CPU once. Responses
 * marked no-store (the registry and the families' form, which echo what was typed) are never compressed: a secret
 * and attacker-chosen text in one compressed body is what BREACH reads.
 */

/** The bytes of a response's body as sent (set by the cached answers, then by compression), for the client's share. */
export const BODY_BYTES = 'observaBodyBytes';
declare module 'hono' {
  interface ContextVariableMap {
    [BODY_BYTES]: number;
  }
}

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const TEXT = /^(text\/|application\/(json|javascript|geo\+json|xml)|image\/svg\+xml)/;
/** Below this, headers outweigh the saving. */
const MIN_BYTES = 1024;

export type Encoding = 'br' | 'gzip';

/** The best encoding the client accepts (q=0 refuses), or null. */
export function preferredEncoding(acceptEncoding: string | undefined): Encoding | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

export function compressBytes(body: Uint8Array, encoding: Encoding, quality: 'fast' | 'best' = 'fast'): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality === 'best' ? 11 : 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
    : gz(body, { level: quality === 'best' ? 9 : 6 });
}

export function compression(maxCachedBytes = 32 * 1024 * 1024): MiddlewareHandler {
  const kept = new Map<string, Buffer>();
  let keptBytes = 0;
  return async (c, next) => {
    await next();
    const res = c.res;
    const encoding = preferredEncoding(c.req.header('accept-encoding'));
    const type = res.headers.get('content-type') ?? '';
    // Headers first: reading `res.body` turns the server's light response into a full one (a copy of the body).
    if (c.req.method === 'HEAD' || res.status === 204 || res.status === 304 || res.headers.has('content-encoding') || !TEXT.test(type)) return;
    if ((res.headers.get('cache-control') ?? '').includes('no-store')) return;
    res.headers.append('Vary', 'Accept-Encoding');
    if (!encoding) return;
    const etag = res.headers.get('etag');
    const key = etag ? `${encoding}|${etag}|${c.req.path}` : null;
    let packed = key ? kept.get(key) : undefined;
    if (!packed) {
      if (!res.body) return;
      const body = new Uint8Array(await res.clone().arrayBuffer());
      if (body.byteLength < MIN_BYTES) return;
      packed = await compressBytes(body, encoding);
      if (key && packed.byteLength < maxCachedBytes / 8) {
        // Oldest first out (a Map keeps insertion order).
        for (const [k, v] of kept) {
          if (keptBytes + packed.byteLength <= maxCachedBytes) break;
          kept.delete(k);
          keptBytes -= v.byteLength;
        }
        kept.set(key, packed);
        keptBytes += packed.byteLength;
      }
    }
    // Hono copies the old response's headers onto the new one: fix them after the swap.
    c.res = new Response(new Uint8Array(packed.buffer as ArrayBuffer, packed.byteOffset, packed.byteLength), res);
    c.res.headers.set('Content-Encoding', encoding);
    c.res.headers.delete('Content-Length');
    c.set(BODY_BYTES, packed.byteLength);
  };
}
