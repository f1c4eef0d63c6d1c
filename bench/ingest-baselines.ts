// The issue's fair ingest baseline: DuckDB's read_csv + UNPIVOT into a long table of the same columns as Observa's
// `observation`, hand-written for each bench file's layout, every column holding what Observa stores (codes padded,
// periods as text, SESNSP's sex in the vocabulary's words, dimensions a source lacks as ''). A fingerprint of the rows
// (count and a sum of row hashes) asserts both sides wrote the same observations, not merely as many.
import { MONTHS_ES } from '../src/domain/index.js';

const DIMENSIONS_NOT_IN_SESNSP = ['estimate', 'component', 'drug', 'citizenship', 'stage', 'cause', 'category'];
/** The months as UNPIVOT names them: "01" … "12". */
const MONTHS = MONTHS_ES.map((m, i) => `"${m}" AS "${String(i + 1).padStart(2, '0')}"`).join(', ');

function sameColumns(read: string, series: string, geo: string, sexAndAge: string): string {
  return `CREATE TABLE t AS SELECT 1::INTEGER AS release_id, '${series}' AS series, ${geo} AS geo, "Año" || '-' || m AS period,
      'month' AS freq, "Año"::SMALLINT AS year, m::TINYINT AS month, "Bien jurídico afectado" AS legal_good, "Tipo de delito" AS crime_type,
      "Subtipo de delito" AS crime_subtype, "Modalidad" AS modality, ${sexAndAge}, ${DIMENSIONS_NOT_IN_SESNSP.map((d) => `'' AS ${d}`).join(', ')},
      v::DOUBLE AS value, []::VARCHAR[] AS flags, NULL::INTEGER AS superseded_by
    FROM (UNPIVOT (SELECT * FROM ${read}) ON ${MONTHS} INTO NAME m VALUE v)`;
}

/** SESNSP's state victims file (`sesnsp-victims-state`): read_csv + UNPIVOT into observation's columns. */
export const victimsStateSameColumns = (read: string) => sameColumns(read, 'sesnsp.victims', `lpad("Clave_Ent"::VARCHAR, 2, '0')`,
  `CASE "Sexo" WHEN 'Hombre' THEN 'male' WHEN 'Mujer' THEN 'female' ELSE 'unidentified' END AS sex, "Rango de edad" AS age`);

/** SESNSP's municipal incidence file (`sesnsp-incidence-municipal`): read_csv + UNPIVOT into observation's columns. */
export const incidenceMunicipalSameColumns = (read: string) => sameColumns(read, 'sesnsp.incidence', `lpad("Cve. Municipio"::VARCHAR, 5, '0')`, `'' AS sex, '' AS age`);

/** Count and hash sum of a long table's observations (every stored column but the release and supersession). */
export const observationFingerprint = (table: string) => `SELECT count(*)::VARCHAR || ':' || sum(hash(series, geo, period, freq, year, month,
  legal_good, crime_type, crime_subtype, modality, sex, age, ${DIMENSIONS_NOT_IN_SESNSP.join(', ')}, value, flags))::VARCHAR AS fingerprint FROM ${table}`;
