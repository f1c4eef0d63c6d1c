import { loadCatalog } from '../catalog/index.js';
import { citationOf, listReleases, type ReleaseRow } from '../analytics/index.js';
import {
  AGENCY_BASIS_LABELS, ANNUALISATION_METHOD, CONFIDENCE_LABELS, FLAG_LABELS, FREQUENCY_LABELS, KIND_LABELS, RELATION_LABELS, TAG_LABELS, TREND_LABELS, qualifierPrefix, rateIndicator,
  type Dimension, type FrameworkNode, type Indicator, type Measure, type QueryFreq, type QueryResult, type ResultRow,
} from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { LOCALES, coverageText, isMunicipalMap, periodLabel, search, t, timestampLabel, type MapKind, type SearchEntry, type SiteLang } from '../web/index.js';
import {
  breakdowns, canAnnualise, card, dataFileName, defaultFreq, defaultGeo, effectiveMeasure, hasMunicipalities, hasRate, hasRegions, hasStates, nationOf, primaryFreq, stateProfile, type Card,
} from './data.js';
import { errorPage } from './error-pages.js';
import { stateTrendsSection } from './state-trends.js';
import { breakdownCells, chartControls, chartMessages, shareSection } from './chart-controls.js';
import { capitalise, html, raw, type Raw } from './html.js';
import { href, page } from './layout.js';
import { flagList, secondaryMarks, sourceLinks } from './secondary-marks.js';
import { nodeMonitoringSections } from './monitoring-pages.js';
import { locatorMap } from './locator-map.js';
import type { ReportedComparison } from '../monitoring/index.js';

const fmt = (lang: SiteLang, value: number | null, decimals = 0) =>
  value === null ? t(lang, 'noData') : new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: decimals, minimumFractionDigits: 0 }).format(value);

/** A server-drawn sparkline: no script needed. */
function sparkline(rows: readonly ResultRow[], label: string): Raw {
  const values = rows.map((r) => r.value ?? 0);
  if (values.length < 2) return raw('');
  const [w, h, pad] = [120, 32, 2];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const x = (i: number) => pad + (i * (w - 2 * pad)) / (values.length - 1);
  const y = (v: number) => h - pad - (max === min ? 0.5 : (v - min) / (max - min)) * (h - 2 * pad);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return html`<svg class="sparkline" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${label}"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${points}"/></svg>`;
}

function change(lang: SiteLang, c: Card): Raw {
  const base = c.baseline?.value ?? null;
  const latest = c.latestComplete?.value ?? null;
  if (base === null || latest === null || base === 0) return raw('');
  // Counts of a status at retrieval are lag-biased: no change is shown as better or worse.
  if (c.indicator.statusAtRetrieval) return html`<span class="change change-neutral">${TREND_LABELS['not-comparable'][lang]}</span>`;
  const pct = ((latest - base) / base) * 100;
  const good = c.indicator.direction === 'neutral' ? 'neutral' : (pct < 0) === (c.indicator.direction === 'lower-is-better') ? 'better' : 'worse';
  const sign = pct > 0 ? '+' : '';
  return html`<span class="change change-${good}">${sign}${fmt(lang, pct, 1)} %</span>`;
}

function indicatorCard(lang: SiteLang, c: Card): Raw {
  const i = c.indicator;
  const latest = c.latestComplete;
  return html`<li class="card">
    <h4><a href="${href(lang, `/indicators/${i.code}/`)}">${i.name[lang]}</a></h4>
    <p class="big" data-indicator="${i.code}" data-period="${latest?.period ?? ''}" data-value="${latest?.value ?? ''}">${fmt(lang, latest?.value ?? null, i.decimals)} <small>${[i.unit[lang], latest ? periodLabel(lang, latest.period) : '', i.levels.includes('country') ? '' : latest?.geo_name ?? ''].filter((x) => x !== '').join(' · ')}</small></p>
    ${latest?.source_links ? html`<p class="muted">${secondaryMarks(lang, latest)}</p>` : ''}
    <p class="muted">${t(lang, 'baseline')} ${c.baseline ? periodLabel(lang, c.baseline.period) : ''}: ${fmt(lang, c.baseline?.value ?? null, i.decimals)}${secondaryMarks(lang, c.baseline)} · ${t(lang, 'changeSinceBaseline')}: ${change(lang, c)}</p>
    ${c.latest && c.latest !== latest ? html`<p class="muted">${t(lang, 'latest')} ${periodLabel(lang, c.latest.period)}: ${fmt(lang, c.latest.value, i.decimals)} ${flagList(lang, c.latest.flags)}${c.latest.source_links ? html` ${sourceLinks(lang, c.latest)}` : ''}</p>` : ''}
    ${sparkline(c.series, `${i.name[lang]}, ${periodLabel(lang, c.series[0]?.period ?? '')}–${periodLabel(lang, c.series.at(-1)?.period ?? '')}`)}
    ${coverageText(lang, c.coverage) ? html`<p class="muted coverage-note">${coverageText(lang, c.coverage)}</p>` : ''}
  </li>`;
}

const goalOf = (nodeId: string) => nodeId.split('.')[0] ?? nodeId;

