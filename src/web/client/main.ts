/// <reference lib="dom" />
import { downloadableSvg } from './svg.js';
import type { BothSidesPair } from './both-sides.js';
import type { BorderMapConfig, IncidentFile, MxStates, UsStatesTopology } from './border-map.js';
import type { HexTopology, MunicipalTopology } from './map.js';
import type { SearchEntry } from '../search.js';
import { coverageText } from '../coverage-text.js';
import type { ChartEvent, DataFile, DataRow, Locale, MapValue } from './types.js';
import { inRange, periodDate, readState, writeState, type ViewState } from './view-state.js';
import { yearSlider, type MapYear, type YearSliderMessages } from './year-slider.js';
import { periodLabel } from '../i18n.js';
import { isMunicipalMap, mapsOf, shownMeasure } from '../measure.js';
import { MAX_DISTINCT_SERIES, logEligibility, magnitudeSpan } from './chart-style.js';

interface IndicatorConfig {
  page: 'indicator';
  lang: 'es' | 'en';
  indicator: {
    code: string; name: string; unit: string; decimals: number; nation: string; states: boolean; municipalities: boolean; frequencies: string[]; zeroWhenAbsent: boolean;
    mapFreq: 'year' | 'month';
    /** The count's rate per population, where it has one. */
    rate: { unit: string; decimals: number } | null;
    /** Monthly values can be annualised (a count's rate, or a rate indicator). */
    annualisable: boolean;
  };
  defaults: ViewState;
  events: ChartEvent[];
  /** The map's periods, oldest first, for the year slider. */
  mapYears: MapYear[];
  /** Quality flags in the page's language. */
  flagLabels?: Record<string, string>;
  messages: YearSliderMessages & Record<'partial' | 'noData' | 'loading' | 'loadFailed' | 'table' | 'geographies' | 'period' | 'value' | 'numerator' | 'denominator' | 'flags' | 'source' | 'annualised' | 'projected' | 'rankHighest'
    | 'partialPoint' | 'partialPointNoMonths' | 'reportingStatus' | 'reportingNoData'
    | 'logAxis' | 'logOffZero' | 'logOffNegative' | 'logSuggest' | 'fiscalAxisNote' | 'smallMultiplesNote' | 'copied' | 'breakdownNoValue', string>;
  /** Breakdowns the page offers (counts only). */
  breakdowns: string[];
}

interface BothSidesConfig {
  page: 'both-sides';
  lang: 'es' | 'en';
  pairs: BothSidesPair[];
  messages: { index: string; partial: string; base: string };
}

interface SearchConfig {
  page: 'search';
  lang: 'es' | 'en';
  index: string;
  kinds: Record<SearchEntry['kind'], string>;
  none: string;
  heading: string;
}

