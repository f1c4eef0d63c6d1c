import { loadCatalog } from '../catalog/index.js';
import {
  ACCOUNT_LABELS, COMPLETION_LABELS, EVIDENCE_KIND_LABELS, type EvidenceKind, CONFIDENCE_LABELS, FRESHNESS_LABELS, GAP_LABELS, KIND_LABELS, PROGRESS_LABELS, RISK_CATEGORY_LABELS,
  RISK_LEVEL_LABELS, STAGE_LABELS, TREND_LABELS, qualifierPrefix, type ProgressClass, type Risk,
} from '../domain/index.js';
import { computeScorecard, listAssistance, pipelineByYear, reportedFigures, type NodeScore } from '../monitoring/index.js';
import type { ReadTx } from '../store/index.js';
import { LOCALES, periodLabel, t, type SiteLang } from '../web/index.js';
import { evidenceSection } from './evidence-pages.js';
import { capitalise, html, type Raw } from './html.js';
import { href, page } from './layout.js';
import { secondaryMarks } from './secondary-marks.js';

const num = (lang: SiteLang, v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? '—' : new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits }).format(v);

const progressSummary = (lang: SiteLang, p: Record<ProgressClass, number>) =>
  (Object.entries(p) as [ProgressClass, number][]).filter(([, c]) => c > 0).map(([k, c]) => html`<span class="progress progress-${k}">${PROGRESS_LABELS[k][lang]} ${c}</span> `);

function evidenceCell(lang: SiteLang, n: NodeScore): Raw | string {
  if (n.kind === 'action') return n.evidence ? html`<span class="status status-${n.evidence.status}">${COMPLETION_LABELS[n.evidence.status][lang]}</span> <span class="muted">${n.evidence.date}</span>` : html`<span class="muted">${t(lang, 'noEvidenceYet')}</span>`;
  const a = n.actions;
  if (!a) return '';
  return (Object.entries(a) as [keyof typeof a, number][]).filter(([, c]) => c > 0)
    .map(([k, c]) => (k === 'none' ? `${t(lang, 'noEvidenceYet')}: ${c}` : `${COMPLETION_LABELS[k][lang]}: ${c}`)).join(' · ');
}

