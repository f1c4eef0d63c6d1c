import type { SiteLang } from '../web/index.js';

/** Countries families on the route come from most: shown first, in this order. */
export const REGION_FIRST = ['MX', 'GT', 'HN', 'SV', 'NI', 'CR', 'PA', 'BZ', 'CU', 'HT', 'DO', 'VE', 'CO', 'EC', 'PE', 'US'] as const;

/*
 * ISO 3166-1 alpha-2 countries with their names from the runtime's CLDR data (Intl.DisplayNames), not a hand-kept list:
 * every two-letter code the runtime names, less aliases of renamed countries (BU → MM: not canonical) and the codes CLDR
 * also names that are not countries (groupings, pseudo-locales, exceptionally reserved islands).
 */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ', 'AC', 'CP', 'CQ', 'DG', 'EA', 'IC', 'TA']);

export interface Country {
  readonly code: string;
  readonly name: string;
}

const cache = new Map<SiteLang, { region: Country[]; rest: Country[] }>();

/** The region's countries first (in REGION_FIRST order), then every other country by name in the page's language. */
export function countryList(lang: SiteLang): { region: Country[]; rest: Country[] } {
  const hit = cache.get(lang);
  if (hit) return hit;
  const names = new Intl.DisplayNames([lang === 'es' ? 'es-MX' : 'en-US'], { type: 'region', fallback: 'none' });
  const all: Country[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = names.of(code);
      if (name && !NOT_COUNTRIES.has(code) && Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`) all.push({ code, name });
    }
  }
  const first = new Set<string>(REGION_FIRST);
  const byCode = new Map(all.map((c) => [c.code, c]));
  const list = {
    region: REGION_FIRST.map((code) => byCode.get(code)).filter((c): c is Country => c !== undefined),
    rest: all.filter((c) => !first.has(c.code)).sort((x, y) => x.name.localeCompare(y.name, lang)),
  };
  cache.set(lang, list);
  return list;
}

export const isCountryCode = (code: string): boolean => {
  const { region, rest } = countryList('en');
  return region.some((c) => c.code === code) || rest.some((c) => c.code === code);
};
