/// <reference lib="dom" />
import { geoArea, geoConicConformal, geoIdentity, geoPath, type GeoProjection } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { FONT, INK, svgEl, svgTextBlock } from './svg.js';
import { classBreaks, classColors, classOf, NO_DATA_FILL, NO_DATA_PATTERN_ID } from './scale.js';
import type { ChoroplethOptions, Locale } from './types.js';

export const MAP_WIDTH = 640;

type StateProps = { cve_geo: string; nombre_estado?: string };
type MunicipalProps = { cvegeo: string; nombre_municipio?: string; nombre_estado?: string };
type HexProps = { state_abbr: string; state_code: number };

const PAD = 8;
const TABLE_HINT: Record<Locale, string> = {
  'es-MX': 'Los valores de cada municipio se listan en la vista de tabla.',
  'en-US': 'The table view lists the value for each municipality.',
};
let patternSeq = 0;

interface Shape {
  readonly code: string;
  readonly name: string;
  readonly feature: Feature;
  readonly label?: string;
}

interface Mode {
  /** Focusable per-feature paths (states, hexes) or one focusable svg (municipalities). */
  readonly focusable: boolean;
  readonly stroke: string;
  readonly strokeWidth: number;
  /** Places as links only (the states index): one neutral fill, each place named, no values and no legend. */
  readonly plain?: boolean;
}

/** The fill of a place on a map without values (contrast with the labels' ink: 11:1). */
const PLAIN_FILL = '#cfdceb';

/** d3-geo wants clockwise exterior rings; RFC 7946 files wind the other way. Reverse polygons larger than a hemisphere. */
function rewind(f: Feature): Feature {
  const g = f.geometry;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return f;
  const fix = (rings: Position[][]): Position[][] => (geoArea({ type: 'Polygon', coordinates: rings }) > 2 * Math.PI ? rings.map((r) => [...r].reverse()) : rings);
  const geometry: Polygon | MultiPolygon = g.type === 'Polygon' ? { type: 'Polygon', coordinates: fix(g.coordinates) } : { type: 'MultiPolygon', coordinates: g.coordinates.map(fix) };
  return { ...f, geometry };
}

function decimalsOf(n: number): number {
  const m = /\.(\d+)$/.exec(String(n));
  return m?.[1]?.length ?? 0;
}