export async function homePage(tx: ReadTx, lang: SiteLang): Promise<string> {
  const { framework, indicators } = loadCatalog();
  const goals = framework.nodes.filter((n) => n.kind === 'goal');
  const cards = new Map<string, Card>();
  for (const i of indicators.filter((x) => x.framework.length > 0)) cards.set(i.code, await card(tx, i, lang));
  const main = html`
  <h1>${framework.name[lang]}</h1>
  <p class="lead">${t(lang, 'homeIntro')}</p>
  <h2>${t(lang, 'goalsHeading')}</h2>
  <div class="goals">
  ${goals.map((g) => {
    const linked = indicators.filter((i) => i.framework.some((id) => goalOf(id) === g.id));
    return html`<section class="goal" aria-labelledby="goal-${g.id}">
      <h3 id="goal-${g.id}"><a href="${href(lang, `/framework/${g.id}/`)}">${g.id}. ${g.title[lang]}</a></h3>
      <p>${g.text[lang]}</p>
      <ul class="cards">${linked.map((i) => indicatorCard(lang, cards.get(i.code) as Card))}</ul>
    </section>`;
  })}
  </div>
  <h2>${t(lang, 'timelineHeading')}</h2>
  <ol class="timeline">
    ${[...framework.events].sort((a, b) => a.date.localeCompare(b.date)).map((e) => html`<li><time datetime="${e.date}">${new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(e.date))}</time> <strong>${e.title[lang]}</strong> — ${e.text[lang]} <span class="muted">(${CONFIDENCE_LABELS[e.confidence][lang]})</span></li>`)}
  </ol>`;
  return page({ lang, title: t(lang, 'navHome'), path: '/', main });
}

function nodeLink(lang: SiteLang, n: FrameworkNode): Raw {
  return html`<a href="${href(lang, `/framework/${n.id}/`)}">${n.id} ${n.title[lang]}</a>`;
}

export function frameworkIndexPage(lang: SiteLang): string {
  const { framework } = loadCatalog();
  const tree = (parent: string | null): Raw => {
    const kids = framework.nodes.filter((n) => n.parent === parent);
    if (kids.length === 0) return raw('');
    return html`<ul>${kids.map((n) => html`<li>${nodeLink(lang, n)} <span class="muted">(${KIND_LABELS[n.kind][lang]}; ${CONFIDENCE_LABELS[n.confidence][lang]})</span>${tree(n.id)}</li>`)}</ul>`;
  };
  const main = html`<h1>${framework.name[lang]}</h1>
    <p class="note">${framework.coverageNote[lang]}</p>
    <nav class="tree" aria-label="${t(lang, 'navFramework')}">${tree(null)}</nav>
    <h2>${t(lang, 'merida')}</h2>
    <dl>${framework.meridaPillars.map((p) => html`<dt>${p.id}. ${p.title[lang]}</dt><dd>${p.summary[lang]}</dd>`)}</dl>`;
  return page({ lang, title: t(lang, 'navFramework'), path: '/framework/', main });
}

export async function frameworkNodePage(tx: ReadTx, lang: SiteLang, id: string): Promise<string | null> {
  const { framework, indicators } = loadCatalog();
  const node = framework.nodes.find((n) => n.id === id);
  if (!node) return null;
  const ancestors: FrameworkNode[] = [];
  for (let p = node.parent; p !== null; ) {
    const parent = framework.nodes.find((n) => n.id === p);
    if (!parent) break;
    ancestors.unshift(parent);
    p = parent.parent;
  }
  const children = framework.nodes.filter((n) => n.parent === id);
  const linked = indicators.filter((i) => i.framework.includes(id));
  const cards = [];
  for (const i of linked) cards.push(await card(tx, i, lang));
  const pillars = node.merida.pillars.map((p) => framework.meridaPillars.find((m) => m.id === p)).filter((p) => p !== undefined);
  const main = html`
  <nav class="breadcrumbs" aria-label="breadcrumbs"><a href="${href(lang, '/framework/')}">${t(lang, 'navFramework')}</a>${ancestors.map((a) => html` › ${nodeLink(lang, a)}`)}</nav>
  <h1><span class="muted">${KIND_LABELS[node.kind][lang]} ${node.id}</span> ${node.title[lang]}</h1>
  <p class="lead">${node.text[lang]}</p>
  <dl class="facts">
    <dt>${t(lang, 'confidence')}</dt><dd class="confidence confidence-${node.confidence}">${CONFIDENCE_LABELS[node.confidence][lang]}</dd>
    <dt>${t(lang, 'merida')}</dt><dd>${pillars.length > 0 ? pillars.map((p) => `${p.id}. ${p.title[lang]}`).join(' · ') : '—'} (${RELATION_LABELS[node.merida.relation][lang]}) — ${node.merida.note[lang]}</dd>
    <dt>${t(lang, 'agencies')}</dt><dd>${node.agencies.basis === 'not-published' ? t(lang, 'notPublished') : html`${t(lang, 'agenciesUs')}: ${node.agencies.us.join(', ') || '—'}; ${t(lang, 'agenciesMx')}: ${node.agencies.mx.join(', ') || '—'} <span class="muted">(${AGENCY_BASIS_LABELS[node.agencies.basis][lang]})</span>`}</dd>
  </dl>
  ${node.milestones.length > 0 ? html`<h2>${t(lang, 'milestones')}</h2><ul>${node.milestones.map((m) => html`<li><time datetime="${m.date}">${m.date}</time> ${m.text[lang]}</li>`)}</ul>` : ''}
  ${children.length > 0 ? html`<h2>${t(lang, 'children')}</h2><ul>${children.map((c) => html`<li>${nodeLink(lang, c)} <span class="muted">(${KIND_LABELS[c.kind][lang]})</span></li>`)}</ul>` : ''}
  <h2>${t(lang, 'linkedIndicators')}</h2>
  ${cards.length > 0 ? html`<ul class="cards">${cards.map((c) => indicatorCard(lang, c))}</ul>` : html`<p>${t(lang, 'noLinkedIndicators')}</p>`}
  ${await nodeMonitoringSections(tx, lang, node.id, node.kind)}
  <h2>${t(lang, 'sources')}</h2>
  <ul>${node.sources.map((s) => html`<li><a href="${s.url}" rel="external"><cite>${s.title}</cite></a>${s.date ? html` (<time datetime="${s.date}">${new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(s.date))}</time>)` : ''}</li>`)}</ul>`;
  return page({ lang, title: `${node.id} ${node.title[lang]}`, path: `/framework/${id}/`, main });
}

