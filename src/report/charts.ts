import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';

export interface ChartPoint {
  readonly year: number;
  readonly value: number;
  readonly partial: boolean;
}

export interface ChartEvent {
  readonly year: number;
  readonly label: string;
}

// One document for every chart: Plot only needs createElementNS and friends, and a fresh JSDOM costs ~30 ms.
let dom: JSDOM | undefined;
const doc = () => (dom ??= new JSDOM('<!doctype html><html><body></body></html>')).window.document;

/** Complete points, numbered by the run of complete years they belong to (a partial year ends a run). */
function completeRuns(points: readonly ChartPoint[]): (ChartPoint & { run: number })[] {
  let run = 0;
  return points.flatMap((p) => {
    if (p.partial) {
      run += 1;
      return [];
    }
    return [{ ...p, run }];
  });
}

/**
 * A yearly line chart as inline SVG, rendered in Node with Observable Plot. Partial years are hollow dots; events are
 * dashed rules (context, not attribution). Deterministic: no clip paths (Plot numbers those globally), fixed size.
 */
export function lineChartSvg(points: readonly ChartPoint[], events: readonly ChartEvent[], options: { locale: string; title: string; unit: string }): string {
  const years = points.map((p) => p.year);
  const lo = Math.min(...years);
  const hi = Math.max(...years);
  const shown = events.filter((e) => e.year >= lo && e.year <= hi);
  const fmt = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 2 });
  const svg = Plot.plot({
    document: doc(),
    width: 640,
    height: 220,
    marginLeft: 64,
    marginRight: 20,
    style: { fontFamily: 'DejaVu Sans, Arial, sans-serif', fontSize: '11px', background: 'white', color: '#222' },
    x: { label: null, tickFormat: (d: number) => String(d), ticks: Math.min(hi - lo + 1, 10), domain: [lo - 0.3, hi + 0.3] },
    y: { label: options.unit, grid: true, zero: true, tickFormat: (d: number) => fmt.format(d) },
    marks: [
      Plot.ruleX(shown, { x: 'year', stroke: '#888', strokeDasharray: '4,3' }),
      // Events are numbered (the caption lists them): names would overlap where several fall in one year.
      Plot.text(shown.filter((_, i) => i % 2 === 0), { x: 'year', text: 'label', frameAnchor: 'top', dy: 2, fill: '#444', fontSize: 9, fontWeight: 'bold' }),
      Plot.text(shown.filter((_, i) => i % 2 === 1), { x: 'year', text: 'label', frameAnchor: 'top', dy: 13, fill: '#444', fontSize: 9, fontWeight: 'bold' }),
      // The line joins complete years only: a partial year stands apart (each run between partial ones is its own segment).
      Plot.lineY(completeRuns(points), { x: 'year', y: 'value', z: 'run', stroke: '#1d4e89', strokeWidth: 2 }),
      Plot.dot(points.filter((p) => !p.partial), { x: 'year', y: 'value', fill: '#1d4e89', r: 3 }),
      Plot.dot(points.filter((p) => p.partial), { x: 'year', y: 'value', stroke: '#1d4e89', fill: 'white', r: 3.5 }),
    ],
  });
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', options.title);
  return svg.outerHTML;
}