const cache = new Map<string, Promise<unknown>>();
function getJson<T>(url: string): Promise<T> {
  if (!cache.has(url)) {
    cache.set(url, fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: ${r.status}`);
      return r.json();
    }));
  }
  return cache.get(url) as Promise<T>;
}

/*
 * What draws is loaded when a page needs it, each a bundle of its own (scripts/build-web.js): a map page never ships
 * Observable Plot, a chart page never ships d3-geo's projections. The page's head preloads the module its first view
 * needs (layout.ts, `modules`), so the import costs no round trip after this script runs.
 */
const loadChart = () => import('./chart.js');
/** The municipal map's detailed layer, for maps wider than the coarse one is drawn at (src/site/map-layers.ts). */
const DETAILED_MUNICIPAL_LAYER = '/data/geo/municipalities.json';
const COARSE_MAX_WIDTH = 640;
const loadMap = () => import('./map.js');

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

function citationText(config: IndicatorConfig, file: DataFile): string {
  // A source without a release in this view is named without an empty "()".
  const sources = file.sources.map((s) => `${s.publisher}, ${s.dataset}${s.releases.length > 0 ? ` (${s.releases.map((r) => `${r.file_name}, sha256 ${r.sha256.slice(0, 12)}`).join('; ')})` : ''}`).join('; ');
  // An embedded chart cites the view's page, not the frame.
  return `Observa, «${config.indicator.name}» [${config.indicator.code}]. ${sources}. ${location.href.replace(`/${config.lang}/embed/indicators/`, `/${config.lang}/indicators/`)}`;
}

/** A chart or map title: the name, and the unit in parentheses only when there is one (no stray "()"). */
export function titleWith(name: string, ...parts: string[]): string {
  const extra = parts.map((p) => p.trim()).filter((p) => p !== '');
  return extra.length === 0 ? name : `${name} (${extra.join(', ')})`;
}

function renderTable(config: IndicatorConfig, rows: readonly DataRow[], locale: Locale, decimals: number, dimensionName: ((d: string) => string) | null = null, byLabel = ''): HTMLTableElement {
  const m = config.messages;
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: decimals });
  const whole = new Intl.NumberFormat(locale);
  const ratio = rows.some((r) => r.denominator !== null);
  const linked = rows.some((r) => r.source_links !== undefined);
  const table = el('table', { class: 'data' });
  table.append(el('caption', {}, m.table));
  const head = el('tr');
  const columns: [string, boolean][] = [[m.geographies, false], [m.period, false], ...(dimensionName ? ([[byLabel, false]] as [string, boolean][]) : []), [m.value, true], ...(ratio ? ([[m.numerator, true], [m.denominator, true]] as [string, boolean][]) : []), [m.flags, false], ...(linked ? ([[m.source, false]] as [string, boolean][]) : [])];
  for (const [label, num] of columns) head.append(el('th', { scope: 'col', ...(num ? { class: 'num' } : {}) }, label));
  table.appendChild(el('thead')).append(head);
  const body = table.appendChild(el('tbody'));
  for (const r of rows) {
    const tr = body.appendChild(el('tr', { 'data-geo': r.geo, 'data-period': r.period }));
    tr.append(el('th', { scope: 'row' }, r.geo_name), el('td', {}, periodLabel(config.lang, r.period)));
    if (dimensionName) tr.append(el('td', {}, dimensionName(r.dimension ?? '')));
    tr.append(el('td', { class: 'num' }, r.value === null ? m.noData : nf.format(r.value)));
    if (ratio) tr.append(el('td', { class: 'num' }, r.numerator === null ? '' : whole.format(r.numerator)), el('td', { class: 'num' }, r.denominator === null ? '' : whole.format(r.denominator)));
    tr.append(el('td', {}, r.flags.map((f) => (f === 'partial-period' ? m.partial : (config.flagLabels?.[f] ?? f))).join(', ')));
    if (linked) {
      // A secondary value always shows where it was taken from.
      const cell = tr.appendChild(el('td'));
      (r.source_links ?? []).forEach((l, i) => {
        if (i > 0) cell.append(' · ');
        cell.append(el('a', { href: l.url, rel: 'external', class: 'source-link', title: l.note ? `${l.outlet} — ${l.note}` : l.outlet }, l.outlet || m.source));
      });
    }
  }
  return table;
}

function download(name: string, blob: Blob): void {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const img = new Image();
  img.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  await img.decode();
  const canvas = el('canvas', { width: String(width * 2), height: String(height * 2) });
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no canvas');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('png'))), 'image/png'));
}

function initIndicator(config: IndicatorConfig): void {
  const locale: Locale = config.lang === 'es' ? 'es-MX' : 'en-US';
  // The embedded chart has no form: its view is the URL's.
  const form = (document.getElementById('view-form') as HTMLFormElement | null) ?? document.createElement('form');
  const viz = document.getElementById('viz') as HTMLElement;
  const tableBox = document.getElementById('table') as HTMLElement;
  // The maps this indicator has (the server reads the URL the same way).
  const maps = mapsOf(config.indicator.municipalities);
  let state = readState(location.search, config.defaults, config.indicator.frequencies, config.breakdowns, maps);
  let figure: Element | null = null;
  // The map's year as a slider; the select it drives stays the form's field (and the page's without the script).
  const yearSelect = form.elements.namedItem('year') as HTMLSelectElement | null;
  const slider = yearSelect && config.mapYears.length > 1 ? yearSlider(yearSelect, config.mapYears, config.messages) : null;
  if (yearSelect && slider) {
    const label = yearSelect.closest('label') ?? yearSelect;
    label.before(slider.element);
    label.hidden = true;
  }

  const formState = (): ViewState => {
    const data = new FormData(form);
    const text = (k: string) => (typeof data.get(k) === 'string' && data.get(k) !== '' ? (data.get(k) as string) : null);
    const geo = data.getAll('geo').map(String);
    return readState(`?${new URLSearchParams([...geo.map((g) => ['geo', g]), ...(['from', 'to', 'freq', 'view', 'map', 'year', 'measure', 'annualise', 'ytd', 'scale', 'by'] as const).flatMap((k) => (text(k) ? [[k, text(k) as string]] : []))]).toString()}`, config.defaults, config.indicator.frequencies, config.breakdowns, maps);
  };
  // The server's rule: maps default to the rate, charts and tables to the count; a breakdown and the municipal map show counts.
  const measureOf = (s: ViewState): 'count' | 'rate' => shownMeasure(config.indicator.rate !== null, s);
  const annualiseOf = (s: ViewState, freq: string): boolean =>
    !s.by && s.annualise && freq === 'month' && config.indicator.annualisable && (config.indicator.rate === null || measureOf(s) === 'rate');
  const fileName = (s: ViewState, freq: string) => (s.by ? `${freq}-by-${s.by}`
    : `${freq}${measureOf(s) === 'rate' ? '-rate' : ''}${annualiseOf(s, freq) ? '-annualised' : ''}${s.ytd && freq !== 'month' ? '-ytd' : ''}`);
  const decimalsOf = (s: ViewState) => (measureOf(s) === 'rate' && config.indicator.rate ? config.indicator.rate.decimals : config.indicator.decimals);
  const syncForm = () => {
    for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[name="geo"][type="checkbox"]'))) input.checked = state.geo.includes(input.value);
    for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[name="view"]'))) input.checked = input.value === state.view;
    const measure = form.elements.namedItem('measure') as HTMLSelectElement | null;
    if (measure) measure.value = state.measure ?? '';
    const shown = document.querySelector('.measure-shown');
    if (shown) shown.textContent = measureOf(state) === 'rate' ? (config.indicator.rate?.unit ?? '') : config.indicator.unit;
    // Why the municipal map shows the count even where the rate was asked for.
    const municipalNote = document.querySelector<HTMLElement>('.municipal-count-note');
    if (municipalNote) municipalNote.hidden = !isMunicipalMap(state);
    const annualise = form.elements.namedItem('annualise') as HTMLInputElement | null;
    if (annualise) annualise.checked = state.annualise;
    const ytd = form.elements.namedItem('ytd') as HTMLInputElement | null;
    if (ytd) ytd.checked = state.ytd;
    const scale = form.elements.namedItem('scale') as HTMLInputElement | null;
    if (scale) scale.checked = state.scale === 'log';
    const by = form.elements.namedItem('by') as HTMLSelectElement | null;
    if (by) by.value = state.by ?? '';
    const byNote = document.querySelector<HTMLElement>('.breakdown-note');
    if (byNote) byNote.hidden = state.by === null;
    for (const name of ['from', 'to'] as const) {
      const input = form.elements.namedItem(name) as HTMLInputElement | null;
      if (input) input.value = state[name] ?? '';
    }
    for (const name of ['freq', 'map', 'year'] as const) {
      const select = form.elements.namedItem(name) as HTMLSelectElement | null;
      if (select && state[name]) select.value = state[name] as string;
    }
    slider?.set(state.year);
  };

  const updateLinks = (search: string) => {
    const base = `/${config.lang}/indicators/${config.indicator.code}`;
    const csv = document.getElementById('dl-csv') as HTMLAnchorElement | null;
    if (csv) csv.href = `${base}.csv${search}`;
    const json = document.getElementById('dl-json') as HTMLAnchorElement | null;
    if (json) json.href = `${base}.json${search}`;
    const other = document.getElementById('lang-switch') as HTMLAnchorElement | null;
    if (other) other.href = `/${config.lang === 'es' ? 'en' : 'es'}/indicators/${config.indicator.code}/${search}`;
    // Share and embed: the current view, absolute from the address the reader used.
    const viewUrl = `${location.origin}${base}/${search}`;
    const embedUrl = `${location.origin}/${config.lang}/embed/indicators/${config.indicator.code}/${search}`;
    const shareField = document.getElementById('share-url') as HTMLInputElement | null;
    if (shareField) shareField.value = viewUrl;
    const embedField = document.getElementById('embed-code') as HTMLTextAreaElement | null;
    if (embedField) embedField.value = `<iframe src="${embedUrl}" title="${config.indicator.name.replaceAll('"', '&quot;')}" width="100%" height="760" style="border:0" loading="lazy"></iframe>`;
    const embedLink = document.getElementById('embed-link') as HTMLAnchorElement | null;
    if (embedLink) {
      embedLink.href = embedUrl;
      embedLink.textContent = embedUrl;
    }
  };

  let renders = 0;
  async function render(): Promise<void> {
    renders++;
    viz.replaceChildren(el('p', { class: 'muted' }, config.messages.loading));
    viz.setAttribute('aria-busy', 'true');
    try {
      const year = state.year ?? config.defaults.year ?? '';
      // Municipalities have no rate (CONAPO publishes none; the census is not mixed in): their map shows the count.
      const mapFileUrl = state.map === 'municipal'
        ? `/data/${config.lang}/${config.indicator.code}/municipality-${year}.json`
        // A map shows one value per place: never a breakdown's file (several rows per place).
        : `/data/${config.lang}/${config.indicator.code}/${fileName({ ...state, annualise: false, ytd: false, by: null }, config.indicator.mapFreq)}.json`;
      const layerUrl = state.map === 'hex' ? '/data/geo/states-hex.json' : state.map === 'municipal' ? '/data/geo/municipalities-coarse.json' : '/data/geo/states.json';
      // A map's files are asked for with the view's data file, not after it: on a slow connection every round trip counts.
      if (state.view === 'map' && config.indicator.states) for (const url of [mapFileUrl, layerUrl]) getJson(url).catch(() => undefined);
      // The drawing code, too, at the same time as the data (an unhandled rejection is caught where it is awaited).
      if (state.view !== 'table') (state.view === 'map' && config.indicator.states ? loadMap() : loadChart()).catch(() => undefined);
      // The same months of each year (years and fiscal years only; the server refuses it elsewhere).
      // A map has no breakdown: its view (table, citation) is the file without one.
      const file = await getJson<DataFile>(`/data/${config.lang}/${config.indicator.code}/${fileName(state.view === 'map' && config.indicator.states ? { ...state, by: null } : state, state.freq)}.json`);
      const rows = file.rows.filter((r) => state.geo.includes(r.geo) && inRange(r.period, state.from, state.to));
      // A focusable, labelled scroll box: on a phone the box scrolls, not the table (axe scrollable-region-focusable).
      const tableWrap = el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': config.messages.table });
      const dimensionName = file.by ? (d: string) => file.dimension_labels?.[d] ?? (d || config.messages.breakdownNoValue) : null;
      const byLabel = file.by ? (document.querySelector<HTMLOptionElement>(`select[name="by"] option[value="${file.by}"]`)?.textContent ?? file.by) : '';
      tableWrap.append(renderTable(config, rows, locale, decimalsOf(state), dimensionName, byLabel));
      tableBox.replaceChildren(tableWrap);
      const citation = citationText(config, file);
      (document.getElementById('citation') as HTMLElement).textContent = citation;
      // How far the data goes, from the file, in the page language: on the page and inside every figure (so downloads carry it).
      const note = coverageText(config.lang, file);
      const coverage = document.getElementById('data-through');
      if (coverage) coverage.textContent = note;
      figure = null;
      if (file.rows.length === 0) {
        // Nothing published for this indicator: say so (its reporting status) instead of drawing an empty chart or map.
        const status = el('section', { class: 'reporting-status', 'data-status': 'no-data' });
        status.append(el('h2', {}, config.messages.reportingStatus), el('p', {}, config.messages.reportingNoData));
        viz.replaceChildren(status);
      } else if (state.view === 'chart' || (state.view === 'map' && !config.indicator.states)) {
        // An indicator without states (U.S.-only, binational) never draws a map of Mexico, whatever the URL says.
        // With a breakdown, a series is a place × a value of the dimension (named by the value alone when one place is shown).
        const seriesKey = (r: DataRow) => (dimensionName ? `${r.geo}|${r.dimension ?? ''}` : r.geo);
        const seriesName = (r: DataRow) => (dimensionName ? (state.geo.length > 1 ? `${r.geo_name} — ${dimensionName(r.dimension ?? '')}` : dimensionName(r.dimension ?? '')) : r.geo_name);
        const points = rows.filter((r) => r.value !== null).map((r) => ({
          geo: seriesKey(r), geoName: seriesName(r), period: r.period, date: periodDate(r.period), value: r.value as number, flags: r.flags, months: r.months,
        }));
        const partialPointLabel = (p: { period: string; months?: number | undefined }) =>
          (p.months === undefined ? config.messages.partialPointNoMonths : config.messages.partialPoint.replace('{months}', String(p.months))).replace('{period}', periodLabel(config.lang, p.period));
        // Why a log axis is off, beside the control (never a log axis over a zero).
        const eligibility = logEligibility(points.map((p) => p.value));
        const logNote = document.getElementById('log-note');
        if (logNote) {
          // On a linear axis over values two or more orders of magnitude apart, the log scale is suggested (never over a zero).
          const span = Math.floor(magnitudeSpan(points.map((p) => p.value)));
          const suggest = state.scale !== 'log' && eligibility === 'ok' && span >= 2 ? config.messages.logSuggest.replace('{n}', String(span)) : '';
          const reason = state.scale !== 'log' ? suggest : eligibility === 'zero' ? config.messages.logOffZero : eligibility === 'negative' ? config.messages.logOffNegative : '';
          logNote.textContent = reason;
          logNote.hidden = reason === '';
        }
        const width = Math.min(viz.clientWidth || 900, 1000);
        const { renderLineChart } = await loadChart();
        const chart = (pts: typeof points, title: string, w: number, panel = false) => renderLineChart({
          points: pts, title, unit: file.unit, locale, projectedLabel: config.flagLabels?.['projected'] ?? 'projected',
          // A panel of small multiples carries no event rules and no citation of its own: the grid has one citation under it.
          decimals: decimalsOf(state), events: panel ? [] : config.events, citation: panel ? '' : citation, partialLabel: config.messages.partial, partialPointLabel, note, width: w,
          flagLabels: config.flagLabels ?? {},
          logScale: state.scale === 'log', logLabel: config.messages.logAxis, breakGaps: state.by !== null, periodLabel: (p) => periodLabel(config.lang, p),
          fiscalNote: config.messages.fiscalAxisNote,
        });
        const seriesCount = new Set(points.map((p) => p.geo)).size;
        if (state.by && state.geo.length > 1 || seriesCount > MAX_DISTINCT_SERIES) {
          // Small multiples: one chart per place (its breakdown's lines), so no two lines in a chart look alike.
          const grid = el('div', { class: 'small-multiples' });
          grid.append(el('p', { class: 'muted' }, config.messages.smallMultiplesNote));
          const panelWidth = width >= 700 ? Math.floor((width - 24) / 2) : width;
          for (const geo of state.geo) {
            const own = points.filter((p) => p.geo === geo || p.geo.startsWith(`${geo}|`)).map((p) => ({ ...p, geoName: dimensionName ? p.geoName.replace(/^.* — /, '') : p.geoName }));
            if (own.length === 0) continue;
            const panel = el('div', { class: 'panel', 'data-geo': geo });
            panel.append(chart(own, rows.find((r) => r.geo === geo)?.geo_name ?? geo, panelWidth, true) as Element);
            grid.append(panel);
          }
          figure = null;
          viz.replaceChildren(el('h2', { class: 'multiples-title' }, titleWith(config.indicator.name, file.unit)), grid, el('p', { class: 'muted multiples-citation' }, citation));
        } else {
          figure = chart(points, titleWith(config.indicator.name, file.unit), width);
          viz.replaceChildren(figure as Element);
        }
      } else if (state.view === 'map') {
        const { municipalFeatures, renderHexMap, renderMunicipalMap, renderStateMap } = await loadMap();
        const mapFile = await getJson<DataFile>(mapFileUrl);
        const mapRows = state.map === 'municipal' ? mapFile.rows : mapFile.rows.filter((r) => r.period === year && r.geo !== config.indicator.nation);
        const values = new Map<string, MapValue>(mapRows.map((r) => [r.geo, { value: r.value, name: r.geo_name, flags: r.flags }]));
        const decimals = state.map === 'municipal' ? config.indicator.decimals : decimalsOf(state);
        // A partial year can be mapped (places against each other), but its title says it is partial.
        const partialYear = mapRows.some((r) => r.flags.includes('partial-period'));
        const opts = {
          values, title: titleWith(`${config.indicator.name}, ${year}`, mapFile.unit, partialYear ? config.messages.partial : ''), unit: mapFile.unit, locale, decimals,
          noDataLabel: config.messages.noData, citation, note, flagLabels: { ...config.flagLabels, 'partial-period': config.messages.partial }, width: Math.min(viz.clientWidth || 900, 900),
        };
        const placeHref = (code: string) => `/${config.lang}/states/${code}/`;
        if (state.map === 'hex') figure = renderHexMap(await getJson(layerUrl), { ...opts, placeHref });
        else if (state.map === 'municipal') {
          // A simplified TopoJSON (shared borders, quantized): see src/site/map-layers.ts. The coarse layer first (under a
          // pixel apart at 640 px); a wider map is drawn again with the detailed layer when it arrives.
          const draw = (topology: MunicipalTopology) => {
            const layer = municipalFeatures(topology);
            // The registry publishes only non-zero rows: a municipality without one has 0 records, which is not "no data".
            if (config.indicator.zeroWhenAbsent && mapRows.length > 0) {
              for (const f of layer.features) if (!values.has(f.properties.cvegeo)) values.set(f.properties.cvegeo, { value: 0, name: f.properties.nombre_municipio ?? f.properties.cvegeo, flags: [] });
            }
            return renderMunicipalMap(layer, opts);
          };
          figure = draw(await getJson<MunicipalTopology>(layerUrl));
          if (opts.width > COARSE_MAX_WIDTH) {
            const drawn = ++renders;
            void getJson<MunicipalTopology>(DETAILED_MUNICIPAL_LAYER).then((detailed) => {
              // Only if the reader has not moved on to another view meanwhile.
              if (drawn !== renders || !figure?.isConnected) return;
              const before = figure;
              figure = draw(detailed);
              before.replaceWith(figure);
            }).catch(() => undefined);
          }
        }
        else figure = renderStateMap(await getJson(layerUrl), { ...opts, placeHref });
        viz.replaceChildren(figure as Element);
      } else {
        viz.replaceChildren();
      }
      for (const id of ['dl-svg', 'dl-png']) {
        const button = document.getElementById(id) as HTMLButtonElement | null;
        if (button) button.hidden = figure === null;
      }
    } catch (error) {
      viz.replaceChildren(el('p', { class: 'error', role: 'alert' }, `${config.messages.loadFailed} (${(error as Error).message})`));
    } finally {
      viz.removeAttribute('aria-busy');
      document.body.dataset['rendered'] = String(Date.now());
    }
  }

  const apply = (push: boolean) => {
    const search = writeState(state, config.defaults);
    if (push) history.pushState(null, '', `${location.pathname}${search}`);
    updateLinks(search);
    void render();
  };
  form.addEventListener('change', () => {
    state = formState();
    syncForm();
    apply(true);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state = formState();
    apply(true);
  });
  window.addEventListener('popstate', () => {
    state = readState(location.search, config.defaults, config.indicator.frequencies, config.breakdowns, maps);
    syncForm();
    apply(false);
  });
  document.getElementById('dl-svg')?.addEventListener('click', () => {
    if (figure) download(`${config.indicator.code}.svg`, new Blob([downloadableSvg(figure)], { type: 'image/svg+xml' }));
  });
  document.getElementById('dl-png')?.addEventListener('click', () => {
    if (!figure) return;
    const svg = downloadableSvg(figure);
    // The download carries the title and citation, so size the PNG from the exported SVG, not from the screen.
    const size = (attr: string) => Number(new RegExp(`<svg[^>]*\\s${attr}="([\\d.]+)"`).exec(svg)?.[1] ?? 0);
    void svgToPng(svg, Math.ceil(size('width') || 800), Math.ceil(size('height') || 500)).then((png) => download(`${config.indicator.code}.png`, png));
  });
  // Copy buttons for the share link and the embed code (shown only where the script runs and the clipboard exists).
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button.copy[data-copy]'))) {
    if (!('clipboard' in navigator)) continue;
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener('click', () => {
      const field = document.getElementById(button.dataset['copy'] ?? '') as HTMLInputElement | HTMLTextAreaElement | null;
      if (!field) return;
      void navigator.clipboard.writeText(field.value).then(() => {
        button.textContent = config.messages.copied;
        setTimeout(() => { button.textContent = label; }, 2000);
      });
    });
  }
  syncForm();
  apply(false);
}

