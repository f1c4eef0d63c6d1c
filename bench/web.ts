// `npm run bench:web`: page JavaScript weight (gzipped) and time to first chart in Debian's Chromium,
// against the budget (≤ 150 KB gzipped, ≤ 1 s to first chart on localhost). Measured, never asserted in tests.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { startServer } from '../src/api/index.js';
import { loadBundled } from '../src/ingest/index.js';
import { tempStore } from '../src/test-support/temp-store.js';
import { launchChromium } from '../e2e/browser.js';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const js = readFileSync(new URL('../dist/assets/app.js', import.meta.url));
const css = readFileSync(new URL('../dist/assets/site.css', import.meta.url));
const t = await tempStore();
await loadBundled(t.store);
const server = await startServer(t.store, 0);
const browser = await launchChromium();
const results: { name: string; value: number; unit: string; budget: number }[] = [
  { name: 'page JavaScript (gzip)', value: gzipSync(js, { level: 9 }).length / 1024, unit: 'KB', budget: 150 },
  { name: 'stylesheet (gzip)', value: gzipSync(css, { level: 9 }).length / 1024, unit: 'KB', budget: 20 },
];
try {
  for (const [name, path] of [
    ['first chart: national homicide victims', '/en/indicators/mx.homicide.victims/'],
    ['first map: homicide rate by state', '/en/indicators/mx.homicide.rate/?view=map'],
    ['first map: disappeared by municipality', '/en/indicators/mx.disappeared.persons/?view=map&map=municipal'],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // A fresh context each run: nothing cached in the browser (the server's response cache is warm after run 1).
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}${path}`);
      await page.waitForFunction(() => document.querySelector('#viz svg') !== null && !document.querySelector('#viz[aria-busy]'));
      times.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
    results.push({ name: `${name} (median of ${RUNS}, ms after navigation start)`, value: median(times.slice(1)), unit: 'ms', budget: 1000 });
  }
} finally {
  await browser.close();
  await server.close();
  await t.cleanup();
}
console.log('| measure | value | budget | within |\n| --- | ---: | ---: | --- |');
for (const r of results) console.log(`| ${r.name} | ${r.value.toFixed(1)} ${r.unit} | ${r.budget} ${r.unit} | ${r.value <= r.budget ? 'yes' : 'NO'} |`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/bench-web.json', import.meta.url), JSON.stringify(results, null, 2));
