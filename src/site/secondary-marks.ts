import { FLAG_LABELS, secondaryMarkFlags, type QualityFlag, type SourceLink } from '../domain/index.js';
import { t, type SiteLang } from '../web/index.js';
import { esc, html, raw, type Raw } from './html.js';

/** Quality flags as labelled abbreviations in the page language. */
export function flagList(lang: SiteLang, flags: readonly string[]): Raw {
  if (flags.length === 0) return raw('');
  return html`<span class="flags">${flags.map((f) => html`<abbr class="flag flag-${f}" title="${FLAG_LABELS[f as QualityFlag]?.[lang] ?? f}">${FLAG_LABELS[f as QualityFlag]?.[lang] ?? f}</abbr>`)}</span>`;
}

/** The pages a secondary value was taken from, each a link (with the outlet and note as its title). */
export function sourceLinks(lang: SiteLang, row: { readonly source_links?: readonly SourceLink[] | undefined }): Raw {
  const links = row.source_links ?? [];
  // Transcription notes are recorded in English only: they are the link's title on English pages, left out on Spanish ones.
  const title = (l: SourceLink) => (lang === 'en' && l.note ? raw(` title="${esc(l.note)}"`) : '');
  return html`${links.map((l, i) => html`${i > 0 ? ' · ' : ''}<a class="source-link" href="${l.url}" rel="external"${title(l)}>${l.outlet ? html`<cite>${l.outlet}</cite>` : t(lang, 'sourceLink')}</a>`)}`;
}

/**
 * After a value shown outside its data table (a card's baseline, a scorecard cell): a secondary value's flags
 * (secondary-source, known-error) and its own links; nothing for an official value.
 */
export function secondaryMarks(lang: SiteLang, row: { readonly flags: readonly string[]; readonly source_links?: readonly SourceLink[] | undefined } | null | undefined): Raw {
  if (!row?.source_links) return raw('');
  return html` ${flagList(lang, secondaryMarkFlags(row.flags))} ${sourceLinks(lang, row)}`;
}