export function indicatorsIndexPage(lang: SiteLang): string {
  const { indicators } = loadCatalog();
  const main = html`<h1>${t(lang, 'navIndicators')}</h1>
  <ul class="plain">${indicators.map((i) => html`<li><a href="${href(lang, `/indicators/${i.code}/`)}">${i.name[lang]}</a> <code>${i.code}</code><br><span class="muted">${i.definition[lang]}</span></li>`)}</ul>`;
  return page({ lang, title: t(lang, 'navIndicators'), path: '/indicators/', main });
}

export interface ViewState {
  readonly geo: readonly string[];
  readonly from: string | null;
  readonly to: string | null;
  readonly freq: QueryFreq;
  readonly view: 'chart' | 'map' | 'table';
  readonly map: MapKind;
  readonly year: string | null;
  /** Count or rate; null = the view's default (maps: the rate). */
  readonly measure: Measure | null;
  readonly annualise: boolean;
  /** Compare the same months of each year (those the latest year has). */
  readonly ytd: boolean;
  /** The chart's y axis (log only over values above zero). */
  readonly scale: 'linear' | 'log';
  /** A breakdown the indicator offers (counts only). */
  readonly by: Dimension | null;
}

/**
 * The query string of a view's data, what the .csv and .json links need without JavaScript: places, periods, frequency
 * and the measure shown (the map's default rate is written out). With `page`, also the view itself (for citations).
 */
export function viewQueryString(state: ViewState, measure: Measure, annualise: boolean, page = false): string {
  const params = new URLSearchParams();
  if (state.geo.length > 0) params.set('geo', state.geo.join(','));
  for (const key of ['from', 'to', 'freq'] as const) {
    const value = state[key];
    if (value) params.set(key, value);
  }
  if (measure === 'rate') params.set('measure', 'rate');
  if (annualise) params.set('annualise', 'true');
  if (state.ytd) params.set('ytd', 'true');
  if (state.by) params.set('by', state.by);
  if (page) {
    if (state.scale === 'log') params.set('scale', 'log');
    params.set('view', state.view);
    if (state.view === 'map') params.set('map', state.map);
    if (state.view === 'map' && state.year) params.set('year', state.year);
  }
  const text = params.toString().replaceAll('%2C', ',').replaceAll('%3A', ':');
  return text === '' ? '' : `?${text}`;
}

function resultTable(lang: SiteLang, indicator: Indicator, result: QueryResult): Raw {
  const linked = result.rows.some((r) => r.source_links !== undefined);
  const dim = breakdownCells(lang, result);
  return html`<table class="data"><caption>${t(lang, 'tableCaption')}</caption>
  <thead><tr><th scope="col">${t(lang, 'geographies')}</th><th scope="col">${t(lang, 'period')}</th>${dim.header}<th scope="col" class="num">${t(lang, 'value')}</th>${indicator.denominator ? html`<th scope="col" class="num">${t(lang, 'numerator')}</th><th scope="col" class="num">${t(lang, 'denominator')}</th>` : ''}<th scope="col">${t(lang, 'flags')}</th>${linked ? html`<th scope="col">${t(lang, 'sourceLink')}</th>` : ''}</tr></thead>
  <tbody>${result.rows.map((r) => html`<tr data-geo="${r.geo}" data-period="${r.period}"><th scope="row">${r.geo_name}</th><td>${periodLabel(lang, r.period)}</td>${dim.cell(r.dimension)}<td class="num">${fmt(lang, r.value, indicator.decimals)}</td>${indicator.denominator ? html`<td class="num">${fmt(lang, r.numerator)}</td><td class="num">${fmt(lang, r.denominator)}</td>` : ''}<td>${flagList(lang, r.flags)}</td>${linked ? html`<td>${sourceLinks(lang, r)}</td>` : ''}</tr>`)}</tbody></table>`;
}

