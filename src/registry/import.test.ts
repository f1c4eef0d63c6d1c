import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../domain/index.js';
import { testStore, type TestStore } from '../test-support/any-store.js';
import { loadMasterKey } from './crypto.js';
import type { Principal } from './policy.js';
import {
  ForbiddenError, OPERATOR_PRINCIPAL, createOrganisation, createUser, importCases, listCases, verifyAudit, type RegistryContext,
} from './index.js';

process.env['OBSERVA_MASTER_KEY'] ??= randomBytes(32).toString('base64');

let t: TestStore;
let ctx: RegistryContext;
let doc: Principal;
let analyst: Principal;
let dir: string;
let orgB: string;
beforeAll(async () => {
  t = await testStore();
  dir = mkdtempSync(join(tmpdir(), 'observa-cases-'));
  ctx = { store: t.store, masterKey: loadMasterKey() };
  const org = (await createOrganisation(ctx, OPERATOR_PRINCIPAL, 'Colectivo A')).id;
  orgB = (await createOrganisation(ctx, OPERATOR_PRINCIPAL, 'Comisión B')).id;
  const d = await createUser(ctx, OPERATOR_PRINCIPAL, { email: 'doc@a.example', role: 'documenter', organisationId: org, password: 'correct horse battery staple' });
  const a = await createUser(ctx, OPERATOR_PRINCIPAL, { email: 'an@a.example', role: 'analyst', organisationId: org, password: 'correct horse battery staple' });
  doc = { kind: 'user', userId: d.id, role: 'documenter', organisationId: org };
  analyst = { kind: 'user', userId: a.id, role: 'analyst', organisationId: org };
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.cleanup();
});

const HEADER = 'type,state,municipality,occurred_on,occurred_precision,reported_on,reported_precision,visibility,shared_with,summary_es,summary_en';
const write = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};
const snapshot = async () => JSON.stringify([
  await t.store.all('SELECT count(*) AS n FROM case_record'), await t.store.all('SELECT count(*) AS n FROM audit_log'),
]);
async function refused(path: string) {
  const before = await snapshot();
  const error = await importCases(ctx, doc, path).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(await snapshot()).toBe(before);
  return (error as InputError).problems;
}

describe('case CSV import', () => {
  it('imports every row in one transaction, owned by the importer\'s organisation, audited', async () => {
    const path = write('good.csv', [
      HEADER,
      'disappearance,08,08037,2023-11,month,2023-12-02,day,public-aggregate,,Desaparición en Ciudad Juárez,Disappearance in Ciudad Juárez',
      `torture,12,,2022,year,,,shared,${orgB},,`,
      'migrant-kidnapping,30,30039,2024-03-15,day,2024-03-20,day,private,,"Secuestro, con rescate","Kidnapping, ransom"',
    ]);
    const summary = await importCases(ctx, doc, path);
    expect(summary).toMatchObject({ file: 'good.csv', cases: 3 });
    const cases = await listCases(ctx, doc);
    expect(cases.map((c) => [c.type, c.state, c.visibility])).toEqual(expect.arrayContaining([
      ['disappearance', '08', 'public-aggregate'], ['torture', '12', 'shared'], ['migrant-kidnapping', '30', 'private'],
    ]));
    expect((await verifyAudit(t.store)).ok).toBe(true);
  });

  it('refuses hostile files with line, column, value and what was expected, and writes nothing', async () => {
    let p = await refused(write('personal.csv', [`${HEADER},victim_name`, 'torture,12,,2022,year,,,private,,,,Juan Pérez']));
    expect(p).toEqual([expect.objectContaining({ file: 'personal.csv', line: 1, column: 'victim_name', expected: expect.stringContaining('no personal data') })]);

    p = await refused(write('missing.csv', ['type,state,occurred_on,visibility', 'torture,12,2022,private']));
    expect(p[0]).toMatchObject({ line: 1, column: 'occurred_precision' });

    p = await refused(write('values.csv', [
      HEADER,
      'disappearance,08,08037,2023-11,month,,,private,,,',
      'kidnapping,08,,2023-11,month,,,private,,,',
      'disappearance,33,,2023-11,month,,,private,,,',
      'disappearance,08,09015,2023-11,month,,,private,,,',
      'disappearance,08,,2023-13,month,,,private,,,',
      'disappearance,08,,2023-11-02,day,2023-10-01,day,private,,,',
      'disappearance,08,,2023,year,,,everyone,,,',
    ]));
    expect(p.map((x) => [x.line, x.column])).toEqual([
      [3, 'type'], [4, 'state'], [5, 'municipality'], [6, 'occurred_on'], [7, 'reported_on'], [8, 'visibility'],
    ]);
    expect(p[0]).toMatchObject({ value: 'kidnapping' });

    p = await refused(write('ragged.csv', [HEADER, 'torture,12,,2022,year,,,private']));
    expect(p[0]).toMatchObject({ line: 2, value: '8 fields' });

    p = await refused(write('quote.csv', [HEADER, 'torture,12,,2022,year,,,private,,"unclosed,']));
    expect(p[0]?.expected).toMatch(/well-formed CSV/);

    // A row naming an organisation that does not exist fails inside the transaction: the rows before it are rolled back.
    const before = await snapshot();
    await expect(importCases(ctx, doc, write('unknown-org.csv', [HEADER, 'torture,12,,2022,year,,,private,,,', 'torture,12,,2022,year,,,shared,org-999,,'])))
      .rejects.toThrow(/org-999/);
    expect(await snapshot()).toBe(before);

    p = await refused(write('empty.csv', [HEADER]));
    expect(p[0]).toMatchObject({ line: 2 });
  });

  it('only those who may create cases may import them', async () => {
    const path = write('analyst.csv', [HEADER, 'torture,12,,2022,year,,,private,,,']);
    await expect(importCases(ctx, analyst, path)).rejects.toThrow(ForbiddenError);
  });
});
