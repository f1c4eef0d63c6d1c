import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Feature } from 'geojson';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { borderIncidents, listReleases, queryIndicator, toCsv } from '../analytics/index.js';
import { borderMapPage } from './border-page.js';
import { findIndicator } from '../catalog/index.js';
import { Dimension, QueryFreq, RequestError, type Indicator } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { MAP_KINDS, mapsOf, type SiteLang } from '../web/index.js';
import {
  PAGE_BREAKDOWNS, breakdownLabels, breakdowns, canAnnualise, dataFile, defaultFreq, defaultGeo, effectiveMeasure, filePlaces, hasMunicipalities, hasRate, hasStates, municipalFile, primaryFreq, ytdFrequencies,
} from './data.js';
import { evidenceSourcesPage } from './evidence-pages.js';
import { MUNICIPAL_COARSE, municipalDisplayTopology } from './map-layers.js';
import { assistancePage, figuresPage, scorecardPage, timelinePage } from './monitoring-pages.js';
import { bothSidesPage } from './both-sides-page.js';
import { reportedFigures } from '../monitoring/index.js';
import {
  dataPage, frameworkIndexPage, frameworkNodePage, homePage, indicatorPage, indicatorsIndexPage, notFoundPage, searchIndex, searchPage,
  indicatorClient, statePage, statesIndexPage, viewQueryString, type ViewState,
} from './pages.js';
import { EMBED_CSP, embedPage } from './embed-page.js';

/** The cached responder the API owns; pages and data files go through it like every other response. */
export type Responder = (c: Context, kind: 'json' | 'csv' | 'html', produce: () => Promise<string>, extraKey?: string) => Promise<Response>;

// Built by scripts/build-web.js; the same path from src/site (tests) and dist/site (the CLI).
const ASSETS = new URL('../../dist/assets/', import.meta.url);
const Lang = z.enum(['es', 'en']);

const ViewQuery = z.object({
  from: z.string().regex(/^(FY\d{4}|\d{4}(-\d{2})?)?$/).optional(),
  to: z.string().regex(/^(FY\d{4}|\d{4}(-\d{2})?)?$/).optional(),
  freq: QueryFreq.optional(),
  view: z.enum(['chart', 'map', 'table']).optional(),
  map: z.enum(MAP_KINDS).optional(),
  year: z.string().regex(/^\d{4}(-\d{2})?$/).optional(),
  // The form's "automatic" option sends an empty value (without it, the plain form answered 400).
  measure: z.union([z.literal(''), z.enum(['count', 'rate'])]).optional(),
  annualise: z.enum(['true', 'false']).optional(),
  // The form's checkbox sends "on"; shared links say "true".
  ytd: z.enum(['true', 'on']).optional(),
  scale: z.enum(['linear', 'log']).optional(),
  // The form's "no breakdown" option sends an empty value.
  by: z.union([z.literal(''), z.enum(PAGE_BREAKDOWNS)]).optional(),
});