export function indicatorPage(
  lang: SiteLang, indicator: Indicator, state: ViewState, result: QueryResult, releases: readonly ReleaseRow[], years: readonly string[], defaultYear: string | null,
  cited: readonly ReportedComparison[] = [],
  /** partialYears: the map's periods where some state lacks months (flagged partial-period): marked, never shown as complete. */
  options: { ytdFrequencies?: readonly QueryFreq[]; partialYears?: readonly string[] } = {},
): string {
  const { framework, sources, geography } = loadCatalog();
  const partialYears = new Set(options.partialYears ?? years.filter((y) => y > (defaultYear ?? y)));
  // A count of people offers its rate: the population's source is one of the page's sources.
  const pageSources = [...new Set([...indicator.sources, ...(indicator.rate?.sources ?? [])])];
  const used = releases.filter((r) => pageSources.includes(r.source_id));
  const states = hasStates(indicator) ? geography.states : [];
  const nation = nationOf(indicator);
  // U.S. border indicators: the United States (all regions) and each CBP region.
  const regions = hasRegions(indicator) ? [{ code: 'US', name: t(lang, 'allRegionsUs') }, ...geography.usBorder.regions.map((r) => ({ code: r.code, name: r[lang] }))] : [];
  const freqLabel = (f: QueryFreq) => t(lang, f === 'year' ? 'freqYear' : f === 'fy' ? 'freqFiscalYear' : 'freqMonth');
  const national = indicator.levels.includes('country');
  // A breakdown and the municipal map show counts (see shownMeasure).
  const measure = effectiveMeasure(indicator, state);
  // The indicator as shown: its rate (unit, decimals, numerator and denominator columns) when the view asks for it.
  const shown = measure === 'rate' ? rateIndicator(indicator) : indicator;
  const annualisable = indicator.frequencies.includes('month') && (hasRate(indicator) || indicator.rateOf !== undefined);
  const annualised = !state.by && state.annualise && canAnnualise(indicator, measure, state.freq);
  const query = viewQueryString(state, measure, annualised);
  const geoOption = (code: string, name: string) =>
    html`<label class="geo-option"><input type="checkbox" name="geo" value="${code}"${raw(state.geo.includes(code) ? ' checked' : '')}> ${name}</label>`;
  const main = html`
  <nav class="breadcrumbs" aria-label="breadcrumbs"><a href="${href(lang, '/indicators/')}">${t(lang, 'navIndicators')}</a></nav>
  <h1>${indicator.name[lang]}</h1>
  <p class="lead">${indicator.definition[lang]}</p>
  ${indicator.code.startsWith('migrants.') ? html`<p><a href="${href(lang, '/border-map/')}">${t(lang, 'borderMapLink')}</a></p>` : ''}
  ${indicator.tags.length > 0 ? html`<p class="tags">${indicator.tags.map((tag) => html`<span class="tag">${TAG_LABELS[tag][lang]}</span>`)}</p>` : ''}
  ${indicator.sources.some((id) => id.startsWith('secondary-')) ? html`<p class="note secondary-note">${t(lang, 'secondaryNote')}</p>` : ''}
  <form id="view-form" class="controls" method="get" action="${href(lang, `/indicators/${indicator.code}/`)}">
    <fieldset><legend>${t(lang, 'view')}</legend>
      ${(['chart', 'map', 'table'] as const).filter((v) => v !== 'map' || hasStates(indicator)).map((v) => html`<label><input type="radio" name="view" value="${v}"${raw(state.view === v ? ' checked' : '')}> ${t(lang, v === 'chart' ? 'viewChart' : v === 'map' ? 'viewMap' : 'viewTable')}</label>`)}
    </fieldset>
    <fieldset><legend>${t(lang, 'period')}</legend>
      <label>${t(lang, 'from')} <input name="from" value="${state.from ?? ''}" size="8" pattern="(FY)?\\d{4}(-\\d{2})?"></label>
      <label>${t(lang, 'to')} <input name="to" value="${state.to ?? ''}" size="8" pattern="(FY)?\\d{4}(-\\d{2})?"></label>
      ${indicator.frequencies.length > 1 ? html`<label>${t(lang, 'frequency')} <select name="freq">${indicator.frequencies.map((f) => html`<option value="${f}"${raw(state.freq === f ? ' selected' : '')}>${freqLabel(f)}</option>`)}</select></label>` : ''}
      ${(options.ytdFrequencies ?? []).length > 0 ? html`<label class="ytd"><input type="checkbox" name="ytd" value="true"${raw(state.ytd ? ' checked' : '')}> ${t(lang, 'ytdControl')}</label>` : ''}
    </fieldset>
    ${hasRate(indicator) ? html`<fieldset class="measure"><legend>${t(lang, 'measure')}</legend>
      <label>${t(lang, 'measure')} <select name="measure">
        <option value=""${raw(state.measure === null ? ' selected' : '')}>${t(lang, 'measureAuto')}</option>
        <option value="count"${raw(state.measure === 'count' ? ' selected' : '')}>${t(lang, 'measureCount')} (${indicator.unit[lang]})</option>
        <option value="rate"${raw(state.measure === 'rate' ? ' selected' : '')}>${t(lang, 'measureRate')} (${indicator.rate?.unit[lang] ?? ''})</option>
      </select></label>
      <p class="muted measure-note">${t(lang, 'mapMeasureNote')} ${t(lang, 'measureShown')}: <span class="measure-shown">${measure === 'rate' ? indicator.rate?.unit[lang] ?? '' : indicator.unit[lang]}</span>.
      <span class="municipal-count-note"${raw(isMunicipalMap(state) ? '' : ' hidden')}>${t(lang, 'municipalCountNote')}</span></p></fieldset>` : ''}
    ${annualisable ? html`<fieldset class="annualise"><legend>${t(lang, 'freqMonth')}</legend>
      <label><input type="checkbox" name="annualise" value="true"${raw(annualised ? ' checked' : '')}> ${t(lang, 'annualise')}</label>
      <p class="muted">${ANNUALISATION_METHOD[lang]}</p></fieldset>` : ''}
    ${hasStates(indicator) ? html`<fieldset class="map-options"><legend>${t(lang, 'viewMap')}</legend>
      <label class="map-year">${t(lang, 'mapPeriod')} <select name="year">${years.map((y) => html`<option value="${y}"${raw(state.year === y ? ' selected' : '')}>${periodLabel(lang, y)}${partialYears.has(y) ? ` (${t(lang, 'partialPeriod')})` : ''}</option>`)}</select></label>
      <label>${t(lang, 'mapKind')} <select name="map">
        <option value="states"${raw(state.map === 'states' ? ' selected' : '')}>${t(lang, 'mapStates')}</option>
        <option value="hex"${raw(state.map === 'hex' ? ' selected' : '')}>${t(lang, 'mapHex')}</option>
        ${hasMunicipalities(indicator) ? html`<option value="municipal"${raw(state.map === 'municipal' ? ' selected' : '')}>${t(lang, 'mapMunicipal')}</option>` : ''}
      </select></label></fieldset>` : ''}
    ${states.length > 0 ? html`<fieldset class="geo-list"><legend>${t(lang, 'geographies')}</legend>${national ? geoOption(nation, t(lang, 'national')) : ''}${states.map((s) => geoOption(s.code, s[lang]))}</fieldset>`
      : regions.length > 0 ? html`<fieldset class="geo-list"><legend>${t(lang, 'geographies')}</legend>${regions.map((r) => geoOption(r.code, r.name))}</fieldset>`
      : html`<input type="hidden" name="geo" value="${nation}">`}
    ${chartControls(lang, indicator, state, result)}
    <button type="submit">${t(lang, 'apply')}</button>
  </form>
  <p id="data-through" class="coverage-note">${coverageText(lang, result)}</p>
  ${indicator.statusAtRetrieval?.nationalNote && result.rows.some((r) => r.geo === nation) ? html`<p class="note national-note">${indicator.statusAtRetrieval.nationalNote[lang]}</p>` : ''}
  <div id="viz" class="viz" aria-live="polite">${result.rows.length === 0 && result.sources.every((s) => s.releases.length === 0) ? html`<section class="reporting-status" data-status="no-data"><h2>${t(lang, 'reportingStatus')}</h2><p>${t(lang, 'reportingNoData')}</p></section>` : ''}</div>
  <p class="muted events-note">${t(lang, 'eventsNote')}</p>
  <section id="table-section"><h2>${t(lang, 'viewTable')}</h2><div id="table">${resultTable(lang, shown, result)}</div></section>
  <section><h2>${t(lang, 'downloads')}</h2><ul class="downloads">
    <li><a id="dl-csv" href="${href(lang, `/indicators/${indicator.code}.csv`)}${query}" download>${t(lang, 'downloadCsv')}</a></li>
    <li><a id="dl-json" href="${href(lang, `/indicators/${indicator.code}.json`)}${query}" download>${t(lang, 'downloadJson')}</a></li>
    <li><button type="button" id="dl-svg" hidden>${t(lang, 'downloadSvg')}</button></li>
    <li><button type="button" id="dl-png" hidden>${t(lang, 'downloadPng')}</button></li>
  </ul><p><strong>${t(lang, 'citeAs')}:</strong> <span id="citation">${citationOf(result, `https://observa.example${href(lang, `/indicators/${indicator.code}/`)}${viewQueryString(state, measure, annualised, true)}`)}</span></p></section>
  ${shareSection(lang, indicator, viewQueryString(state, measure, annualised, true))}
  ${indicator.caveats.length > 0 ? html`<section><h2>${t(lang, 'caveats')}</h2><ul>${indicator.caveats.map((c) => html`<li>${c[lang]}</li>`)}</ul></section>` : ''}
  <section><h2>${t(lang, 'definition')}</h2><dl class="facts">
    <dt>${t(lang, 'unit')}</dt><dd>${indicator.unit[lang]}${indicator.rate ? html`; ${t(lang, 'measureRate')}: ${indicator.rate.unit[lang]}` : ''}</dd>
    ${indicator.rate ? html`<dt>${t(lang, 'population')}</dt><dd class="population-note">${indicator.rate.population[lang]}</dd>` : ''}
    ${indicator.noRate ? html`<dt>${t(lang, 'noRate')}</dt><dd class="no-rate-note">${indicator.noRate[lang]}</dd>` : ''}
    <dt>${t(lang, 'baseline')}</dt><dd>${periodLabel(lang, indicator.baseline.period)} — ${indicator.baseline.note[lang]}</dd>
    <dt>${t(lang, 'target')}</dt><dd>${indicator.targets.length > 0 ? indicator.targets.map((x) => `${periodLabel(lang, x.period)}: ${x.value}`).join('; ') : (indicator.targetNote?.[lang] ?? '—')}</dd>
    <dt>${t(lang, 'frameworkLinks')}</dt><dd>${indicator.framework.map((id) => {
      const n = framework.nodes.find((x) => x.id === id);
      return n ? html`<a href="${href(lang, `/framework/${id}/`)}">${id} ${n.title[lang]}</a> ` : '';
    })}</dd>
  </dl></section>
  ${cited.length > 0 ? html`<section id="cited"><h2>${t(lang, 'figuresTitle')}</h2><p class="muted">${t(lang, 'figuresLead')}</p><ul>${cited.map((f) => html`<li>
    «${f.statement}» <span class="muted">(${f.attribution.replace(/[\s.;,]+$/, '')})</span>: ${t(lang, 'reported')} ${qualifierPrefix(f.reported.qualifier)}${fmt(lang, f.reported.value, 2)};
    ${t(lang, 'computedCol')} ${fmt(lang, f.computed?.value ?? null, indicator.decimals)}${f.computed?.period ? ` (${periodLabel(lang, f.computed.period)})` : ''}. ${capitalise(f.reasons.map((r) => r.label).join(', '))}: ${f.explanation}</li>`)}</ul></section>` : ''}
  <section><h2>${t(lang, 'sources')}</h2><ul>${pageSources.map((id) => {
    const s = sources.find((x) => x.id === id);
    return s ? html`<li><a href="${s.url}" rel="external">${s.publisher[lang]}: ${s.dataset[lang]}</a> — ${s.notes[lang]}</li>` : '';
  })}</ul>
  <h3>${t(lang, 'releases')}</h3>${releaseTable(lang, used)}</section>`;
  // The files the script reads first start loading with it, from the head: on a phone over 3G every round trip counts.
  // The view's data file (its table, its chart) under the client's name for it (main.ts, fileName), and a map's layer
  // and data file. The municipal map is drawn first with the coarse layer (map-layers.ts, MUNICIPAL_COARSE).
  const mapped = state.view === 'map' && states.length > 0;
  const viewFile = `/data/${lang}/${indicator.code}/${dataFileName(state.freq, measure, annualised, state.ytd && state.freq !== 'month')}.json`;
  const mapFiles = !mapped ? [] : state.map === 'municipal'
    ? (hasMunicipalities(indicator) ? ['/data/geo/municipalities-coarse.json', ...(state.year ? [`/data/${lang}/${indicator.code}/municipality-${state.year}.json`] : [])] : [])
    : [state.map === 'hex' ? '/data/geo/states-hex.json' : '/data/geo/states.json', `/data/${lang}/${indicator.code}/${dataFileName(primaryFreq(indicator), measure, false)}.json`];
  const preload = [...new Set([viewFile, ...mapFiles])];
  return page({
    lang,
    title: indicator.name[lang],
    path: `/indicators/${indicator.code}/`,
    main,
    description: indicator.definition[lang],
    preload,
    // The drawing code of the first view (a table draws nothing); the others load if the reader switches.
    modules: state.view === 'table' ? [] : mapped ? ['map'] : ['chart'],
    client: {
      ...indicatorClient(lang, indicator, defaultYear),
      // The map's periods for the year slider, each with its label and whether it is partial.
      mapYears: years.map((y) => ({ value: y, label: periodLabel(lang, y), partial: partialYears.has(y) })),
    },
  });
}

function releaseTable(lang: SiteLang, releases: readonly ReleaseRow[]): Raw {
  // A focusable, labelled scroll box: on a phone the box scrolls, not the table (axe scrollable-region-focusable).
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'releases')}"><table class="data releases"><thead><tr><th scope="col">${t(lang, 'release')}</th><th scope="col">${t(lang, 'file')}</th><th scope="col">${t(lang, 'checksum')}</th><th scope="col" class="num">${t(lang, 'rows')}</th><th scope="col" class="num">${t(lang, 'observations')}</th><th scope="col">${t(lang, 'period')}</th><th scope="col">${t(lang, 'importedAt')}</th></tr></thead>
  <tbody>${releases.map((r) => html`<tr><td>${r.id}</td><td>${r.file_name}</td><td><code title="${r.sha256}">${r.sha256.slice(0, 16)}…</code></td><td class="num">${fmt(lang, r.row_count)}</td><td class="num">${fmt(lang, r.observation_count)}</td><td>${r.period_from ? periodLabel(lang, r.period_from) : ''}${r.period_to ? ` – ${periodLabel(lang, r.period_to)}` : ''}</td><td><time datetime="${r.imported_at}">${timestampLabel(lang, r.imported_at)}</time></td></tr>`)}</tbody></table></div>`;
}

