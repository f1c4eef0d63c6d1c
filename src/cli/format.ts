import { dimensionLabel } from '../catalog/index.js';
import type { Lang, QueryResult } from '../domain/index.js';

/** A plain aligned text table: numbers right-aligned, formatted for the chosen language. */
export function textTable(header: readonly string[], rows: readonly (readonly (string | number | null)[])[], locale: string): string {
  const fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const cells = rows.map((r) => r.map((v) => (v === null ? '—' : typeof v === 'number' ? fmt.format(v) : v)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function resultTable(result: QueryResult, lang: Lang): string {
  const locale = lang === 'es' ? 'es-MX' : 'en-US';
  const hasDen = result.rows.some((r) => r.denominator !== null);
  const header = ['geo', 'name', 'period', ...(result.by ? [result.by] : []), 'value', ...(hasDen ? ['numerator', 'denominator'] : []), 'flags'];
  const rows = result.rows.map((r) => [
    r.geo, r.geo_name, r.period, ...(result.by ? [dimensionLabel(result.by, r.dimension ?? '', lang)] : []), r.value,
    ...(hasDen ? [r.numerator, r.denominator] : []), r.flags.join(','),
  ]);
  const sources = result.sources.map((s) => `${s.publisher}: ${s.dataset} — ${s.releases.map((r) => `release ${r.id} ${r.file_name} sha256:${r.sha256.slice(0, 12)}…`).join('; ')}`);
  const coverage = [
    ...(result.through ? [`${lang === 'es' ? 'Datos hasta' : 'Data through'} ${result.through}`] : []),
    ...(result.ytd_months ? [`${lang === 'es' ? 'Meses sumados en cada año' : 'Months summed in every year'}: ${result.ytd_months.join(', ')}`] : []),
    ...(result.status_as_of ? [`${lang === 'es' ? 'Estatus a la fecha de consulta' : 'Status at retrieval'}: ${result.status_as_of}`] : []),
  ].join(' · ');
  return [`${result.name} (${result.unit})`, ...(coverage ? [coverage] : []), '', textTable(header, rows, locale), '', ...sources, ...result.notes].join('\n');
}
