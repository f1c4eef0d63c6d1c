// `npm run bench:web`: what each kind of page costs a phone. Per page type: the compressed bytes transferred and the time
// to first paint and to the first chart or map, on localhost and under Chrome DevTools' Fast 3G profile (CDP
// Network.emulateNetworkConditions: 1.6 Mbps × 0.9 down, 750 kbps × 0.9 up, 150 ms × 3.75 = 562.5 ms latency), in
// Debian's Chromium, against the budgets: page JavaScript ≤ 150 KB gzipped, municipal map data ≤ 600 KB
// compressed, first municipal map ≤ 3 s on Fast 3G. Measured, never asserted in tests.
// BENCH_RUNS (default 3) runs per page and profile, median reported; BENCH_CPU_THROTTLE=4 also slows the CPU 4× (DevTools'
// "mid-tier mobile"; off by default: this 2-core machine is shared and already slow).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { startServer } from '../src/api/index.js';
import { loadBundled } from '../src/ingest/index.js';
import { tempStore } from '../src/test-support/temp-store.js';
import { launchChromium } from '../e2e/chromium.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const CPU_THROTTLE = Number(process.env['BENCH_CPU_THROTTLE'] ?? 1);
/** Chrome DevTools' "Fast 3G" preset (front_end/core/sdk/NetworkManager.ts; called "3G" in recent DevTools), bytes/s and ms. */
const FAST_3G = { offline: false, downloadThroughput: (1.6 * 1000 * 1000 / 8) * 0.9, uploadThroughput: (750 * 1000 / 8) * 0.9, latency: 150 * 3.75 };
const BUDGET = { jsGzipKB: 150, municipalLayerKB: 600, firstMunicipalMapFast3GMs: 3000 };

/** What "first chart" means on each page: the script's figure where the script draws one, else the page's load event. */
type Ready = 'figure' | 'load';
const PAGES: { type: string; path: string; ready: Ready }[] = [
  { type: 'home', path: '/es/', ready: 'load' },
  { type: 'indicator chart', path: '/es/indicators/mx.homicide.victims/', ready: 'figure' },
  { type: 'indicator state map', path: '/es/indicators/mx.homicide.rate/?view=map', ready: 'figure' },
  { type: 'indicator municipal map', path: '/es/indicators/mx.disappeared.persons/?view=map&map=municipal', ready: 'figure' },
  { type: 'state profile', path: '/es/states/25/', ready: 'load' },
  { type: 'data page', path: '/es/data/', ready: 'load' },
  { type: 'scorecard', path: '/es/scorecard/', ready: 'load' },
];