function initSearch(config: SearchConfig): void {
  const input = document.getElementById('q') as HTMLInputElement;
  const box = document.getElementById('results') as HTMLElement;
  const run = async () => {
    const [entries, { search }] = await Promise.all([getJson<SearchEntry[]>(config.index), import('../search.js')]);
    const found = search(entries, input.value);
    const url = input.value.trim() === '' ? location.pathname : `${location.pathname}?q=${encodeURIComponent(input.value)}`;
    history.replaceState(null, '', url);
    if (input.value.trim() === '') return box.replaceChildren();
    if (found.length === 0) return box.replaceChildren(el('p', {}, config.none));
    const list = el('ul', { class: 'plain' });
    for (const r of found) {
      const li = list.appendChild(el('li'));
      li.append(el('span', { class: 'muted' }, config.kinds[r.kind]), ' ', el('a', { href: r.href }, r.title));
    }
    box.replaceChildren(el('h2', {}, config.heading), list);
  };
  input.addEventListener('input', () => void run());
  input.form?.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  if (input.value.trim() !== '') void run();
}

function initBothSides(config: BothSidesConfig): void {
  const locale: Locale = config.lang === 'es' ? 'es-MX' : 'en-US';
  const draw = async () => {
    const { renderIndexChart } = await import('./both-sides.js');
    for (const pair of config.pairs) {
      const box = document.querySelector<HTMLElement>(`[data-viz="${pair.id}"]`);
      if (!box) continue;
      const citation = `Observa, ${location.href} — ${pair.series.map((s) => `${s.name}: ${s.sources.map((x) => x.publisher).join(', ')}`).join('; ')}`;
      box.replaceChildren(renderIndexChart(pair, {
        locale, width: Math.min(box.clientWidth || 800, 1000), indexLabel: config.messages.index, partialLabel: config.messages.partial, baseLabel: config.messages.base, citation,
      }));
    }
    document.body.dataset['rendered'] = String(Date.now());
  };
  void draw();
  let last = window.innerWidth;
  window.addEventListener('resize', () => {
    if (Math.abs(window.innerWidth - last) < 40) return;
    last = window.innerWidth;
    void draw();
  });
}

