/// <reference lib="dom" />
import * as Plot from '@observablehq/plot';
import { FONT, INK } from './svg.js';
import type { Locale } from './types.js';

/** The page's data: the both-sides view as the API gives it (`/api/v1/both-sides`). */
export interface BothSidesPoint { period: string; year: number; value: number | null; index: number | null; partial: boolean; flags: string[] }
export interface BothSidesSeries {
  indicator: string; name: string; unit: string; geo_name: string; side: string; freq: 'fy' | 'year'; base: { period: string; value: number | null };
  points: BothSidesPoint[]; sources: { publisher: string; dataset: string; url: string; files: string[] }[];
}
export interface BothSidesPair { id: string; title: string; method: string; caveats: string[]; series: BothSidesSeries[] }

const COLORS = ['#0072B2', '#D55E00'];
const DASHES = ['none', '6,3'];

interface Point { series: number; label: string; year: number; index: number; period: string; value: number; partial: boolean }

/**
 * Two series indexed to their base period (= 100) against the year each period is named after. Complete periods make
 * the lines; partial periods are hollow dots off the line (never joined to it), labelled in the legend.
 */
export function renderIndexChart(pair: BothSidesPair, opts: { locale: Locale; width: number; indexLabel: string; partialLabel: string; baseLabel: string; citation: string }): Element {
  const nf = new Intl.NumberFormat(opts.locale, { maximumFractionDigits: 1 });
  const labels = pair.series.map((s) => `${s.name} (${s.side}, ${s.base.period} = 100)`);
  const points: Point[] = pair.series.flatMap((s, i) => s.points
    .filter((p) => p.index !== null && p.value !== null)
    .map((p) => ({ series: i, label: labels[i] ?? '', year: p.year, index: p.index as number, period: p.period, value: p.value as number, partial: p.partial })));
  const complete = points.filter((p) => !p.partial);
  const partial = points.filter((p) => p.partial);
  const tip = (p: Point) => `${p.label}\n${p.period}: ${nf.format(p.index)} (${nf.format(p.value)} ${pair.series[p.series]?.unit ?? ''})${p.partial ? `\n${opts.partialLabel}` : ''}`;
  const years = points.map((p) => p.year);
  const [y0, y1] = [Math.min(...years), Math.max(...years)];
  const fig = Plot.plot({
    width: opts.width,
    height: Math.round(Math.min(420, Math.max(260, opts.width * 0.5))),
    marginTop: 24,
    marginRight: 20,
    marginLeft: 48,
    caption: opts.citation,
    ariaLabel: pair.title,
    style: { fontFamily: FONT, fontSize: '12px', color: INK, background: 'white' },
    x: { label: null, domain: [y0 - 0.3, y1 + 0.3], ticks: Array.from({ length: y1 - y0 + 1 }, (_, k) => y0 + k).filter((y) => opts.width >= 600 || (y - y0) % 2 === 0), tickFormat: (d: number) => String(d) },
    y: { grid: true, zero: true, nice: true, label: opts.indexLabel, tickFormat: (n: number) => nf.format(n) },
    marks: [
      Plot.ruleY([100], { stroke: '#666', strokeDasharray: '3,3' }),
      Plot.text([100], { y: (d: number) => d, text: () => opts.baseLabel, frameAnchor: 'left', dx: 4, dy: -7, fontSize: 10, fill: '#555' }),
      ...pair.series.map((_, i) =>
        Plot.line(complete.filter((p) => p.series === i), { x: 'year', y: 'index', stroke: COLORS[i], strokeWidth: 2, strokeDasharray: DASHES[i] }),
      ),
      Plot.dot(complete, { x: 'year', y: 'index', fill: (p: Point) => COLORS[p.series], r: 3.5, title: tip, tip: true }),
      Plot.dot(partial, { x: 'year', y: 'index', stroke: (p: Point) => COLORS[p.series], fill: 'white', strokeWidth: 1.5, r: 4, title: tip }),
    ],
  });
  const svg = fig instanceof SVGSVGElement ? fig : fig.querySelector('svg');
  svg?.setAttribute('aria-label', pair.title);
  // Plot names each mark's group with aria-label, which ARIA forbids on a plain <g>: the figure's own label and the
  // tables below carry the content.
  for (const g of Array.from(svg?.querySelectorAll('g[aria-label]') ?? [])) g.removeAttribute('aria-label');
  // The legend is HTML under the chart, so long series names wrap on a phone instead of running off the plot.
  const legend = document.createElement('ul');
  legend.className = 'chart-legend';
  const item = (swatch: string, text: string) => {
    const li = document.createElement('li');
    li.innerHTML = swatch;
    li.append(` ${text}`);
    legend.append(li);
  };
  labels.forEach((label, i) => item(`<svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="${COLORS[i] ?? INK}" stroke-width="2" stroke-dasharray="${DASHES[i] ?? 'none'}"/><circle cx="14" cy="5" r="3.5" fill="${COLORS[i] ?? INK}"/></svg>`, label));
  if (partial.length > 0) item('<svg width="12" height="10" aria-hidden="true"><circle cx="6" cy="5" r="3.5" fill="white" stroke="#555" stroke-width="1.5"/></svg>', opts.partialLabel);
  const caption = fig.querySelector('figcaption');
  if (caption) caption.before(legend);
  else fig.append(legend);
  fig.setAttribute('data-pair', pair.id);
  fig.setAttribute('data-partial-points', String(partial.length));
  fig.setAttribute('data-complete-points', String(complete.length));
  return fig;
}
