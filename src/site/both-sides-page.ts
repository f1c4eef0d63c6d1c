import { bothSides } from '../analytics/index.js';
import { FLAG_LABELS, type BothSidesPair, type BothSidesSeries, type QualityFlag } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { LOCALES, t, type SiteLang } from '../web/index.js';
import { html, type Raw } from './html.js';
import { href, page } from './layout.js';

const fmt = (lang: SiteLang, value: number | null, decimals: number) =>
  value === null ? '—' : new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: decimals }).format(value);

/** One table per series: period, value, index; partial periods say so in words (the table works without script). */
function seriesTable(lang: SiteLang, s: BothSidesSeries): Raw {
  return html`<table class="data" data-indicator="${s.indicator}"><caption>${s.name} — ${s.geo_name} (${s.unit}; ${s.base.period} = 100)</caption>
    <thead><tr><th scope="col">${t(lang, 'bothSidesPeriod')}</th><th scope="col" class="num">${t(lang, 'bothSidesValue')}</th><th scope="col" class="num">${t(lang, 'bothSidesIndexCol')}</th><th scope="col">${t(lang, 'flags')}</th></tr></thead>
    <tbody>${s.points.map((p) => html`<tr data-period="${p.period}"${p.partial ? html` data-partial=""` : ''}><th scope="row">${p.period}</th><td class="num">${fmt(lang, p.value, 1)}</td><td class="num">${fmt(lang, p.index, 1)}</td>
      <td>${p.flags.map((f) => FLAG_LABELS[f as QualityFlag]?.[lang] ?? f).join(', ')}</td></tr>`)}</tbody></table>`;
}

function pairSection(lang: SiteLang, pair: BothSidesPair): Raw {
  const hasData = pair.series.every((s) => s.points.length > 0);
  return html`<section class="pair" id="pair-${pair.id}" data-pair="${pair.id}">
    <h2>${pair.title}</h2>
    <p><strong>${t(lang, 'bothSidesMethod')}:</strong> ${pair.method}</p>
    ${hasData ? html`<div class="viz" data-viz="${pair.id}" aria-live="polite"></div>` : html`<p class="muted">${t(lang, 'bothSidesNoData')}</p>`}
    <h3>${t(lang, 'caveats')}</h3><ul>${pair.caveats.map((c) => html`<li>${c}</li>`)}</ul>
    <details><summary>${t(lang, 'viewTable')}</summary><div class="table-scroll">${pair.series.map((s) => seriesTable(lang, s))}</div></details>
    <h3>${t(lang, 'sources')}</h3><ul>${pair.series.map((s) => html`<li><a href="${href(lang, `/indicators/${s.indicator}/`)}">${s.name}</a> (${s.side}): ${s.sources.map((src) => html`<a href="${src.url}" rel="external">${src.publisher}, ${src.dataset}</a> ${src.files.length > 0 ? `— ${src.files.join('; ')}` : ''}`)}</li>`)}</ul>
  </section>`;
}

/** `/{lang}/both-sides/`: the paired, indexed series with their method and caveats; the charts are drawn by the page script. */
export async function bothSidesPage(tx: ReadTx, lang: SiteLang): Promise<string> {
  const view = await bothSides(tx, lang);
  const main = html`<h1>${t(lang, 'bothSidesTitle')}</h1>
  <p class="lead">${t(lang, 'bothSidesLead')}</p>
  ${view.pairs.map((p) => pairSection(lang, p))}
  ${view.skipped.length > 0 ? html`<section><h2>${t(lang, 'bothSidesSkipped')}</h2><ul>${view.skipped.map((s) => html`<li>${s.title} (<code>${s.missing.join(', ')}</code>)</li>`)}</ul></section>` : ''}`;
  return page({
    lang,
    title: t(lang, 'bothSidesTitle'),
    path: '/both-sides/',
    main,
    description: t(lang, 'bothSidesLead'),
    modules: ['both-sides'],
    client: {
      page: 'both-sides',
      pairs: view.pairs,
      messages: { index: t(lang, 'bothSidesIndex'), partial: t(lang, 'partialPeriod'), base: t(lang, 'bothSidesBase') },
    },
  });
}
