import { createHash } from 'node:crypto';
import { funnelAggregates } from './public-funnel.js';
import type { RegistryContext } from './context.js';
import { refreshAggregates } from '../store/index.js';

/** The registry's public aggregates enter the observatory as a release of this source, like any official file. */
export const REGISTRY_SOURCE = 'observa-registry';
export const FUNNEL_SERIES = 'registry.funnel';
/** crime_subtype of the observation that counts every case entered (the stages use their own names). */
export const ENTERED = 'entered';

export interface FunnelPublication {
  readonly releaseId: number | null;
  readonly status: 'new' | 'unchanged';
  readonly cells: number;
  readonly suppressed: number;
}

/**
 * Writes the public funnel (year of entry × case type × state; counts 1–4 suppressed) as observations of
 * `registry.funnel`, so that the `cases.*` indicators, the scorecard and the report use it like any other series.
 * A suppressed cell is stored as 0 with the `suppressed` flag: it adds nothing to a total, and any total it enters
 * carries the flag, which the query layer turns into "no value" (a sum missing suppressed cells would be a wrong number).
 * One transaction: the previous publication is superseded whole.
 */
export async function publishFunnel(ctx: RegistryContext): Promise<FunnelPublication> {
  const table = await funnelAggregates(ctx);
  const cells: { state: string; year: number; type: string; subtype: string; value: number; suppressed: boolean }[] = [];
  for (const row of table.rows) {
    const { state, yearEntered, type } = row.group;
    if (state === undefined || yearEntered === undefined || type === undefined) continue;
    const push = (subtype: string, c: { count: number | null; suppressed: boolean }) =>
      cells.push({ state, year: yearEntered, type, subtype, value: c.count ?? 0, suppressed: c.suppressed });
    push(ENTERED, row.cases);
    for (const s of row.stages) push(s.stage, s);
  }
  const digest = createHash('sha256').update(JSON.stringify(cells)).digest('hex');
  const [last] = await ctx.store.all<{ id: number; sha256: string }>(`SELECT id, sha256 FROM release WHERE source_id = ? ORDER BY id DESC LIMIT 1`, [REGISTRY_SOURCE]);
  const suppressed = cells.filter((c) => c.suppressed).length;
  if (last?.sha256 === digest) return { releaseId: Number(last.id), status: 'unchanged', cells: cells.length, suppressed };
  const written = await ctx.store.write(async (tx): Promise<number | { unchanged: number }> => {
    // Server processes starting together on one PostgreSQL publish one after the other; the later one finds the
    // same digest and writes nothing (otherwise both publications could stay current and every count would double).
    if (tx.dialect === 'postgres') {
      await tx.run("SELECT pg_advisory_xact_lock(hashtext('observa.registry-funnel'))");
      const [latest] = await tx.all<{ id: number; sha256: string }>(`SELECT id, sha256 FROM release WHERE source_id = ? ORDER BY id DESC LIMIT 1`, [REGISTRY_SOURCE]);
      if (latest?.sha256 === digest) return { unchanged: Number(latest.id) };
    }
    const [next] = await tx.all<{ id: number }>(`SELECT nextval('release_id_seq') AS id`);
    const id = Number(next?.id);
    const years = cells.map((c) => c.year);
    const summary = { source: REGISTRY_SOURCE, cells: cells.length, suppressed, threshold: table.threshold, groupBy: table.groupBy };
    await tx.run(`INSERT INTO release VALUES (?, ?, 'registry funnel', ?, 0, ?, ?, now(), 'registry-funnel/1', 'utf-8', ?, ?, ?)`, [
      id, REGISTRY_SOURCE, digest, cells.length, cells.length,
      years.length > 0 ? String(Math.min(...years)) : null, years.length > 0 ? String(Math.max(...years)) : null, JSON.stringify(summary),
    ]);
    await tx.run(`UPDATE observation SET superseded_by = ? WHERE series = ? AND superseded_by IS NULL`, [id, FUNNEL_SERIES]);
    // List literals differ: DuckDB's [...] and PostgreSQL's ARRAY[...].
    const flags = (suppressedCell: boolean) =>
      tx.dialect === 'duckdb' ? (suppressedCell ? `['suppressed']` : `[]::VARCHAR[]`) : (suppressedCell ? `ARRAY['suppressed']::TEXT[]` : `'{}'::TEXT[]`);
    for (const c of cells) {
      await tx.run(
        `INSERT INTO observation (release_id, series, geo, period, freq, year, month, crime_type, crime_subtype, value, flags)
         VALUES (?, ?, ?, ?, 'year', ?, NULL, ?, ?, ?, ${flags(c.suppressed)})`,
        [id, FUNNEL_SERIES, c.state, String(c.year), c.year, c.type, c.subtype, c.value],
      );
    }
    await refreshAggregates(tx, [{ series: FUNNEL_SERIES, years: null }]);
    for (const year of [...new Set(years)]) {
      await tx.run(`INSERT INTO series_period SELECT ?, 'year', ?, 0 WHERE NOT EXISTS (SELECT 1 FROM series_period WHERE series = ? AND freq = 'year' AND year = ? AND month = 0)`,
        [FUNNEL_SERIES, year, FUNNEL_SERIES, year]);
    }
    return id;
  });
  if (typeof written !== 'number') return { releaseId: written.unchanged, status: 'unchanged', cells: cells.length, suppressed };
  return { releaseId: written, status: 'new', cells: cells.length, suppressed };
}
