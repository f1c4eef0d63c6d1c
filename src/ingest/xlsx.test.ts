import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../domain/index.js';
import { storeFingerprint, tempStore, type TempStore } from '../test-support/temp-store.js';
import { COUNT_RULE, NO_SCHEMA4_DIMENSIONS, yearCheck, type CsvAdapter } from './adapter.js';
import { importFile } from './pipeline.js';
import { columnLetter } from './xlsx.js';

/** A minimal workbook adapter: yearly counts for the United States from sheet "Data" (header on row 2, from column B). */
const adapter: CsvAdapter = {
  id: 'test-xlsx',
  version: '1.0.0',
  title: 'test workbook',
  encodings: [],
  sheet: 'Data',
  headerRow: 2,
  columns: ['Fiscal Year', 'Quantity'],
  checks: [yearCheck('Fiscal Year'), { column: 'Quantity', ...COUNT_RULE }],
  observations: `
    SELECT line, 'test.count' AS series, 'US' AS geo, '' AS geo_column, trim("Fiscal Year") AS period, 'year' AS freq,
      trim("Fiscal Year")::SMALLINT AS year, NULL::TINYINT AS month,
      '' AS legal_good, '' AS crime_type, '' AS crime_subtype, '' AS modality, '' AS sex, '' AS age, '' AS estimate,
      ${NO_SCHEMA4_DIMENSIONS}, trim(Quantity)::DOUBLE AS value, []::VARCHAR[] AS flags
    FROM raw`,
};

async function workbook(path: string, rows: (string | number | null)[][], options: { sheet?: string; header?: string[] } = {}): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(options.sheet ?? 'Data');
  ws.getCell('A1').value = 'Title row of the publisher';
  ws.getRow(2).values = [null, ...(options.header ?? ['Fiscal\nYear', 'Quantity'])];
  rows.forEach((r, i) => (ws.getRow(3 + i).values = [null, ...r]));
  await wb.xlsx.writeFile(path);
  return path;
}

function problemsOf(error: unknown) {
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems;
}

describe('xlsx staging (exceljs) through the shared pipeline', () => {
  let t: TempStore;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(async () => t.cleanup());

  it('names columns by letter', () => {
    expect([1, 2, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('reads a named sheet with a header below a title row; line = sheet row', async () => {
    const path = await workbook(join(t.dir, 'good.xlsx'), [[2021, 10], [2022, 20], [null, null], [2023, 30]]);
    const summary = await importFile(t.store, adapter, path);
    expect(summary.status).toBe('new');
    expect(summary.encoding).toBe('xlsx');
    expect(summary.rows).toBe(3);
    const rows = await t.store.all<{ period: string; value: number }>(`SELECT period, value FROM observation WHERE series = 'test.count' ORDER BY period`);
    expect(rows).toEqual([{ period: '2021', value: 10 }, { period: '2022', value: 20 }, { period: '2023', value: 30 }]);
  });

  it('refuses bad workbooks with sheet and cell, leaving the store unchanged', async () => {
    const before = await storeFingerprint(t.store);
    const cases: { name: string; make: (p: string) => Promise<string>; check: (message: string, problems: readonly Record<string, unknown>[]) => void }[] = [
      {
        name: 'wrong-sheet.xlsx',
        make: (p) => workbook(p, [[2021, 1]], { sheet: 'Datos' }),
        check: (m) => expect(m).toContain('sheet "Data"; expected a sheet named "Data" (the workbook has "Datos")'),
      },
      {
        name: 'renamed.xlsx',
        make: (p) => workbook(p, [[2021, 1]], { header: ['Fiscal Year', 'Count'] }),
        check: (m, ps) => {
          expect(ps[0]).toMatchObject({ sheet: 'Data', cell: 'C2', value: 'Count' });
          expect(m).toContain('sheet "Data", cell C2, column "Quantity": found "Count"; expected header "Quantity" in column C');
        },
      },
      {
        name: 'thousands.xlsx',
        make: (p) => workbook(p, [[2021, 1], [2022, '1,234']]),
        check: (m, ps) => {
          expect(ps[0]).toMatchObject({ sheet: 'Data', cell: 'C4', line: 4, column: 'Quantity', value: '1,234' });
          expect(m).toContain('no sign, decimals or thousands separators');
        },
      },
      {
        name: 'stray.xlsx',
        make: (p) => workbook(p, [[2021, 1, 'note']]),
        check: (_m, ps) => expect(ps[0]).toMatchObject({ sheet: 'Data', line: 3, value: 'note' }),
      },
      {
        name: 'truncated.xlsx',
        make: async (p) => {
          const whole = readFileSync(await workbook(p, [[2021, 1], [2022, 2]]));
          writeFileSync(p, whole.subarray(0, Math.floor(whole.length / 2)));
          return p;
        },
        check: (m) => expect(m).toMatch(/truncated\.xlsx; expected a complete \.xlsx workbook; it could not be opened/),
      },
      {
        name: 'error-page.xlsx',
        make: async (p) => {
          writeFileSync(p, '<!DOCTYPE html><html><body>Access denied</body></html>');
          return p;
        },
        check: (m) => expect(m).toContain('found "<!DOCTYPE html><html><body>Access denied"; expected an .xlsx workbook (a ZIP archive'),
      },
      {
        name: 'empty.xlsx',
        make: async (p) => {
          writeFileSync(p, '');
          return p;
        },
        check: (m) => expect(m).toContain('the file is empty'),
      },
    ];
    for (const c of cases) {
      const path = await c.make(join(t.dir, c.name));
      const error = await importFile(t.store, adapter, path).catch((e: unknown) => e);
      const problems = problemsOf(error);
      c.check((error as Error).message, problems as unknown as Record<string, unknown>[]);
      expect(await storeFingerprint(t.store)).toBe(before);
    }
  });
});
