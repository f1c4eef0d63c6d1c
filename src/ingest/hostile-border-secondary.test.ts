import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath } from '../catalog/index.js';
import { InputError, type InputProblem } from '../domain/index.js';
import { storeFingerprint, tempStore, type TempStore } from '../test-support/temp-store.js';
import { adapterFor } from './bundled.js';
import { importFile } from './pipeline.js';
import { BUNDLED_FILES } from './sources/index.js';

/**
 * Issue 10: hostile files for each new adapter (wrong sheet, renamed column, `1,234` quantities, an HTML error page
 * saved under the file's name, a truncated file) are refused with file, line or sheet/cell and what was expected, and
 * the store is unchanged. The cells of that matrix not already covered in border.test.ts, binational.test.ts and
 * hostile-classes.test.ts: the CBP encounters CSV, the ENPOL workbook, and the wrong sheet or HTML page for the
 * other workbooks.
 */
const bundled = (source: string) => {
  const entry = BUNDLED_FILES.find((f) => f.source === source);
  if (!entry) throw new Error(`no bundled file for ${source}`);
  return bundledDataPath(entry.path);
};
const HTML = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>error</body></html>\n';

let t: TempStore;
let before: string;
beforeAll(async () => {
  t = await tempStore();
  // Something in the store, so "unchanged" means more than "still empty".
  await importFile(t.store, adapterFor('secondary-guardia-nacional-2019'), bundled('secondary-guardia-nacional-2019'));
  before = await storeFingerprint(t.store);
});
afterAll(async () => t.cleanup());

async function refused(source: string, name: string, content: Buffer | string): Promise<InputProblem> {
  const path = join(t.dir, name);
  writeFileSync(path, content);
  const error = await importFile(t.store, adapterFor(source), path).then(() => null, (e: unknown) => e);
  expect(error, name).toBeInstanceOf(InputError);
  expect(await storeFingerprint(t.store)).toBe(before);
  const [first] = (error as InputError).problems;
  expect(first?.file).toBe(name);
  expect(first?.expected, name).toBeTruthy();
  return first as InputProblem;
}

describe('cbp-sw-encounters (CSV): renamed column, HTML page, truncated file', () => {
  const lines = () => gunzipSync(readFileSync(bundled('cbp-sw-encounters'))).toString('utf8').split(/\r?\n/);

  it('a renamed column is refused at line 1 with the header it expected', async () => {
    const [head, ...body] = lines();
    const p = await refused('cbp-sw-encounters', 'sbo-renamed.csv', `${(head ?? '').replace('Citizenship Grouping', 'Citizenship')}\n${body.slice(0, 20).join('\n')}\n`);
    expect(p).toMatchObject({ line: 1, column: 'Citizenship Grouping', value: 'Citizenship' });
    expect(p.expected).toMatch(/header column 6 to be "Citizenship Grouping"/);
  });

  it('an HTML error page saved as the .csv is refused at line 1', async () => {
    const p = await refused('cbp-sw-encounters', 'sbo-encounters.csv', HTML);
    expect(p.line).toBe(1);
    expect(p.expected).toMatch(/header column/);
  });

  it('a file cut in the middle of a row is refused at that row', async () => {
    const [head, ...body] = lines();
    const p = await refused('cbp-sw-encounters', 'sbo-cut.csv', `${head}\n${body.slice(0, 30).join('\n')}\n${(body[30] ?? '').slice(0, 15)}`);
    expect(p.line).toBe(32);
    expect(p.expected).toMatch(/fields on every line|quoted/);
  });
});

describe('cbp-drug-seizures (CSV): a file cut in the middle of a row', () => {
  it('is refused at that row', async () => {
    const [head, ...body] = gunzipSync(readFileSync(bundled('cbp-drug-seizures'))).toString('utf8').split(/\r?\n/);
    const p = await refused('cbp-drug-seizures', 'drugs-cut.csv', `${head}\n${body.slice(0, 30).join('\n')}\n${(body[30] ?? '').slice(0, 20)}`);
    expect(p.line).toBe(32);
    expect(p.expected).toMatch(/fields on every line|quoted/);
  });
});

describe('workbooks: the wrong sheet, an HTML page saved as .xlsx, and (ENPOL) every class', () => {
  /** The bundled workbook with one edit, written by exceljs. */
  async function edited(source: string, edit: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(bundled(source));
    edit(wb);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const renameSheet = (from: string, to: string) => (wb: ExcelJS.Workbook) => {
    const sheet = wb.getWorksheet(from);
    if (!sheet) throw new Error(`no sheet ${from}`);
    sheet.name = to;
  };

  for (const [source, sheet] of [['secondary-guardia-nacional-2020', 'Hoja1'], ['secondary-enpol-torture', 'Sheet1']] as const) {
    it(`${source}: a workbook whose sheet is not "${sheet}" is refused naming the sheet it expected and those it has`, async () => {
      const content = await edited(source, renameSheet(sheet, 'Datos'));
      const p = await refused(source, `${source}-sheet.xlsx`, content);
      expect(p.sheet).toBe(sheet);
      expect(p.expected).toContain(`a sheet named "${sheet}"`);
      expect(p.expected).toContain('"Datos"');
    });
  }

  for (const source of ['ohss-usbp-encounters', 'secondary-enpol-torture', 'secondary-guardia-nacional-2021']) {
    it(`${source}: an HTML error page saved as .xlsx is refused as not a workbook`, async () => {
      const p = await refused(source, `${source}-page.xlsx`, HTML);
      expect(p.line).toBeUndefined();
      expect(p.expected).toMatch(/\.xlsx workbook/);
    });
  }

  it('secondary-enpol-torture: a renamed column is refused at its header cell', async () => {
    const content = await edited('secondary-enpol-torture', (wb) => {
      const s = wb.getWorksheet('Sheet1');
      if (!s) throw new Error('Sheet1');
      s.getCell('A1').value = 'Estado';
    });
    const p = await refused('secondary-enpol-torture', 'enpol-renamed.xlsx', content);
    expect(p).toMatchObject({ sheet: 'Sheet1', cell: 'A1', line: 1, column: 'Estado_arresto', value: 'Estado' });
  });

  it('secondary-enpol-torture: a share written as text "1,234" is refused at its cell', async () => {
    const content = await edited('secondary-enpol-torture', (wb) => {
      const s = wb.getWorksheet('Sheet1');
      if (!s) throw new Error('Sheet1');
      s.getCell('B3').value = '1,234';
    });
    const p = await refused('secondary-enpol-torture', 'enpol-text.xlsx', content);
    expect(p).toMatchObject({ sheet: 'Sheet1', cell: 'B3', line: 3, value: '1,234' });
  });

  it('secondary-enpol-torture: a truncated workbook is refused whole', async () => {
    const whole = readFileSync(bundled('secondary-enpol-torture'));
    const p = await refused('secondary-enpol-torture', 'enpol-truncated.xlsx', whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(p.line).toBeUndefined();
    expect(p.expected).toMatch(/truncated or damaged|complete \.xlsx workbook/);
  });
});
