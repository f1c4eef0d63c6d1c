import { stringify } from 'csv-stringify/sync';
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import { bothSides, borderIncidents, dataVersion, indicatorDetail, isLightQuery, listReleases, queryIndicator, releaseSummary, toCsv } from '../analytics/index.js';
import { loadCatalog } from '../catalog/index.js';
import { GeoLevel, Lang, QUERY_RETRY_AFTER_SECONDS, RequestError, SPREADSHEET_SAFE_CSV, type BothSidesView, type IntakeContacts } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { bodyLimits } from './body-limits.js';
import { BODY_BYTES, compression } from './compression.js';
import { ResponseCache, normalisedRequestKey } from './cache.js';
import { TRUSTED_PROXY_ENV, clientAddress, parseTrustedProxies, socketAddress } from './client-address.js';
import { ClientBusyError, FairWork, fairWorkOptionsFromEnv } from './fair-work.js';
import { errorResponse } from './errors.js';
import { jsonBytes } from './json-bytes.js';
import { RefusalDelay, isRefusal, refusalDelayOptionsFromEnv } from './refusal-delay.js';
import { openApiDocument } from './openapi.js';
import { DataQuery, toQueryParams } from './params.js';
import { errorPage, intakeUnavailablePage, isMachinePath, languageOf, registerSite, withSiteSettings } from '../site/index.js';
import { intakeContactsFromEnv } from './intake-contacts.js';
import { registerMonitoring } from './monitoring-routes.js';
import { registerRegistry, type RegistryRouteOptions } from './registry-routes.js';
import { loadMasterKey } from '../registry/index.js';

type Format = 'json' | 'csv';

function formatOf(c: Context, suffix: string | undefined): Format {
  if (suffix === 'csv') return 'csv';
  if (suffix === 'json') return 'json';
  return (c.req.header('accept') ?? '').includes('text/csv') ? 'csv' : 'json';
}

function splitSuffix(value: string): { name: string; suffix: 'csv' | 'json' | undefined } {
  const m = /^(.*)\.(csv|json)$/.exec(value);
  return m ? { name: m[1] as string, suffix: m[2] as 'csv' | 'json' } : { name: value, suffix: undefined };
}

const LangQuery = z.object({ lang: Lang.default('es') });

export interface ApiOptions {
  readonly cache?: ResponseCache;
  /** The case registry; without it (no master key configured) its routes answer 401 or 503 and hold nothing. */
  readonly registry?: RegistryRouteOptions;
  /** Whom families can contact: the receiving organisation and the alternatives where the form is closed (default: the file named by OBSERVA_INTAKE_CONTACTS). */
  readonly contacts?: IntakeContacts;
  /** Shares of uncached work between clients (default: from the environment, see fair-work.ts). */
  readonly fairWork?: FairWork;
  /** Reverse proxies whose X-Forwarded-For names the client (default: the registry's setting, else OBSERVA_TRUSTED_PROXY). */
  readonly trustedProxy?: string;
  /** How refusals of a client that keeps being refused are slowed (default: from the environment, see refusal-delay.ts). */
  readonly refusalDelay?: RefusalDelay;
}

/** Registry options from the environment: OBSERVA_MASTER_KEY (required), OBSERVA_INTAKE_ORG and the consent recipients. */
export function registryOptionsFromEnv(env: Record<string, string | undefined> = process.env): RegistryRouteOptions | { disabled: string } {
  let masterKey: Buffer;
  try {
    masterKey = loadMasterKey(env);
  } catch (error) {
    return { disabled: (error as Error).message };
  }
  try {
    parseTrustedProxies(env[TRUSTED_PROXY_ENV]);
  } catch (error) {
    throw new RequestError('bad_request', (error as Error).message);
  }
  const recipients = {
    ...(env['OBSERVA_INTAKE_SEARCH_COMMISSION_ORG'] ? { search_commission: env['OBSERVA_INTAKE_SEARCH_COMMISSION_ORG'] } : {}),
    ...(env['OBSERVA_INTAKE_PROSECUTORS_ORG'] ? { prosecutors: env['OBSERVA_INTAKE_PROSECUTORS_ORG'] } : {}),
  };
  return {
    masterKey,
    ...(env['OBSERVA_INTAKE_ORG'] ? { intakeOrganisationId: env['OBSERVA_INTAKE_ORG'] } : {}),
    intakeRecipientOrganisations: recipients,
    ...(env[TRUSTED_PROXY_ENV] ? { trustedProxy: env[TRUSTED_PROXY_ENV] } : {}),
  };
}

