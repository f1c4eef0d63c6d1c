/// <reference lib="dom" />
import * as Plot from '@observablehq/plot';
import type { LineChartOptions, Locale, SeriesPoint } from './types.js';
// SVG helpers live in svg.ts (no Plot there, so pages that only draw maps do not ship it).
import { FONT, INK, svgEl, svgTextBlock, wrapLines } from './svg.js';
import { fiscalYearLabel } from '../i18n.js';
import { SERIES_COLORS, lineRuns, logEligibility, logTickLabelled, seriesStyles } from './chart-style.js';

const PARTIAL = 'partial-period';
/** Values over a projected population (CONAPO 2020 onwards): their stretch of line is drawn thin and dotted. */
const PROJECTED = 'projected';
const PROJECTED_DASH = '2,3';

function numberFormat(locale: Locale, decimals: number): Intl.NumberFormat {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: decimals, minimumFractionDigits: 0 });
}

function flagText(flags: readonly string[], partialLabel: string, labels: Readonly<Record<string, string>>): string {
  return flags.map((f) => (f === PARTIAL ? partialLabel : (labels[f] ?? f))).join(', ');
}

/** Line chart, one line per geo, with framework events as dashed rules. */
export function renderLineChart(opts: LineChartOptions): SVGSVGElement | HTMLElement {
  const { points, locale, unit, partialLabel } = opts;
  const width = opts.width ?? 800;
  const nf = numberFormat(locale, opts.decimals);
  const geos: { geo: string; name: string }[] = [];
  for (const p of points) if (!geos.some((g) => g.geo === p.geo)) geos.push({ geo: p.geo, name: p.geoName });
  // Every series its own colour and dash pair (unique up to 42 series; the page draws small multiples beyond).
  const styles = seriesStyles(geos.length);
  const color = (i: number) => styles[i]?.color ?? INK;
  const sharedColours = geos.length > SERIES_COLORS.length;
  const dash = (i: number) => styles[i]?.dash ?? 'none';
  // A log axis only where it is honest: never over a zero (the caller says why it is off).
  const log = opts.logScale === true && logEligibility(points.map((p) => p.value)) === 'ok';
  // U.S. fiscal years are named as such on the axis ("FY2023" / "AF2023"), never as a bare year read as a calendar year.
  const fiscal = points.length > 0 && points.every((p) => p.period.startsWith('FY'));
  const lang = locale === 'es-MX' ? 'es' : 'en';
  const label = opts.periodLabel ?? ((period: string) => period);

  const times = points.map((p) => +p.date);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  // Events in the drawn range, numbered in date order: markers carry the number, the legend under the chart the text.
  const events = opts.events
    .map((e) => ({ date: new Date(e.date), label: e.label }))
    .filter((e) => +e.date >= t0 && +e.date <= t1)
    .sort((a, b) => +a.date - +b.date)
    .map((e, i) => ({ ...e, n: i + 1 }));

  const years = (t1 - t0) / 31_557_600_000;
  const yearly = years >= 4 || points.every((p) => p.date.getUTCMonth() === 0);
  const dateFmt = new Intl.DateTimeFormat(locale, yearly ? { year: 'numeric', timeZone: 'UTC' } : { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const tickText = (d: Date) => (fiscal ? fiscalYearLabel(lang, d.getUTCFullYear()) : dateFmt.format(d));
  const yearStep = Math.max(1, Math.ceil(years / Math.max(2, Math.floor(width / 70))));
  // Month labels ("sept 2024") need ~90 px each. A tick count is only a hint to d3 (it picked 3-month steps, 7 labels, at
  // 390 px), so the step itself is chosen: the smallest calendar step whose labels fit the plot's width.
  const monthLabelsThatFit = Math.max(2, Math.floor((width - 80) / 90));
  const monthStep = [1, 2, 3, 4, 6, 12, 24].find((step) => Math.floor((years * 12) / step) + 1 <= monthLabelsThatFit) ?? 24;

  // With many points per series, smaller dots keep the line (and its dash pattern) visible.
  const dense = points.length / Math.max(1, geos.length) > width / 12;
  const tipTitle = (d: SeriesPoint) => {
    const flags = flagText(d.flags, partialLabel, opts.flagLabels ?? {});
    return `${d.geoName}\n${label(d.period)}\n${nf.format(d.value)} ${unit}${flags ? `\n(${flags})` : ''}`;
  };

  const partialText = (d: SeriesPoint) => opts.partialPointLabel?.(d) ?? `${label(d.period)}: ${partialLabel}`;
  const partialInLegend = width < 600;
  const fig = Plot.plot({
    width,
    height: Math.round(Math.min(460, Math.max(280, width * 0.55))),
    marginTop: 30,
    marginRight: 24,
    // Room for the longest y tick label (e.g. "110,000") at 12 px.
    marginLeft: Math.max(40, 8 * nf.format(Math.max(0, ...opts.points.map((p) => p.value))).length + 12),
    title: opts.title,
    caption: opts.citation,
    ariaLabel: opts.title,
    style: { fontFamily: FONT, fontSize: '12px', color: INK, background: 'white' },
    x: { type: 'utc', label: null, tickFormat: tickText, ticks: yearly ? (yearStep === 1 ? 'year' : `${yearStep} years`) : monthStep === 1 ? 'month' : `${monthStep} months` },
    y: log
      ? { type: 'log', grid: true, nice: true, label: `${unit} (${opts.logLabel ?? 'log'})`, tickFormat: (n: number) => (logTickLabelled(n) ? nf.format(n) : '') }
      : { grid: true, zero: true, nice: true, label: unit, tickFormat: (n: number) => nf.format(n) },
    color: { type: 'ordinal', domain: geos.map((g) => g.geo), range: geos.map((_, i) => color(i)) },
    marks: [
      ...(log ? [] : [Plot.ruleY([0], { stroke: '#999' })]),
      Plot.ruleX(events, { x: 'date', stroke: '#666', strokeDasharray: '4,3', strokeWidth: 1 }),
      // A partial period is never joined to the complete ones: each run of complete periods is its own segment (z).
      // Counted values keep the series' own line; from the last counted value on, the projected stretch is dotted.
      ...geos.flatMap((g, i) => {
        const runs = lineRuns(points.filter((d) => d.geo === g.geo), opts.breakGaps === true);
        const first = runs.findIndex((d) => d.flags.includes(PROJECTED));
        const solid = { x: 'date', y: 'value', z: 'run', stroke: 'geo', strokeWidth: 2, strokeDasharray: dash(i) } as const;
        if (first < 0) return [Plot.line(runs, solid)];
        // The dotted stretch starts at the last counted value only when no partial period lies between them.
        const from = first > 0 && runs[first - 1]?.run === runs[first]?.run ? first - 1 : first;
        return [
          Plot.line(runs.slice(0, first), solid),
          // Once colours repeat (over 7 series) the dash is what tells two series apart: the projected stretch keeps it, thin and faded.
          Plot.line(runs.slice(from), {
            x: 'date', y: 'value', z: 'run', stroke: 'geo', className: 'projected-line',
            ...(sharedColours ? { strokeWidth: 1.25, strokeOpacity: 0.55, strokeDasharray: dash(i) } : { strokeWidth: 1.5, strokeDasharray: PROJECTED_DASH }),
          }),
        ];
      }),
      // …and is labelled where it stands, apart (on a narrow chart, in the legend: the label would cross the event rules).
      // One label per partial period (beside its highest value): with several series, stacked labels would overlap.
      Plot.text(partialInLegend ? [] : points.filter((d) => d.flags.includes(PARTIAL) && !points.some((o) => o !== d && o.period === d.period && o.flags.includes(PARTIAL) && o.value > d.value)), {
        x: 'date', y: 'value', text: partialText,
        dy: -12, textAnchor: 'end', fontSize: 11, fill: '#333', stroke: 'white', strokeWidth: 3, className: 'partial-label',
      }),
      Plot.dot(points, {
        x: 'date', y: 'value', stroke: 'geo', fill: 'geo', r: dense ? 2.25 : 3.5, strokeWidth: dense ? 1 : 1.5, title: tipTitle, tip: true,
        render(index, scales, values, dimensions, context, next) {
          const g = next?.(index, scales, values, dimensions, context) ?? null;
          const circles = g ? Array.from(g.querySelectorAll('circle')) : [];
          circles.forEach((c, k) => {
            const d = points[index[k] as number];
            if (!d) return;
            c.setAttribute('data-geo', d.geo);
            c.setAttribute('data-period', d.period);
            c.setAttribute('data-value', String(d.value));
            c.setAttribute('data-style', `${color(geos.findIndex((g) => g.geo === d.geo))} ${dash(geos.findIndex((g) => g.geo === d.geo))}`);
            if (d.flags.includes(PARTIAL)) {
              c.setAttribute('fill', 'white');
              c.setAttribute('r', '3.5');
              c.setAttribute('data-partial', '');
            }
          });
          return g;
        },
      }),
    ],
  });

  const svg = fig instanceof SVGSVGElement ? fig : fig.querySelector('svg');
  if (svg) {
    svg.setAttribute('aria-label', opts.title);
    svg.setAttribute('data-y-scale', log ? 'log' : 'linear');
    // Plot labels its marks' groups (aria-label="line"), which ARIA allows only on elements with a role.
    for (const g of Array.from(svg.querySelectorAll('g[aria-label]:not([role])'))) g.setAttribute('role', 'group');
    const x = (fig as unknown as { scale: (name: 'x') => { apply: (d: Date) => number } }).scale('x');
    addEventMarkers(svg, events.map((e) => ({ n: e.n, x: x.apply(e.date), label: e.label })));
    const eventFmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    addLegend(svg, geos.map((g, i) => ({ name: g.name, color: color(i), dash: dash(i) })), points.some((p) => p.flags.includes(PARTIAL))
      ? (partialInLegend ? [...new Set(points.filter((p) => p.flags.includes(PARTIAL)).map(partialText))].join('; ') : partialLabel) : null,
      opts.projectedLabel && points.some((p) => p.flags.includes(PROJECTED)) ? opts.projectedLabel : null, sharedColours, [opts.note, fiscal ? opts.fiscalNote : undefined].filter(Boolean).join(' ') || null,
      events.map((e) => `${e.n} — ${eventFmt.format(e.date)}: ${e.label}`));
  }
  return fig;
}

export interface EventMarker {
  /** Event numbers sharing the marker ("1,2"). */
  readonly numbers: number[];
  /** Centre of the marker, px. */
  readonly x: number;
  readonly width: number;
}

const MARKER_GAP = 3;
const markerWidth = (numbers: readonly number[]) => Math.max(18, 8 + 6.6 * numbers.join(',').length);

/**
 * Places numbered markers along the top of the plot so no two overlap: neighbours closer than their widths share
 * one marker ("1,2", centred on their mean position), repeated until none overlap; markers stay inside [0, width].
 */
export function placeEventMarkers(events: readonly { n: number; x: number }[], width: number): EventMarker[] {
  let groups = [...events].sort((a, b) => a.x - b.x).map((e) => ({ numbers: [e.n], xs: [e.x] }));
  const place = (g: { numbers: number[]; xs: number[] }): EventMarker => {
    const w = markerWidth(g.numbers);
    const mean = g.xs.reduce((a, b) => a + b, 0) / g.xs.length;
    return { numbers: [...g.numbers].sort((a, b) => a - b), width: w, x: Math.min(Math.max(mean, w / 2), Math.max(w / 2, width - w / 2)) };
  };
  for (;;) {
    const placed = groups.map(place);
    const k = placed.findIndex((m, i) => i > 0 && (placed[i - 1] as EventMarker).x + (placed[i - 1] as EventMarker).width / 2 + MARKER_GAP > m.x - m.width / 2);
    if (k < 0) return placed;
    const [a, b] = [groups[k - 1], groups[k]] as [{ numbers: number[]; xs: number[] }, { numbers: number[]; xs: number[] }];
    groups = [...groups.slice(0, k - 1), { numbers: [...a.numbers, ...b.numbers], xs: [...a.xs, ...b.xs] }, ...groups.slice(k + 1)];
  }
}

/** Numbered markers above the event rules (the rules' text is in the legend under the chart). */
function addEventMarkers(svg: SVGSVGElement, events: readonly { n: number; x: number; label: string }[]): void {
  if (events.length === 0) return;
  const width = Number(svg.getAttribute('width'));
  const g = svgEl('g', { class: 'event-markers', 'font-size': 11, 'font-family': FONT, 'text-anchor': 'middle', 'aria-hidden': 'true' });
  for (const m of placeEventMarkers(events, width)) {
    const marker = svgEl('g', { class: 'event-marker', 'data-events': m.numbers.join(',') });
    marker.append(
      svgEl('rect', { x: (m.x - m.width / 2).toFixed(1), y: 4, width: m.width.toFixed(1), height: 18, rx: 9, fill: 'white', stroke: '#555', 'stroke-width': 1 }),
      svgEl('text', { x: m.x.toFixed(1), y: 13, dy: '0.35em', fill: INK, 'font-weight': 'bold' }, m.numbers.join(',')),
      svgEl('title', {}, events.filter((e) => m.numbers.includes(e.n)).map((e) => `${e.n}: ${e.label}`).join('\n')),
    );
    g.append(marker);
  }
  svg.append(g);
}

/** Series legend (colour + dash + dot) and the numbered events appended below the plot, inside its SVG so downloads keep them. */
function addLegend(
  svg: SVGSVGElement, series: { name: string; color: string; dash: string }[], partialLabel: string | null, projectedLabel: string | null, projectedFaded: boolean, note: string | null,
  eventLines: readonly string[] = [],
): void {
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const g = svgEl('g', { class: 'legend', 'font-size': 12, 'font-family': FONT, fill: INK, 'text-anchor': 'start' });
  // A label wraps when it is wider than the chart (a phone): returns how much taller than one line it came out.
  const label = (x: number, y: number, text: string): number => {
    const lines = wrapLines(text, width - 8 - x, 12).length;
    svgTextBlock(g, text, x, y + 4, width - 8 - x, 12);
    return (lines - 1) * Math.round(12 * 1.3);
  };
  const items: { w: number; draw: (x: number, y: number) => number }[] = series.map((s) => ({
    w: 34 + s.name.length * 6.8,
    draw: (x, y) => {
      g.append(
        svgEl('line', { x1: x, x2: x + 26, y1: y, y2: y, stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': s.dash }),
        svgEl('circle', { cx: x + 13, cy: y, r: 3.5, fill: s.color }),
      );
      return label(x + 32, y, s.name);
    },
  }));
  if (partialLabel) {
    items.push({
      w: 20 + partialLabel.length * 6.8,
      draw: (x, y) => {
        g.append(svgEl('circle', { cx: x + 5, cy: y, r: 3.5, fill: 'white', stroke: '#555', 'stroke-width': 1.5 }));
        return label(x + 14, y, partialLabel);
      },
    });
  }
  if (projectedLabel) {
    items.push({
      w: 34 + projectedLabel.length * 6.8,
      draw: (x, y) => {
        g.append(
          svgEl('line', projectedFaded
            ? { x1: x, x2: x + 26, y1: y, y2: y, stroke: '#555', 'stroke-width': 1.25, 'stroke-opacity': 0.55, class: 'legend-projected' }
            : { x1: x, x2: x + 26, y1: y, y2: y, stroke: '#555', 'stroke-width': 1.5, 'stroke-dasharray': PROJECTED_DASH, class: 'legend-projected' }),
        );
        return label(x + 32, y, projectedLabel);
      },
    });
  }
  let x = 8;
  let y = height + 10;
  let rowExtra = 0;
  for (const item of items) {
    if (x > 8 && x + item.w > width - 8) {
      x = 8;
      y += 20 + rowExtra;
      rowExtra = 0;
    }
    rowExtra = Math.max(rowExtra, item.draw(x, y));
    x += item.w + 16;
  }
  y += rowExtra;
  let total = y + 14;
  if (eventLines.length) {
    const list = svgEl('g', { class: 'event-legend' });
    total += 8;
    for (const line of eventLines) total = svgTextBlock(list, line, 8, total + 6, width - 16, 12, { class: 'event-legend-item' }) + 4;
    g.append(list);
  }
  if (note) total = svgTextBlock(g, note, 8, total + 8, width - 16, 12, { class: 'coverage-note' }) + 6;
  svg.append(g);
  svg.setAttribute('height', String(total));
  svg.setAttribute('viewBox', `0 0 ${width} ${total}`);
}