interface Visit {
  readonly fcpMs: number;
  readonly readyMs: number;
  readonly bytes: number;
  readonly requests: number;
  /** Compressed bytes by kind: document, script, stylesheet, data (fetched JSON), other. */
  readonly byKind: Record<string, number>;
  /** Compressed bytes of the municipal layer, when the page loads it. */
  readonly municipalLayerBytes: number | null;
  /** When the last data file (fetched JSON) finished arriving, ms after the document's request: network done, drawing left. */
  readonly dataDoneMs: number | null;
  readonly encodings: string[];
  /** Each response: address, compressed bytes, and when it was asked for and finished (ms after the document's request). */
  readonly log: { url: string; bytes: number; startMs: number; endMs: number }[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function visit(browser: Browser, url: string, ready: Ready, throttle: boolean): Promise<Visit> {
  // A fresh context each run: nothing cached in the browser (the server's response cache is warm).
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // Chromium offers brotli only over HTTPS; a real deployment is HTTPS, so ask for what a phone would get there.
  await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'br, gzip' } });
  if (throttle) await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  if (CPU_THROTTLE > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
  const kinds = new Map<string, { kind: string; url: string; encoding: string }>();
  const byKind: Record<string, number> = {};
  let bytes = 0;
  let requests = 0;
  let municipalLayerBytes: number | null = null;
  let documentSent: number | null = null;
  let dataDone: number | null = null;
  const sent = new Map<string, number>();
  const log: Visit['log'] = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    if (documentSent === null && e.type === 'Document') documentSent = e.timestamp;
    sent.set(e.requestId, e.timestamp);
  });
  cdp.on('Network.responseReceived', (e) => {
    const type = e.type as string;
    // Data files by address: a preloaded one is typed "Other", not "Fetch".
    const kind = type === 'Document' ? 'document' : type === 'Script' ? 'script' : type === 'Stylesheet' ? 'stylesheet' : new URL(e.response.url).pathname.startsWith('/data/') ? 'data' : 'other';
    const headers = e.response.headers as Record<string, string>;
    const encoding = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? 'identity';
    kinds.set(e.requestId, { kind, url: e.response.url, encoding });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = kinds.get(e.requestId);
    if (!r) return;
    requests++;
    bytes += e.encodedDataLength;
    byKind[r.kind] = (byKind[r.kind] ?? 0) + e.encodedDataLength;
    if (/\/data\/geo\/municipalities(-coarse)?\.json$/.test(r.url)) municipalLayerBytes = (municipalLayerBytes ?? 0) + e.encodedDataLength;
    if (r.kind === 'data') dataDone = Math.max(dataDone ?? 0, e.timestamp);
    const at = (ts: number | undefined) => (ts === undefined || documentSent === null ? Number.NaN : (ts - documentSent) * 1000);
    log.push({ url: new URL(r.url).pathname + new URL(r.url).search, bytes: e.encodedDataLength, startMs: at(sent.get(e.requestId)), endMs: at(e.timestamp) });
  });
  await page.goto(url, { waitUntil: 'load' });
  if (ready === 'figure') await page.waitForFunction(() => document.querySelector('#viz svg') !== null && !document.querySelector('#viz[aria-busy]'), undefined, { timeout: 120_000 });
  // First contentful paint, from a buffered observer (the entry may be recorded after the load event).
  const fcp = await page.evaluate(() => new Promise<number>((resolve) => {
    new PerformanceObserver((list) => {
      const entry = list.getEntriesByName('first-contentful-paint')[0];
      if (entry) resolve(entry.startTime);
    }).observe({ type: 'paint', buffered: true });
    setTimeout(() => resolve(Number.NaN), 5000);
  }));
  // For a script-drawn figure, now (the wait above returned as soon as it was drawn); else the load event's end.
  const readyMs = await page.evaluate((r) => (r === 'figure' ? performance.now() : (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd), ready);
  // Let the last loadingFinished events arrive (a busy machine may never go idle for 500 ms: then measure what arrived).
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => undefined);
  const encodings = [...new Set([...kinds.values()].filter((k) => k.kind !== 'other').map((k) => k.encoding))];
  await context.close();
  const dataDoneMs = dataDone !== null && documentSent !== null ? (dataDone - documentSent) * 1000 : null;
  return { fcpMs: fcp, readyMs, bytes, requests, byKind, municipalLayerBytes, dataDoneMs, encodings, log };
}

// app.js on every page with a script, and the one drawing module its first view imports (scripts/build-web.js).
const gz = (name: string) => gzipSync(readFileSync(new URL(`../dist/assets/${name}.js`, import.meta.url)), { level: 9 }).length;
const modules = Object.fromEntries(['chart', 'map', 'both-sides', 'border-map', 'search'].map((m) => [m, gz(m)]));
const heaviest = Object.entries(modules).sort((a, b) => b[1] - a[1])[0] as [string, number];
const css = readFileSync(new URL('../dist/assets/site.css', import.meta.url));
const t = await tempStore();
await loadBundled(t.store);
const server = await startServer(t.store, 0);
const browser = await launchChromium();
const pages: (typeof PAGES[number] & { localhost: Visit; fast3g: Visit })[] = [];
let detailedLayerBytes = Number.NaN;
try {
  // The detailed municipal layer (drawn on maps wider than 640 px, after the coarse one), as the server sends it.
  const detailed = await fetch(`${server.url}/data/geo/municipalities.json`, { headers: { 'accept-encoding': 'br' } });
  detailedLayerBytes = Number(detailed.headers.get('content-length') ?? Number.NaN);
  if (!Number.isFinite(detailedLayerBytes)) detailedLayerBytes = (await detailed.arrayBuffer()).byteLength;
  for (const p of PAGES.filter((x) => !process.env['BENCH_ONLY'] || x.type.includes(process.env['BENCH_ONLY']))) {
    const url = `${server.url}${p.path}`;
    await visit(browser, url, p.ready, false); // warms the server's response cache
    const localhost: Visit[] = [];
    const fast3g: Visit[] = [];
    for (let i = 0; i < RUNS; i++) localhost.push(await visit(browser, url, p.ready, false));
    for (let i = 0; i < RUNS; i++) fast3g.push(await visit(browser, url, p.ready, true));
    const pick = (vs: Visit[]): Visit => ({
      ...(vs[0] as Visit), fcpMs: median(vs.map((v) => v.fcpMs)), readyMs: median(vs.map((v) => v.readyMs)), bytes: median(vs.map((v) => v.bytes)),
      dataDoneMs: vs.some((v) => v.dataDoneMs === null) ? null : median(vs.map((v) => v.dataDoneMs as number)),
    });
    pages.push({ ...p, localhost: pick(localhost), fast3g: pick(fast3g) });
    process.stderr.write(`${p.type}: ${Math.round(pick(fast3g).readyMs)} ms on Fast 3G\n`);
    // BENCH_VERBOSE=1: every response of the first Fast 3G visit (what was asked for twice, what came late).
    if (process.env['BENCH_VERBOSE']) for (const r of fast3g[0]?.log ?? []) process.stderr.write(`  ${Math.round(r.startMs)}–${Math.round(r.endMs)} ms ${(r.bytes / 1024).toFixed(1)} KB ${r.url}\n`);
  }
} finally {
  await browser.close();
  await server.close();
  await t.cleanup();
}