/** Without a master key nothing personal can be stored or read: case routes still demand credentials first. */
function registerRegistryDisabled(app: Hono, contacts: IntakeContacts): void {
  // The operator learns why at start (the CLI says which setting is missing); the public is told only that it is off.
  const unavailable = () => {
    throw new RequestError('unavailable', 'the case registry is not available on this server');
  };
  app.all('/api/v1/cases', (c) => (c.req.header('authorization') ? unavailable() : unauthorized()));
  app.all('/api/v1/cases/*', (c) => (c.req.path === '/api/v1/cases/funnel' || c.req.header('authorization') ? unavailable() : unauthorized()));
  app.all('/api/v1/intake/*', unavailable);
  app.all('/api/v1/auth/*', unavailable);
  for (const lang of ['es', 'en'] as const) {
    app.all(`/${lang}/report-kidnapping`, (c) => c.html(intakeUnavailablePage(lang, 'closed', contacts.alternatives), 503));
  }
}
const unauthorized = (): never => {
  throw new RequestError('unauthorized', 'sign in first: POST /api/v1/auth/login, then send "Authorization: Bearer <token>"');
};

export function createApp(store: Store, options: ApiOptions = {}): Hono {
  const app = new Hono({ strict: false });
  const contacts = options.contacts ?? intakeContactsFromEnv();
  // Pages say whether the families' form is open here (the footer links to it or to the alternatives).
  const settings = { intakeOpen: Boolean(options.registry?.intakeOrganisationId), contacts };
  app.use('*', (_c, next) => withSiteSettings(settings, next));
  // Rate limits and fair shares are per client: its address, or behind a configured proxy the forwarded one.
  const trustedProxies = parseTrustedProxies(options.trustedProxy ?? options.registry?.trustedProxy ?? process.env[TRUSTED_PROXY_ENV]);
  const clientOf = (c: Context) => (socketAddress(c) === 'unknown' ? null : clientAddress(c, trustedProxies));
  // Refusals of a client that keeps being refused are held before they are sent (refusal-delay.ts).
  const refusals = options.refusalDelay ?? new RefusalDelay(refusalDelayOptionsFromEnv());
  app.use('*', async (c, next) => {
    await next();
    if (!isRefusal(c.res.status)) return;
    const client = clientOf(c);
    const hold = client === null ? 0 : refusals.refused(client);
    if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
  });
  // Each client's share of the server (fair-work.ts): a request rate, turns and a time budget for uncached work, bytes.
  const fairWork = options.fairWork ?? new FairWork(fairWorkOptionsFromEnv());
  const busy = (error: unknown): never => {
    if (!(error instanceof ClientBusyError)) throw error;
    throw new RequestError('too_many_requests', `${error.message}; try again in ${error.retryAfterSeconds} s`, {
      reason: error.reason, retryAfterSeconds: error.retryAfterSeconds,
    });
  };
  // The embeddable chart (/{lang}/embed/…) is the one page other sites may frame: its own CSP says
  // `frame-ancestors *` (src/site/embed-page.ts), and the X-Frame-Options: DENY added below is taken off it again.
  app.use('/:lang/embed/*', async (c, next) => {
    await next();
    c.res.headers.delete('X-Frame-Options');
  });
  // Security headers on every response. Pages load their own script and styles only; Plot sets inline style attributes
  // on SVG, and the PNG download draws through data:/blob: URLs. Public data stays readable from other origins.
  app.use('*', secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"],
    },
    crossOriginResourcePolicy: 'cross-origin',
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    strictTransportSecurity: false,
    // A route that sets its own, stricter policy (the registry, the intake pages) keeps it.
    overwrite: false,
  }));
  // Inside the security headers, so that a refusal carries them too.
  app.use('*', async (c, next) => {
    try {
      fairWork.admit(clientOf(c));
    } catch (error) {
      busy(error);
    }
    await next();
  });
  // Every route reads at most a stated body size (413 beyond it), before any handler parses it.
  app.use('*', bodyLimits());
  // What is sent (after compression: compression.ts records it) costs the client when it is large, cached or not.
  app.use('*', async (c, next) => {
    await next();
    const sent = c.get(BODY_BYTES) ?? 0;
    if (c.res.status !== 200 || sent < fairWork.options.largeAnswerBytes) return;
    try {
      fairWork.chargeSent(clientOf(c), sent);
    } catch (error) {
      // The refusal must not inherit the answer's headers (its ETag, its length, its caching).
      c.res = undefined;
      busy(error);
    }
  });
  // Text responses leave compressed (brotli or gzip, as the client accepts); see compression.ts.
  app.use('*', compression());
  const cache = options.cache ?? new ResponseCache();
  // Every read behind a public request is bounded in time (the CLI's own reads are not).
  store.readTimeoutMs ??= Number(process.env['OBSERVA_QUERY_TIMEOUT_MS'] ?? 15_000);

  const TYPES = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8' } as const;

  /** Serves from the cache by (data version, URL, kind), with ETag revalidation. */
  // The data version is read from the store once per committed write, not once per request.
  let known: { generation: number; version: Promise<string> } | null = null;
  const currentVersion = () => {
    if (known?.generation !== store.generation) {
      const version = dataVersion(store);
      const entry = { generation: store.generation, version };
      known = entry;
      // A failed read (stopped for time, say) is not remembered: the next request asks again.
      version.catch(() => {
        if (known === entry) known = null;
      });
    }
    return known.version;
  };

  const inTurn = async <T>(c: Context, work: () => Promise<T>, light: boolean): Promise<T> => {
    try {
      return await fairWork.run(clientOf(c), work, light);
    } catch (error) {
      return busy(error);
    }
  };
  // Bodies may come as bytes (large JSON is written in slices, json-bytes.ts); the site's pages give strings.
  const respond = async (c: Context, kind: keyof typeof TYPES, produce: () => Promise<string | Uint8Array<ArrayBuffer>>, extraKey = '', light = false): Promise<Response> => {
    const version = await currentVersion();
    const key = `${version}|${kind}|${extraKey}|${normalisedRequestKey(c.req.url)}`;
    const entry = await cache.get(key, () => inTurn(c, async () => ({ body: await produce(), contentType: TYPES[kind] }), light));
    const headers = { ETag: entry.etag, 'Cache-Control': 'public, max-age=0, must-revalidate', Vary: 'Accept' };
    if (c.req.header('if-none-match') === entry.etag) return c.body(null, 304, headers);
    c.set(BODY_BYTES, entry.body.byteLength);
    return c.body(entry.body, 200, { ...headers, 'Content-Type': entry.contentType });
  };

  /** JSON or CSV of the same data; `light`: small by construction (fair-work.ts `lightConcurrency`). */
  function respondData(c: Context, format: Format, produce: () => Promise<unknown>, toCsvBody?: (data: unknown) => string, extraKey?: string, light = false): Promise<Response> {
    if (format === 'csv' && !toCsvBody) throw new RequestError('bad_request', 'this resource has no CSV form; ask for JSON');
    return respond(c, format, async () => {
      const data = await produce();
      return format === 'csv' && toCsvBody ? toCsvBody(data) : jsonBytes(data);
    }, extraKey, light);
  }

  app.onError((error, c) => {
    const { status, body } = errorResponse(error);
    if (status === 500) console.error(error);
    // A person's browser gets a page in the site's layout and language; scripts and API clients get JSON.
    const retryAfter = { 'Retry-After': String(body.error.details['retryAfterSeconds'] ?? QUERY_RETRY_AFTER_SECONDS) };
    if (!isMachinePath(c.req.path) && c.req.method === 'GET' && (status === 400 || status === 404 || status === 429 || status === 500)) {
      return c.html(errorPage(languageOf(c.req.path, c.req.header('accept-language')), status, c.req.path), status, status === 429 ? retryAfter : {});
    }
    if (status === 401) return c.json(body, status, { 'WWW-Authenticate': 'Bearer realm="observa"' });
    if (status === 503 || status === 429) return c.json(body, status, retryAfter);
    return c.json(body, status);
  });
  app.notFound((c) =>
    isMachinePath(c.req.path)
      ? c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}`, details: {} } }, 404)
      : c.html(errorPage(languageOf(c.req.path, c.req.header('accept-language')), 404, c.req.path), 404));

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/api/v1', (c) =>
    c.json({
      name: 'Observa API',
      openapi: '/api/v1/openapi.json',
      endpoints: ['/api/v1/indicators', '/api/v1/indicators/{code}', '/api/v1/indicators/{code}/data', '/api/v1/framework', '/api/v1/framework/{id}',
        '/api/v1/geo', '/api/v1/boundaries/{layer}', '/api/v1/sources', '/api/v1/releases', '/api/v1/releases/{id}', '/api/v1/scorecard',
        '/api/v1/scorecard/gaps', '/api/v1/evidence', '/api/v1/evidence/{id}', '/api/v1/evidence/{id}/review', '/api/v1/evidence/ledger', '/api/v1/evidence/pending', '/api/v1/evidence/sources', '/api/v1/risks', '/api/v1/assistance', '/api/v1/reported', '/api/v1/events', '/api/v1/both-sides',
        '/api/v1/auth/login', '/api/v1/cases', '/api/v1/cases/funnel', '/api/v1/intake/migrant-kidnapping', '/api/v1/intake/{receipt}'],
    }),
  );
  app.get('/api/v1/openapi.json', (c) => c.json(openApiDocument()));

  const indicatorList = (lang: Lang) =>
    loadCatalog().indicators.map((i) => ({
      code: i.code, name: i.name[lang], unit: i.unit[lang], kind: i.kind, levels: i.levels, frequencies: i.frequencies,
      dimensions: i.dimensions, sources: i.sources, framework: i.framework, direction: i.direction,
    }));
  const listCsv = (rows: unknown) =>
    stringify((rows as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? v.join(';') : v]))), {
      header: true,
      cast: { ...SPREADSHEET_SAFE_CSV.cast, boolean: (v) => (v ? 'true' : 'false') },
    });
  app.get('/api/v1/indicators', (c) => {
    const { lang } = LangQuery.parse(c.req.query());
    return respondData(c, formatOf(c, undefined), async () => indicatorList(lang), listCsv);
  });
  // Both sides of the border: paired series indexed to a base period (also /both-sides.csv, one row per point).
  const bothSidesCsv = (data: unknown) =>
    stringify((data as BothSidesView).pairs.flatMap((p) => p.series.flatMap((s) => s.points.map((x) => ({
      pair: p.id, indicator: s.indicator, geo: s.geo, freq: s.freq, period: x.period, value: x.value, base_period: s.base.period, index: x.index,
      partial: x.partial, flags: x.flags.join(' '),
    })))), { header: true, columns: ['pair', 'indicator', 'geo', 'freq', 'period', 'value', 'base_period', 'index', 'partial', 'flags'], cast: { boolean: (v) => (v ? 'true' : 'false') } });
  for (const [path, format] of [['/api/v1/both-sides', undefined], ['/api/v1/both-sides.csv', 'csv']] as const) {
    app.get(path, (c) => {
      const { lang } = LangQuery.parse(c.req.query());
      return respondData(c, format ?? formatOf(c, undefined), () => bothSides(store, lang), bothSidesCsv);
    });
  }
  app.get('/api/v1/indicators.csv', (c) => {
    const { lang } = LangQuery.parse(c.req.query());
    return respondData(c, 'csv', async () => indicatorList(lang), listCsv);
  });

  const dataRoute = (suffix: Format | undefined) => async (c: Context) => {
    const query = DataQuery.parse(c.req.query());
    const params = toQueryParams(c.req.param('code') as string, query);
    return respondData(c, formatOf(c, suffix), () => queryIndicator(store, params), (d) => toCsv(d as Awaited<ReturnType<typeof queryIndicator>>), undefined, isLightQuery(params));
  };
  app.get('/api/v1/indicators/:code/data', dataRoute(undefined));
  app.get('/api/v1/indicators/:code/data.csv', dataRoute('csv'));
  app.get('/api/v1/indicators/:code/data.json', dataRoute('json'));
  app.get('/api/v1/indicators/:code', (c) => {
    const { lang } = LangQuery.parse(c.req.query());
    const { name } = splitSuffix(c.req.param('code'));
    return respondData(c, 'json', () => indicatorDetail(store, name, lang));
  });

  app.get('/api/v1/framework', (c) => respondData(c, 'json', async () => loadCatalog().framework));
  app.get('/api/v1/framework/:id', (c) =>
    respondData(c, 'json', async () => {
      const { framework, indicators } = loadCatalog();
      const id = c.req.param('id');
      const node = framework.nodes.find((n) => n.id === id);
      if (!node) throw new RequestError('not_found', `no Framework node "${id}"`, { id });
      return {
        node,
        children: framework.nodes.filter((n) => n.parent === id).map((n) => ({ id: n.id, kind: n.kind, title: n.title })),
        indicators: indicators.filter((i) => i.framework.includes(id)).map((i) => i.code),
      };
    }),
  );

  app.get('/api/v1/geo', (c) => {
    const level = z.object({ level: GeoLevel.optional() }).parse(c.req.query()).level;
    return respondData(c, formatOf(c, undefined), () =>
      store.all(`SELECT code, level, country, parent, name_es, name_en, official_name, iso, abbr, unspecified FROM geo
                 ${level ? `WHERE level = '${level}'` : ''} ORDER BY code`), listCsv);
  });
  app.get('/api/v1/boundaries/:layer', (c) =>
    respondData(c, 'json', async () => {
      const layer = c.req.param('layer').replace(/\.(geo|topo)?json$/, '');
      const rows = await store.all<{ geo: string | null; geometry: string }>(
        `SELECT geo, geometry::VARCHAR AS geometry FROM boundary WHERE layer = ? AND superseded_by IS NULL ORDER BY geo`, [layer],
      );
      if (rows.length === 0) throw new RequestError('not_found', `no map layer "${layer}" is loaded; layers: states, municipalities, states-hex`, { layer });
      if (rows.length === 1 && rows[0]?.geo === null) return JSON.parse(rows[0].geometry) as unknown;
      return { type: 'FeatureCollection', features: rows.map((r) => JSON.parse(r.geometry) as unknown) };
    }),
  );
  // IOM incidents on the U.S.–Mexico border route as GeoJSON points (attribution and caveat included; ?lang=es|en for causes).
  app.get('/api/v1/migrants/incidents', (c) =>
    respondData(c, 'json', () => borderIncidents(store, Lang.parse(c.req.query('lang') ?? 'en'))));
  app.get('/api/v1/sources', (c) =>
    respondData(c, 'json', async () => {
      const releases = await listReleases(store);
      return loadCatalog().sources.map((s) => ({ ...s, releases: releases.filter((r) => r.source_id === s.id) }));
    }),
  );
  app.get('/api/v1/releases', (c) => respondData(c, formatOf(c, undefined), () => listReleases(store), listCsv));
  app.get('/api/v1/releases.csv', (c) => respondData(c, 'csv', () => listReleases(store), listCsv));
  app.get('/api/v1/releases/:id', (c) =>
    respondData(c, 'json', async () => {
      const id = Number(c.req.param('id'));
      if (!Number.isInteger(id)) throw new RequestError('bad_request', 'a release id is a whole number');
      const [release] = await listReleases(store, id);
      if (!release) throw new RequestError('not_found', `no release ${id}`, { id });
      return { ...release, summary: await releaseSummary(store, id) };
    }),
  );
  registerMonitoring(app, store, respondData);
  if (options.registry) registerRegistry(app, store, options.registry, contacts);
  else registerRegistryDisabled(app, contacts);
  registerSite(app, store, respond);
  return app;
}
