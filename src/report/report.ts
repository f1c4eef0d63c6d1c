import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { dataVersion, listReleases, queryIndicator } from '../analytics/index.js';
import { loadCatalog } from '../catalog/index.js';
import {
  ACCOUNT_LABELS, COMPLETION_LABELS, EVIDENCE_KIND_LABELS, qualifierPrefix, CONFIDENCE_LABELS, FLAG_LABELS, FRESHNESS_LABELS, GAP_LABELS, KIND_LABELS, PROGRESS_LABELS,
  RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS, STAGE_LABELS, TREND_LABELS, secondaryMarkFlags, type Lang, type QualityFlag,
} from '../domain/index.js';
import { computeScorecard, listAssistance, listEvidence, pipelineByYear, reportedFigures } from '../monitoring/index.js';
import { html, raw, type Raw } from '../site/index.js';
import type { ReadTx } from '../store/index.js';
import { lineChartSvg } from './charts.js';
import { REPORT_CSS } from './style.js';
import { REPORT_TEXT, type ReportKey } from './strings.js';

export interface ReportOptions {
  readonly year: number;
  readonly lang: Lang;
  /** Printed on the cover; the only part of the report that is not a function of the store. */
  readonly generatedAt?: Date;
}

const LOCALE = { es: 'es-MX', en: 'en-US' } as const;
const FIRST_CHART_YEAR = 2015;

