import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../domain/index.js';
import { listAssistance } from '../monitoring/index.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { accountOf, importAssistance } from './assistance.js';

// The ForeignAssistance.gov complete-data layout (a subset of its columns, in its order, plus ones the import ignores).
const HEADER = [
  'Country ID', 'Country Code', 'Country Name', 'Region Name', 'Managing Agency Acronym', 'US Sector Name', 'Funding Account ID',
  'Funding Account Name', 'Activity ID', 'Activity Name', 'Transaction Type Name', 'Fiscal Year', 'Current Dollar Amount', 'Constant Dollar Amount',
];
const row = (o: Partial<Record<string, string>>) =>
  HEADER.map((h) => {
    const v = o[h] ?? { 'Country ID': '484', 'Country Code': 'MEX', 'Country Name': 'Mexico', 'Region Name': 'Western Hemisphere', 'Managing Agency Acronym': 'STATE',
      'US Sector Name': 'Counter-Narcotics', 'Funding Account ID': '19x1022', 'Funding Account Name': 'International Narcotics Control and Law Enforcement',
      'Activity ID': 'A1', 'Activity Name': 'Forensic labs', 'Transaction Type Name': 'Obligations', 'Fiscal Year': '2023', 'Current Dollar Amount': '1000000',
      'Constant Dollar Amount': '990000' }[h] ?? '';
    return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  }).join(',');

let t: TempStore;
beforeEach(async () => {
  t = await tempStore();
});
afterEach(async () => {
  await t.cleanup();
});