const kb = (n: number) => n / 1024;
const municipal = pages.find((p) => p.type === 'indicator municipal map');
const budgets = [
  { name: `heaviest page's JavaScript (app.js + ${heaviest[0]}.js, gzip -9)`, value: kb(gz('app') + heaviest[1]), unit: 'KB', budget: BUDGET.jsGzipKB },
  { name: 'a map page’s JavaScript (app.js + map.js, gzip -9)', value: kb(gz('app') + (modules['map'] ?? 0)), unit: 'KB', budget: BUDGET.jsGzipKB },
  { name: 'stylesheet (gzip -9)', value: kb(gzipSync(css, { level: 9 }).length), unit: 'KB', budget: 20 },
  { name: 'municipal map layer of a phone (/data/geo/municipalities-coarse.json, as transferred)', value: kb(municipal?.fast3g.municipalLayerBytes ?? Number.NaN), unit: 'KB', budget: BUDGET.municipalLayerKB },
  { name: 'detailed municipal layer (/data/geo/municipalities.json, brotli as served; maps wider than 640 px)', value: kb(detailedLayerBytes), unit: 'KB', budget: BUDGET.municipalLayerKB },
  { name: `first municipal map on Fast 3G (median of ${RUNS}, ms after navigation start)`, value: municipal?.fast3g.readyMs ?? Number.NaN, unit: 'ms', budget: BUDGET.firstMunicipalMapFast3GMs },
];

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
console.log(`Fast 3G = ${f0(FAST_3G.downloadThroughput * 8 / 1000)} kbps down, ${f0(FAST_3G.uploadThroughput * 8 / 1000)} kbps up, ${FAST_3G.latency} ms latency; CPU ×${CPU_THROTTLE}; 390 × 844 viewport; median of ${RUNS}\n`);
console.log('| page type | path | transferred (KB) | requests | JS / data (KB) | first paint, Fast 3G (ms) | data in, Fast 3G (ms) | first chart/map, Fast 3G (ms) | first chart/map, localhost (ms) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const p of pages) {
  const g = p.fast3g;
  console.log(`| ${p.type}${p.ready === 'load' ? ' (server-drawn: load event)' : ''} | \`${p.path}\` | ${f1(kb(g.bytes))} | ${g.requests} | ${f1(kb(g.byKind['script'] ?? 0))} / ${f1(kb(g.byKind['data'] ?? 0))} | ${f0(g.fcpMs)} | ${f0(g.dataDoneMs ?? Number.NaN)} | ${f0(g.readyMs)} | ${f0(p.localhost.readyMs)} |`);
}
console.log('\n| budget | value | budget | within |\n| --- | ---: | ---: | --- |');
for (const r of budgets) console.log(`| ${r.name} | ${f1(r.value)} ${r.unit} | ${r.budget} ${r.unit} | ${r.value <= r.budget ? 'yes' : 'NO'} |`);
console.log(`\nresponse encodings seen: ${[...new Set(pages.flatMap((p) => p.fast3g.encodings))].join(', ')}`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/bench-web.json', import.meta.url), JSON.stringify({
  measuredAt: new Date().toISOString(), runs: RUNS, cpuThrottle: CPU_THROTTLE, fast3g: FAST_3G, viewport: { width: 390, height: 844 }, budgets, pages,
}, null, 2));
