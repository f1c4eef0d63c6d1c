import MiniSearch, { type Query } from 'minisearch';

/** One searchable thing, with text in both languages so either language's words find it. */
export interface SearchEntry {
  readonly kind: 'indicator' | 'framework' | 'state';
  readonly id: string;
  readonly title: string;
  readonly href: string;
  /** The title in the other language: a match there ranks like a title match. */
  readonly altTitle: string;
  readonly terms: string;
}

/** Lower-case, accents removed: "Michoacán" and "michoacan" match. */
export function normalise(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Words too common in either language to tell entries apart. */
const STOP_WORDS = new Set([
  'de', 'del', 'la', 'las', 'el', 'los', 'y', 'o', 'en', 'con', 'por', 'para', 'a', 'al', 'un', 'una', 'que', 'se', 'su', 'sus',
  'the', 'of', 'and', 'or', 'in', 'on', 'with', 'by', 'for', 'to', 'an', 'is', 'at',
]);

/**
 * A light stemmer shared by Spanish and English (both sides of the index and the query go through it): plural and
 * verb endings off, then a final vowel, so "secuestros" and "secuestro", "desaparecidos" and "desaparecidas",
 * "kidnapping" and "kidnapped", "persons" and "personas" meet. Fuzzy matching covers what it leaves apart.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 5 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && /(ing|ed)$/.test(w)) w = w.replace(/(ing|ed)$/, '');
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 4 && /[aeo]$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** A few words people type whose meaning the catalog spells otherwise (either language); keys and values are stemmed. */
const SYNONYM_WORDS: readonly [string, readonly string[]][] = [
  ['guns', ['firearm', 'arma']],
  ['armas', ['firearm']],
  ['missing', ['disappeared', 'desaparecidos']],
  ['kidnapping', ['secuestro']],
  ['secuestro', ['kidnapping']],
  ['murder', ['homicidio']],
  ['drugs', ['fentanyl', 'overdose', 'drogas']],
];
const SYNONYMS = new Map<string, readonly string[]>(SYNONYM_WORDS.map(([word, others]) => [stem(word), others.map(stem)]));

const terms = (text: string): string[] =>
  normalise(text)
    .split(/[^a-z0-9ñ.]+/)
    .flatMap((t) => (t.includes('.') && !/^\d/.test(t) ? [t, ...t.split('.')] : [t]))
    .filter((t) => t.length > 0 && !STOP_WORDS.has(t))
    .map(stem);

const indexes = new WeakMap<readonly SearchEntry[], MiniSearch<SearchEntry>>();

function indexOf(entries: readonly SearchEntry[]): MiniSearch<SearchEntry> {
  let index = indexes.get(entries);
  if (!index) {
    index = new MiniSearch<SearchEntry>({
      idField: 'href',
      fields: ['title', 'altTitle', 'id', 'terms'],
      tokenize: (text) => [text],
      processTerm: (text) => terms(text),
    });
    index.addAll([...entries]);
    indexes.set(entries, index);
  }
  return index;
}

/**
 * MiniSearch over titles (both languages), codes and texts: accents folded, light stemming, prefix and fuzzy matching,
 * titles boosted. Every word of the query must match (one of its synonyms will do); when no entry has them all, the
 * entries with the most of them come instead.
 */
export function search(entries: readonly SearchEntry[], query: string, limit = 30): SearchEntry[] {
  const words = terms(query);
  if (words.length === 0) return [];
  const index = indexOf(entries);
  const byHref = new Map(entries.map((e) => [e.href, e]));
  const options = { prefix: (term: string) => term.length >= 3, fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false), boost: { title: 4, altTitle: 4, id: 2, terms: 0.3 }, tokenize: (t: string) => [t], processTerm: (t: string) => t } as const;
  const group = (word: string): Query => ({ combineWith: 'OR', queries: [word, ...(SYNONYMS.get(word) ?? [])] });
  const run = (combineWith: 'AND' | 'OR') => index.search({ combineWith, queries: words.map(group) }, options);
  const all = run('AND');
  const found = all.length > 0 ? all : run('OR');
  // A title (either language) holding every word typed is the page sought; among those, the shortest is the most specific.
  const titleTerms = (e: SearchEntry) => [terms(e.title), terms(e.altTitle)];
  const rank = (e: SearchEntry) => {
    const whole = titleTerms(e).filter((t) => words.every((w) => t.includes(w) || (SYNONYMS.get(w) ?? []).some((x) => t.includes(x))));
    return whole.length > 0 ? Math.min(...whole.map((t) => t.length)) : Infinity;
  };
  return found
    .map((r, order) => ({ e: byHref.get(String(r.id)), order }))
    .filter((x): x is { e: SearchEntry; order: number } => x.e !== undefined)
    .map((x) => ({ ...x, rank: rank(x.e) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, limit)
    .map((x) => x.e);
}
