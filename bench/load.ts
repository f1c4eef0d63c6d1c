// `npm run load`: 200 concurrent connections for 60 s (override: -- --connections N --seconds S) against the API and
// pages, on the bundled data. Reports throughput, p50/p99 latency, errors and the server's memory over the run.
// `npm run load -- --hostile [--seconds S] [--readers N]`: readers alone, then beside abusive clients (bench/hostile-load.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startServer } from '../src/api/index.js';
import { loadBundled } from '../src/ingest/index.js';
import { MIXED_PATHS, runLoad } from '../src/test-support/load.js';
import { tempStore } from '../src/test-support/temp-store.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '200' }, seconds: { type: 'string', default: '60' },
    hostile: { type: 'boolean', default: false }, readers: { type: 'string', default: '20' },
    only: { type: 'string' }, store: { type: 'string' },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);
if (values.hostile) {
  const { runHostileLoad } = await import('./hostile-load.js');
  await runHostileLoad({ seconds, readers: Number(values.readers), ...(values.only ? { only: values.only } : {}), ...(values.store ? { store: values.store } : {}) });
} else {
  await mixedLoad();
}

async function mixedLoad(): Promise<void> {
  const t = await tempStore();
  await loadBundled(t.store);
  // The readers are many people behind a proxy (see runLoad's asPeople).
  const server = await startServer(t.store, 0, '127.0.0.1', { trustedProxy: '127.0.0.1' });
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss / 2 ** 20), 1000);
  try {
    // One pass first, so the memory baseline includes the warm response cache.
    await runLoad(server.url, MIXED_PATHS, 10, 2, false, true);
    const before = process.memoryUsage().rss / 2 ** 20;
    rss.length = 0;
    const result = await runLoad(server.url, MIXED_PATHS, connections, seconds, false, true);
    const firstThird = rss.slice(0, Math.max(1, Math.floor(rss.length / 3)));
    const lastThird = rss.slice(-Math.max(1, Math.floor(rss.length / 3)));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const report = {
      connections, seconds, ...result,
      rss_mb: { before: Math.round(before), max: Math.round(Math.max(...rss)), first_third_mean: Math.round(mean(firstThird)), last_third_mean: Math.round(mean(lastThird)) },
    };
    console.log(JSON.stringify(report, null, 2));
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/load.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
    if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await server.close();
    await t.cleanup();
  }
}
