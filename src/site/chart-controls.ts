/**
 * The indicator page's chart controls beyond the view itself: a breakdown (sex, age, weapon, subtype), the log scale,
 * and the share/embed links. Plain form fields and links, so they work without JavaScript; the script keeps them in
 * the URL (src/web/client/view-state.ts).
 */
import type { Dimension, Indicator, QueryResult } from '../domain/index.js';
import { t, type MessageKey, type SiteLang } from '../web/index.js';
import { breakdownLabels, breakdowns } from './data.js';
import { html, raw, type Raw } from './html.js';
import { href } from './layout.js';

const BREAKDOWN_KEYS: Record<string, MessageKey> = {
  sex: 'breakdownSex', age: 'breakdownAge', modality: 'breakdownModality', crime_subtype: 'breakdownCrimeSubtype',
};

export const breakdownName = (lang: SiteLang, by: Dimension): string => t(lang, BREAKDOWN_KEYS[by] ?? 'breakdown');

/** Whether a log axis can be drawn over these values, and if not, why (said beside the control). */
export function logNote(lang: SiteLang, values: readonly (number | null)[]): string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.some((v) => v < 0)) return t(lang, 'logOffNegative');
  if (finite.some((v) => v === 0)) return t(lang, 'logOffZero');
  return '';
}

/** The breakdown select and the log-scale checkbox (a fieldset of the page's GET form). */
export function chartControls(lang: SiteLang, indicator: Indicator, state: { by: Dimension | null; scale: 'linear' | 'log' }, result: QueryResult): Raw {
  const offered = breakdowns(indicator);
  const note = state.scale === 'log' ? logNote(lang, result.rows.map((r) => r.value)) : '';
  return html`<fieldset class="chart-options"><legend>${t(lang, 'viewChart')}</legend>
    ${offered.length > 0 ? html`<label>${t(lang, 'breakdown')} <select name="by">
      <option value=""${raw(state.by === null ? ' selected' : '')}>${t(lang, 'breakdownNone')}</option>
      ${offered.map((d) => html`<option value="${d}"${raw(state.by === d ? ' selected' : '')}>${breakdownName(lang, d)}</option>`)}
    </select></label>
    <p class="muted breakdown-note"${raw(state.by ? '' : ' hidden')}>${t(lang, 'breakdownNote')}</p>` : ''}
    <label><input type="checkbox" name="scale" value="log"${raw(state.scale === 'log' ? ' checked' : '')}> ${t(lang, 'logScale')}</label>
    <p class="muted">${t(lang, 'logHint')}</p>
    <p id="log-note" class="note log-note" role="status"${raw(note ? '' : ' hidden')}>${note}</p>
  </fieldset>`;
}

/** The table's breakdown column header and a row's value, in the page's language. */
export function breakdownCells(lang: SiteLang, result: QueryResult): { header: Raw; cell: (dimension: string | undefined) => Raw } {
  if (!result.by) return { header: raw(''), cell: () => raw('') };
  const labels = breakdownLabels(result.by, result.rows, lang);
  return {
    header: html`<th scope="col">${breakdownName(lang, result.by)}</th>`,
    cell: (d) => html`<td>${labels[d ?? ''] ?? d ?? ''}</td>`,
  };
}

/**
 * A link to the current view and the iframe code of its chart. The server writes site-relative URLs (it does not know
 * the public origin); the script makes them absolute from the address the reader used.
 */
export function shareSection(lang: SiteLang, indicator: Indicator, query: string): Raw {
  const view = `${href(lang, `/indicators/${indicator.code}/`)}${query}`;
  const embed = `${href(lang, `/embed/indicators/${indicator.code}/`)}${query}`;
  const code = `<iframe src="${embed}" title="${indicator.name[lang]}" width="100%" height="760" style="border:0" loading="lazy"></iframe>`;
  return html`<section id="share"><h2>${t(lang, 'shareTitle')}</h2>
    <p><label for="share-url">${t(lang, 'shareLink')}</label><br><input id="share-url" class="share-field" readonly value="${view}"> <button type="button" class="copy" data-copy="share-url" hidden>${t(lang, 'copy')}</button></p>
    <p><label for="embed-code">${t(lang, 'embedCode')}</label><br><textarea id="embed-code" class="share-field" readonly rows="3">${code}</textarea> <button type="button" class="copy" data-copy="embed-code" hidden>${t(lang, 'copy')}</button></p>
    <p><a id="embed-link" href="${embed}">${embed}</a></p>
  </section>`;
}

/** What the browser draws about the chart controls, in the page's language (passed in the page's config). */
export function chartMessages(lang: SiteLang): Record<string, string> {
  const keys = ['logAxis', 'logOffZero', 'logOffNegative', 'logSuggest', 'fiscalAxisNote', 'smallMultiplesNote', 'copied', 'breakdownNoValue'] as const;
  return Object.fromEntries(keys.map((k) => [k, t(lang, k)]));
}