/** /{lang}/scorecard/: the scorecard, the indicators' progress, the gap report and the method. */
export async function scorecardPage(tx: ReadTx, lang: SiteLang, asOf: Date): Promise<string> {
  const card = await computeScorecard(tx, { lang, asOf });
  const s = card.summary;
  const nodeRow = (n: NodeScore) => html`<tr class="k-${n.kind}"><th scope="row"><a href="${href(lang, `/framework/${n.id}/`)}">${n.id}</a></th>
    <td>${KIND_LABELS[n.kind][lang]}</td><td>${n.title}</td><td class="num">${n.measuredBy.length}</td><td>${n.kind === 'action' ? '' : progressSummary(lang, n.progress)}</td>
    <td>${evidenceCell(lang, n)}</td><td class="num">${n.risks.length}</td><td>${n.gaps.map((g) => GAP_LABELS[g][lang]).join('; ')}</td></tr>`;
  const main = html`<h1>${t(lang, 'scorecardTitle')}</h1>
  <p class="lead">${t(lang, 'scorecardLead')}</p>
  <dl class="facts">
    <dt>${t(lang, 'scorecardAsOf')}</dt><dd>${card.asOf}</dd>
    <dt>${t(lang, 'nodesTotal')}</dt><dd>${s.nodes} (${(Object.entries(s.nodesByKind) as [keyof typeof KIND_LABELS, number][]).map(([k, c]) => `${KIND_LABELS[k][lang]}: ${c}`).join(', ')})</dd>
    <dt>${t(lang, 'nodesMeasured')}</dt><dd>${s.measured} / ${s.nodes - s.nodesByKind.action}</dd>
    <dt>${t(lang, 'nodesMeasuredWithData')}</dt><dd id="measured-with-data">${t(lang, 'measuredWithDataSentence').replace('{n}', String(s.measuredWithData)).replace('{total}', String(s.goalsAreasObjectives))}</dd>
    <dt>${t(lang, 'nodesWithTarget')}</dt><dd>${s.withTarget}</dd>
    <dt>${t(lang, 'nodesWithFresh')}</dt><dd>${s.withFreshData}</dd>
    <dt>${t(lang, 'nodesWithRisks')}</dt><dd>${s.withRisks}</dd>
    <dt>${t(lang, 'actionsWithEvidence')}</dt><dd id="actions-with-evidence">${s.actionsWithEvidence} / ${s.nodesByKind.action}${s.actionsWithEvidenceShare === null ? '' : ` (${num(lang, s.actionsWithEvidenceShare * 100, 0)}\u00a0%)`}</dd>
    <dt>${t(lang, 'nodesWithEvidence')}</dt><dd>${s.nodesWithEvidence} / ${s.nodes}</dd>
    <dt>${t(lang, 'evidenceEntriesTotal')}</dt><dd>${s.evidenceEntries} (${(Object.entries(s.evidenceByKind) as [EvidenceKind, number][]).map(([k, c]) => `${EVIDENCE_KIND_LABELS[k][lang]}: ${c}`).join(', ')}) · <a href="${href(lang, '/evidence/sources/')}">${t(lang, 'evidenceSourcesTitle')}</a></dd>
    <dt>${t(lang, 'publishedTargets')}</dt><dd id="published-targets">${s.targets.published}${s.targets.statement === null ? '' : html` — ${s.targets.statement}`}${s.targets.promise === null ? '' : html` ${t(lang, 'benchmarksPromise')}: <a href="${s.targets.promise.source}" rel="external">${s.targets.promise.title}</a> (${s.targets.promise.publisher}, ${s.targets.promise.date}). ${s.targets.promise.note}`}</dd>
  </dl>
  <div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'scorecardTitle')}"><table class="data scorecard"><caption>${t(lang, 'scorecardTitle')}</caption>
    <thead><tr><th scope="col">${t(lang, 'node')}</th><th scope="col">${t(lang, 'kindCol')}</th><th scope="col">${t(lang, 'titleCol')}</th><th scope="col" class="num">${t(lang, 'indicatorsCol')}</th>
    <th scope="col">${t(lang, 'progressCol')}</th><th scope="col">${t(lang, 'evidenceCol')}</th><th scope="col" class="num">${t(lang, 'risksCol')}</th><th scope="col">${t(lang, 'gapsCol')}</th></tr></thead>
    <tbody>${card.nodes.map(nodeRow)}</tbody></table></div>
  <h2 id="indicators">${t(lang, 'navIndicators')}</h2>
  <div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'navIndicators')}"><table class="data"><caption>${t(lang, 'navIndicators')}</caption>
    <thead><tr><th scope="col">${t(lang, 'titleCol')}</th><th scope="col">${t(lang, 'baselineCol')}</th><th scope="col">${t(lang, 'latestCol')}</th><th scope="col">${t(lang, 'targetCol')}</th>
    <th scope="col">${t(lang, 'progressCol')}</th><th scope="col">${t(lang, 'trendCol')}</th><th scope="col">${t(lang, 'dataCol')}</th></tr></thead>
    <tbody>${card.indicators.map((i) => html`<tr data-indicator="${i.code}"><th scope="row"><a href="${href(lang, `/indicators/${i.code}/`)}">${i.name}</a></th>
      <td class="baseline">${periodLabel(lang, i.baseline.period)}: ${num(lang, i.baseline.value)}${secondaryMarks(lang, i.baseline)}</td><td class="latest">${i.latestComplete ? html`${periodLabel(lang, i.latestComplete.period)}: ${num(lang, i.latestComplete.value)}${secondaryMarks(lang, i.latestComplete)}` : '—'}</td>
      <td>${i.target ? `${periodLabel(lang, i.target.period)}: ${num(lang, i.target.value)}` : html`<span class="muted" title="${i.targetNote ?? ''}">${PROGRESS_LABELS['no-target'][lang]}</span>`}</td>
      <td><span class="progress progress-${i.progress}">${PROGRESS_LABELS[i.progress][lang]}</span></td>
      <td>${TREND_LABELS[i.trend][lang]}${i.yearlyChangePct === null ? '' : ` (${i.yearlyChangePct > 0 ? '+' : ''}${num(lang, i.yearlyChangePct)} %)`}</td>
      <td>${FRESHNESS_LABELS[i.freshness][lang]} <span class="muted">${i.lastPeriodWithData ?? ''}</span></td></tr>`)}</tbody></table></div>
  <h2 id="gaps">${t(lang, 'gapReport')}</h2>
  <p>${t(lang, 'gapReportLead')}</p>
  <div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'gapReport')}"><table class="data"><caption>${t(lang, 'gapReport')}</caption>
    <thead><tr><th scope="col">${t(lang, 'node')}</th><th scope="col">${t(lang, 'titleCol')}</th><th scope="col">${t(lang, 'gapsCol')}</th></tr></thead>
    <tbody>${card.gaps.map((g) => html`<tr><th scope="row"><a href="${href(lang, `/framework/${g.id}/`)}">${g.id}</a></th><td>${g.title} <span class="muted">(${KIND_LABELS[g.kind][lang]})</span></td><td>${g.missing.map((m) => GAP_LABELS[m][lang]).join('; ')}</td></tr>`)}</tbody></table></div>
  <h2 id="method">${t(lang, 'method')}</h2>
  <p>${card.method.progress}</p><p>${card.method.trend}</p><p>${card.method.freshness}</p><p>${card.method.rollup}</p><p>${card.method.evidence}</p>
  <h2>${t(lang, 'downloads')}</h2>
  <ul><li><a href="/api/v1/scorecard?lang=${lang}">/api/v1/scorecard?lang=${lang}</a> (JSON)</li><li><a href="/api/v1/scorecard/gaps.csv?lang=${lang}">/api/v1/scorecard/gaps.csv</a> (CSV)</li></ul>`;
  return page({ lang, title: t(lang, 'scorecardTitle'), path: '/scorecard/', main });
}

