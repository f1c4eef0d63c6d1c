// Re-creates the derived files in data/ from ../shared/data (run once by a maintainer; users never need it).
// Every output is documented in data/SOURCES.md; values are never changed, only re-laid out or subset.
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';

const shared = new URL('../../shared/data/', import.meta.url).pathname;
const out = new URL('../data/', import.meta.url).pathname;
if (!existsSync(shared)) throw new Error(`${shared} not found: this script needs the shared data folder`);

const db = await (await DuckDBInstance.create(':memory:')).connect();
const months = ['Enero', 'Febrero', 'Marzo', 'Abril', 'Mayo', 'Junio', 'Julio', 'Agosto', 'Septiembre', 'Octubre', 'Noviembre', 'Diciembre'];

// State names as SESNSP writes them in its published file (taken from the as-published sample).
await db.run(`CREATE TABLE names AS SELECT DISTINCT "Clave_Ent"::INT AS code, "Entidad" AS name
  FROM read_csv('${shared}as-published/sesnsp/IDVFC_NM_2015-2019.csv', encoding='latin-1', header=true, all_varchar=true)`);
await db.run(`CREATE TABLE long AS SELECT * FROM read_csv('${shared}crime-state-monthly/sesnsp_victimas_estatal_mensual_long.csv.gz', header=true, all_varchar=true)`);
const monthCols = months.map((m, i) => `max(CASE WHEN n_month::INT = ${i + 1} THEN n_victimas END) AS "${m}"`).join(',\n  ');
await db.run(`COPY (
  SELECT n_year AS "Año", cve_ent::INT AS "Clave_Ent", names.name AS "Entidad",
    bien_juridico_afectado AS "Bien jurídico afectado", tipo_de_delito AS "Tipo de delito", subtipo_de_delito AS "Subtipo de delito",
    modalidad AS "Modalidad", genero AS "Sexo", rango_de_edad AS "Rango de edad",
    ${monthCols}
  FROM long JOIN names ON names.code = long.cve_ent::INT
  GROUP BY ALL
  ORDER BY "Año", "Clave_Ent", "Bien jurídico afectado", "Tipo de delito", "Subtipo de delito", "Modalidad", "Sexo", "Rango de edad"
) TO '${out}sesnsp/IDVFC_NM_2015-2025.csv.gz' (HEADER, DELIMITER ',', COMPRESSION gzip)`);

// SESNSP national totals per year (national rows of the annual file), used to reconcile the sum of states.
// The annual file has a "Total" sex row where a crime has several sexes; femicide has only "Mujer" rows.
await db.run(`COPY (
  SELECT n_year AS year, subtipo_de_delito AS subtipo, modalidad,
    coalesce(max(n_victimas::BIGINT) FILTER (WHERE genero = 'Total'), sum(n_victimas::BIGINT) FILTER (WHERE genero <> 'Total')) AS victimas,
    CASE WHEN count(*) FILTER (WHERE genero = 'Total') > 0 THEN 'Total row' ELSE 'sum of sex rows (no Total row published)' END AS basis
  FROM read_csv('${shared}crime-state/sesnsp_victimas_estatal_anual_genero_x100k.csv', header=true, all_varchar=true)
  WHERE cve_ent = '00'
  GROUP BY ALL
  ORDER BY year, subtipo, modalidad
) TO '${out}reference/sesnsp_victimas_nacional_anual.csv' (HEADER)`);
console.log('done');