export function statesIndexPage(lang: SiteLang): string {
  const { geography, sources } = loadCatalog();
  const boundaries = sources.find((s) => s.id === 'inegi-geo-boundaries');
  // The hexagon map (drawn by the script, each state a link to its profile) above the list, which works without it.
  const main = html`<h1>${t(lang, 'navStates')}</h1>
  <div id="states-map" class="viz states-map"></div>
  <ul class="columns">${geography.states.map((s) => html`<li><a href="${href(lang, `/states/${s.code}/`)}">${s[lang]}</a> <span class="muted">${s.iso}</span></li>`)}</ul>`;
  return page({
    lang, title: t(lang, 'navStates'), path: '/states/', main, modules: ['map'], preload: ['/data/geo/states-hex.json'],
    client: {
      page: 'states-index',
      layer: '/data/geo/states-hex.json',
      names: Object.fromEntries(geography.states.map((s) => [s.code, s[lang]])),
      title: t(lang, 'statesMapTitle'),
      note: t(lang, 'statesMapNote'),
      citation: boundaries ? `${t(lang, 'sourceCol')}: ${boundaries.publisher[lang]}, ${boundaries.dataset[lang]}` : '',
      messages: { loading: t(lang, 'loading'), loadFailed: t(lang, 'loadFailed') },
    },
  });
}