/** Shared choropleth: fills, titles, legend, title and citation. */
function choropleth(shapes: readonly Shape[], projection: GeoProjection, opts: ChoroplethOptions, mode: Mode): SVGSVGElement {
  const width = opts.width ?? MAP_WIDTH;
  const nf = new Intl.NumberFormat(opts.locale, { maximumFractionDigits: opts.decimals });
  const present = shapes.map((s) => opts.values.get(s.code)?.value).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const breaks = classBreaks(present);
  const colors = classColors(present.length ? breaks.length + 1 : 0);
  const patternId = `${NO_DATA_PATTERN_ID}-${++patternSeq}`;

  const svg = svgEl('svg', { xmlns: 'http://www.w3.org/2000/svg', width, class: 'observa-map', 'font-family': FONT, fill: INK, style: 'max-width:100%;height:auto;background:white' });
  svg.append(
    svgEl('style', {}, '.observa-map [tabindex]:focus,.observa-map a:focus{outline:none}.observa-map [tabindex]:focus,.observa-map a:focus path{stroke:#000;stroke-width:2}.observa-map path[data-geo]:hover{stroke:#000;stroke-width:1}'),
  );
  const pattern = svgEl('pattern', { id: patternId, patternUnits: 'userSpaceOnUse', width: 6, height: 6, patternTransform: 'rotate(45)' });
  pattern.append(svgEl('rect', { width: 6, height: 6, fill: NO_DATA_FILL }), svgEl('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#9a9a9a', 'stroke-width': 1.5 }));
  const defs = svgEl('defs');
  defs.append(pattern);
  svg.append(defs);

  let y = svgTextBlock(svg, opts.title, PAD, 20, width - 2 * PAD, 15, { 'font-weight': 'bold' }) + 4;

  // Fit the projection to the width, then place it under the title.
  const fc: FeatureCollection = { type: 'FeatureCollection', features: shapes.map((s) => s.feature) };
  projection.fitWidth(width - 2 * PAD, fc);
  const [[x0, y0], [x1, y1]] = geoPath(projection).bounds(fc);
  const mapHeight = Math.min(Math.max(1, ((y1 - y0) * (width - 2 * PAD)) / Math.max(1, x1 - x0)), width * 1.2);
  projection.fitExtent([[PAD, y], [width - PAD, y + mapHeight]], fc);
  const path = geoPath(projection);

  const group = svgEl('g', { class: 'features', stroke: mode.stroke, 'stroke-width': mode.strokeWidth, 'stroke-linejoin': 'round' });
  if (mode.focusable) {
    group.setAttribute('role', 'list');
    group.setAttribute('aria-label', opts.title);
  }
  const first = shapes[0];
  const cellWidth = first?.label ? ((b) => b[1][0] - b[0][0])(path.bounds(first.feature)) : 40;
  const labelSize = Math.max(7, Math.min(12, Math.round(cellWidth * 0.27)));
  const labels = svgEl('g', { 'aria-hidden': 'true', 'text-anchor': 'middle', 'font-size': labelSize, 'font-weight': 'bold', 'pointer-events': 'none' });
  for (const s of shapes) {
    const d = path(s.feature);
    if (!d) continue;
    const mv = opts.values.get(s.code);
    const value = mv && typeof mv.value === 'number' && Number.isFinite(mv.value) ? mv.value : null;
    const name = mv?.name || s.name;
    const cls = value === null ? -1 : classOf(value, breaks);
    const flags = mv?.flags.length ? ` (${mv.flags.map((f) => opts.flagLabels?.[f] ?? f).join(', ')})` : '';
    const text = mode.plain ? name : value === null ? `${name}: ${opts.noDataLabel}${flags}` : `${name}: ${nf.format(value)} ${opts.unit}${flags}`;
    const fill = mode.plain ? PLAIN_FILL : cls < 0 ? `url(#${patternId})` : (colors[cls] as string);
    const p = svgEl('path', { d, fill, 'data-geo': s.code, 'data-value': value === null ? '' : String(value) });
    p.append(svgEl('title', {}, text));
    if (mode.focusable && opts.placeHref) {
      // A link per state (click or keyboard opens its profile), inside a list item so the list keeps its semantics.
      const item = svgEl('g', { role: 'listitem' });
      const link = svgEl('a', { href: opts.placeHref(s.code), 'aria-label': text, 'data-geo-link': s.code });
      link.append(p);
      item.append(link);
      group.append(item);
    } else {
      if (mode.focusable) {
        p.setAttribute('tabindex', '0');
        p.setAttribute('role', 'listitem');
        p.setAttribute('aria-label', text);
      }
      group.append(p);
    }
    if (s.label) {
      const [cx, cy] = path.centroid(s.feature);
      labels.append(svgEl('text', { x: cx.toFixed(1), y: cy.toFixed(1), dy: '0.35em', fill: !mode.plain && cls >= Math.ceil(colors.length / 2) ? 'white' : INK }, s.label));
    }
  }
  svg.append(group);
  if (labels.childNodes.length) svg.append(labels);
  y += mapHeight + 18;
  if (mode.plain) y -= 32;
  else y = legendOf(svg, opts, { present, breaks, colors, patternId, nf, y, width });
  if (opts.note) y = svgTextBlock(svg, opts.note, PAD, y + 32, width - 2 * PAD, 12, { class: 'coverage-note', fill: INK }) - 16;
  y = svgTextBlock(svg, opts.citation, PAD, y + 32, width - 2 * PAD, 11, { fill: '#555' }) + 4;

  const height = Math.ceil(y);
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  if (mode.focusable) {
    svg.setAttribute('role', 'group');
    svg.setAttribute('aria-label', opts.title);
  } else {
    svg.setAttribute('tabindex', '0');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${opts.title}. ${TABLE_HINT[opts.locale]}`);
  }
  return svg;
}

/** The legend: unit, one swatch per class with its range, and the no-data swatch; returns the y below it. */
function legendOf(
  svg: SVGSVGElement, opts: ChoroplethOptions,
  c: { present: number[]; breaks: number[]; colors: string[]; patternId: string; nf: Intl.NumberFormat; y: number; width: number },
): number {
  const { present, breaks, colors, patternId, nf, width } = c;
  let y = c.y;

  // Legend: unit, one swatch per class with its range, and the no-data swatch.
  const legend = svgEl('g', { class: 'legend', 'font-size': 12 });
  legend.append(svgEl('text', { x: PAD, y, 'font-weight': 'bold' }, opts.unit));
  y += 10;
  const fmt = (n: number) => new Intl.NumberFormat(opts.locale, { maximumFractionDigits: Math.max(opts.decimals, decimalsOf(n)) }).format(n);
  const [min, max] = [Math.min(...present), Math.max(...present)];
  // The extremes are data values: shown at the indicator's precision; inner breaks are nice numbers.
  const extreme = (n: number) => nf.format(n);
  const items = colors.map((fill, i) => {
    const lo = i === 0 ? extreme(min) : fmt(breaks[i - 1] as number);
    const hi = i === colors.length - 1 ? extreme(max) : fmt(breaks[i] as number);
    return { fill, label: lo === hi ? lo : `${lo} – ${hi}` };
  });
  items.push({ fill: `url(#${patternId})`, label: opts.noDataLabel });
  let x = PAD;
  for (const item of items) {
    const w = 24 + item.label.length * 7;
    if (x > PAD && x + w > width - PAD) {
      x = PAD;
      y += 20;
    }
    legend.append(svgEl('rect', { x, y, width: 18, height: 12, fill: item.fill, stroke: '#888', 'stroke-width': 0.5 }), svgEl('text', { x: x + 23, y: y + 10 }, item.label));
    x += w + 12;
  }
  svg.append(legend);
  return y;
}

function mexicoConic(): GeoProjection {
  return geoConicConformal().rotate([102, 0]).parallels([17.5, 29.5]);
}

/** The 32 states (properties.cve_geo '01'…'32'). */
export function renderStateMap(features: FeatureCollection<Geometry, StateProps>, opts: ChoroplethOptions): SVGSVGElement {
  const shapes = features.features.map((f) => ({ code: f.properties.cve_geo, name: f.properties.nombre_estado ?? f.properties.cve_geo, feature: rewind(f) }));
  return choropleth(shapes, mexicoConic(), opts, { focusable: true, stroke: 'white', strokeWidth: 0.75 });
}

/** The municipal layer as served: a simplified TopoJSON topology with one object, `municipalities` (src/site/map-layers.ts). */
export type MunicipalTopology = Topology<{ municipalities: GeometryCollection<MunicipalProps> }>;

/** The municipalities of the served topology as GeoJSON features (borders shared between neighbours stay shared). */
export function municipalFeatures(topology: MunicipalTopology): FeatureCollection<Geometry, MunicipalProps> {
  return feature(topology, topology.objects.municipalities);
}

/** ~2,457 municipalities (properties.cvegeo, 5 digits): one path each, one focusable svg. */
export function renderMunicipalMap(features: FeatureCollection<Geometry, MunicipalProps>, opts: ChoroplethOptions): SVGSVGElement {
  const shapes = features.features.map((f) => {
    const p = f.properties;
    return { code: p.cvegeo, name: p.nombre_municipio ? `${p.nombre_municipio}${p.nombre_estado ? `, ${p.nombre_estado}` : ''}` : p.cvegeo, feature: rewind(f) };
  });
  return choropleth(shapes, mexicoConic(), opts, { focusable: false, stroke: 'white', strokeWidth: 0.1 });
}

/** The hexagon layer as served (/data/geo/states-hex.json): one hexagon per state. */
export type HexTopology = Topology<{ mx_hexgrid: GeometryCollection<HexProps> }>;

/** The hexagons as links to each state's profile, without values (the states index); `names` gives each link its name. */
export function renderHexLinks(
  topology: HexTopology,
  opts: { names: ReadonlyMap<string, string>; title: string; note?: string; citation: string; locale: Locale; placeHref: (code: string) => string; width?: number },
): SVGSVGElement {
  const values = new Map([...opts.names].map(([code, name]) => [code, { value: null, name, flags: [] }]));
  const hexes = feature(topology, topology.objects.mx_hexgrid);
  const shapes = hexes.features.map((f) => ({ code: String(f.properties.state_code).padStart(2, '0'), name: f.properties.state_abbr, label: f.properties.state_abbr, feature: f as Feature }));
  return choropleth(shapes, geoIdentity().reflectY(true) as unknown as GeoProjection, { ...opts, values, unit: '', decimals: 0, noDataLabel: '' }, { focusable: true, stroke: 'white', strokeWidth: 1.5, plain: true });
}

/** Equal-area hexagons, one per state, labelled with the state abbreviation. */
export function renderHexMap(topology: HexTopology, opts: ChoroplethOptions): SVGSVGElement {
  const hexes = feature(topology, topology.objects.mx_hexgrid);
  const shapes = hexes.features.map((f) => ({
    code: String(f.properties.state_code).padStart(2, '0'),
    name: f.properties.state_abbr,
    label: f.properties.state_abbr,
    feature: f as Feature,
  }));
  return choropleth(shapes, geoIdentity().reflectY(true) as unknown as GeoProjection, opts, { focusable: true, stroke: 'white', strokeWidth: 1.5 });
}
