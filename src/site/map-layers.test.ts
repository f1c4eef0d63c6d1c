import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { geoArea } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { Hono } from 'hono';
import { feature, neighbors } from 'topojson-client';
import { topology } from 'topojson-server';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/index.js';
import { bundledDataPath, loadCatalog } from '../catalog/index.js';
import { BOUNDARY_LAYERS, importBoundaries } from '../ingest/boundaries.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { MUNICIPAL_COARSE, MUNICIPAL_DISPLAY, type MunicipalTopology } from './map-layers.js';

/** The budget for the municipal map data, compressed as the server sends it. */
const BUDGET_BYTES = 600_000;
const SOURCE = 'geo/mx_municipios_2016.geojson.gz';

type Props = { cvegeo: string; nombre_municipio?: string };
let t: TempStore;
let app: Hono;
const original = JSON.parse(gunzipSync(readFileSync(bundledDataPath(SOURCE))).toString('utf8')) as FeatureCollection<Geometry, Props>;

beforeAll(async () => {
  t = await tempStore();
  await importBoundaries(t.store, BOUNDARY_LAYERS.municipalities, bundledDataPath(SOURCE));
  app = createApp(t.store, { contacts: { alternatives: [] } });
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

const get = (path: string, encoding = 'gzip, deflate, br') => app.fetch(new Request(`http://observa.test${path}`, { headers: { 'accept-encoding': encoding } }));

/** Area on the sphere, whatever the rings' winding: each ring's smaller side, holes taken off. */
function area(f: Feature): number {
  const ring = (r: Position[]) => ((a) => Math.min(a, 4 * Math.PI - a))(geoArea({ type: 'Polygon', coordinates: [r] }));
  const polygon = (rings: Position[][]) => rings.reduce((sum, r, i) => sum + (i === 0 ? ring(r) : -ring(r)), 0);
  const g = f.geometry;
  return g?.type === 'Polygon' ? polygon(g.coordinates) : g?.type === 'MultiPolygon' ? g.coordinates.reduce((sum, p) => sum + polygon(p), 0) : 0;
}

describe('the municipal map layer the site serves', () => {
  let served: MunicipalTopology;
  let compressed: number;

  beforeAll(async () => {
    const response = await get('/data/geo/municipalities.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('br');
    const packed = Buffer.from(await response.arrayBuffer());
    compressed = packed.byteLength;
    served = JSON.parse(brotliDecompressSync(packed).toString('utf8')) as MunicipalTopology;
  }, 120_000);

  it(`is a quantized TopoJSON topology within the budget (≤ ${BUDGET_BYTES.toLocaleString('en-US')} bytes brotli, as the server compresses)`, () => {
    expect(served.type).toBe('Topology');
    expect(served.transform).toBeDefined();
    expect(served.objects[MUNICIPAL_DISPLAY.object]?.type).toBe('GeometryCollection');
    expect(compressed).toBeLessThanOrEqual(BUDGET_BYTES);
    console.info(`municipal layer: ${compressed.toLocaleString('en-US')} bytes brotli (source GeoJSON ${original.features.length} features)`);
  });

  it('keeps every municipality of the source, by code and name, with an area', () => {
    const drawn = feature(served, served.objects.municipalities).features;
    const byCode = new Map(drawn.map((f) => [f.properties.cvegeo, f]));
    let off = 0;
    expect(drawn).toHaveLength(original.features.length);
    for (const f of original.features) {
      const kept = byCode.get(f.properties.cvegeo);
      expect(kept, f.properties.cvegeo).toBeDefined();
      expect(kept?.properties.nombre_municipio, f.properties.cvegeo).toBe(f.properties.nombre_municipio);
      expect(kept?.geometry, f.properties.cvegeo).not.toBeNull();
      // Not collapsed by the simplification, and within 25% of its published area (the smallest, ~2 km², lose most).
      const [before, after] = [area(f), area(kept as Feature)];
      expect(after, f.properties.cvegeo).toBeGreaterThan(0);
      const error = Math.abs(after - before) / before;
      expect(error, f.properties.cvegeo).toBeLessThan(0.25);
      if (error > 0.05) off++;
    }
    // And nearly all of them within 5%.
    expect(off).toBeLessThan(original.features.length / 100);
  });

  it('is simplified with shared borders: every pair of neighbours in the source still shares a border (no gaps, no slivers)', () => {
    // The source's neighbours, from a topology of the unsimplified features.
    const source = topology({ m: original }, 1e6) as unknown as Topology<{ m: GeometryCollection<Props> }>;
    const codesOf = (geoms: GeometryCollection<Props>['geometries'], lists: number[][]) =>
      new Set(lists.flatMap((list, i) => list.map((j) => [i, j].map((k) => (geoms[k]?.properties as Props | undefined)?.cvegeo).sort().join('-'))));
    const before = codesOf(source.objects.m.geometries, neighbors(source.objects.m.geometries));
    const geoms = served.objects.municipalities.geometries;
    const after = codesOf(geoms, neighbors(geoms));
    expect(before.size).toBeGreaterThan(6000);
    expect([...before].filter((pair) => !after.has(pair))).toEqual([]);
    // And it was simplified: fewer points than the same topology unsimplified.
    const points = (arcs: Topology['arcs']) => arcs.reduce((n, arc) => n + arc.length, 0);
    expect(points(served.arcs)).toBeLessThan(points(source.arcs) * 0.95);
  });

  it('the boundary source says, in both languages, that the served geometry is simplified and with what tolerance', () => {
    const source = loadCatalog().sources.find((s) => s.id === 'inegi-geo-boundaries');
    expect(source?.notes.es).toContain(`simplificada para pantalla`);
    expect(source?.notes.en).toContain(`simplified for display`);
    for (const lang of ['es', 'en'] as const) {
      expect(source?.notes[lang]).toContain(`${MUNICIPAL_DISPLAY.minAreaKm2} km²`);
      expect(source?.notes[lang]).toContain(`${MUNICIPAL_COARSE.minAreaKm2} km²`);
      expect(source?.notes[lang]).toContain('/api/v1/boundaries/municipalities');
    }
  });

  it('the municipal map page preloads the coarse layer and its data files (they download beside the script, not after it runs)', async () => {
    const page = await (await get('/es/indicators/mx.disappeared.persons/?view=map&map=municipal&year=2024', 'identity')).text();
    expect(page).toContain('<link rel="preload" href="/data/geo/municipalities-coarse.json" as="fetch" crossorigin="anonymous">');
    expect(page).not.toContain('href="/data/geo/municipalities.json"');
    expect(page).toContain('<link rel="preload" href="/data/es/mx.disappeared.persons/municipality-2024.json" as="fetch" crossorigin="anonymous">');
    // The view's own data file (its table: the municipal map shows counts, there are no municipal rates), under the name
    // the script asks for; the drawing module, not the chart's.
    expect(page).toContain('<link rel="preload" href="/data/es/mx.disappeared.persons/year.json" as="fetch" crossorigin="anonymous">');
    expect(page).not.toContain('year-rate.json');
    expect(page).toContain('<link rel="modulepreload" href="/assets/map.js">');
    expect(page).not.toContain('/assets/chart.js');
    const chart = await (await get('/es/indicators/mx.disappeared.persons/', 'identity')).text();
    expect(chart).not.toContain('/data/geo/');
    expect(chart).toContain('<link rel="preload" href="/data/es/mx.disappeared.persons/year.json" as="fetch" crossorigin="anonymous">');
    expect(chart).toContain('<link rel="modulepreload" href="/assets/chart.js">');
    expect(chart).not.toContain('/assets/map.js');
  });

  it('the coarse layer (a phone’s first draw) is about half the bytes and still has every municipality, with an area, and every border', async () => {
    const response = await get('/data/geo/municipalities-coarse.json');
    const packed = Buffer.from(await response.arrayBuffer());
    expect(packed.byteLength).toBeLessThan(compressed * 0.6);
    console.info(`coarse municipal layer: ${packed.byteLength.toLocaleString('en-US')} bytes brotli`);
    const coarse = JSON.parse(brotliDecompressSync(packed).toString('utf8')) as MunicipalTopology;
    const drawn = new Map(feature(coarse, coarse.objects.municipalities).features.map((f) => [f.properties.cvegeo, f]));
    expect(drawn.size).toBe(original.features.length);
    for (const f of original.features) {
      const kept = drawn.get(f.properties.cvegeo);
      expect(kept?.properties.nombre_municipio, f.properties.cvegeo).toBe(f.properties.nombre_municipio);
      // None vanishes and none moves by more than the coarse layer's tolerance (the smallest are under a pixel at 640 px).
      const error = Math.abs(area(kept as Feature) - area(f)) / area(f);
      expect(error, f.properties.cvegeo).toBeLessThanOrEqual(MUNICIPAL_COARSE.maxAreaError + 0.01);
    }
    const geoms = coarse.objects.municipalities.geometries;
    const code = (g: (typeof geoms)[number] | undefined) => (g?.properties as Props | undefined)?.cvegeo;
    const pairs = (g: typeof geoms) => new Set(neighbors(g).flatMap((list, i) => list.map((j) => [code(g[i]), code(g[j])].sort().join('-'))));
    const detailed = pairs(served.objects.municipalities.geometries);
    const kept = pairs(geoms);
    expect([...detailed].filter((p) => !kept.has(p))).toEqual([]);
  });

  it('leaves the API’s boundaries whole (the source geometry, as imported)', async () => {
    const body = (await (await get('/api/v1/boundaries/municipalities', 'identity')).json()) as FeatureCollection<Geometry, Props>;
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toHaveLength(original.features.length);
    expect(body.features.find((f) => f.properties.cvegeo === '09015')?.geometry).toEqual(original.features.find((f) => f.properties.cvegeo === '09015')?.geometry);
  });
});
