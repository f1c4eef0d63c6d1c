import type { Feature, FeatureCollection } from 'geojson';
import { feature, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { filter, filterAttachedWeight, presimplify, simplify, sphericalRingArea, sphericalTriangleArea } from 'topojson-simplify';
import type { GeometryCollection, Objects, Topology } from 'topojson-specification';

/**
 * The municipal layer as the site draws it: the stored boundaries (as published, also served whole by
 * `/api/v1/boundaries/municipalities`) turned into a TopoJSON topology, so each border between two municipalities is
 * one shared arc, then simplified with Visvalingam's effective area on the sphere (topojson-simplify). Simplifying
 * shared arcs once keeps neighbours touching: no slivers, no gaps. Arc ends (where three municipalities meet) are
 * always kept, so no municipality loses its polygon; only detached rings (islets) smaller than the tolerance go.
 */
export const MUNICIPAL_DISPLAY = {
  /**
   * Points whose effective triangle is smaller than this are dropped (Visvalingam–Whyatt), in km². The bundled source
   * is already rounded to 4 decimals, so this removes ~10% of its points; the shared arcs and the grid below do the rest
   * (measured: 72,716 of 80,392 points kept; every municipality within 25% of its area, 99% within 5%).
   */
  minAreaKm2: 0.5,
  /** Coordinates snapped to a 30,000 × 30,000 grid over Mexico's bounding box (~110 m east–west, ~65 m north–south). */
  quantization: 3e4,
  /** A municipality whose area moves by more than this once simplified keeps all its points (see below). */
  maxAreaError: 0.05,
  /** The TopoJSON object that holds the municipalities. */
  object: 'municipalities',
} as const;

/**
 * The layer a municipal map is drawn with first (`/data/geo/municipalities-coarse.json`): about half the bytes, so on a
 * phone over 3G the map appears within the budget. At 640 px Mexico's ~3,000 km are ~4.7 km a pixel, so a 20 km²
 * triangle is under a pixel and the coarse map looks like the detailed one; wider maps redraw with the detailed layer
 * once it arrives. A municipality moving by more than half its area keeps its borders whole, so none vanishes.
 */
export const MUNICIPAL_COARSE = { minAreaKm2: 20, quantization: 5e3, maxAreaError: 0.5 } as const;

const EARTH_RADIUS_KM = 6371.0088;
/** Steradians of the sphere per km² of the Earth's mean sphere. */
const steradians = (km2: number) => km2 / EARTH_RADIUS_KM ** 2;

type MunicipalProps = { cvegeo: string; nombre_municipio?: string; nombre_estado?: string };
export type MunicipalTopology = Topology<{ municipalities: GeometryCollection<MunicipalProps> }>;

/** Whatever the winding of the ring, its area (the smaller side of the sphere). */
function ringArea(ring: [number, number][]): number {
  const a = sphericalRingArea(ring, false);
  return Math.min(a, 4 * Math.PI - a);
}

/** Keeps only what the page reads: the code and the names for titles and the zero fill. */
function slim(f: Feature): Feature {
  const p = (f.properties ?? {}) as Record<string, unknown>;
  const properties: MunicipalProps = { cvegeo: String(p['cvegeo']) };
  if (typeof p['nombre_municipio'] === 'string') properties.nombre_municipio = p['nombre_municipio'];
  if (typeof p['nombre_estado'] === 'string') properties.nombre_estado = p['nombre_estado'];
  return { type: 'Feature', properties, geometry: f.geometry };
}

/** A municipality's area on the sphere (steradians), whatever its rings' winding: each ring's smaller side, holes taken off. */
function featureArea(f: Feature): number {
  const polygon = (rings: [number, number][][]) => rings.reduce((sum, r, i) => sum + (i === 0 ? ringArea(r) : -ringArea(r)), 0);
  const g = f.geometry;
  if (g?.type === 'Polygon') return polygon(g.coordinates as [number, number][][]);
  if (g?.type === 'MultiPolygon') return g.coordinates.reduce((sum, p) => sum + polygon(p as [number, number][][]), 0);
  return 0;
}

/** The arcs (by index) a geometry is drawn with. */
function arcsOf(g: GeometryCollection<MunicipalProps>['geometries'][number]): number[] {
  const arcs: unknown = (g as { arcs?: unknown }).arcs ?? [];
  const flat = (a: unknown): number[] => (Array.isArray(a) ? a.flatMap(flat) : typeof a === 'number' ? [a < 0 ? ~a : a] : []);
  return flat(arcs);
}

/**
 * The simplified, quantized topology of the municipal features (one object, `municipalities`). A municipality whose
 * area moves by more than `maxAreaError` once simplified and quantized (the smallest ones, a few km², drawn with few
 * points) keeps every point of its borders: they are marked to be kept (weight ∞) and the layer is simplified again.
 */
export function municipalDisplayTopology(
  features: readonly Feature[], options: { minAreaKm2?: number; quantization?: number; maxAreaError?: number } = {},
): MunicipalTopology {
  const minWeight = steradians(options.minAreaKm2 ?? MUNICIPAL_DISPLAY.minAreaKm2);
  const maxError = options.maxAreaError ?? MUNICIPAL_DISPLAY.maxAreaError;
  const collection: FeatureCollection = { type: 'FeatureCollection', features: features.map(slim) };
  // Build the topology on a fine grid first (1e6 steps, ~3 m), so that arcs are found where the source's borders agree.
  const fine = topology({ [MUNICIPAL_DISPLAY.object]: collection }, 1e6) as Topology<Objects<MunicipalProps>>;
  const weighted = presimplify(fine, sphericalTriangleArea);
  const geometries = (fine.objects[MUNICIPAL_DISPLAY.object] as GeometryCollection<MunicipalProps>).geometries;
  const published = geometries.map((g) => featureArea(feature(fine, g) as Feature));
  let result: MunicipalTopology | null = null;
  // Each pass keeps the borders of the municipalities that moved too much; three passes settle it (neighbours share arcs).
  for (let pass = 0; pass < 3; pass++) {
    const simplified = simplify(weighted, minWeight);
    const kept = filter(simplified, filterAttachedWeight(simplified, minWeight, ringArea));
    result = quantize(kept, options.quantization ?? MUNICIPAL_DISPLAY.quantization) as unknown as MunicipalTopology;
    const drawn = result.objects.municipalities.geometries;
    const moved = geometries.filter((g, i) => {
      const before = published[i] as number;
      const after = featureArea(feature(result as MunicipalTopology, drawn[i] as typeof g) as Feature);
      return before > 0 && Math.abs(after - before) / before > maxError;
    });
    if (moved.length === 0) break;
    for (const g of moved) for (const a of arcsOf(g)) for (const point of weighted.arcs[a] ?? []) point[2] = Infinity;
  }
  return result as MunicipalTopology;
}
