import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryIndicator, toCsv } from '../analytics/index.js';
import { MIXED_PATHS, runLoad } from '../test-support/load.js';
import { loadedStore } from '../test-support/bundled-store.js';
import type { TempStore } from '../test-support/temp-store.js';
import { startServer, type RunningServer } from './server.js';
import { fairWorkForTests } from '../test-support/fair-work.js';

let t: TempStore;
let server: RunningServer;
beforeAll(async () => {
  t = await loadedStore();
  server = await startServer(t.store, 0, '127.0.0.1', { fairWork: fairWorkForTests() });
});
afterAll(async () => {
  await server.close();
  await t.cleanup();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

describe('HTTP API over a real server and store', () => {
  it('serves indicator data as JSON with numerator, denominator, flags and releases', async () => {
    const res = await get('/api/v1/indicators/mx.homicide.rate/data?geo=00,25&period=2024..2025&lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as Awaited<ReturnType<typeof queryIndicator>>;
    expect(body.indicator).toBe('mx.homicide.rate');
    expect(body.rows.map((r) => [r.geo, r.period])).toEqual([['00', '2024'], ['00', '2025'], ['25', '2024'], ['25', '2025']]);
    expect(body.rows[1]?.flags).toContain('partial-period');
    expect(body.sources.map((s) => s.id)).toEqual(['sesnsp-victims-state', 'conapo-population-state']);
    expect(body.sources[0]?.releases[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fiscal years over HTTP (freq=fy, CBP regions) and the both-sides view indexed to its base, documented in OpenAPI', async () => {
    const fy = (await (await get('/api/v1/indicators/us.border.fentanyl_seized/data?geo=US-SWB,US&freq=fy&period=2023..2026&lang=en')).json()) as Awaited<ReturnType<typeof queryIndicator>>;
    expect(fy.rows.map((r) => `${r.geo} ${r.period} ${r.value?.toFixed(1) ?? ''} ${r.flags.join(',')}`)).toEqual([
      'US-SWB FY2023 26717.8 ', 'US-SWB FY2024 21148.2 ', 'US-SWB FY2025 11488.3 ', 'US-SWB FY2026 3353.7 partial-period',
      'US FY2023 27022.9 ', 'US FY2024 21889.2 ', 'US FY2025 12027.3 ', 'US FY2026 3398.3 partial-period',
    ]);
    expect((await get('/api/v1/indicators/mx.homicide.rate/data?geo=00&freq=fy')).status).toBe(400);
    expect((await get('/api/v1/indicators/mx.homicide.rate/data?geo=US-SWB')).status).toBe(400);
    const view = (await (await get('/api/v1/both-sides?lang=en')).json()) as {
      pairs: { id: string; series: { indicator: string; base: { period: string; value: number }; points: { period: string; value: number; index: number; partial: boolean }[] }[] }[];
      skipped: { id: string; missing: string[] }[];
    };
    const fentanyl = view.pairs.find((p) => p.id === 'fentanyl');
    expect(fentanyl?.series.map((s) => [s.indicator, s.base.period])).toEqual([['us.border.fentanyl_seized', 'FY2021'], ['us.overdose.synthetic_opioid_deaths', '2021']]);
    for (const s of fentanyl?.series ?? []) {
      const geo = s.indicator.startsWith('us.border') ? 'US-SWB' : 'US';
      const freq = s.base.period.startsWith('FY') ? 'fy' : 'year';
      const data = (await (await get(`/api/v1/indicators/${s.indicator}/data?geo=${geo}&freq=${freq}&lang=en`)).json()) as Awaited<ReturnType<typeof queryIndicator>>;
      const base = data.rows.find((r) => r.period === s.base.period)?.value ?? Number.NaN;
      for (const p of s.points) {
        const row = data.rows.find((r) => r.period === p.period);
        expect(p.index, `${s.indicator} ${p.period}`).toBeCloseTo(((row?.value ?? Number.NaN) / base) * 100, 1);
        expect(p.partial).toBe(row?.flags.includes('partial-period'));
      }
    }
    expect(fentanyl?.series[0]?.points.filter((p) => p.partial).map((p) => p.period)).toEqual(['FY2026']);
    // Both pairs are drawn: the IOM indicator (binational border, US-MX) is in the catalog, so nothing is skipped.
    expect(view.skipped).toEqual([]);
    expect(view.pairs.map((p) => p.id)).toHaveLength(2);
    const migrants = view.pairs.flatMap((p) => p.series).find((s) => s.indicator === 'migrants.border.dead_missing');
    expect(migrants?.base).toEqual({ period: '2021', value: 727 });
    expect(migrants?.points.find((p) => p.period === '2021')?.index).toBe(100);
    const csv = await (await get('/api/v1/both-sides.csv?lang=es')).text();
    expect(csv.split('\n')[0]).toBe('pair,indicator,geo,freq,period,value,base_period,index,partial,flags');
    expect(csv).toMatch(/\nfentanyl,us\.border\.fentanyl_seized,US-SWB,fy,FY2021,[0-9.]+,FY2021,100,false,\n/);
    const openapi = (await (await get('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/both-sides');
    expect(Object.keys(openapi.components.schemas)).toContain('BothSidesView');
  });

  it('the .csv variant and Accept: text/csv return the same CSV as the engine', async () => {
    const params = 'geo=level:state&period=2024&lang=es';
    const suffix = await (await get(`/api/v1/indicators/mx.homicide.victims/data.csv?${params}`)).text();
    const accept = await (await get(`/api/v1/indicators/mx.homicide.victims/data?${params}`, { accept: 'text/csv' })).text();
    const direct = toCsv(await queryIndicator(t.store, { indicator: 'mx.homicide.victims', geo: ['level:state'], from: '2024', to: '2024', freq: 'year', by: null, lang: 'es', asOf: null }));
    expect(suffix).toBe(direct);
    expect(accept).toBe(direct);
    expect(suffix.split('\n')[0]).toBe('indicator,geo,geo_name,period,value,unit,numerator,denominator,months,flags,release_ids,citation');
    expect(suffix.trim().split('\n')).toHaveLength(33);
  });

  it('answers a repeated request with 304 when the ETag matches', async () => {
    const path = '/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2015..2024';
    const first = await get(path);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get(path, { 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    const other = await get(path.replace('2015', '2016'), { 'if-none-match': etag as string });
    expect(other.status).toBe(200);
  });

  it('one JSON error shape, 4xx for the caller’s mistakes', async () => {
    for (const [path, status, code] of [
      ['/api/v1/indicators/mx.nope/data', 404, 'not_found'],
      ['/api/v1/indicators/mx.homicide.victims/data?geo=99999999', 404, 'not_found'],
      ['/api/v1/indicators/mx.homicide.victims/data?freq=week', 400, 'bad_request'],
      ['/api/v1/indicators/mx.homicide.victims/data?period=2020..2019', 400, 'bad_request'],
      ['/api/v1/indicators/mx.homicide.victims/data?colour=red', 400, 'bad_request'],
      ['/api/v1/framework/9.9', 404, 'not_found'],
      ['/api/v1/releases/999', 404, 'not_found'],
      ['/api/v1/nothing', 404, 'not_found'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      const body = (await res.json()) as { error: { code: string; message: string; details: object } };
      expect(body.error.code, path).toBe(code);
      expect(body.error.message.length, path).toBeGreaterThan(5);
      expect(typeof body.error.details).toBe('object');
    }
  });

  it('describes indicators with baseline and latest values, and the Framework and sources', async () => {
    const detail = (await (await get('/api/v1/indicators/mx.homicide.victims?lang=es')).json()) as {
      baseline: { period: string; row: { value: number } }; latest: { period: string; flags: string[] }; latestComplete: { period: string };
      framework: { id: string }[];
    };
    expect(detail.baseline.period).toBe('2021');
    expect(detail.baseline.row.value).toBe(34_380);
    expect(detail.latest.period).toBe('2025');
    expect(detail.latest.flags).toContain('partial-period');
    expect(detail.latestComplete.period).toBe('2024');
    expect(detail.framework.map((f) => f.id)).toContain('1.3');
    const list = (await (await get('/api/v1/indicators?lang=en')).json()) as { code: string }[];
    expect(list.map((i) => i.code)).toEqual(expect.arrayContaining(['mx.homicide.victims', 'mx.homicide.rate', 'us.overdose.deaths', 'mx.population']));
    const fw = (await (await get('/api/v1/framework')).json()) as { nodes: unknown[]; meridaPillars: unknown[] };
    expect(fw.meridaPillars).toHaveLength(4);
    const node = (await (await get('/api/v1/framework/1.3')).json()) as { node: { id: string }; indicators: string[] };
    expect(node.indicators).toContain('mx.homicide.rate');
    const sources = (await (await get('/api/v1/sources')).json()) as { id: string; releases: { sha256: string }[] }[];
    expect(sources.find((s) => s.id === 'rnpdno-municipal')?.releases).toHaveLength(2);
    const release = (await (await get('/api/v1/releases/1')).json()) as { summary: { reconciliation: unknown[] } };
    expect(release.summary.reconciliation.length).toBeGreaterThan(0);
    const states = (await (await get('/api/v1/geo?level=state')).json()) as { code: string; unspecified: boolean }[];
    expect(states.filter((s) => !s.unspecified)).toHaveLength(32);
  });

  it('serves the map layers loaded as releases', async () => {
    const states = (await (await get('/api/v1/boundaries/states')).json()) as { type: string; features: { properties: { cve_geo: string } }[] };
    expect(states.type).toBe('FeatureCollection');
    expect(states.features).toHaveLength(32);
    const munis = (await (await get('/api/v1/boundaries/municipalities')).json()) as { features: unknown[] };
    expect(munis.features).toHaveLength(2457);
    const hex = (await (await get('/api/v1/boundaries/states-hex')).json()) as { type: string };
    expect(hex.type).toBe('Topology');
    expect((await get('/api/v1/boundaries/rivers')).status).toBe(404);
  });

  it('publishes an OpenAPI document that lists every route', async () => {
    const doc = (await (await get('/api/v1/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/indicators/{code}/data', '/api/v1/framework', '/api/v1/releases/{id}',
      '/api/v1/evidence/{id}/review', '/api/v1/evidence/pending', '/api/v1/evidence/ledger', '/api/v1/evidence/sources']));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['QueryResult', 'Error', 'Framework', 'EvidenceInput', 'EvidenceEntry', 'EvidenceDecision']));
  });

  it('sends security headers on every response, pages and data alike', async () => {
    for (const path of ['/es/', '/api/v1/indicators', '/data/es/mx.homicide.rate/year.json', '/api/v1/nothing-here', '/assets/site.css']) {
      const res = await get(path);
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
  });

  it('without a master key the case registry holds nothing: cases need credentials first, intake is unavailable', async () => {
    const cases = await get('/api/v1/cases');
    expect(cases.status).toBe(401);
    const detail = await get('/api/v1/cases/1');
    expect(detail.status).toBe(401);
    const intake = await fetch(`${server.url}/api/v1/intake/migrant-kidnapping`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(intake.status).toBe(503);
    // The public is told it is off, never which setting or command would turn it on.
    expect(((await intake.json()) as { error: { message: string } }).error.message).toMatch(/not available/);
    // The family form is not offered where nobody could receive it: no fields to type anyone's details into.
    const page = await get('/es/report-kidnapping/');
    expect(page.status).toBe(503);
    const body = await page.text();
    expect(body).toContain('El formulario no está abierto');
    expect(body).not.toContain('<form');
  });

  it('the entry page follows the browser language', async () => {
    expect(await (await get('/', { 'accept-language': 'en-US,en;q=0.9' })).text()).toContain('lang="en"');
    expect(await (await get('/', { 'accept-language': 'es-MX' })).text()).toContain('lang="es"');
  });
});

describe('a burst of readers (quick version of `npm run load`)', () => {
  it('200 concurrent connections on a mixed request set: no errors, no non-2xx answers', async () => {
    const result = await runLoad(server.url, MIXED_PATHS, 200, 4);
    expect(result.requests).toBeGreaterThan(200);
    expect({ errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts }).toEqual({ errors: 0, non2xx: 0, timeouts: 0 });
  });
});
