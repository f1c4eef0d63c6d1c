import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import pLimit from 'p-limit';
import { loadCatalog } from '../catalog/index.js';
import type { SupportContact } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { bilingualNotFoundPage } from './error-pages.js';
import { intakeUnavailablePage } from './intake-pages.js';
import { SCRIPT_MODULES } from './layout.js';
import { breakdowns, canAnnualise, dataFileName, hasMunicipalities, hasRate, ytdFrequencies } from './data.js';

export interface BakeSummary {
  readonly files: number;
  readonly bytes: number;
  readonly pages: number;
}

/** The site's every public URL: pages, their data files, search indexes, map layers and assets. */
export async function siteUrls(tx: ReadTx): Promise<string[]> {
  const { framework, indicators, geography } = loadCatalog();
  const urls: string[] = ['/assets/app.js', ...SCRIPT_MODULES.map((name) => `/assets/${name}.js`), '/assets/site.css', '/assets/favicon.svg', '/favicon.ico', '/data/geo/states.json', '/data/geo/municipalities.json', '/data/geo/municipalities-coarse.json', '/data/geo/states-hex.json', '/data/geo/us-states.json'];
  const municipalYears = await tx.all<{ year: number }>(
    `SELECT DISTINCT year FROM observation WHERE superseded_by IS NULL AND freq = 'month' AND series LIKE 'rnpdno.%' ORDER BY year`,
  );
  for (const lang of ['es', 'en']) {
    urls.push(`/${lang}/`, `/${lang}/framework/`, `/${lang}/indicators/`, `/${lang}/states/`, `/${lang}/data/`, `/${lang}/search/`, `/${lang}/scorecard/`, `/${lang}/assistance/`, `/${lang}/timeline/`, `/${lang}/figures/`, `/${lang}/both-sides/`, `/data/${lang}/search.json`,
      `/${lang}/border-map/`, `/data/${lang}/migrant-incidents.json`, `/${lang}/evidence/sources/`);
    for (const n of framework.nodes) urls.push(`/${lang}/framework/${n.id}/`);
    for (const s of geography.states) urls.push(`/${lang}/states/${s.code}/`);
    for (const i of indicators) {
      urls.push(`/${lang}/indicators/${i.code}/`, `/${lang}/indicators/${i.code}.csv`, `/${lang}/indicators/${i.code}.json`, `/${lang}/embed/indicators/${i.code}/`);
      // The breakdown control's files (counts by sex, age group, weapon, subtype).
      for (const by of breakdowns(i)) for (const freq of i.frequencies) urls.push(`/data/${lang}/${i.code}/${dataFileName(freq, 'count', false, false, by)}.json`);
      for (const freq of i.frequencies) urls.push(`/data/${lang}/${i.code}/${freq}.json`, `/data/${lang}/${i.code}/${freq}.csv`);
      // Rates of counts of people, and annualised monthly rates: the files the page loads for those views.
      if (hasRate(i)) for (const freq of i.frequencies.filter((f) => f !== 'fy')) urls.push(`/data/${lang}/${i.code}/${dataFileName(freq, 'rate', false)}.json`);
      for (const measure of ['count', 'rate'] as const) {
        if ((measure === 'count' || hasRate(i)) && canAnnualise(i, measure, 'month') && i.frequencies.includes('month')) urls.push(`/data/${lang}/${i.code}/${dataFileName('month', measure, true)}.json`);
      }
      // The page's same-months control loads these (the live server also answers the .csv).
      for (const freq of await ytdFrequencies(tx, i)) {
        urls.push(`/data/${lang}/${i.code}/${dataFileName(freq, 'count', false, true)}.json`);
        if (hasRate(i) && freq !== 'fy') urls.push(`/data/${lang}/${i.code}/${dataFileName(freq, 'rate', false, true)}.json`);
      }
      if (hasMunicipalities(i)) for (const { year } of municipalYears) urls.push(`/data/${lang}/${i.code}/municipality-${year}.json`);
    }
  }
  return urls;
}

/** A page URL ending in / becomes …/index.html, so any static server or CDN serves the tree as is. */
function fileFor(out: string, url: string): string {
  return join(out, url.endsWith('/') ? `${url}index.html` : url);
}