/** URL → view state; geo may come as `geo=00,09` or as repeated `geo=` from the form's checkboxes. */
export function parseViewState(c: Context, indicator: Indicator): ViewState {
  const q = ViewQuery.parse(Object.fromEntries(Object.entries(c.req.query()).filter(([k]) => k !== 'geo' && k !== 'lang')));
  const geo = (c.req.queries('geo') ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter((g) => g !== '');
  return {
    geo: geo.length > 0 ? [...new Set(geo)] : [defaultGeo(indicator)],
    from: q.from || null,
    to: q.to || null,
    freq: q.freq && indicator.frequencies.includes(q.freq) ? q.freq : defaultFreq(indicator),
    view: q.view ?? 'chart',
    map: q.map && mapsOf(hasMunicipalities(indicator)).includes(q.map) ? q.map : 'states',
    year: q.year ?? null,
    measure: q.measure || null,
    annualise: q.annualise === 'true',
    // A breakdown is of whole periods: the same-months comparison does not apply to it.
    ytd: q.ytd !== undefined && !(q.by && breakdowns(indicator).includes(q.by)),
    scale: q.scale ?? 'linear',
    by: q.by && breakdowns(indicator).includes(q.by) ? q.by : null,
  };
}

/** The query a view's data comes from: its measure (the map's default is the rate) and annualisation where it applies. */
function viewParams(indicator: Indicator, state: ViewState, lang: SiteLang) {
  // A breakdown and the municipal map show counts (see shownMeasure).
  const measure = effectiveMeasure(indicator, state);
  const annualise = !state.by && state.annualise && canAnnualise(indicator, measure, state.freq);
  return {
    indicator: indicator.code, geo: [...state.geo], from: state.from, to: state.to, freq: state.freq, by: state.by, lang, asOf: null,
    ...(measure === 'rate' ? { measure } : {}), ...(annualise ? { annualise } : {}),
  };
}

function asset(name: string): { body: Buffer; type: string } | null {
  const file = new URL(name, ASSETS);
  if (!/^[a-z0-9.-]+$/.test(name) || !existsSync(file)) return null;
  const type = name.endsWith('.js') ? 'text/javascript; charset=utf-8' : name.endsWith('.css') ? 'text/css; charset=utf-8' : name.endsWith('.svg') ? 'image/svg+xml' : 'application/octet-stream';
  return { body: readFileSync(file), type };
}

function indicatorOr404(code: string): Indicator {
  const indicator = findIndicator(code);
  if (!indicator) throw new RequestError('not_found', `unknown indicator "${code}"`, { indicator: code });
  return indicator;
}

/** Pages under /es/ and /en/, the data files their script loads under /data/, and the assets. */
export function registerSite(app: Hono, store: Store, respond: Responder): void {
  app.get('/', (c) => {
    const lang: SiteLang = /^\s*en\b/i.test(c.req.header('accept-language') ?? '') ? 'en' : 'es';
    return c.redirect(`/${lang}/`, 302);
  });
  app.get('/assets/:name', (c) => {
    const found = asset(c.req.param('name'));
    if (!found) return c.notFound();
    return c.body(new Uint8Array(found.body), 200, { 'Content-Type': found.type, 'Cache-Control': 'public, max-age=300' });
  });
  // Browsers ask for /favicon.ico whatever the page says; the same SVG icon answers.
  app.get('/favicon.ico', (c) => {
    const found = asset('favicon.svg');
    if (!found) return c.notFound();
    return c.body(new Uint8Array(found.body), 200, { 'Content-Type': found.type, 'Cache-Control': 'public, max-age=86400' });
  });

  // U.S. states: the Census Bureau's cartographic boundaries as maintained in the us-atlas package (TopoJSON, lon/lat).
  app.get('/data/geo/us-states.json', (c) => respond(c, 'json', () => Promise.resolve(readFileSync(createRequire(import.meta.url).resolve('us-atlas/states-10m.json'), 'utf8'))));
  app.get('/data/geo/:layer', (c) =>
    respond(c, 'json', async () => {
      const name = c.req.param('layer').replace(/\.json$/, '');
      // The municipal map's first draw: the same boundaries, simplified further (map-layers.ts).
      const coarse = name === 'municipalities-coarse';
      const layer = coarse ? 'municipalities' : name;
      const rows = await store.all<{ geo: string | null; geometry: string }>(
        `SELECT geo, geometry::VARCHAR AS geometry FROM boundary WHERE layer = ? AND superseded_by IS NULL ORDER BY geo`, [layer]);
      if (rows.length === 0) throw new RequestError('not_found', `no map layer "${layer}"`, { layer });
      if (rows.length === 1 && rows[0]?.geo === null) return rows[0].geometry;
      // ~2,457 municipalities: a simplified TopoJSON for display (map-layers.ts); the API serves them whole.
      if (layer === 'municipalities') return JSON.stringify(municipalDisplayTopology(rows.map((r) => JSON.parse(r.geometry) as Feature), coarse ? MUNICIPAL_COARSE : {}));
      return `{"type":"FeatureCollection","features":[${rows.map((r) => r.geometry).join(',')}]}`;
    }),
  );
  app.get('/data/:lang/migrant-incidents.json', (c) => respond(c, 'json', async () => JSON.stringify(await borderIncidents(store, Lang.parse(c.req.param('lang'))))));
  app.get('/data/:lang/search.json', (c) => respond(c, 'json', async () => JSON.stringify(searchIndex(Lang.parse(c.req.param('lang'))))));
  app.get('/data/:lang/:code/:file', (c) => {
    const lang = Lang.parse(c.req.param('lang'));
    const indicator = indicatorOr404(c.req.param('code'));
    const m = /^(?:(year|month|fy)|municipality-(\d{4}))(-rate)?(-annualised)?(-ytd)?(?:-by-([a-z_]+))?\.(json|csv)$/.exec(c.req.param('file'));
    if (!m) {
      throw new RequestError('not_found', 'data files are year.json, month.json, fy.json, municipality-YYYY.json (or .csv); rates add -rate (month-rate-annualised for annualised monthly rates); the same months of each year add -ytd (year-ytd.json, year-rate-ytd.json); a breakdown of counts adds -by-<dimension> (year-by-sex.json)');
    }
    const kind = m[7] as 'json' | 'csv';
    const by = m[6] ? Dimension.safeParse(m[6]).data ?? null : null;
    if (m[6] && (by === null || !breakdowns(indicator).includes(by))) {
      throw new RequestError('not_found', `${indicator.code} offers no breakdown by ${m[6]} here; it does by: ${breakdowns(indicator).join(', ') || 'nothing'}`);
    }
    if (by && (m[2] || m[3] || m[4] || m[5])) throw new RequestError('not_found', 'a breakdown file holds counts of one frequency: year-by-sex.json, month-by-age.json');
    const measure = m[3] ? 'rate' : 'count';
    return respond(c, kind, async () => {
      let result;
      if (m[2]) {
        if (!hasMunicipalities(indicator)) throw new RequestError('not_found', `${indicator.code} has no municipal data`);
        // CONAPO publishes no municipalities, and the 2020 census is not mixed in silently: no municipal rates.
        if (measure === 'rate' || m[4]) throw new RequestError('not_found', `${indicator.code} has no municipal rates (CONAPO publishes no municipal population)`);
        if (m[5]) throw new RequestError('not_found', 'municipal files are one year each; the same-months comparison is for year and fy files');
        result = await municipalFile(store, indicator, m[2], lang);
      } else {
        const freq = QueryFreq.parse(m[1]);
        if (!indicator.frequencies.includes(freq)) throw new RequestError('not_found', `${indicator.code} has no ${freq === 'fy' ? 'fiscal-year' : `${freq}ly`} data`);
        if (measure === 'rate' && !hasRate(indicator)) throw new RequestError('not_found', `${indicator.code} has no rate`);
        if (m[4] && !canAnnualise(indicator, measure, freq)) throw new RequestError('not_found', `${indicator.code}: only monthly rates are annualised`);
        if (m[5] && !(await ytdFrequencies(store, indicator)).includes(freq)) throw new RequestError('not_found', `${indicator.code} has no monthly data to compare the same months of each year on`);
        result = await dataFile(store, indicator, freq, lang, { measure, annualise: m[4] !== undefined, ytd: m[5] !== undefined, by });
      }
      if (kind === 'csv') return toCsv(result);
      // A breakdown's values named in the file's language, for the chart's legend and the table.
      return JSON.stringify(by ? { ...result, dimension_labels: breakdownLabels(by, result.rows, lang) } : result);
    });
  });

  const html = (c: Context, produce: (lang: SiteLang) => Promise<string | null> | string | null) => {
    const lang = Lang.safeParse(c.req.param('lang'));
    if (!lang.success) return c.notFound();
    return respond(c, 'html', async () => {
      const body = await produce(lang.data);
      if (body === null) throw new RequestError('not_found', 'no such page');
      return body;
    }).catch((error: unknown) => {
      if (error instanceof RequestError && error.code === 'not_found') return c.html(notFoundPage(lang.data), 404);
      throw error;
    });
  };
  app.get('/:lang', (c) => html(c, (lang) => homePage(store, lang)));
  app.get('/:lang/framework', (c) => html(c, (lang) => frameworkIndexPage(lang)));
  app.get('/:lang/framework/:id', (c) => html(c, (lang) => frameworkNodePage(store, lang, c.req.param('id'))));
  app.get('/:lang/indicators', (c) => html(c, (lang) => indicatorsIndexPage(lang)));
  app.get('/:lang/indicators/:name', (c) => {
    const m = /^(.*?)(?:\.(csv|json))?$/.exec(c.req.param('name'));
    const code = m?.[1] ?? '';
    const suffix = m?.[2] as 'csv' | 'json' | undefined;
    const indicator = findIndicator(code);
    if (!indicator) return html(c, () => null);
    const state = parseViewState(c, indicator);
    const lang = Lang.safeParse(c.req.param('lang'));
    if (!lang.success) return c.notFound();
    const params = viewParams(indicator, state, lang.data);
    const ytdOn = async () => state.ytd && (await ytdFrequencies(store, indicator)).includes(state.freq);
    if (suffix) {
      // The view's own data: the same URL with .csv or .json (all states when no geography is chosen, as the baked file).
      const query = c.req.queries('geo') ? params : { ...params, geo: filePlaces(indicator) };
      return respond(c, suffix, async () => {
        const result = await queryIndicator(store, { ...query, ytd: await ytdOn() });
        // The same bytes as the API's CSV for the same query (the citation names the sources and files, not a URL).
        return suffix === 'csv' ? toCsv(result) : JSON.stringify(result);
      });
    }
    return html(c, async (l) => {
      const result = await queryIndicator(store, { ...params, ytd: await ytdOn() });
      const stateRows = hasStates(indicator) ? (await dataFile(store, indicator, primaryFreq(indicator), l)).rows.filter((r) => r.geo.length === 2 && r.geo !== '00') : [];
      const years = [...new Set(stateRows.map((r) => r.period))].sort();
      // The map opens on the latest complete year: a partial year is there to choose, never the silent default.
      const complete = [...new Set(stateRows.filter((r) => !r.flags.includes('partial-period')).map((r) => r.period))].sort();
      const releases = await listReleases(store);
      const cited = await reportedFigures(store, l, indicator.code);
      return indicatorPage(l, indicator, { ...state, year: state.year ?? complete.at(-1) ?? years.at(-1) ?? null }, result, releases, years, complete.at(-1) ?? years.at(-1) ?? null, cited,
        { ytdFrequencies: await ytdFrequencies(store, indicator), partialYears: years.filter((y) => !complete.includes(y)) });
    });
  });
  // The embeddable chart: the one route other sites may frame (its own CSP; app.ts drops X-Frame-Options for it).
  app.get('/:lang/embed/indicators/:code', (c) => {
    const indicator = findIndicator(c.req.param('code'));
    if (!indicator) return html(c, () => null);
    const state = parseViewState(c, indicator);
    c.header('Content-Security-Policy', EMBED_CSP);
    return html(c, async (l) => {
      const params = viewParams(indicator, state, l);
      const ytd = state.ytd && (await ytdFrequencies(store, indicator)).includes(state.freq);
      const result = await queryIndicator(store, { ...params, ytd });
      const query = viewQueryString(state, params.measure ?? 'count', params.annualise ?? false, true);
      return embedPage(l, indicator, query, result, indicatorClient(l, indicator, state.year));
    });
  });
  app.get('/:lang/states', (c) => html(c, (lang) => statesIndexPage(lang)));
  app.get('/:lang/states/:code', (c) => html(c, (lang) => statePage(store, lang, c.req.param('code'))));
  app.get('/:lang/data', (c) => html(c, (lang) => dataPage(store, lang)));
  // The scorecard depends on today's date (freshness), so the date is part of its cache key.
  app.get('/:lang/scorecard', (c) => {
    const today = new Date().toISOString().slice(0, 10);
    const lang = Lang.safeParse(c.req.param('lang'));
    if (!lang.success) return c.notFound();
    return respond(c, 'html', () => scorecardPage(store, lang.data, new Date(`${today}T00:00:00Z`)), today);
  });
  app.get('/:lang/assistance', (c) => html(c, (lang) => assistancePage(store, lang)));
  app.get('/:lang/timeline', (c) => html(c, (lang) => timelinePage(lang)));
  app.get('/:lang/border-map', (c) => html(c, (lang) => borderMapPage(store, lang)));
  app.get('/:lang/figures', (c) => html(c, (lang) => figuresPage(store, lang)));
  app.get('/:lang/evidence/sources', (c) => html(c, (lang) => evidenceSourcesPage(store, lang)));
  app.get('/:lang/both-sides', (c) => html(c, (lang) => bothSidesPage(store, lang)));
  app.get('/:lang/search', (c) => html(c, (lang) => searchPage(lang, c.req.query('q') ?? '')));
}