async function initBorderMap(config: BorderMapConfig): Promise<void> {
  const box = document.getElementById('border-map') as HTMLElement;
  box.replaceChildren(el('p', { class: 'muted' }, config.messages.loading));
  box.setAttribute('aria-busy', 'true');
  try {
    const [us, mx, incidents, { renderBorderMap }] = await Promise.all([
      getJson<UsStatesTopology>(config.files.usStates),
      getJson<MxStates>(config.files.mxStates),
      getJson<IncidentFile>(config.files.incidents),
      import('./border-map.js'),
    ]);
    box.replaceChildren(renderBorderMap(us, mx, incidents, config, Math.min(box.clientWidth || 900, 1000)));
  } catch (error) {
    box.replaceChildren(el('p', { class: 'error', role: 'alert' }, `${config.messages.loadFailed} (${(error as Error).message})`));
  } finally {
    box.removeAttribute('aria-busy');
    document.body.dataset['rendered'] = String(Date.now());
  }
}

interface StatesIndexConfig {
  page: 'states-index';
  lang: 'es' | 'en';
  layer: string;
  names: Record<string, string>;
  title: string;
  note: string;
  citation: string;
  messages: { loading: string; loadFailed: string };
}

/** The states index: the hexagon map, each state a link to its profile (the list under it works without the script). */
async function initStatesIndex(config: StatesIndexConfig): Promise<void> {
  const box = document.getElementById('states-map') as HTMLElement;
  box.replaceChildren(el('p', { class: 'muted' }, config.messages.loading));
  box.setAttribute('aria-busy', 'true');
  try {
    const [topology, { renderHexLinks }] = await Promise.all([getJson<HexTopology>(config.layer), loadMap()]);
    const locale: Locale = config.lang === 'es' ? 'es-MX' : 'en-US';
    box.replaceChildren(renderHexLinks(topology, {
      names: new Map(Object.entries(config.names)), title: config.title, note: config.note, citation: config.citation, locale,
      placeHref: (code) => `/${config.lang}/states/${code}/`, width: Math.min(box.clientWidth || 640, 640),
    }));
  } catch (error) {
    box.replaceChildren(el('p', { class: 'error', role: 'alert' }, `${config.messages.loadFailed} (${(error as Error).message})`));
  } finally {
    box.removeAttribute('aria-busy');
    document.body.dataset['rendered'] = String(Date.now());
  }
}

const configElement = document.getElementById('page-config');
if (configElement?.textContent) {
  const config = JSON.parse(configElement.textContent) as IndicatorConfig | SearchConfig | BothSidesConfig | BorderMapConfig | StatesIndexConfig;
  if (config.page === 'indicator') initIndicator(config);
  else if (config.page === 'search') initSearch(config);
  else if (config.page === 'both-sides') initBothSides(config);
  else if (config.page === 'border-map') void initBorderMap(config);
  else if (config.page === 'states-index') void initStatesIndex(config);
}