/** The monitoring report for one year as one self-contained HTML document (inline CSS and SVG, no script, no fetch). */
export async function buildReportHtml(tx: ReadTx, options: ReportOptions): Promise<string> {
  const { year, lang } = options;
  const T = (k: ReportKey) => REPORT_TEXT[k][lang];
  const num = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 2 });
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? T('noValue') : num.format(v));
  const catalog = loadCatalog();
  const { framework } = catalog;
  const card = await computeScorecard(tx, { lang, through: year, asOf: new Date(Date.UTC(year, 11, 31)) });
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const evidence = await listEvidence(tx, { from, to });
  const assistance = await listAssistance(tx, { through: year });
  const reported = await reportedFigures(tx, lang);
  const releases = await listReleases(tx);
  const version = await dataVersion(tx);
  const eventsAll = framework.events.filter((e) => Number(e.date.slice(0, 4)) <= year);
  const eventsInPeriod = framework.events.filter((e) => e.date >= from && e.date <= to);
  const flag = (f: QualityFlag) => FLAG_LABELS[f][lang];
  // Secondary sources are named (and linked) beside their values; every value's own address is in the data files.
  const secondarySources = (i: { sources: readonly string[] }) =>
    catalog.sources.filter((src) => i.sources.includes(src.id) && src.id.startsWith('secondary-'));
  // A secondary value is printed with its flag and the page it was taken from (not only the dataset's address).
  const valueLinks = (v: { flags: readonly QualityFlag[]; source_links?: readonly { url: string; outlet: string }[] }) =>
    v.source_links ? html` (${secondaryMarkFlags(v.flags).map(flag).join(', ')}: ${v.source_links.map((l, i) => html`${i > 0 ? ' · ' : ''}<a class="source-link" href="${l.url}">${l.outlet || l.url}</a>`)})` : '';
  const placeName = (geo: string) =>
    // US-MX is the binational border area; other US codes (US, the CBP regions US-SWB…) name the United States.
    geo === 'US-MX' ? (lang === 'es' ? 'frontera México–EE. UU.' : 'U.S.–Mexico border') : geo.startsWith('US') ? 'EE. UU./U.S.'
      : geo === '00' ? 'México' : (catalog.geography.states.find((st) => st.code === geo)?.[lang] ?? geo);
  const note = (n: { es?: string; en?: string }) => n[lang] ?? (lang === 'es' ? `${n.en ?? ''} ${T('untranslated')}` : `${n.es ?? ''} ${T('untranslated')}`);

  // --- summary by goal
  const goals = card.nodes.filter((n) => n.kind === 'goal');
  const progressCells = (p: Record<string, number>) =>
    Object.entries(p).filter(([, c]) => c > 0).map(([k, c]) => `${PROGRESS_LABELS[k as keyof typeof PROGRESS_LABELS][lang]}: ${c}`).join(' · ') || T('none');
  const actionCells = (a: Record<string, number> | null) =>
    a === null ? '' : Object.entries(a).filter(([, c]) => c > 0)
      .map(([k, c]) => `${k === 'none' ? (lang === 'es' ? 'sin evidencia' : 'no evidence') : COMPLETION_LABELS[k as keyof typeof COMPLETION_LABELS][lang]}: ${c}`).join(' · ') || T('none');
  const summary = goals.map((g) => {
    const below = card.nodes.filter((n) => n.id.startsWith(`${g.id}.`));
    return html`<article class="goal"><h3>${g.id}. ${g.title}</h3>
      <dl class="facts">
        <dt>${T('indicatorCount')}</dt><dd>${g.measuredBy.length}</dd>
        <dt>${T('progress')}</dt><dd>${progressCells(g.progress)}</dd>
        <dt>${T('actions')}</dt><dd>${actionCells(g.actions)}</dd>
        <dt>${T('risksCol')}</dt><dd>${g.risks.length}</dd>
        <dt>${T('gapsCol')}</dt><dd>${[g, ...below].filter((n) => n.gaps.length > 0).length} ${T('nodesWithGaps')} / ${below.length + 1}</dd>
      </dl></article>`;
  });

  // --- scorecard table
  const scoreRows = card.nodes.map((n) => html`<tr class="k-${n.kind}">
      <td>${n.id}</td><td>${KIND_LABELS[n.kind][lang]}</td><td>${n.title}</td><td class="n">${n.measuredBy.length}</td>
      <td>${n.kind === 'action' ? '' : progressCells(n.progress)}</td>
      <td>${n.evidence ? `${COMPLETION_LABELS[n.evidence.status][lang]} (${n.evidence.date})` : n.kind === 'action' ? (lang === 'es' ? 'sin evidencia' : 'no evidence') : actionCells(n.actions)}</td>
      <td class="n">${n.risks.length}</td><td>${n.gaps.map((g) => GAP_LABELS[g][lang]).join('; ')}</td></tr>`);

  // --- key indicators with charts
  const indicatorBlocks: Raw[] = [];
  for (const s of card.indicators) {
    const ind = catalog.indicators.find((i) => i.code === s.code);
    if (!ind) continue;
    let chart = '';
    let through = '';
    if (ind.frequencies.includes('year')) {
      const series = await queryIndicator(tx, {
        indicator: s.code, geo: [ind.baseline.geo], from: String(FIRST_CHART_YEAR), to: String(year), freq: 'year', by: null, lang, asOf: null,
      });
      const points = series.rows
        .filter((r) => r.value !== null)
        .map((r) => ({ year: Number(r.period.replace(/^12m-ending-/, '').slice(0, 4)), value: r.value as number, partial: r.flags.includes('partial-period') }));
      if (series.through) {
        // A report on a past year says how far its own chart goes, not the store's latest month.
        const [y, m] = (series.through > `${year}-12` ? `${year}-12` : series.through).split('-').map(Number);
        const month = new Intl.DateTimeFormat(LOCALE[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, 1)));
        through = `${T('dataThrough').replace('{month}', month)}. `;
      }
      if (points.length > 1) {
        chart = lineChartSvg(points, eventsAll.map((e, i) => ({ year: Number(e.date.slice(0, 4)) + (Number(e.date.slice(5, 7)) - 1) / 12, label: String(i + 1) })), {
          locale: LOCALE[lang], title: `${T('chartAlt')}: ${s.name}`, unit: s.unit,
        });
      }
    }
    // A count of people comes with its rate (baseline and latest complete period, with their flags: CONAPO projections).
    let rateRow: Raw | string = '';
    if (ind.rate) {
      const periods = [s.baseline.period, s.latestComplete?.period].filter((p): p is string => p !== undefined && /^\d{4}$/.test(p));
      const rates = periods.length === 0 ? null : await queryIndicator(tx, {
        indicator: s.code, geo: [ind.baseline.geo], from: periods[0] ?? null, to: periods.at(-1) ?? null, freq: 'year', by: null, lang, asOf: null, measure: 'rate',
      });
      const shown = (rates?.rows ?? []).filter((r) => periods.includes(r.period));
      if (shown.length > 0) {
        rateRow = html`<tr class="rate"><th>${T('rate')}</th><td>${shown.map((r) => `${r.period}: ${r.value === null ? T('noValue') : new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: ind.rate?.decimals ?? 2 }).format(r.value)}${r.flags.length > 0 ? ` (${r.flags.map(flag).join(', ')})` : ''}`).join(' · ')} ${rates?.unit ?? ''}</td></tr>`;
      }
    }
    indicatorBlocks.push(html`<article class="indicator" id="ind-${s.code}">
      <h3>${s.name} <code>${s.code}</code></h3>
      <table class="kv"><tbody>
        <tr><th>${T('baseline')}</th><td>${s.baseline.period}: ${fmt(s.baseline.value)} ${s.unit}${valueLinks(s.baseline)}</td></tr>
        <tr><th>${T('latest')}</th><td>${s.latestComplete ? html`${s.latestComplete.period}: ${fmt(s.latestComplete.value)} ${s.unit}${valueLinks(s.latestComplete)}` : T('noValue')}${
          s.latest && s.latest.period !== s.latestComplete?.period ? ` · ${s.latest.period}: ${fmt(s.latest.value)} (${s.latest.flags.map(flag).join(', ')})` : ''}</td></tr>
        ${rateRow}
        <tr><th>${T('target')}</th><td>${s.target ? `${s.target.period}: ${fmt(s.target.value)}` : `${T('noTarget')}: ${s.targetNote ?? ''}`}</td></tr>
        <tr><th>${T('progress')}</th><td>${PROGRESS_LABELS[s.progress][lang]} · ${T('trend')}: ${TREND_LABELS[s.trend][lang]}${s.yearlyChangePct === null ? '' : ` (${s.yearlyChangePct > 0 ? '+' : ''}${num.format(s.yearlyChangePct)} %/${lang === 'es' ? 'año' : 'yr'})`}</td></tr>
        <tr><th>${T('data')}</th><td>${FRESHNESS_LABELS[s.freshness][lang]} (${s.lastPeriodWithData ?? '—'})</td></tr>
        ${secondarySources(ind).map((src) => html`<tr><th>${flag('secondary-source')}</th><td><a href="${src.url}">${src.dataset[lang]}</a></td></tr>`)}
      </tbody></table>
      ${chart ? html`<figure>${raw(chart)}<figcaption>${T('chartAlt')} (${placeName(ind.baseline.geo)}), ${FIRST_CHART_YEAR}–${year}. ${through}${T('contextNote')}: ${eventsAll.map((e, i) => `${i + 1} ${e.title[lang]} (${e.date})`).join('; ')}. ${T('eventsContext')}</figcaption></figure>` : ''}
    </article>`);
  }

  // --- reported vs computed
  const reportedRows = reported.map((r) => html`<tr>
      <td>${r.statement}<br><span class="muted">${r.attribution}</span></td>
      <td class="n">${qualifierPrefix(r.reported.qualifier)}${fmt(r.reported.value)}</td>
      <td class="n">${r.computed ? fmt(r.computed.value) : T('notComputed')}${r.computed ? html`<br><span class="muted">${r.computed.indicator} ${r.computed.period}</span>` : ''}</td>
      <td class="n">${r.difference ? `${r.difference.absolute > 0 ? '+' : ''}${fmt(r.difference.absolute)}${r.difference.percent === null ? '' : ` (${r.difference.percent > 0 ? '+' : ''}${num.format(r.difference.percent)} %)`}` : '—'}</td>
      <td>${r.reasons.map((x) => x.label).join(', ')}: ${r.explanation}</td></tr>`);

  // --- gaps, risks
  const gapRows = card.gaps.map((g) => html`<tr><td>${g.id}</td><td>${KIND_LABELS[g.kind][lang]}</td><td>${g.title}</td><td>${g.missing.map((m) => GAP_LABELS[m][lang]).join('; ')}</td></tr>`);
  const riskRows = catalog.monitoring.risks.map((r) => html`<tr>
      <td>${r.risk[lang]}<br><span class="muted">${RISK_CATEGORY_LABELS[r.category][lang]} · ${r.sources.map((s) => s.title).join('; ')}</span></td>
      <td>${r.nodes.join(', ')}</td><td>${RISK_LEVEL_LABELS[r.likelihood][lang]}</td><td>${RISK_LEVEL_LABELS[r.impact][lang]}</td>
      <td>${r.mitigation[lang]}</td><td>${r.owner[lang]}</td><td>${r.reviewDate}</td></tr>`);

  // --- assistance
  const usd = new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
  const pipeline = pipelineByYear(assistance).map((p) => html`<tr><td>${p.fiscalYear}</td><td>${ACCOUNT_LABELS[p.account][lang]}</td><td>${STAGE_LABELS[p.stage][lang]}</td><td class="n">${usd.format(p.amountUsd)}</td></tr>`);
  const totals = assistance.filter((l) => l.isTotal).map((l) => html`<tr><td>${l.fyFrom}–${l.fyTo}</td><td>${ACCOUNT_LABELS[l.account][lang]}</td>
      <td>${STAGE_LABELS[l.stage][lang]}</td><td class="n">${usd.format(l.amountUsd)}</td><td>${l.note[lang]}<br><span class="muted">${l.source.title} · ${CONFIDENCE_LABELS[l.confidence][lang]}</span></td></tr>`);

  // --- evidence in the period, events
  const evidenceRows = evidence.map((e) => html`<tr><td>${e.node}</td><td>${e.date}</td><td>${COMPLETION_LABELS[e.status][lang]}</td><td>${EVIDENCE_KIND_LABELS[e.kind][lang]}</td><td>${e.publisher}</td>
      <td>${note(e.note)}${e.disputes === undefined ? '' : ` (${T('disputes')} ${e.disputes})`}<br><span class="muted">${e.id} · ${e.title} · ${e.source}</span></td></tr>`);
  const targets = card.summary.targets;
  const eventItems = eventsInPeriod.map((e) => html`<li><strong>${e.date}</strong> ${e.title[lang]}. ${e.text[lang]} <span class="muted">(${CONFIDENCE_LABELS[e.confidence][lang]})</span></li>`);

  // --- sources and releases, quality
  const usedSources = new Set(card.indicators.flatMap((s) => catalog.indicators.find((i) => i.code === s.code)?.sources ?? []));
  const releaseRows = releases.filter((r) => usedSources.has(r.source_id)).map((r) => html`<tr><td>${r.id}</td><td>${r.source_id}</td><td>${r.file_name}</td>
      <td><code>${r.sha256}</code></td><td class="n">${num.format(r.row_count)}</td><td>${r.imported_at}</td></tr>`);
  const sourceItems = catalog.sources.filter((s) => usedSources.has(s.id)).map((s) => html`<li><strong>${s.publisher[lang]}</strong>: ${s.dataset[lang]}. ${s.licence[lang]}. <span class="muted">${s.url}</span></li>`);
  const caveatItems = catalog.indicators.filter((i) => i.caveats.length > 0 && card.indicators.some((s) => s.code === i.code))
    .map((i) => html`<li><strong>${i.name[lang]}</strong>: ${i.caveats.map((c) => c[lang]).join(' ')}</li>`);
  const flagItems = (Object.keys(FLAG_LABELS) as QualityFlag[]).map((f) => html`<li><code>${f}</code>: ${flag(f)}</li>`);

  const sections: [string, ReportKey][] = [
    ['summary', 'summary'], ['scorecard', 'scorecard'], ['indicators', 'indicators'], ['reported', 'reported'], ['gaps', 'gaps'],
    ['risks', 'risks'], ['assistance', 'assistance'], ['evidence', 'evidence'], ['events', 'events'], ['sources', 'sources'], ['quality', 'quality'],
  ];
  const generated = options.generatedAt ?? new Date();
  const body = html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${T('title')} ${year}</title>
