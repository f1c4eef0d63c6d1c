/// <reference lib="dom" />
import { geoConicConformal, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { FONT, INK, svgEl, svgTextBlock } from './svg.js';

/** The border map's page configuration (JSON in the page) and the files it loads. */
export interface BorderMapConfig {
  readonly page: 'border-map';
  readonly lang: 'es' | 'en';
  readonly files: { readonly usStates: string; readonly mxStates: string; readonly incidents: string };
  readonly messages: Record<'title' | 'dead' | 'missing' | 'source' | 'legend' | 'loading' | 'loadFailed' | 'person' | 'people', string>;
}

export interface IncidentProps {
  readonly id: string;
  readonly date: string;
  readonly dead: number;
  readonly missing: number;
  readonly total: number;
  readonly cause: string;
  readonly location: string;
  readonly source: string;
  readonly url: string;
}

export interface IncidentFile extends FeatureCollection<Point, IncidentProps> {
  readonly attribution: string;
  readonly caveat: string;
}

/** U.S. states on the border (FIPS): the map is framed on them and Mexico's states. */
const BORDER_STATES = new Set(['06', '04', '35', '48']);
const PAD = 8;
/** Circle area proportional to dead + missing. */
const radius = (total: number) => 1.6 + Math.sqrt(Math.max(total, 0)) * 1.8;

/** The text of a point's tooltip, in the page's language. */
export function incidentLabel(p: IncidentProps, m: BorderMapConfig['messages'], locale: string): string {
  const nf = new Intl.NumberFormat(locale);
  return `${p.date} · ${nf.format(p.dead)} ${m.dead}, ${nf.format(p.missing)} ${m.missing} · ${p.cause} · ${p.location} · ${m.source}: ${p.source}`;
}

/** Both countries' states and the IOM incidents as circles sized by dead + missing, each with its tooltip and source link. */
/** The U.S. states layer (us-atlas) and Mexico's states as served under /data/geo/. */
export type UsStatesTopology = Topology<{ states: GeometryCollection<{ name: string }> }>;
export type MxStates = FeatureCollection<Geometry, { cve_geo: string; nombre_estado?: string }>;

export function renderBorderMap(
  us: UsStatesTopology, mx: MxStates,
  incidents: IncidentFile, config: BorderMapConfig, width: number,
): SVGSVGElement {
  const locale = config.lang === 'es' ? 'es-MX' : 'en-US';
  const usStates = feature(us, us.objects.states) as FeatureCollection<Geometry, { name: string }>;
  const frame: FeatureCollection = {
    type: 'FeatureCollection',
    features: [...usStates.features.filter((f) => BORDER_STATES.has(String(f.id))), ...mx.features.filter((f) => ['02', '26', '08', '05', '19', '28'].includes(f.properties.cve_geo))],
  };
  const svg = svgEl('svg', { xmlns: 'http://www.w3.org/2000/svg', width, class: 'observa-map border-map', 'font-family': FONT, fill: INK, style: 'max-width:100%;height:auto;background:white', role: 'group', 'aria-label': config.messages.title });
  let y = svgTextBlock(svg, config.messages.title, PAD, 20, width - 2 * PAD, 15, { 'font-weight': 'bold' }) + 4;
  const height = Math.round(width * 0.55);
  const projection = geoConicConformal().parallels([22, 34]).rotate([106, 0]).fitExtent([[PAD, y], [width - PAD, y + height]], frame);
  const path = geoPath(projection);
  const clip = svgEl('clipPath', { id: 'border-map-clip' });
  clip.append(svgEl('rect', { x: 0, y, width, height }));
  const defs = svgEl('defs');
  defs.append(clip);
  svg.append(defs);
  const land = svgEl('g', { 'clip-path': 'url(#border-map-clip)', stroke: '#fff', 'stroke-width': 0.8, 'aria-hidden': 'true' });
  for (const f of usStates.features) land.append(svgEl('path', { d: path(f) ?? '', fill: '#dfe6ee' }));
  for (const f of mx.features) land.append(svgEl('path', { d: path(f as Feature) ?? '', fill: '#efe8dc' }));
  svg.append(land);

  const points = svgEl('g', { class: 'incidents', 'clip-path': 'url(#border-map-clip)' });
  // Large incidents first, so small ones stay visible (and clickable) on top.
  const sorted = [...incidents.features].sort((a, b) => b.properties.total - a.properties.total);
  for (const f of sorted) {
    const xy = projection(f.geometry.coordinates as [number, number]);
    if (!xy) continue;
    const label = incidentLabel(f.properties, config.messages, locale);
    const circle = svgEl('circle', {
      cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: radius(f.properties.total).toFixed(1), fill: '#c0392b', 'fill-opacity': 0.45, stroke: '#7b1d12', 'stroke-width': 0.6,
      'data-id': f.properties.id, 'data-total': f.properties.total,
    });
    circle.append(svgEl('title', {}, label));
    if (/^https?:\/\//.test(f.properties.url)) {
      const link = svgEl('a', { href: f.properties.url, rel: 'external', 'aria-label': label });
      link.append(circle);
      points.append(link);
    } else {
      points.append(circle);
    }
  }
  svg.append(points);
  y += height + 16;

  // Legend: three reference sizes.
  const legend = svgEl('g', { class: 'legend', 'font-size': 12 });
  legend.append(svgEl('text', { x: PAD, y }, config.messages.legend));
  let x = PAD;
  y += 22;
  for (const n of [1, 10, 50]) {
    const r = radius(n);
    legend.append(svgEl('circle', { cx: x + r, cy: y - 4, r, fill: '#c0392b', 'fill-opacity': 0.45, stroke: '#7b1d12', 'stroke-width': 0.6 }));
    legend.append(svgEl('text', { x: x + 2 * r + 4, y }, `${n} ${n === 1 ? config.messages.person : config.messages.people}`));
    x += 2 * r + 90;
  }
  svg.append(legend);
  y += 22;
  y = svgTextBlock(svg, `${incidents.attribution} ${incidents.caveat}`, PAD, y, width - 2 * PAD, 11, { fill: '#555' }) + 4;
  svg.setAttribute('height', String(Math.ceil(y)));
  svg.setAttribute('viewBox', `0 0 ${width} ${Math.ceil(y)}`);
  return svg;
}
