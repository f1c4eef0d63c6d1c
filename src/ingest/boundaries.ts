import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { sqlString } from './adapter.js';
import { sha256File } from './file-inspection.js';

export const BOUNDARY_SOURCE = 'inegi-geo-boundaries';
const ADAPTER_VERSION = '1.0.0';

/** A map layer: GeoJSON features keyed by a code property, or a TopoJSON topology whose geometries carry state codes. */
export interface BoundaryLayer {
  readonly layer: 'states' | 'municipalities' | 'states-hex';
  readonly format: 'geojson' | 'topojson';
  /** JSON path of the geo code in a feature (GeoJSON) or geometry (TopoJSON). */
  readonly codePath: string;
  /** TopoJSON only: the object holding the geometries. */
  readonly object?: string;
  readonly level: 'state' | 'municipality';
}

export const BOUNDARY_LAYERS: Readonly<Record<BoundaryLayer['layer'], BoundaryLayer>> = {
  states: { layer: 'states', format: 'geojson', codePath: '$.properties.cve_geo', level: 'state' },
  municipalities: { layer: 'municipalities', format: 'geojson', codePath: '$.properties.cvegeo', level: 'municipality' },
  'states-hex': { layer: 'states-hex', format: 'topojson', object: 'mx_hexgrid', codePath: '$.properties.state_code', level: 'state' },
};

export interface BoundarySummary {
  readonly layer: string;
  readonly file: string;
  readonly sha256: string;
  readonly features: number;
  readonly missing: readonly string[];
  readonly status: 'new' | 'unchanged' | 'dry-run';
  readonly releaseId: number | null;
}

/** Imports a boundary file as a release: every feature must name a known place of the layer's level; all or nothing. */
export async function importBoundaries(store: Store, spec: BoundaryLayer, path: string, options: { dryRun?: boolean; now?: () => Date } = {}): Promise<BoundarySummary> {
  const file = basename(path);
  const sha256 = await sha256File(path);
  const [already] = await store.all<{ id: number; summary: string }>(
    `SELECT id, summary::VARCHAR AS summary FROM release WHERE source_id = ? AND sha256 = ? ORDER BY id LIMIT 1`, [BOUNDARY_SOURCE, sha256],
  );
  if (already) return { ...(JSON.parse(already.summary) as BoundarySummary), file, status: 'unchanged', releaseId: already.id };

  return store.session(async (tx) => {
    await tx.run('DROP TABLE IF EXISTS stage_features');
    try {
      const read =
        spec.format === 'geojson'
          ? `SELECT unnest(features) AS f FROM read_json(${sqlString(path)}, columns={type: 'VARCHAR', features: 'JSON[]'}, maximum_object_size=268435456)`
          : `SELECT unnest(json_extract(objects, ${sqlString(`$.${spec.object}.geometries`)})::JSON[]) AS f FROM read_json(${sqlString(path)}, columns={type: 'VARCHAR', objects: 'JSON'})`;
      try {
        await tx.run(`CREATE TEMP TABLE stage_features AS SELECT row_number() OVER () AS n, lpad(json_extract_string(f, ${sqlString(spec.codePath)}), ${spec.level === 'state' ? 2 : 5}, '0') AS geo, f FROM (${read})`);
      } catch (error) {
        throw new InputError([{ file, expected: `a ${spec.format === 'geojson' ? 'GeoJSON FeatureCollection' : `TopoJSON topology with object ${spec.object}`} (${(error as Error).message.split('\n')[0]})` }]);
      }
      const bad = await tx.all<{ n: number; geo: string | null }>(
        `SELECT n, geo FROM stage_features s WHERE geo IS NULL OR NOT EXISTS (SELECT 1 FROM geo g WHERE g.code = s.geo AND g.level = ${sqlString(spec.level)}) ORDER BY n LIMIT 10`,
      );
      if (bad.length > 0) {
        throw new InputError(bad.map((b) => ({ file, column: spec.codePath, value: b.geo ?? '(missing)', expected: `feature ${b.n} to carry the code of a known ${spec.level}` })));
      }
      const dup = await tx.all<{ geo: string }>(`SELECT geo FROM stage_features GROUP BY geo HAVING count(*) > 1 LIMIT 5`);
      if (dup.length > 0) throw new InputError(dup.map((d) => ({ file, column: spec.codePath, value: d.geo, expected: 'one feature per place' })));
      const [count] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM stage_features`);
      if (!count || count.n === 0) throw new InputError([{ file, expected: 'at least one feature' }]);
      const missing = await tx.all<{ code: string }>(
        `SELECT code FROM geo WHERE level = ${sqlString(spec.level)} AND NOT unspecified AND code NOT IN (SELECT geo FROM stage_features) ORDER BY code`,
      );
      const summary: BoundarySummary = { layer: spec.layer, file, sha256, features: count.n, missing: missing.map((m) => m.code), status: 'new', releaseId: null };
      if (options.dryRun) return { ...summary, status: 'dry-run' as const };
      const releaseId = await tx.transaction(async (w) => {
        const [next] = await w.all<{ id: number }>(`SELECT nextval('release_id_seq') AS id`);
        const id = next?.id as number;
        const now = (options.now ?? (() => new Date()))();
        await w.run(`INSERT INTO release VALUES (?, ?, ?, ?, ?, ?, 0, ?::TIMESTAMPTZ, ?, 'utf-8', NULL, NULL, ?)`,
          [id, BOUNDARY_SOURCE, file, sha256, statSync(path).size, count.n, now.toISOString(), ADAPTER_VERSION, JSON.stringify({ ...summary, releaseId: id })]);
        await w.run(`UPDATE boundary SET superseded_by = ${id} WHERE layer = ${sqlString(spec.layer)} AND superseded_by IS NULL`);
        if (spec.format === 'geojson') {
          await w.run(`INSERT INTO boundary SELECT ${sqlString(spec.layer)}, geo, ${id}, f, NULL FROM stage_features`);
        } else {
          // A topology only makes sense whole: store it as one document.
          await w.run(`INSERT INTO boundary SELECT ${sqlString(spec.layer)}, NULL, ${id}, json(content), NULL FROM read_text(${sqlString(path)})`);
        }
        return id;
      });
      return { ...summary, releaseId };
    } finally {
      await tx.run('DROP TABLE IF EXISTS stage_features').catch(() => undefined);
    }
  });
}