<meta name="generator" content="Observa">
<style>${raw(REPORT_CSS)}</style></head>
<body>
<header class="cover">
  <p class="brand">Observa</p>
  <h1>${T('title')}</h1>
  <p class="period">${T('period')}: ${year}</p>
  <p>${T('intro')}</p>
  <dl class="facts">
    <dt>${T('asOf')}</dt><dd>${card.asOf} (${T('onlyThrough')} ${year})</dd>
    <dt>${T('frameworkVersion')}</dt><dd>${framework.version}</dd>
    <dt>${T('dataVersion')}</dt><dd><code>${version}</code></dd>
    <dt>${T('generated')}</dt><dd class="generated">${generated.toISOString().slice(0, 10)}</dd>
  </dl>
  <nav><h2>${T('contents')}</h2><ol>${sections.map(([id, key]) => html`<li><a href="#${id}">${T(key)}</a></li>`)}</ol></nav>
</header>
<main>
<section id="summary"><h2>${T('summary')}</h2>${summary}</section>
<section id="scorecard"><h2>${T('scorecard')}</h2>
  <table class="grid"><thead><tr><th>${T('node')}</th><th>${T('kind')}</th><th>${T('titleCol')}</th><th>${T('indicatorCount')}</th><th>${T('progress')}</th><th>${T('actions')}</th><th>${T('risksCol')}</th><th>${T('gapsCol')}</th></tr></thead>
  <tbody>${scoreRows}</tbody></table>
  <h3>${T('method')}</h3><p>${card.method.progress}</p><p>${card.method.trend}</p><p>${card.method.freshness}</p><p>${card.method.rollup}</p>
