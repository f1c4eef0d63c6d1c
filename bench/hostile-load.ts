// `npm run load -- --hostile [--seconds S] [--readers N]`: normal readers (autocannon over the mixed public paths) for S
// seconds alone, then S seconds beside abusive clients (issue 12): cache-busting periods and Host headers, repeated
// geographies, distinct scorecard as_of dates, impossible dates, oversized and flooding sign-ins. The server runs in
// its own process (the built CLI), so its RSS and any crash are its own. Reports the readers' p99 with and without
// abuse, the abusers' answers by status, server crashes and the server's peak RSS. Needs `npm run build`.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { join } from 'node:path';
import { loadBundled } from '../src/ingest/index.js';
import { MIXED_PATHS, runLoad, type LoadResult } from '../src/test-support/load.js';
import { tempStore } from '../src/test-support/temp-store.js';
import { BIN, startServerProcess } from './server-process.js';

export interface HostileOptions {
  readonly seconds: number;
  readonly readers: number;
  /** Only the abusive kinds whose name contains this (to see which one hurts). */
  readonly only?: string;
  /** A store already loaded with `observa load-bundled` (skips the load; it is only read). */
  readonly store?: string;
}

/** The server as deployed (bench/server-process.ts), with a registry key of its own. The readers come through a
 * "proxy" on 127.0.0.1, each with its own X-Forwarded-For (many people); the abuser connects from 127.0.0.2
 * (ABUSER_ADDRESS), which is not a proxy, so it is one client whatever it sends. */
const startServer = (store: string) =>
  startServerProcess(store, { OBSERVA_MASTER_KEY: randomBytes(32).toString('base64'), OBSERVA_TRUSTED_PROXY: '127.0.0.1' });

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};

/**
 * The abusive client's own address: loopback answers on all of 127.0.0.0/8, so connecting from 127.0.0.2 makes it one
 * client distinct from the readers (127.0.0.1), as one anonymous client on the internet would be.
 */
const ABUSER_ADDRESS = '127.0.0.2';

/** One raw HTTP request (any Host header, any body) from the abuser's address, resolving with the status (0: connection error). */
function send(base: URL, agent: Agent, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: base.hostname, port: base.port, localAddress: ABUSER_ADDRESS, method, path, agent, headers, timeout: 60_000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', () => resolve(0));
    });
    req.once('error', () => resolve(0));
    req.once('timeout', () => req.destroy());
    req.end(body);
  });
}

/** The abusive requests of issue 12, one generator per kind; each call gives the next request. */
function abusers(): { name: string; next: (i: number) => { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string } }[] {
  const big = Buffer.alloc(2 << 20, 'a');
  return [
    // 66 distinct periods × 2 languages of a 4 MB answer (municipalities × months).
    { name: 'cache-busting periods', next: (i) => {
      const from = 2015 + (i % 11);
      return { method: 'GET', path: `/api/v1/indicators/mx.disappeared.persons/data?geo=level:municipality&freq=month&period=${from}..${from + (Math.floor(i / 11) % (2026 - from))}&lang=${i % 2 ? 'en' : 'es'}` };
    } },
    { name: 'varying Host', next: (i) => ({ method: 'GET', path: '/api/v1/indicators/mx.disappeared.persons/data?geo=level:municipality&freq=month&period=2019..2024', headers: { host: `h${i}.example` } }) },
    { name: 'repeated geographies', next: (i) => ({ method: 'GET', path: `/api/v1/indicators/mx.homicide.rate/data?geo=${Array(100).fill('level:state').join(',')}&period=${2015 + (i % 10)}` }) },
    { name: 'children ×1000', next: () => ({ method: 'GET', path: `/api/v1/indicators/mx.homicide.rate/data?geo=${Array(1000).fill('children:14').join(',')}` }) },
    { name: 'scorecard as_of', next: (i) => ({ method: 'GET', path: `/api/v1/scorecard?as_of=${2000 + (i % 60)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}` }) },
    { name: 'impossible dates', next: (i) => ({ method: 'GET', path: `/api/v1/scorecard?as_of=2024-${90 + (i % 9)}-99` }) },
    { name: 'sign-in flood', next: (i) => ({ method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `r${i}@x.example`, password: 'flood flood flood' }) }) },
    { name: 'oversized body', next: () => ({ method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, body: big }) },
  ];
}