const write = (name: string, lines: string[]) => {
  const path = join(t.dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};
async function problemsOf(path: string) {
  const before = await listAssistance(t.store);
  const error = await importAssistance(t.store, path).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(await listAssistance(t.store)).toEqual(before);
  expect(await t.store.all(`SELECT * FROM release WHERE source_id = 'foreignassistance-gov'`)).toEqual([]);
  return (error as InputError).problems;
}

describe('ForeignAssistance.gov import', () => {
  it('keeps Mexico\'s rows, sums them by year, account, stage and sector, and records the release', async () => {
    const path = write('fa.csv', [
      HEADER.join(','),
      row({}),
      row({ 'Current Dollar Amount': '250000.50', 'Activity ID': 'A2' }),
      row({ 'Transaction Type Name': 'Disbursements', 'Current Dollar Amount': '400000' }),
      row({ 'Funding Account Name': 'Economic Support Fund', 'US Sector Name': 'Rule of Law and Human Rights', 'Fiscal Year': '2022', 'Current Dollar Amount': '300000' }),
      row({ 'Country Code': 'GTM', 'Country Name': 'Guatemala', 'Current Dollar Amount': '999' }),
    ]);
    const summary = await importAssistance(t.store, path);
    expect(summary).toMatchObject({ status: 'new', rows: 5, mexicoRows: 4, otherCountryRows: 1, lines: 3, fiscalYears: [2022, 2023] });
    const imported = (await listAssistance(t.store)).filter((l) => l.origin === 'import');
    expect(imported.map((l) => [l.fyFrom, l.account, l.stage, l.amountUsd, l.pillars, l.goals])).toEqual([
      [2022, 'ESF', 'obligation', 300000, ['P2'], ['1', '3']],
      [2023, 'INCLE', 'disbursement', 400000, ['P1'], ['2', '3']],
      [2023, 'INCLE', 'obligation', 1250000.5, ['P1'], ['2', '3']],
    ]);
    expect(imported.every((l) => l.releaseId === summary.releaseId && l.program === 'bicentennial')).toBe(true);
    // The catalog's published figures stay beside the imported lines.
    expect((await listAssistance(t.store)).some((l) => l.origin === 'catalog')).toBe(true);
    expect((await importAssistance(t.store, path)).status).toBe('unchanged');
  });

  it('names the accounts of the State and Defense budgets', () => {
    expect(accountOf('International Military Education and Training')).toBe('IMET');
    expect(accountOf('Foreign Military Financing Program')).toBe('FMF');
    expect(accountOf('Drug Interdiction and Counter-Drug Activities, Defense')).toBe('DOD-CN');
    expect(accountOf('Global Health Programs')).toBe('OTHER');
  });

  it('refuses hostile files with file, line, column and what was expected, and changes nothing', async () => {
    let p = await problemsOf(write('missing.csv', [HEADER.filter((h) => h !== 'Fiscal Year').join(','), 'x']));
    expect(p[0]).toMatchObject({ file: 'missing.csv', line: 1, column: 'Fiscal Year' });

    p = await problemsOf(write('amount.csv', [HEADER.join(','), row({}), row({ 'Current Dollar Amount': 'one million' }), row({ 'Fiscal Year': '23' })]));
    expect(p).toEqual([
      { file: 'amount.csv', line: 3, column: 'Current Dollar Amount', value: 'one million', expected: expect.stringContaining('amount in U.S. dollars') },
      { file: 'amount.csv', line: 4, column: 'Fiscal Year', value: '23', expected: expect.stringContaining('fiscal year') },
    ]);

    p = await problemsOf(write('stage.csv', [HEADER.join(','), row({ 'Transaction Type Name': 'Promised' })]));
    expect(p[0]).toMatchObject({ line: 2, column: 'Transaction Type Name', value: 'Promised' });

    p = await problemsOf(write('ragged.csv', [HEADER.join(','), row({}), '484,MEX,Mexico']));
    expect(p[0]).toMatchObject({ file: 'ragged.csv', line: 3 });
    expect(p[0]?.expected).toMatch(/fields/);

    p = await problemsOf(write('quote.csv', [HEADER.join(','), row({}).replace('Forensic labs', '"Forensic "labs')]));
    expect(p[0]?.file).toBe('quote.csv');

    p = await problemsOf(write('nomexico.csv', [HEADER.join(','), row({ 'Country Code': 'GTM', 'Country Name': 'Guatemala' })]));
    expect(p[0]?.expected).toMatch(/Mexico/);

    writeFileSync(join(t.dir, 'utf16.csv'), Buffer.from(`\ufeff${HEADER.join(',')}\n`, 'utf16le'));
    p = await problemsOf(join(t.dir, 'utf16.csv'));
    expect(p[0]?.expected).toMatch(/UTF-16/);
  });

  it('refuses a decimal comma instead of reading "1250000,50" as 125,000,050; thousands commas and decimal points still read', async () => {
    let p = await problemsOf(write('decimal-comma.csv', [HEADER.join(','), row({ 'Current Dollar Amount': '1250000,50' })]));
    expect(p[0]).toMatchObject({ file: 'decimal-comma.csv', line: 2, column: 'Current Dollar Amount', value: '1250000,50' });
    p = await problemsOf(write('decimal-comma-2.csv', [HEADER.join(','), row({ 'Current Dollar Amount': '1,25' })]));
    expect(p[0]).toMatchObject({ line: 2, column: 'Current Dollar Amount' });
    const s = await importAssistance(t.store, write('separators.csv', [HEADER.join(','), row({ 'Current Dollar Amount': '$1,250,000.50' })]));
    expect(s.status).toBe('new');
    const [line] = (await listAssistance(t.store)).filter((l) => l.origin === 'import');
    expect(line?.amountUsd).toBe(1250000.5);
  });

  it('refuses a header repeated mid-file (the amounts would be counted twice)', async () => {
    const p = await problemsOf(write('twice.csv', [HEADER.join(','), row({}), HEADER.join(','), row({})]));
    expect(p[0]).toMatchObject({ file: 'twice.csv', line: 3 });
    expect(p[0]?.expected).toMatch(/header repeated/);
  });

  it('refuses a column named twice instead of silently reading the last one', async () => {
    const header = [...HEADER, 'Current Dollar Amount'];
    const p = await problemsOf(write('dup-column.csv', [header.join(','), `${row({})},5`]));
    expect(p[0]).toMatchObject({ file: 'dup-column.csv', line: 1, column: 'Current Dollar Amount' });
    expect(p[0]?.expected).toMatch(/named 2 times/);
  });
});
