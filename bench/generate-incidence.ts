// A synthetic SESNSP municipal incidence file in the published wide layout, with skewed, zero-inflated counts.
// `rows` counts month cells (observations); the file has one line per 12 of them. Deterministic: same arguments, same bytes.
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { DuckDBInstance } from '@duckdb/node-api';
import { bundledDataPath } from '../src/catalog/index.js';
import { MONTHS_ES } from '../src/domain/index.js';

export async function generateIncidence(rows: number, out: string, encoding: 'utf-8' | 'latin-1' = 'utf-8'): Promise<{ lines: number; years: [number, number] }> {
  mkdirSync(dirname(out), { recursive: true });
  const db = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
  await db.run(`CREATE TABLE munis AS SELECT row_number() OVER (ORDER BY cve_geo) AS id, cve_geo, cve_ent, nombre_estado, nombre_municipio
    FROM read_csv('${bundledDataPath('geo/cve_nom_municipios.csv')}', all_varchar=true)`);
  await db.run(`CREATE TABLE crimes AS SELECT row_number() OVER (ORDER BY bj, tipo, sub, modal) AS id, * FROM (
    SELECT DISTINCT "Bien jurídico afectado" AS bj, "Tipo de delito" AS tipo, "Subtipo de delito" AS sub, "Modalidad" AS modal
    FROM read_csv('${bundledDataPath('sesnsp/IDVFC_NM_2015-2025.csv.gz')}', all_varchar=true))`);
  const [counts] = (await db.runAndReadAll(`SELECT (SELECT count(*) FROM munis) AS m, (SELECT count(*) FROM crimes) AS c`)).getRowObjectsJS() as { m: bigint; c: bigint }[];
  const perYear = Number(counts?.m ?? 0n) * Number(counts?.c ?? 0n);
  const lines = Math.ceil(rows / 12);
  const years = Math.max(1, Math.ceil(lines / perYear));
  const last = 2025;
  const first = last - years + 1;
  // Zero-inflated, heavy-tailed: most municipality × crime × month cells are 0; a few big municipalities dominate.
  const cell = (k: number) => `CASE WHEN hash(m.id, c.id, y, ${k}) % 100 < 55 + (hash(m.id) % 40) THEN 0
      ELSE floor(exp((hash(m.id, c.id, y, ${k}, 7) % 1000) / 1000.0 * (1.5 + (hash(m.id) % 1000) / 250.0)))::BIGINT END`;
  const utf8Out = encoding === 'utf-8' ? out : `${out}.utf8.tmp`;
  await db.run(`COPY (
    SELECT y AS "Año", m.cve_ent::INT AS "Clave_Ent", m.nombre_estado AS "Entidad", m.cve_geo::INT AS "Cve. Municipio", m.nombre_municipio AS "Municipio",
      c.bj AS "Bien jurídico afectado", c.tipo AS "Tipo de delito", c.sub AS "Subtipo de delito", c.modal AS "Modalidad",
      ${MONTHS_ES.map((name, i) => `${cell(i + 1)} AS "${name}"`).join(',\n      ')}
    FROM range(${first}, ${last + 1}) t(y), munis m, crimes c
    ORDER BY y, m.id, c.id
    LIMIT ${lines}
  ) TO '${utf8Out}' (HEADER, DELIMITER ',')`);
  db.closeSync();
  if (encoding === 'latin-1') {
    // Older SESNSP releases are Latin-1: re-encode the UTF-8 text without splitting characters across chunks.
    const decoder = new StringDecoder('utf8');
    const sink = createWriteStream(out);
    for await (const chunk of createReadStream(utf8Out)) sink.write(Buffer.from(decoder.write(chunk as Buffer), 'latin1'));
    sink.write(Buffer.from(decoder.end(), 'latin1'));
    await new Promise<void>((resolve, reject) => sink.end((error?: Error | null) => (error ? reject(error) : resolve())));
    rmSync(utf8Out);
  }
  return { lines, years: [first, last] };
}