export async function runHostileLoad(options: HostileOptions): Promise<void> {
  if (!existsSync(BIN) || !existsSync(new URL('../dist/cli/index.js', import.meta.url))) throw new Error('run `npm run build` first');
  const t = await tempStore();
  if (!options.store) await loadBundled(t.store);
  await t.store.close();
  const store = options.store ?? join(t.dir, 'store.duckdb');
  let server = await startServer(store);
  let crashes = 0;
  let serverUrl = server.url;
  const watch = (child: ChildProcess) =>
    child.once('exit', (code, signal) => {
      if (stopping) return;
      crashes++;
      console.error(`the server exited (${code ?? signal}); restarting it`);
      void startServer(store).then((s) => {
        server = s;
        serverUrl = s.url;
        watch(s.child);
      });
    });
  let stopping = false;
  watch(server.child);
  const rss: number[] = [];
  const sampler = setInterval(() => {
    try {
      if (server.child.pid) rss.push(rssMb(server.child.pid));
    } catch {
      /* between a crash and the restart */
    }
  }, 500);
  try {
    await runLoad(serverUrl, MIXED_PATHS, 4, Math.min(5, options.seconds), false, true); // warm the cache
    const calm: LoadResult = await runLoad(serverUrl, MIXED_PATHS, options.readers, options.seconds, false, true);
    const calmRss = Math.max(...rss);

    const statuses = new Map<string, Map<number, number>>();
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const until = Date.now() + options.seconds * 1000;
    const loops = abusers().filter((kind) => !options.only || kind.name.includes(options.only)).flatMap((kind) =>
      // Two concurrent clients per kind (the sign-in flood: eight).
      Array.from({ length: kind.name === 'sign-in flood' ? 8 : 2 }, async (_, lane) => {
        const counts = statuses.get(kind.name) ?? new Map<number, number>();
        statuses.set(kind.name, counts);
        for (let i = lane * 100_000; Date.now() < until; i++) {
          const r = kind.next(i);
          const status = await send(new URL(serverUrl), agent, r.method, r.path, r.headers, r.body);
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }
      }),
    );
    const [abused] = await Promise.all([runLoad(serverUrl, MIXED_PATHS, options.readers, options.seconds, false, true), ...loops]);
    agent.destroy();
    const report = {
      seconds: options.seconds,
      readers: options.readers,
      readers_alone: { p50: calm.p50, p99: calm.p99, rps: Math.round(calm.rps), errors: calm.errors, non2xx: calm.non2xx, timeouts: calm.timeouts },
      readers_with_abuse: { p50: abused.p50, p99: abused.p99, rps: Math.round(abused.rps), errors: abused.errors, non2xx: abused.non2xx, timeouts: abused.timeouts },
      p99_ratio: Number((abused.p99 / Math.max(1, calm.p99)).toFixed(2)),
      abusers: Object.fromEntries([...statuses].map(([k, v]) => [k, Object.fromEntries([...v].sort((a, b) => a[0] - b[0]))])),
      server_crashes: crashes,
      server_rss_mb: { alone_max: Math.round(calmRss), max: Math.round(Math.max(...rss)) },
      goals: { p99_ratio_at_most: 2, crashes: 0, rss_mb_at_most: 1024 },
    };
    console.log(JSON.stringify(report, null, 2));
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/load-hostile.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
    if (crashes > 0 || report.p99_ratio > 2 || report.server_rss_mb.max > 1024) process.exitCode = 1;
  } finally {
    stopping = true;
    clearInterval(sampler);
    await server.stop();
    await t.cleanup();
  }
}