/** Evidence history of any node, and risks of an objective or area: sections of the framework node page. */
export async function nodeMonitoringSections(tx: ReadTx, lang: SiteLang, id: string, kind: string): Promise<Raw> {
  const evidence = await evidenceSection(tx, lang, id);
  if (kind !== 'objective' && kind !== 'area') return evidence;
  const risks: Risk[] = loadCatalog().monitoring.risks.filter((r) => r.nodes.includes(id));
  return html`${evidence}<h2 id="risks">${t(lang, 'risksTitle')}</h2>
    ${risks.length === 0 ? html`<p>${t(lang, 'noRisks')}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'risksTitle')}"><table class="data"><caption>${t(lang, 'risksTitle')}</caption>
      <thead><tr><th scope="col">${t(lang, 'riskCol')}</th><th scope="col">${t(lang, 'likelihoodCol')}</th><th scope="col">${t(lang, 'impactCol')}</th><th scope="col">${t(lang, 'mitigationCol')}</th><th scope="col">${t(lang, 'ownerCol')}</th><th scope="col">${t(lang, 'reviewCol')}</th></tr></thead>
      <tbody>${risks.map((r) => html`<tr><td>${r.risk[lang]} <span class="muted">(${RISK_CATEGORY_LABELS[r.category][lang]}; ${r.sources.map((s, i) => html`${i > 0 ? '; ' : ''}<cite>${s.title}</cite>`)})</span></td>
        <td>${RISK_LEVEL_LABELS[r.likelihood][lang]}</td><td>${RISK_LEVEL_LABELS[r.impact][lang]}</td><td>${r.mitigation[lang]}</td><td>${r.owner[lang]}</td><td>${r.reviewDate}</td></tr>`)}</tbody></table></div>
      <p class="muted">${risks[0]?.basis[lang] ?? ''}</p>`}`;
}

