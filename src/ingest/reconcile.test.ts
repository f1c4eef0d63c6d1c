import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath } from '../catalog/index.js';
import { InputError } from '../domain/index.js';
import { storeFingerprint, tempStore, type TempStore } from '../test-support/temp-store.js';
import { importFile } from './pipeline.js';
import { ADAPTERS } from './sources/index.js';

let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
});
afterAll(async () => t.cleanup());

/** A published file with one number changed: its totals no longer add up. */
function tamper(source: string, file: string, line: number, edit: (text: string) => string): string {
  const raw = readFileSync(bundledDataPath(file));
  const lines = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n');
  lines[line - 1] = edit(lines[line - 1] as string);
  const out = join(t.dir, `${source}-tampered.csv`);
  writeFileSync(out, lines.join('\n'));
  return out;
}

async function refused(source: string, path: string): Promise<InputError> {
  const adapter = ADAPTERS[source];
  if (!adapter) throw new Error(source);
  const before = await storeFingerprint(t.store);
  const error = await importFile(t.store, adapter, path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(await storeFingerprint(t.store)).toBe(before);
  return error as InputError;
}

describe('publishers’ totals must reconcile', () => {
  it('CONAPO: a Total row that is not Hombres + Mujeres', async () => {
    const e = await refused('conapo-population-state', tamper('conapo', 'conapo/conapo_pob_estatal_sexo_anual_1950_2070.csv', 4, (l) => l.replace(/,(\d+)$/, (_, n: string) => `,${Number(n) + 5}`)));
    expect(e.problems[0]).toMatchObject({ line: 4, column: 'pob_mid_year', value: '28463446' });
    expect(e.message).toContain('Hombres + Mujeres (28463441)');
  });

  it('INEGI: a state whose population is not the sum of its municipalities', async () => {
    const e = await refused('inegi-population-municipal', tamper('inegi', 'inegi/inegi_censo2020_pob_municipal.csv', 3, (l) => l.replace('1425607,696683,728924', '1425608,696684,728924')));
    // The state no longer matches its municipalities, and the nation no longer matches its states.
    expect(e.problems).toContainEqual(expect.objectContaining({ line: 3, column: 'pob_total', value: '1425608', expected: 'the sum of the units below it (1425607)' }));
    expect(e.problems).toContainEqual(expect.objectContaining({ line: 2, value: '126014024', expected: 'the sum of the units below it (126014025)' }));
  });

  it('RNPDNO: a total that is not male + female + undefined', async () => {
    const e = await refused('rnpdno-municipal', tamper('rnpdno', 'rnpdno/rnpdno_municipal_mensual_located_dead.csv.gz', 2, (l) => l.replace(/,1,0,0,1,2015,1,3$/, ',1,0,0,2,2015,1,3')));
    expect(e.problems[0]).toMatchObject({ line: 2, column: 'total', value: '2' });
  });
});
