import { writeFileSync } from 'node:fs';
import { MONTHS_ES } from '../domain/index.js';

export const SESNSP_HEADER = ['Año', 'Clave_Ent', 'Entidad', 'Bien jurídico afectado', 'Tipo de delito', 'Subtipo de delito', 'Modalidad', 'Sexo', 'Rango de edad', ...MONTHS_ES];

export interface FixtureRow {
  year?: number | string;
  state?: number | string;
  stateName?: string;
  subtype?: string;
  modality?: string;
  sex?: string;
  age?: string;
  months?: readonly (number | string)[];
}

/** The states as SESNSP names them, by code (a row's name must be its code's: imports refuse another state's name). */
export const SESNSP_STATE_NAMES = [
  'Aguascalientes', 'Baja California', 'Baja California Sur', 'Campeche', 'Coahuila de Zaragoza', 'Colima', 'Chiapas', 'Chihuahua',
  'Ciudad de México', 'Durango', 'Guanajuato', 'Guerrero', 'Hidalgo', 'Jalisco', 'México', 'Michoacán de Ocampo', 'Morelos', 'Nayarit',
  'Nuevo León', 'Oaxaca', 'Puebla', 'Querétaro', 'Quintana Roo', 'San Luis Potosí', 'Sinaloa', 'Sonora', 'Tabasco', 'Tamaulipas',
  'Tlaxcala', 'Veracruz de Ignacio de la Llave', 'Yucatán', 'Zacatecas',
] as const;

/** One published-layout row; defaults describe intentional homicide with a firearm, men, adults, in Aguascalientes. */
export function sesnspRow(r: FixtureRow = {}): string[] {
  const subtype = r.subtype ?? 'Homicidio doloso';
  const crime = subtype === 'Feminicidio' ? ['La vida y la Integridad corporal', 'Feminicidio'] : ['La vida y la Integridad corporal', 'Homicidio'];
  const months = r.months ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const state = r.state ?? 1;
  return [String(r.year ?? 2020), String(state), r.stateName ?? SESNSP_STATE_NAMES[Number(state) - 1] ?? `Estado ${state}`, crime[0] as string, crime[1] as string, subtype,
    r.modality ?? 'Con arma de fuego', r.sex ?? 'Hombre', r.age ?? 'Adultos (18 y más)', ...months.map(String)];
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

export interface WriteOptions {
  encoding?: 'utf-8' | 'latin-1';
  bom?: boolean;
  eol?: '\n' | '\r\n';
  header?: readonly string[];
}

/** Writes rows the way publishers do: chosen encoding, optional BOM, CRLF or LF. */
export function writeCsv(path: string, rows: readonly (readonly string[])[], options: WriteOptions = {}): string {
  const eol = options.eol ?? '\n';
  const text = [options.header ?? SESNSP_HEADER, ...rows].map((r) => r.map(quote).join(',')).join(eol) + eol;
  const body = options.encoding === 'latin-1' ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
  writeFileSync(path, options.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
  return path;
}

/** A small but realistic file: two years, three states, homicide and femicide, all sexes for homicide. */
export function sampleRows(values: (state: number, year: number, i: number) => number = (s, y, i) => (s * 7 + y + i) % 13): string[][] {
  const rows: string[][] = [];
  for (const year of [2020, 2021]) {
    for (const [state, name] of [[1, 'Aguascalientes'], [9, 'Ciudad de México'], [16, 'Michoacán de Ocampo']] as const) {
      for (const [subtype, modality, sex] of [
        ['Homicidio doloso', 'Con arma de fuego', 'Hombre'],
        ['Homicidio doloso', 'Con arma de fuego', 'Mujer'],
        ['Homicidio doloso', 'Con arma blanca', 'Hombre'],
        ['Feminicidio', 'Con arma de fuego', 'Mujer'],
      ] as const) {
        rows.push(sesnspRow({ year, state, stateName: name, subtype, modality, sex, months: MONTHS_ES.map((_, i) => values(state, year, i)) }));
      }
    }
  }
  return rows;
}
