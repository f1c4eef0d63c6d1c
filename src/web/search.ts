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

/** Every word of the query must appear; titles that match rank first. */
export function search(entries: readonly SearchEntry[], query: string, limit = 30): SearchEntry[] {
  const words = normalise(query).split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return [];
  return entries
    .map((e) => {
      const title = normalise(e.title);
      const titles = `${title} ${normalise(e.altTitle)}`;
      const all = `${titles} ${normalise(e.id)} ${normalise(e.terms)}`;
      if (!words.every((w) => all.includes(w))) return null;
      const score = words.filter((w) => titles.includes(w)).length * 2 + (title.startsWith(words[0] ?? '') ? 1 : 0);
      return { e, score };
    })
    .filter((x): x is { e: SearchEntry; score: number } => x !== null)
    // Among equal scores the shorter title is the more specific match.
    .sort((a, b) => b.score - a.score || a.e.title.length - b.e.title.length || a.e.title.localeCompare(b.e.title))
    .slice(0, limit)
    .map((x) => x.e);
}
