import { COMPLETION_LABELS, EVIDENCE_KIND_LABELS, type EvidenceEntry } from '../domain/index.js';
import { currentStatus, evidenceSources, listEvidence } from '../monitoring/index.js';
import type { ReadTx } from '../store/index.js';
import { t, type SiteLang } from '../web/index.js';
import { html, type Raw } from './html.js';
import { href, page } from './layout.js';

/** The note in the page's language, or the other language's text marked as such. */
const noteText = (lang: SiteLang, e: EvidenceEntry): Raw | string =>
  e.note[lang] ?? html`<span lang="${lang === 'es' ? 'en' : 'es'}">${e.note.en ?? e.note.es ?? ''}</span>`;

/** The kind as a label: a government claim is labelled a claim, never shown as a verified result. */
const kindBadge = (lang: SiteLang, e: EvidenceEntry) => html`<span class="evidence-kind kind-${e.kind}">${EVIDENCE_KIND_LABELS[e.kind][lang]}</span>`;

const sourceLink = (e: EvidenceEntry) => html`<a href="${e.source}" rel="external nofollow">${e.title}</a>`;

/** One entry in a few words (for the assessment shown beside the claim it disputes). */
const inBrief = (lang: SiteLang, e: EvidenceEntry) =>
  html`<div class="disputed-by"><strong>${t(lang, 'disputedBy')}</strong> ${kindBadge(lang, e)} ${e.publisher} (${e.date}): ${noteText(lang, e)} ${sourceLink(e)}</div>`;

/**
 * The evidence history of a node page: approved entries about the node and the nodes below it, oldest first, with
 * date, status, kind, publisher, source and note; a disputed entry shows the entries disputing it beside it.
 */
export async function evidenceSection(tx: ReadTx, lang: SiteLang, id: string): Promise<Raw> {
  const entries = await listEvidence(tx, { node: id });
  const current = currentStatus(entries).get(id);
  const disputing = new Map<number, EvidenceEntry[]>();
  for (const e of entries) if (e.disputes !== undefined) disputing.set(e.disputes, [...(disputing.get(e.disputes) ?? []), e]);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const hasBelow = entries.some((e) => e.node !== id);
  const row = (e: EvidenceEntry) => html`<tr id="evidence-${e.id}"><td>${e.date}</td>
    <td>${e.node === id ? e.node : html`<a href="${href(lang, `/framework/${e.node}/`)}">${e.node}</a>`}</td>
    <td>${COMPLETION_LABELS[e.status][lang]}</td><td>${kindBadge(lang, e)}</td><td>${e.publisher}</td>
    <td>${noteText(lang, e)}${e.disputes === undefined ? '' : html` <span class="muted">(${t(lang, 'disputesEntry')} ${byId.has(e.disputes) ? html`<a href="#evidence-${e.disputes}">${e.disputes}</a>` : String(e.disputes)})</span>`}
      ${(disputing.get(e.id) ?? []).map((d) => inBrief(lang, d))}</td>
    <td>${sourceLink(e)}</td></tr>`;
  return html`<h2 id="evidence">${t(lang, 'evidenceTitle')}</h2>
    <p class="muted">${t(lang, 'evidenceLead')}${hasBelow ? html` ${t(lang, 'evidenceBelowNote')}` : ''}</p>
    <p>${t(lang, 'currentStatus')}: ${current ? html`<strong class="status status-${current.status}">${COMPLETION_LABELS[current.status][lang]}</strong> (${current.date}, ${EVIDENCE_KIND_LABELS[current.kind][lang]})` : t(lang, 'noEvidenceYet')}</p>
    ${entries.length > 0 ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'evidenceTitle')}"><table class="data evidence"><caption>${t(lang, 'evidenceTitle')}</caption>
      <thead><tr><th scope="col">${t(lang, 'dateCol')}</th><th scope="col">${t(lang, 'node')}</th><th scope="col">${t(lang, 'statusCol')}</th><th scope="col">${t(lang, 'evidenceKindCol')}</th>
      <th scope="col">${t(lang, 'publisherCol')}</th><th scope="col">${t(lang, 'noteCol')}</th><th scope="col">${t(lang, 'sourceCol')}</th></tr></thead>
      <tbody>${entries.map(row)}</tbody></table></div>` : ''}
    <p><a href="${href(lang, '/evidence/sources/')}">${t(lang, 'evidenceSourcesTitle')}</a></p>`;
}

/** /{lang}/evidence/sources/: every source the public evidence uses. */
export async function evidenceSourcesPage(tx: ReadTx, lang: SiteLang): Promise<string> {
  const sources = await evidenceSources(tx, lang);
  const main = html`<h1>${t(lang, 'evidenceSourcesTitle')}</h1>
  <p class="lead">${t(lang, 'evidenceSourcesLead')}</p>
  ${sources.length === 0 ? html`<p>${t(lang, 'noEvidenceYet')}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'evidenceSourcesTitle')}"><table class="data"><caption>${t(lang, 'evidenceSourcesTitle')}</caption>
    <thead><tr><th scope="col">${t(lang, 'sourceCol')}</th><th scope="col">${t(lang, 'publisherCol')}</th><th scope="col">${t(lang, 'evidenceKindCol')}</th>
    <th scope="col">${t(lang, 'entriesCol')}</th><th scope="col">${t(lang, 'figuresCol')}</th></tr></thead>
    <tbody>${sources.map((s) => html`<tr><th scope="row"><a href="${s.url}" rel="external nofollow">${s.title}</a><br><span class="muted">${new URL(s.url).hostname}</span></th>
      <td>${s.publisher}</td><td>${s.kinds.map((k) => EVIDENCE_KIND_LABELS[k][lang]).join(', ')}</td>
      <td>${s.entries.map((e, i) => html`${i > 0 ? ', ' : ''}<a href="${href(lang, `/framework/${e.node}/`)}#evidence-${e.id}">${e.node}</a> (${e.date})`)}</td>
      <td>${[...s.figures.map((f) => html`<a href="${href(lang, '/figures/')}#${f}">${f}</a>`), ...(s.targets > 0 ? [`${t(lang, 'publishedTargets')}: ${s.targets}`] : []), ...(s.benchmarksPromise ? [t(lang, 'benchmarksPromise')] : [])].map((x, i) => html`${i > 0 ? '; ' : ''}${x}`)}</td></tr>`)}</tbody></table></div>`}
  <p><a href="/api/v1/evidence/sources?lang=${lang}">/api/v1/evidence/sources?lang=${lang}</a> (JSON) · <a href="/api/v1/evidence">/api/v1/evidence</a> (JSON)</p>`;
  return page({ lang, title: t(lang, 'evidenceSourcesTitle'), path: '/evidence/sources/', main });
}
