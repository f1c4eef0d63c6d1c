import { dimensionLabel } from '../catalog/index.js';
import { FRESHNESS_LABELS, PROGRESS_LABELS, TREND_LABELS, secondaryMarkFlags, type Lang, type QueryResult, type SourceLink } from '../domain/index.js';
import type { IndicatorScore, ScoredValue } from '../monitoring/index.js';

/** A plain aligned text table: numbers right-aligned, formatted for the chosen language. */
export function textTable(header: readonly string[], rows: readonly (readonly (string | number | null)[])[], locale: string): string {
  const fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const cells = rows.map((r) => r.map((v) => (v === null ? '—' : typeof v === 'number' ? fmt.format(v) : v)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/**
 * Numbered notes for the pages secondary values were taken from: a table cell carries `[1]`, and the note under the
 * table gives the address (with the outlet and the transcription note), so no secondary value is printed without its link.
 */
export class SourceNotes {
  private readonly keys = new Map<string, number>();
  private readonly notes: string[] = [];

  /** Transcription notes are recorded in English only: printed in English, left out in Spanish (as on the pages). */
  constructor(private readonly lang: Lang) {}

  /** The note numbers of these links, as `[1]` or `[1, 2]` ('' without links). */
  ref(links: readonly SourceLink[] | undefined): string {
    if (!links || links.length === 0) return '';
    const numbers = links.map((l) => {
      const key = `${l.url}\u0000${l.outlet}\u0000${l.note}`;
      let n = this.keys.get(key);
      if (n === undefined) {
        n = this.notes.length + 1;
        this.keys.set(key, n);
        this.notes.push(`[${n}] ${l.url}${[l.outlet, this.lang === 'en' ? l.note : ''].filter((x) => x !== '').map((x) => ` — ${x}`).join('')}`);
      }
      return n;
    });
    return `[${numbers.join(', ')}]`;
  }

  get empty(): boolean {
    return this.notes.length === 0;
  }

  /** The notes under a heading (none when no value had links). */
  lines(): string[] {
    return this.empty ? [] : ['', this.lang === 'es' ? 'Fuente secundaria: página de donde se tomó cada valor' : 'Secondary source: the page each value was taken from', ...this.notes];
  }
}

export function resultTable(result: QueryResult, lang: Lang): string {
  const locale = lang === 'es' ? 'es-MX' : 'en-US';
  const hasDen = result.rows.some((r) => r.denominator !== null);
  const linked = result.rows.some((r) => r.source_links !== undefined);
  const notes = new SourceNotes(lang);
  const header = ['geo', 'name', 'period', ...(result.by ? [result.by] : []), 'value', ...(hasDen ? ['numerator', 'denominator'] : []), 'flags', ...(linked ? ['source'] : [])];
  const rows = result.rows.map((r) => [
    r.geo, r.geo_name, r.period, ...(result.by ? [dimensionLabel(result.by, r.dimension ?? '', lang)] : []), r.value,
    ...(hasDen ? [r.numerator, r.denominator] : []), r.flags.join(','), ...(linked ? [notes.ref(r.source_links)] : []),
  ]);
  const sources = result.sources.map((s) => `${s.publisher}: ${s.dataset} — ${s.releases.map((r) => `release ${r.id} ${r.file_name} sha256:${r.sha256.slice(0, 12)}…`).join('; ')}`);
  const coverage = [
    ...(result.through ? [`${lang === 'es' ? 'Datos hasta' : 'Data through'} ${result.through}`] : []),
    ...(result.ytd_months ? [`${lang === 'es' ? 'Meses sumados en cada año' : 'Months summed in every year'}: ${result.ytd_months.join(', ')}`] : []),
    ...(result.status_as_of ? [`${lang === 'es' ? 'Estatus a la fecha de consulta' : 'Status at retrieval'}: ${result.status_as_of}`] : []),
  ].join(' · ');
  return [`${result.name} (${result.unit})`, ...(coverage ? [coverage] : []), '', textTable(header, rows, locale), ...notes.lines(), '', ...sources, ...result.notes].join('\n');
}

/**
 * The scorecard's indicator table: baseline, latest complete value, target, progress, trend, freshness. A secondary
 * value keeps its flag and a numbered link to the page it was taken from (notes under the table).
 */
export function indicatorScoreTable(indicators: readonly IndicatorScore[], lang: Lang): string {
  const notes = new SourceNotes(lang);
  const shown = (v: ScoredValue) => {
    const marks = secondaryMarkFlags(v.flags);
    return `${v.period}: ${v.value ?? '—'}${marks.length > 0 ? ` (${marks.join(',')})` : ''}${v.source_links ? ` ${notes.ref(v.source_links)}` : ''}`;
  };
  const table = textTable(['indicator', 'baseline', 'latest', 'target', 'progress', 'trend', 'data'], indicators.map((i) => [
    i.code, shown(i.baseline), i.latestComplete ? shown(i.latestComplete) : '—',
    i.target ? `${i.target.period}: ${i.target.value}` : '—', PROGRESS_LABELS[i.progress][lang],
    `${TREND_LABELS[i.trend][lang]}${i.yearlyChangePct === null ? '' : ` (${i.yearlyChangePct > 0 ? '+' : ''}${i.yearlyChangePct}%/yr)`}`,
    `${FRESHNESS_LABELS[i.freshness][lang]} (${i.lastPeriodWithData ?? '—'})`,
  ]), 'en-US');
  return [table, ...notes.lines()].join('\n');
}