export async function statePage(tx: ReadTx, lang: SiteLang, code: string): Promise<string | null> {
  const { geography, indicators } = loadCatalog();
  const state = geography.states.find((s) => s.code === code);
  if (!state) return null;
  const rows = await stateProfile(tx, indicators, code, lang);
  const main = html`<nav class="breadcrumbs" aria-label="breadcrumbs"><a href="${href(lang, '/states/')}">${t(lang, 'navStates')}</a></nav>
  <h1><span class="muted">${t(lang, 'stateProfile')}</span> ${state[lang]}</h1>
  <p class="muted"><span lang="es">${state.official}</span> · ${state.iso} · INEGI ${state.code}</p>
  ${await locatorMap(tx, code, `${t(lang, 'locatorTitle')}: ${state[lang]}`)}
  ${await stateTrendsSection(tx, lang, code, state[lang])}
  <h2>${t(lang, 'stateTableTitle')}</h2>
  <p class="note rank-note">${t(lang, 'rankNote')}</p>
  <table class="data profile"><caption>${state[lang]}</caption><thead><tr><th scope="col">${t(lang, 'indicator')}</th><th scope="col">${t(lang, 'period')}</th><th scope="col" class="num">${t(lang, 'stateValue')}</th><th scope="col" class="num">${t(lang, 'nationalValue')}</th><th scope="col" class="num">${t(lang, 'rank')}</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr data-indicator="${r.indicator.code}"><th scope="row"><a href="${href(lang, `/indicators/${r.indicator.code}/?geo=${r.indicator.levels.includes('country') ? `${nationOf(r.indicator)},` : ''}${code}${r.measure === 'rate' ? '&measure=rate' : ''}`)}">${r.indicator.name[lang]}</a> <span class="muted">(${r.unit})</span></th>
    <td>${r.period ? periodLabel(lang, r.period) : '—'}</td><td class="num">${fmt(lang, r.state?.value ?? null, r.indicator.decimals)}${r.state?.source_links ? html` ${flagList(lang, ['secondary-source'])} ${sourceLinks(lang, r.state)}` : ''}</td><td class="num">${fmt(lang, r.national?.value ?? null, r.indicator.decimals)}</td>
    <td class="num">${r.rank === null ? '—' : html`${r.rank} ${t(lang, 'rankOf')} 32 <small class="muted">(${t(lang, r.measure === 'rate' ? 'rankHighestRate' : 'rankHighestValue')})</small>`}</td></tr>`)}</tbody></table>
  ${[...new Set(rows.filter((r) => r.national && r.indicator.statusAtRetrieval?.nationalNote).map((r) => r.indicator.statusAtRetrieval?.nationalNote?.[lang] ?? ''))].map((note) => html`<p class="note national-note">${note}</p>`)}`;
  return page({ lang, title: state[lang], path: `/states/${code}/`, main });
}

export async function dataPage(tx: ReadTx, lang: SiteLang): Promise<string> {
  const { sources } = loadCatalog();
  const releases = await listReleases(tx);
  const main = html`<h1>${t(lang, 'navData')}</h1>
  ${sources.map((s) => html`<section class="source" id="source-${s.id}"><h2>${s.publisher[lang]}</h2><p><a href="${s.url}" rel="external">${s.dataset[lang]}</a></p><p>${s.notes[lang]}</p>
    <dl class="facts"><dt>${t(lang, 'licence')}</dt><dd>${s.licence[lang]}</dd><dt>${t(lang, 'frequencyOfPublication')}</dt><dd>${FREQUENCY_LABELS[s.publicationFrequency][lang]}</dd></dl>
    ${releaseTable(lang, releases.filter((r) => r.source_id === s.id))}</section>`)}`;
  return page({ lang, title: t(lang, 'navData'), path: '/data/', main });
}

export function searchIndex(lang: SiteLang): SearchEntry[] {
  const { indicators, framework, geography } = loadCatalog();
  const other = lang === 'es' ? 'en' : 'es';
  return [
    ...indicators.map((i) => ({ kind: 'indicator' as const, id: i.code, title: i.name[lang], altTitle: i.name[other], href: href(lang, `/indicators/${i.code}/`), terms: `${i.name.es} ${i.name.en} ${i.definition.es} ${i.definition.en}` })),
    ...framework.nodes.map((n) => ({ kind: 'framework' as const, id: n.id, title: `${n.id} ${n.title[lang]}`, altTitle: n.title[other], href: href(lang, `/framework/${n.id}/`), terms: `${n.title.es} ${n.title.en} ${n.text.es} ${n.text.en}${n.merida.pillars.length > 0 ? ` Mérida ${n.merida.note.es} ${n.merida.note.en}` : ''}` })),
    ...geography.states.map((s) => ({ kind: 'state' as const, id: s.code, title: s[lang], altTitle: s[other], href: href(lang, `/states/${s.code}/`), terms: `${s.es} ${s.en} ${s.official} ${s.abbr} ${s.iso}` })),
  ];
}

export function searchPage(lang: SiteLang, query: string): string {
  const results = search(searchIndex(lang), query);
  const kind = { indicator: t(lang, 'kindIndicator'), framework: t(lang, 'kindFramework'), state: t(lang, 'kindState') };
  const main = html`<h1>${t(lang, 'navSearch')}</h1>
  <form role="search" method="get" action="${href(lang, '/search/')}"><label for="q">${t(lang, 'navSearch')}</label> <input id="q" name="q" type="search" value="${query}" placeholder="${t(lang, 'searchPlaceholder')}" autocomplete="off"> <button type="submit">${t(lang, 'navSearch')}</button></form>
  <div id="results" aria-live="polite">${query.trim() === '' ? '' : results.length === 0 ? html`<p>${t(lang, 'searchNoResults')}</p>` : html`<h2>${t(lang, 'searchResults')}</h2><ul class="plain">${results.map((r) => html`<li><span class="muted">${kind[r.kind]}</span> <a href="${r.href}">${r.title}</a></li>`)}</ul>`}</div>`;
  return page({ lang, title: t(lang, 'navSearch'), path: '/search/', main, modules: ['search'], client: { page: 'search', index: `/data/${lang}/search.json`, kinds: kind, none: t(lang, 'searchNoResults'), heading: t(lang, 'searchResults') } });
}

export function notFoundPage(lang: SiteLang): string {
  return errorPage(lang, 404, '/');
}

/** The indicator page's script configuration (also the embedded chart's): what to load and every string it draws. */
export function indicatorClient(lang: SiteLang, indicator: Indicator, defaultYear: string | null): Record<string, unknown> {
  const { framework } = loadCatalog();
  const events = framework.events.map((e) => ({ date: e.date, label: e.title[lang] }));
  const nation = nationOf(indicator);
  const start = defaultGeo(indicator);
  const annualisable = indicator.frequencies.includes('month') && (hasRate(indicator) || indicator.rateOf !== undefined);
  return {
    page: 'indicator',
    indicator: {
      code: indicator.code, name: indicator.name[lang], unit: indicator.unit[lang], decimals: indicator.decimals,
      rate: indicator.rate ? { unit: indicator.rate.unit[lang], decimals: indicator.rate.decimals } : null, annualisable,
      nation, states: hasStates(indicator), municipalities: hasMunicipalities(indicator), frequencies: indicator.frequencies, mapFreq: primaryFreq(indicator),
      zeroWhenAbsent: indicator.zeroWhenAbsent,
    },
    defaults: { geo: [start], freq: defaultFreq(indicator), view: 'chart', map: 'states', year: defaultYear, measure: null, annualise: false, ytd: false, scale: 'linear', by: null },
    events,
    messages: {
      mapYear: t(lang, 'mapPeriod'), mapYearPartial: t(lang, 'mapYearPartial'), mapYearLegend: t(lang, 'mapYearLegend'),
      partial: t(lang, 'partialPeriod'), noData: t(lang, 'noData'), loading: t(lang, 'loading'), loadFailed: t(lang, 'loadFailed'),
      table: t(lang, 'tableCaption'), geographies: t(lang, 'geographies'), period: t(lang, 'period'), value: t(lang, 'value'),
      numerator: t(lang, 'numerator'), denominator: t(lang, 'denominator'), flags: t(lang, 'flags'), source: t(lang, 'sourceLink'),
      annualised: lang === 'es' ? 'anualizada' : 'annualised', projected: t(lang, 'projectedNote'), rankHighest: t(lang, 'rankHighestRate'),
      partialPoint: t(lang, 'partialPoint'), partialPointNoMonths: t(lang, 'partialPointNoMonths'), reportingStatus: t(lang, 'reportingStatus'), reportingNoData: t(lang, 'reportingNoData'),
      ...chartMessages(lang),
    },
    breakdowns: breakdowns(indicator),
    flagLabels: Object.fromEntries(Object.entries(FLAG_LABELS).map(([flag, label]) => [flag, label[lang]])),
  };
}