</section>
<section id="indicators"><h2>${T('indicators')}</h2>${indicatorBlocks}</section>
<section id="reported"><h2>${T('reported')}</h2>
  <table class="grid"><thead><tr><th>${T('statement')}</th><th>${T('reportedValue')}</th><th>${T('computed')}</th><th>${T('difference')}</th><th>${T('why')}</th></tr></thead><tbody>${reportedRows}</tbody></table>
</section>
<section id="gaps"><h2>${T('gaps')}</h2>
  <table class="grid"><thead><tr><th>${T('node')}</th><th>${T('kind')}</th><th>${T('titleCol')}</th><th>${T('gapsCol')}</th></tr></thead><tbody>${gapRows}</tbody></table>
</section>
<section id="risks"><h2>${T('risks')}</h2>
  <table class="grid"><thead><tr><th>${T('risk')}</th><th>${T('nodes')}</th><th>${T('likelihood')}</th><th>${T('impact')}</th><th>${T('mitigation')}</th><th>${T('owner')}</th><th>${T('review')}</th></tr></thead><tbody>${riskRows}</tbody></table>
  <p class="muted">${catalog.monitoring.risks[0]?.basis[lang] ?? ''}</p>
</section>
<section id="assistance"><h2>${T('assistance')}</h2>
  <h3>${T('pipeline')}</h3>
  ${pipeline.length > 0 ? html`<table class="grid"><thead><tr><th>${T('fiscalYear')}</th><th>${T('account')}</th><th>${T('stage')}</th><th>${T('amount')}</th></tr></thead><tbody>${pipeline}</tbody></table>` : html`<p>${T('noAssistanceSplit')}</p>`}
  <h3>${T('totals')}</h3>
  <table class="grid"><thead><tr><th>${T('fiscalYear')}</th><th>${T('account')}</th><th>${T('stage')}</th><th>${T('amount')}</th><th>${T('note')}</th></tr></thead><tbody>${totals}</tbody></table>
