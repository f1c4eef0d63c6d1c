import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryIndicator } from '../analytics/index.js';
import { InputError } from '../domain/index.js';
import { generateIncidence } from '../../bench/generate-incidence.js';
import { storeFingerprint, tempStore, type TempStore } from '../test-support/temp-store.js';
import { importFile } from './pipeline.js';
import { ADAPTERS } from './sources/index.js';

const adapter = ADAPTERS['sesnsp-incidence-municipal'];
let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
});
afterAll(async () => t.cleanup());

describe('sesnsp-incidence-municipal', () => {
  it('imports the municipal layout (Latin-1 too) and rolls municipalities up to states and the nation', async () => {
    if (!adapter) throw new Error('adapter missing');
    const file = join(t.dir, 'incidencia.csv');
    await generateIncidence(300_000, file, 'latin-1');
    const summary = await importFile(t.store, adapter, file);
    expect(summary.encoding).toBe('latin-1');
    expect(summary.observations).toBe(300_000);
    const base = { indicator: 'mx.homicide.incidence', from: '2025', to: '2025', freq: 'year' as const, by: null, lang: 'es' as const, asOf: null };
    const nation = await queryIndicator(t.store, { ...base, geo: ['00'] });
    const states = await queryIndicator(t.store, { ...base, geo: ['level:state'] });
    const munis = await queryIndicator(t.store, { ...base, geo: ['level:municipality'] });
    const sum = (rows: { value: number | null }[]) => rows.reduce((a, r) => a + (r.value ?? 0), 0);
    expect(sum(states.rows)).toBe(nation.rows[0]?.value);
    expect(sum(munis.rows)).toBe(nation.rows[0]?.value);
    const [raw] = await t.store.all<{ n: number }>(`SELECT sum(value) AS n FROM observation WHERE crime_subtype = 'Homicidio doloso' AND year = 2025`);
    expect(nation.rows[0]?.value).toBe(raw?.n);
    expect(munis.rows.find((r) => r.geo === '14039')?.geo_name).toBe('Guadalajara');
  });

  it('stages the file compressed in an owner-only database beside the store, deleted after the import (a leftover one replaced)', async () => {
    if (!adapter) throw new Error('adapter missing');
    const file = join(t.dir, 'staged.csv');
    await generateIncidence(24_000, file);
    const stage = `${t.path}.stage`;
    writeFileSync(stage, 'what a killed import may leave behind'); // not a database: replaced, not opened
    let seen: Promise<{ mode: number; tables: { database_name: string }[] }> | null = null;
    const summary = await importFile(t.store, adapter, file, {
      onStage: (s) => {
        if (s !== 'validate') return;
        const mode = statSync(stage).mode & 0o777;
        seen = t.store.all<{ database_name: string }>(`SELECT database_name FROM duckdb_tables() WHERE table_name = 'raw_file'`).then((tables) => ({ mode, tables }));
      },
    });
    expect(summary.observations).toBe(24_000);
    // A temporary table held the text uncompressed in memory: a 50 M-cell file's 1.3 GB, the import's peak.
    expect(await seen).toEqual({ mode: 0o600, tables: [{ database_name: 'observa_stage' }] });
    expect(existsSync(stage)).toBe(false);
    expect(existsSync(`${stage}.wal`)).toBe(false);
  });

  it('refuses a municipality that does not belong to the row’s state', async () => {
    if (!adapter) throw new Error('adapter missing');
    const before = await storeFingerprint(t.store);
    const header = 'Año,Clave_Ent,Entidad,Cve. Municipio,Municipio,Bien jurídico afectado,Tipo de delito,Subtipo de delito,Modalidad,Enero,Febrero,Marzo,Abril,Mayo,Junio,Julio,Agosto,Septiembre,Octubre,Noviembre,Diciembre';
    const path = join(t.dir, 'shifted.csv');
    writeFileSync(path, `${header}\n2024,14,Jalisco,14039,Guadalajara,La vida y la Integridad corporal,Homicidio,Homicidio doloso,Con arma de fuego,1,2,3,4,5,6,7,8,9,10,11,12\n2024,14,Jalisco,9015,Cuauhtémoc,La vida y la Integridad corporal,Homicidio,Homicidio doloso,Con arma de fuego,1,2,3,4,5,6,7,8,9,10,11,12\n`);
    const error = await importFile(t.store, adapter, path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ line: 3, column: 'Cve. Municipio', value: '9015' });
    expect(await storeFingerprint(t.store)).toBe(before);
    expect(existsSync(`${t.path}.stage`)).toBe(false);
  });
});
