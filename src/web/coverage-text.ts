/**
 * "datos hasta junio de 2025" / "data through June 2025" and the status date of counts taken at retrieval, from the
 * data file (never hard-coded): shared by the server-drawn pages and the browser's charts, maps and downloads.
 */
import { LOCALES, t, type SiteLang } from './i18n.js';

/** Month and year of a YYYY-MM (or YYYY-MM-DD) in the page language: "junio de 2025" / "June 2025". */
export function monthYear(lang: SiteLang, yearMonth: string): string {
  const [y, m] = yearMonth.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALES[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, 1)));
}

export interface CoverageFacts {
  readonly through?: string | undefined;
  readonly status_as_of?: string | undefined;
  readonly ytd_months?: readonly number[] | undefined;
}

/** One sentence (or none) saying how far the data goes and, for status counts, at which date the status is. */
export function coverageText(lang: SiteLang, facts: CoverageFacts): string {
  const parts: string[] = [];
  if (facts.through) parts.push(t(lang, 'dataThrough').replace('{month}', monthYear(lang, facts.through)));
  if (facts.status_as_of) parts.push(t(lang, 'statusAtRetrieval').replace('{date}', monthYear(lang, facts.status_as_of)));
  if (facts.ytd_months && facts.ytd_months.length > 0) {
    const month = (m: number) => new Intl.DateTimeFormat(LOCALES[lang], { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)));
    const first = facts.ytd_months[0] ?? 1;
    const last = facts.ytd_months.at(-1) ?? first;
    parts.push(t(lang, 'ytdEach').replace('{months}', first === last ? month(first) : `${month(first)}–${month(last)}`));
  }
  if (parts.length === 0) return '';
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