</section>
<section id="evidence"><h2>${T('evidence')}</h2><p class="muted">${T('evidenceContext')}</p>
  ${evidenceRows.length > 0 ? html`<table class="grid"><thead><tr><th>${T('node')}</th><th>${T('date')}</th><th>${T('status')}</th><th>${T('evidenceKind')}</th><th>${T('publisher')}</th><th>${T('note')}</th></tr></thead><tbody>${evidenceRows}</tbody></table>` : html`<p>${T('noEvidence')}</p>`}
  ${targets.statement === null ? '' : html`<p>${targets.statement}${targets.promise === null ? '' : html` ${T('benchmarksPromise')}: ${targets.promise.title} (${targets.promise.publisher}, ${targets.promise.date}), ${targets.promise.source}. ${targets.promise.note}`}</p>`}
</section>
<section id="events"><h2>${T('events')}</h2><p class="muted">${T('eventsContext')}</p>
  ${eventItems.length > 0 ? html`<ul>${eventItems}</ul>` : html`<p>${T('noEvents')}</p>`}
</section>
<section id="sources"><h2>${T('sources')}</h2><ul>${sourceItems}</ul>
  <table class="grid small"><thead><tr><th>id</th><th>${T('source')}</th><th>${T('file')}</th><th>sha256</th><th>${T('rows')}</th><th>${T('imported')}</th></tr></thead><tbody>${releaseRows}</tbody></table>
</section>
<section id="quality"><h2>${T('quality')}</h2>
  <h3>${T('coverage')}</h3><p>${framework.coverageNote[lang]}</p>
  <h3>${T('flags')}</h3><ul>${flagItems}</ul>
  <h3>${T('caveats')}</h3><ul>${caveatItems}</ul>
</section>
</main>
</body></html>
`;
  return body.__raw;
}

export interface WrittenReport {
  readonly files: readonly { path: string; bytes: number }[];
}

/** Writes report.html and, unless `pdf` is false, report.pdf printed from it by Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium). */
export async function writeReport(tx: ReadTx, options: ReportOptions & { outDir: string; pdf?: boolean }): Promise<WrittenReport> {
  const page = await buildReportHtml(tx, options);
  mkdirSync(options.outDir, { recursive: true });
  const htmlPath = join(options.outDir, 'report.html');
  writeFileSync(htmlPath, page);
  const files = [{ path: htmlPath, bytes: Buffer.byteLength(page) }];
  if (options.pdf !== false) {
    const pdfPath = join(options.outDir, 'report.pdf');
    const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage();
      await tab.setContent(page, { waitUntil: 'load' });
      const pdf = await tab.pdf({
        format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '14mm', right: '14mm' },
        displayHeaderFooter: true, headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-size:8px;width:100%;text-align:center;color:#666">Observa · ${REPORT_TEXT.title[options.lang]} ${options.year} · ${REPORT_TEXT.page[options.lang]} <span class="pageNumber"></span>/<span class="totalPages"></span></div>`,
      });
      writeFileSync(pdfPath, pdf);
      files.push({ path: pdfPath, bytes: pdf.byteLength });
    } finally {
      await browser.close();
    }
  }
  return { files };
}
