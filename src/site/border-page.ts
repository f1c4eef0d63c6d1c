import { borderIncidents, queryIndicator } from '../analytics/index.js';
import type { ReadTx } from '../store/index.js';
import { LOCALES, t, type SiteLang } from '../web/index.js';
import { html } from './html.js';
import { href, page } from './layout.js';

/**
 * /{lang}/border-map/: the binational map (U.S. states from us-atlas, Mexico's states as bundled) with IOM's incidents on
 * the U.S.–Mexico border route as points. The script draws from JSON only; the page itself carries the attribution,
 * the caveat and a yearly table, so it reads without the map.
 */
export async function borderMapPage(tx: ReadTx, lang: SiteLang): Promise<string> {
  const incidents = await borderIncidents(tx, lang);
  const yearly = await queryIndicator(tx, { indicator: 'migrants.border.dead_missing', geo: ['US-MX'], from: null, to: null, freq: 'year', by: null, lang, asOf: null });
  const perYear = new Map<string, number>();
  for (const f of incidents.features) perYear.set(f.properties.date.slice(0, 4), (perYear.get(f.properties.date.slice(0, 4)) ?? 0) + 1);
  const nf = new Intl.NumberFormat(LOCALES[lang]);
  const main = html`<h1>${t(lang, 'borderMapTitle')}</h1>
  <p class="lead">${t(lang, 'borderMapLead')}</p>
  <p class="note">${incidents.caveat}</p>
  <div id="border-map" class="viz" aria-live="polite"></div>
  <p class="muted">${incidents.attribution} ${incidents.release ? `${incidents.release.file_name}, sha256 ${incidents.release.sha256.slice(0, 12)}` : ''}
    · <a href="${href(lang, '/indicators/migrants.border.dead_missing/')}">${t(lang, 'borderMapSeries')}</a></p>
  ${incidents.withoutCoordinates > 0 ? html`<p class="muted">${t(lang, 'borderMapNoCoordinates').replace('{n}', nf.format(incidents.withoutCoordinates))}</p>` : ''}
  <div class="table-wrap" tabindex="0" role="region" aria-label="${t(lang, 'borderMapTable')}"><table class="data"><caption>${t(lang, 'borderMapTable')}</caption>
    <thead><tr><th scope="col">${t(lang, 'period')}</th><th scope="col" class="num">${t(lang, 'borderMapIncidents')}</th><th scope="col" class="num">${t(lang, 'borderMapDeadMissing')}</th><th scope="col">${t(lang, 'flags')}</th></tr></thead>
    <tbody>${yearly.rows.map((r) => html`<tr><th scope="row">${r.period}</th><td class="num">${nf.format(perYear.get(r.period) ?? 0)}</td><td class="num">${r.value === null ? '' : nf.format(r.value)}</td><td>${r.flags.includes('partial-period') ? t(lang, 'partialPeriod') : ''}</td></tr>`)}</tbody></table></div>`;
  return page({
    lang,
    title: t(lang, 'borderMapTitle'),
    path: '/border-map/',
    main,
    description: t(lang, 'borderMapLead'),
    modules: ['border-map'],
    client: {
      page: 'border-map',
      files: { usStates: '/data/geo/us-states.json', mxStates: '/data/geo/states.json', incidents: `/data/${lang}/migrant-incidents.json` },
      messages: {
        title: t(lang, 'borderMapTitle'), dead: t(lang, 'borderMapDead'), missing: t(lang, 'borderMapMissing'), source: t(lang, 'sourceLink'),
        legend: t(lang, 'borderMapLegend'), loading: t(lang, 'loading'), loadFailed: t(lang, 'loadFailed'), person: t(lang, 'borderMapPerson'), people: t(lang, 'borderMapPeople'),
      },
    },
  });
}