const CHOOSER = `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Observa</title>
<script>location.replace(/^en\\b/i.test(navigator.language || '') ? '/en/' : '/es/');</script></head>
<body><p><a href="/es/" lang="es">Español</a> · <a href="/en/" lang="en">English</a></p></body></html>`;

/** Answers a bake computes at once: two per core keeps both cores busy while one answer waits on the engine or the disk. */
const BAKE_CONCURRENCY = Math.max(2, availableParallelism() * 2);

const TEXT_FILE = /\.(html|json|csv|css|js|svg)$/;

/** `file.br` and `file.gz` for a text file over 1 KiB: the best brotli for pages (≤ 64 KiB), a faster one for data files (quality 11 costs ~10× quality 9 for a few % less). */
export function writeCompressed(file: string, body: Uint8Array): void {
  if (!TEXT_FILE.test(file) || body.byteLength < 1024) return;
  const quality = body.byteLength > 64 * 1024 ? 9 : 11;
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } }));
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
}

/** Writes the whole public site as static files by asking the app for every URL. */
export async function bakeSite(
  tx: ReadTx,
  fetcher: (request: Request) => Response | Promise<Response>,
  out: string,
  onProgress?: (done: number, total: number) => void,
  /** Whom families can contact instead: a static copy takes no reports. */
  alternatives: readonly SupportContact[] = [],
  /** Write `.br` and `.gz` beside every text file, for static servers that serve pre-compressed files (nginx gzip_static/brotli_static, Caddy precompressed). */
  precompress = false,
  /** Answers computed at once. */
  concurrency = BAKE_CONCURRENCY,
): Promise<BakeSummary> {
  const urls = await siteUrls(tx);
  let bytes = 0;
  let pages = 0;
  let done = 0;
  // Several answers at once: most of a bake is the engine computing data files and pages, one at a time on one core
  // before (docs/architecture.md, "Static bake").
  const limit = pLimit(concurrency);
  const bakeOne = async (url: string) => {
    const response = await fetcher(new Request(`http://observa.bake${url}`));
    if (response.status !== 200) throw new Error(`bake: ${url} answered ${response.status}`);
    const body = new Uint8Array(await response.arrayBuffer());
    const file = fileFor(out, url);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
    if (precompress) writeCompressed(file, body);
    bytes += body.byteLength;
    if (url.endsWith('/')) pages++;
    onProgress?.(++done, urls.length);
  };
  // The first failure ends the bake: nothing after it starts, and what already runs finishes before it is reported.
  const failures: unknown[] = [];
  await Promise.all(urls.map((url) => limit(async () => {
    if (failures.length > 0) return;
    await bakeOne(url).catch((error: unknown) => failures.push(error));
  })));
  if (failures.length > 0) throw failures[0];
  writeFileSync(join(out, 'index.html'), CHOOSER);
  // Static hosts serve `404.html` for any unknown path (GitHub Pages, Netlify, Cloudflare Pages; nginx with
  // `error_page 404 /404.html`): the site's 404 page in both languages. `/{lang}/404.html` is the server's own page in
  // one language, for hosts that can pick by prefix (`location /en/ { error_page 404 /en/404.html; }`).
  const notFound: [string, string][] = [['404.html', bilingualNotFoundPage()]];
  for (const lang of ['es', 'en'] as const) {
    const response = await fetcher(new Request(`http://observa.bake/${lang}/observa-bake-missing-page/`));
    if (response.status !== 404) throw new Error(`bake: the not-found page answered ${response.status}`);
    notFound.push([`${lang}/404.html`, await response.text()]);
  }
  for (const [name, body] of notFound) {
    const file = join(out, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
    if (precompress) writeCompressed(file, Buffer.from(body));
    bytes += Buffer.byteLength(body);
    pages++;
  }
  for (const lang of ['es', 'en'] as const) {
    const file = fileFor(out, `/${lang}/report-kidnapping/`);
    mkdirSync(dirname(file), { recursive: true });
    const body = intakeUnavailablePage(lang, 'static', alternatives);
    writeFileSync(file, body);
    bytes += Buffer.byteLength(body);
    pages++;
  }
  return { files: urls.length + 6, bytes: bytes + CHOOSER.length, pages };
}