export async function assistancePage(tx: ReadTx, lang: SiteLang): Promise<string> {
  const lines = await listAssistance(tx);
  const usd = new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
  const pipeline = pipelineByYear(lines);
  const main = html`<h1>${t(lang, 'assistanceTitle')}</h1>
  <p class="lead">${t(lang, 'assistanceLead')}</p>
  <h2>${t(lang, 'pipelineTitle')}</h2>
  <div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'pipelineTitle')}"><table class="data"><caption>${t(lang, 'pipelineTitle')}</caption>
    <thead><tr><th scope="col">${t(lang, 'fiscalYearCol')}</th><th scope="col">${t(lang, 'accountCol')}</th><th scope="col">${t(lang, 'stageCol')}</th><th scope="col" class="num">${t(lang, 'amountCol')}</th></tr></thead>
    <tbody>${pipeline.map((p) => html`<tr><th scope="row">${p.fiscalYear}</th><td>${ACCOUNT_LABELS[p.account][lang]}</td><td>${STAGE_LABELS[p.stage][lang]}</td><td class="num">${usd.format(p.amountUsd)}</td></tr>`)}</tbody></table></div>
  <h2>${t(lang, 'totalsTitle')}</h2>
  <div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'totalsTitle')}"><table class="data"><caption>${t(lang, 'totalsTitle')}</caption>
    <thead><tr><th scope="col">${t(lang, 'fiscalYearCol')}</th><th scope="col">${t(lang, 'accountCol')}</th><th scope="col">${t(lang, 'stageCol')}</th><th scope="col" class="num">${t(lang, 'amountCol')}</th><th scope="col">${t(lang, 'noteCol')}</th><th scope="col">${t(lang, 'sourceCol')}</th></tr></thead>
    <tbody>${lines.map((l) => html`<tr${l.isTotal ? html` class="total"` : ''}><th scope="row">${l.fyFrom === l.fyTo ? l.fyFrom : `${l.fyFrom}–${l.fyTo}`}</th><td>${ACCOUNT_LABELS[l.account][lang]}${l.isTotal ? html` <span class="progress progress-no-data">${t(lang, 'totalBadge')}</span>` : ''}</td><td>${STAGE_LABELS[l.stage][lang]}</td>
      <td class="num">${usd.format(l.amountUsd)}</td><td>${l.note[lang]}</td><td><a href="${l.source.url}" rel="external"><cite>${l.source.title}</cite></a> <span class="muted">(${CONFIDENCE_LABELS[l.confidence][lang]})</span></td></tr>`)}</tbody></table></div>
  <p class="muted">${t(lang, 'importNote')}</p>
  <h2>${t(lang, 'downloads')}</h2><ul><li><a href="/api/v1/assistance.csv">/api/v1/assistance.csv</a> (CSV)</li><li><a href="/api/v1/assistance">/api/v1/assistance</a> (JSON)</li></ul>`;
  return page({ lang, title: t(lang, 'assistanceTitle'), path: '/assistance/', main });
}

export function timelinePage(lang: SiteLang): string {
  const { framework } = loadCatalog();
  const main = html`<h1>${t(lang, 'timelineTitle')}</h1>
  <p class="lead">${t(lang, 'timelineLead')}</p>
  <ol class="timeline">${[...framework.events].sort((a, b) => a.date.localeCompare(b.date)).map((e) => html`<li id="${e.id}"><time datetime="${e.date}">${e.date}</time>
    <strong>${e.title[lang]}</strong><p>${e.text[lang]}</p>
    <p class="muted">${CONFIDENCE_LABELS[e.confidence][lang]} · ${e.sources.map((s, i) => html`${i > 0 ? ' · ' : ''}<a href="${s.url}" rel="external"><cite>${s.title}</cite></a>`)}</p></li>`)}</ol>`;
  return page({ lang, title: t(lang, 'timelineTitle'), path: '/timeline/', main });
}

export async function figuresPage(tx: ReadTx, lang: SiteLang): Promise<string> {
  const figures = await reportedFigures(tx, lang);
  const main = html`<h1>${t(lang, 'figuresTitle')}</h1>
  <p class="lead">${t(lang, 'figuresLead')}</p>
  <div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'figuresTitle')}"><table class="data"><caption>${t(lang, 'figuresTitle')}</caption>
    <thead><tr><th scope="col">${t(lang, 'reportedCol')}</th><th scope="col" class="num">${t(lang, 'reported')}</th><th scope="col" class="num">${t(lang, 'computedCol')}</th><th scope="col" class="num">${t(lang, 'differenceCol')}</th><th scope="col">${t(lang, 'whyCol')}</th></tr></thead>
    <tbody>${figures.map((f) => html`<tr id="${f.id}"><td>${f.statement}<br><span class="muted">${f.attribution} <a href="${f.source.url}" rel="external"><cite>${f.source.title}</cite></a></span></td>
      <td class="num">${qualifierPrefix(f.reported.qualifier)}${num(lang, f.reported.value)}</td>
      <td class="num">${f.computed ? html`<a href="${href(lang, `/indicators/${f.computed.indicator}/`)}">${num(lang, f.computed.value)}</a><br><span class="muted">${periodLabel(lang, f.computed.period)}</span>` : t(lang, 'notComputable')}</td>
      <td class="num">${f.difference ? `${f.difference.absolute > 0 ? '+' : ''}${num(lang, f.difference.absolute)}${f.difference.percent === null ? '' : ` (${f.difference.percent > 0 ? '+' : ''}${num(lang, f.difference.percent, 1)}\u00a0%)`}` : '—'}</td>
      <td>${capitalise(f.reasons.map((r) => r.label).join(', '))}. ${f.explanation}</td></tr>`)}</tbody></table></div>`;
  return page({ lang, title: t(lang, 'figuresTitle'), path: '/figures/', main });
}
