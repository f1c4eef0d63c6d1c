/**
 * The embeddable chart: /{lang}/embed/indicators/{code}/?<the view's query>. Only the chart, its citation, its sources
 * and how far the data goes, in the page's language; the values as a table one click away (and without JavaScript).
 * The one route other sites may frame (EMBED_CSP); every other page keeps `frame-ancestors 'none'`.
 */
import { loadCatalog } from '../catalog/index.js';
import { citationOf } from '../analytics/index.js';
import type { Indicator, QueryResult } from '../domain/index.js';
import { coverageText, periodLabel, t, type SiteLang } from '../web/index.js';
import { breakdownCells } from './chart-controls.js';
import { html, jsonScript, raw } from './html.js';
import { href } from './layout.js';
import { flagList } from './secondary-marks.js';

/** The site's policy with one change: any site may frame this page. */
export const EMBED_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
  + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors *";

export function embedPage(lang: SiteLang, indicator: Indicator, query: string, result: QueryResult, client: Record<string, unknown>): string {
  const { sources } = loadCatalog();
  const view = `${href(lang, `/indicators/${indicator.code}/`)}${query}`;
  const nf = new Intl.NumberFormat(lang === 'es' ? 'es-MX' : 'en-US', { maximumFractionDigits: indicator.decimals });
  const dim = breakdownCells(lang, result);
  const pageSources = [...new Set([...indicator.sources, ...(indicator.rate?.sources ?? [])])].map((id) => sources.find((s) => s.id === id)).filter((s) => s !== undefined);
  const body = html`<main id="main" class="embed">
<h1 class="embed-title"><a href="${view}" target="_blank" rel="noopener">${indicator.name[lang]}</a></h1>
<p id="data-through" class="coverage-note">${coverageText(lang, result)}</p>
<div id="viz" class="viz" aria-live="polite"></div>
<noscript><p class="muted">${t(lang, 'embedNoScript')}</p></noscript>
<p class="embed-citation"><strong>${t(lang, 'citeAs')}:</strong> <span id="citation">${citationOf(result, view)}</span></p>
<p class="embed-sources"><strong>${t(lang, 'sources')}:</strong> ${pageSources.map((s, i) => html`${i > 0 ? ' · ' : ''}<a href="${s.url}" rel="external noopener" target="_blank">${s.publisher[lang]}: ${s.dataset[lang]}</a>`)}</p>
<p><a href="${view}" target="_blank" rel="noopener">${t(lang, 'embedOpen')} — Observa</a></p>
<details class="embed-table"><summary>${t(lang, 'showTable')}</summary><div id="table"><div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'tableCaption')}"><table class="data"><caption>${t(lang, 'tableCaption')}</caption>
<thead><tr><th scope="col">${t(lang, 'geographies')}</th><th scope="col">${t(lang, 'period')}</th>${dim.header}<th scope="col" class="num">${t(lang, 'value')}</th><th scope="col">${t(lang, 'flags')}</th></tr></thead>
<tbody>${result.rows.map((r) => html`<tr><th scope="row">${r.geo_name}</th><td>${periodLabel(lang, r.period)}</td>${dim.cell(r.dimension)}<td class="num">${r.value === null ? t(lang, 'noData') : nf.format(r.value)}</td><td>${flagList(lang, r.flags)}</td></tr>`)}</tbody></table></div></div></details>
</main>`;
  return `<!doctype html>${html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${indicator.name[lang]} · Observa</title>
<link rel="canonical" href="${view}">
<link rel="stylesheet" href="/assets/site.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="modulepreload" href="/assets/chart.js">
</head>
<body class="embed-body">
${body}
${jsonScript('page-config', { lang, ...client, embed: true })}
${raw('<script type="module" src="/assets/app.js"></script>')}
</body>
</html>`.__raw}`;
}
