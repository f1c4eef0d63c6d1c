/**
 * The state profile's small multiples: one small trend chart per indicator the state has data for — the state's line
 * (the rate where the indicator has one) against the national line, partial periods hollow and never joined, and
 * the state's last month of data. Drawn on the server as plain SVG, so the profile needs no script and bakes as is.
 */
import { loadCatalog } from '../catalog/index.js';
import type { Indicator, ResultRow } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { LOCALES, coverageText, lineRuns, periodLabel, periodStep, t, type SiteLang } from '../web/index.js';
import { STATE_MAP_DEFAULT, dataFile, effectiveMeasure, hasStates, nationOf, primaryFreq } from './data.js';
import { html, raw, type Raw } from './html.js';
import { href } from './layout.js';
import { flagList } from './secondary-marks.js';

export interface TrendPoint {
  readonly period: string;
  readonly value: number;
  readonly flags: readonly string[];
}

export interface StateTrend {
  readonly indicator: Indicator;
  readonly unit: string;
  readonly measure: 'count' | 'rate';
  readonly state: readonly TrendPoint[];
  /** Empty where the indicator has no national figure. */
  readonly national: readonly TrendPoint[];
  /** The state's latest month (a count), where the indicator is published monthly. */
  readonly lastMonth: TrendPoint | null;
  readonly through: string | undefined;
}

const STATE_COLOR = '#0072B2';
const NATIONAL_COLOR = '#666';

const points = (rows: readonly ResultRow[], geo: string, until: number): TrendPoint[] =>
  rows.filter((r) => r.geo === geo && r.value !== null && Number(r.period.replace(/^FY/, '').slice(0, 4)) <= until)
    .map((r) => ({ period: r.period, value: r.value as number, flags: r.flags }))
    .sort((a, b) => periodStep(a.period) - periodStep(b.period));

/** Every state-level indicator with data for the state, as the profile's small multiples draw it. */
export async function stateTrends(tx: ReadTx, state: string, lang: SiteLang): Promise<StateTrend[]> {
  const { indicators } = loadCatalog();
  // Population projections run to 2070: a trend stops at the current year.
  const thisYear = new Date().getUTCFullYear();
  const out: StateTrend[] = [];
  for (const indicator of indicators.filter(hasStates)) {
    const measure = effectiveMeasure(indicator, STATE_MAP_DEFAULT);
    const file = await dataFile(tx, indicator, primaryFreq(indicator), lang, { measure });
    const own = points(file.rows, state, thisYear);
    if (own.length === 0) continue;
    let lastMonth: TrendPoint | null = null;
    // A monthly rate per population is not an annual one: its last month is told as the count's (on the count's card).
    if (indicator.frequencies.includes('month') && indicator.rateOf === undefined) {
      const months = await dataFile(tx, indicator, 'month', lang);
      lastMonth = points(months.rows, state, thisYear).at(-1) ?? null;
    }
    out.push({
      indicator, unit: file.unit, measure, state: own, lastMonth, through: file.through,
      // The national line where it compares (a rate or a ratio); a national count is the sum of the states, not a peer.
      national: indicator.levels.includes('country') && (measure === 'rate' || indicator.kind === 'ratio') ? points(file.rows, nationOf(indicator), thisYear) : [],
    });
  }
  return out;
}

