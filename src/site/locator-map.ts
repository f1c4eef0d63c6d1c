import { geoArea, geoConicConformal, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { feature } from 'topojson-client';
import { topology } from 'topojson-server';
import { filter, filterAttachedWeight, presimplify, simplify, sphericalRingArea, sphericalTriangleArea } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { ReadTx } from '../store/index.js';
import { remember } from './data.js';
import { html, type Raw } from './html.js';

/*
 * A state profile's locator map: Mexico's 32 states with the profile's state filled, drawn on the server as a small
 * SVG (no script, no layer to download: ~9 KB of markup in the page). The boundaries are the stored `states` layer, simplified
 * (shared borders, Visvalingam on the sphere at 150 km², about two pixels at this size; islets under that dropped; whole-pixel coordinates) and projected once per data version.
 */
const WIDTH = 320;
const MIN_AREA_KM2 = 150;
const EARTH_RADIUS_KM = 6371.0088;

interface Outlines {
  readonly height: number;
  readonly paths: ReadonlyMap<string, string>;
}

/** d3-geo wants clockwise exterior rings; RFC 7946 files wind the other way. Reverse polygons larger than a hemisphere. */
function rewind(f: Feature<Geometry>): Feature<Geometry> {
  const g = f.geometry;
  const fix = (rings: Position[][]) => (geoArea({ type: 'Polygon', coordinates: rings }) > 2 * Math.PI ? rings.map((r) => [...r].reverse()) : rings);
  if (g.type === 'Polygon') return { ...f, geometry: { type: 'Polygon', coordinates: fix(g.coordinates) } };
  if (g.type === 'MultiPolygon') return { ...f, geometry: { type: 'MultiPolygon', coordinates: g.coordinates.map(fix) } };
  return f;
}

async function outlines(tx: ReadTx): Promise<Outlines | null> {
  return remember(tx, 'locator|states', async () => {
    const rows = await tx.all<{ geo: string; geometry: string }>(
      `SELECT geo, geometry::VARCHAR AS geometry FROM boundary WHERE layer = 'states' AND superseded_by IS NULL AND geo IS NOT NULL ORDER BY geo`);
    if (rows.length === 0) return null;
    const states: FeatureCollection = { type: 'FeatureCollection', features: rows.map((r) => ({ ...(JSON.parse(r.geometry) as Feature), id: r.geo })) };
    const topo = topology({ states }, 1e5) as Topology<{ states: GeometryCollection }>;
    const minWeight = MIN_AREA_KM2 / EARTH_RADIUS_KM ** 2;
    const ringArea = (ring: [number, number][]) => ((a) => Math.min(a, 4 * Math.PI - a))(sphericalRingArea(ring, false));
    const thin = simplify(presimplify(topo, sphericalTriangleArea), minWeight);
    const simplified = filter(thin, filterAttachedWeight(thin, minWeight, ringArea)) as Topology<{ states: GeometryCollection }>;
    const collection = feature(simplified, simplified.objects.states) as FeatureCollection<Geometry>;
    const shapes: FeatureCollection<Geometry> = { ...collection, features: collection.features.map(rewind) };
    const projection = geoConicConformal().rotate([102, 0]).parallels([17.5, 29.5]).fitWidth(WIDTH, shapes);
    const path = geoPath(projection).digits(0);
    const [, [, bottom]] = path.bounds(shapes);
    return { height: Math.ceil(bottom) + 1, paths: new Map(shapes.features.map((f) => [String(f.id), path(f) ?? ''])) };
  });
}

/** The locator map of one state, or nothing where the store holds no state boundaries. */
export async function locatorMap(tx: ReadTx, code: string, label: string): Promise<Raw | ''> {
  const shapes = await outlines(tx);
  if (!shapes || !shapes.paths.has(code)) return '';
  const others = [...shapes.paths].filter(([geo]) => geo !== code).map(([, d]) => d).join('');
  return html`<figure class="locator-map"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${shapes.height}" width="${WIDTH}" height="${shapes.height}" role="img" aria-label="${label}">
<title>${label}</title><path d="${others}" fill="#dde3ea" stroke="#fff" stroke-width="0.6"/><path d="${shapes.paths.get(code) ?? ''}" fill="#0b4f8a" stroke="#0b4f8a" stroke-width="0.6"/></svg></figure>`;
}