/** A small SVG line chart of the state against the nation: shared y axis from zero, partial periods hollow and unjoined. */
export function trendSvg(lang: SiteLang, trend: StateTrend, stateName: string, width = 280, height = 120): Raw {
  const nf = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: trend.indicator.decimals, notation: 'compact' });
  const all = [...trend.state, ...trend.national];
  const steps = all.map((p) => periodStep(p.period));
  const [s0, s1] = [Math.min(...steps), Math.max(...steps)];
  const max = Math.max(...all.map((p) => p.value), 0);
  const [left, right, top, bottom] = [40, 8, 8, 20];
  const x = (p: TrendPoint) => left + (s1 === s0 ? (width - left - right) / 2 : ((periodStep(p.period) - s0) / (s1 - s0)) * (width - left - right));
  const y = (v: number) => top + (max === 0 ? 1 : 1 - v / max) * (height - top - bottom);
  const line = (series: readonly TrendPoint[], color: string, dash: string, cls: string): string => {
    const runs = lineRuns(series, true);
    const byRun = new Map<number, TrendPoint[]>();
    for (const p of runs) byRun.set(p.run, [...(byRun.get(p.run) ?? []), p]);
    const paths = [...byRun.values()].filter((r) => r.length > 1)
      .map((r) => `<polyline class="${cls}" fill="none" stroke="${color}" stroke-width="${cls === 'state' ? 2 : 1.5}"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${r.map((p) => `${x(p).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}"/>`);
    // Every value is a dot (a lone complete year still shows); a partial period is a hollow one.
    const dots = series.map((p) => {
      const partial = p.flags.includes('partial-period');
      return `<circle cx="${x(p).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="${partial ? 3 : 2}" fill="${partial ? 'white' : color}" stroke="${color}" stroke-width="1.5"${partial ? ' data-partial=""' : ''}><title>${escapeText(`${cls === 'state' ? stateName : t(lang, 'national')}, ${periodLabel(lang, p.period)}: ${nf.format(p.value)}${partial ? ` (${t(lang, 'partialPeriod')})` : ''}`)}</title></circle>`;
    });
    return [...paths, ...dots].join('');
  };
  const first = all.reduce((a, b) => (periodStep(b.period) < periodStep(a.period) ? b : a));
  const last = all.reduce((a, b) => (periodStep(b.period) > periodStep(a.period) ? b : a));
  const label = `${trend.indicator.name[lang]}: ${stateName}${trend.national.length > 0 ? ` ${lang === 'es' ? 'y' : 'and'} ${t(lang, 'national')}` : ''}, ${periodLabel(lang, first.period)}–${periodLabel(lang, last.period)}`;
  return raw(`<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeText(label)}" class="trend" font-family="system-ui, sans-serif" font-size="10">`
    + `<line x1="${left}" x2="${width - right}" y1="${y(0)}" y2="${y(0)}" stroke="#999"/>`
    + `<line x1="${left}" x2="${width - right}" y1="${y(max)}" y2="${y(max)}" stroke="#eee"/>`
    + `<text x="${left - 4}" y="${y(max) + 3}" text-anchor="end" fill="#333">${nf.format(max)}</text>`
    + `<text x="${left - 4}" y="${y(0) + 3}" text-anchor="end" fill="#333">0</text>`
    + `<text x="${left}" y="${height - 5}" fill="#333">${escapeText(periodLabel(lang, first.period))}</text>`
    + `<text x="${width - right}" y="${height - 5}" text-anchor="end" fill="#333">${escapeText(periodLabel(lang, last.period))}</text>`
    + line(trend.national, NATIONAL_COLOR, '4,3', 'national') + line(trend.state, STATE_COLOR, '', 'state')
    + '</svg>');
}

function escapeText(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** The profile's lead section: a legend, then one small chart per indicator with its latest values and last month. */
export async function stateTrendsSection(tx: ReadTx, lang: SiteLang, code: string, stateName: string): Promise<Raw> {
  const trends = await stateTrends(tx, code, lang);
  if (trends.length === 0) return raw('');
  const fmt = (v: number, decimals: number) => new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: decimals }).format(v);
  return html`<section id="trends" aria-labelledby="trends-title"><h2 id="trends-title">${t(lang, 'stateTrends')}</h2>
  <p class="muted">${t(lang, 'stateTrendsLead')}</p>
  <p class="trend-legend"><span><span class="key"></span>${stateName}</span><span><span class="key national"></span>${t(lang, 'national')}</span><span>○ ${t(lang, 'partialPeriod')}</span></p>
  <ul class="trends">${trends.map((tr) => {
    const latest = [...tr.state].reverse().find((p) => !p.flags.includes('partial-period')) ?? null;
    const nationalLatest = latest ? tr.national.find((p) => p.period === latest.period) ?? null : null;
    const decimals = tr.measure === 'rate' ? (tr.indicator.rate?.decimals ?? tr.indicator.decimals) : tr.indicator.decimals;
    const link = href(lang, `/indicators/${tr.indicator.code}/?geo=${tr.national.length > 0 ? `${nationOf(tr.indicator)},` : ''}${code}${tr.measure === 'rate' ? '&measure=rate' : ''}`);
    return html`<li data-indicator="${tr.indicator.code}"><h3><a href="${link}">${tr.indicator.name[lang]}</a></h3>
      <p class="muted">${tr.unit}</p>
      ${trendSvg(lang, tr, stateName)}
      ${latest ? html`<p>${periodLabel(lang, latest.period)}: <strong>${fmt(latest.value, decimals)}</strong>${nationalLatest ? html` · ${t(lang, 'national')}: ${fmt(nationalLatest.value, decimals)}` : ''}</p>` : ''}
      ${tr.lastMonth ? html`<p class="last-month" data-period="${tr.lastMonth.period}">${t(lang, 'lastMonth')} (${periodLabel(lang, tr.lastMonth.period)}): <strong>${fmt(tr.lastMonth.value, tr.indicator.decimals)}</strong> ${tr.indicator.unit[lang]} ${flagList(lang, tr.lastMonth.flags)}</p>` : ''}
      ${coverageText(lang, { through: tr.through }) ? html`<p class="muted coverage-note">${coverageText(lang, { through: tr.through })}</p>` : ''}
    </li>`;
  })}</ul></section>`;
}
