import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryIndicator } from '../analytics/index.js';
import { bundledDataPath } from '../catalog/index.js';
import { InputError, type QueryParams } from '../domain/index.js';
import { storeFingerprint, tempStore, type TempStore } from '../test-support/temp-store.js';
import { importFile } from './pipeline.js';
import { ADAPTERS } from './sources/index.js';

const adapter = (id: string) => {
  const a = ADAPTERS[id];
  if (!a) throw new Error(`no adapter ${id}`);
  return a;
};
const OLD_SEIZURES = bundledDataPath('border/nationwide-drugs-fy19-fy22.csv.gz');
const NEW_SEIZURES = bundledDataPath('border/nationwide-drugs-fy23-fy26-dec.csv.gz');
const ENCOUNTERS = bundledDataPath('border/sbo-encounters-fy22-fy25-aug.csv.gz');
const WORKBOOK = bundledDataPath('border/KHSM Encounters (USBP) fy25m11.xlsx');

const csvText = (path: string) => gunzipSync(readFileSync(path)).toString('utf8');
const csvRows = (path: string) => parse(csvText(path), { columns: true }) as Record<string, string>[];

/** Fiscal-year sums computed straight from the published file (csv-parse), independently of Observa's pipeline. */
function fentanylByFiscalYear(region: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const path of [OLD_SEIZURES, NEW_SEIZURES]) {
    for (const r of csvRows(path)) {
      if (r['Drug Type'] !== 'Fentanyl' || (region !== null && r['Region'] !== region)) continue;
      const fy = `FY${(r['FY'] ?? '').slice(0, 4)}`;
      out.set(fy, (out.get(fy) ?? 0) + Number(r['Sum Qty (lbs)']));
    }
  }
  return out;
}

const query = (t: TempStore, p: Partial<QueryParams> & { indicator: string }) =>
  queryIndicator(t.store, { geo: ['US-SWB'], from: null, to: null, freq: 'fy', by: null, lang: 'en', asOf: null, ...p });

async function refused(t: TempStore, source: string, path: string): Promise<InputError> {
  const before = await storeFingerprint(t.store);
  const error = await importFile(t.store, adapter(source), path).catch((e: unknown) => e);
  expect(error, path).toBeInstanceOf(InputError);
  expect(await storeFingerprint(t.store)).toBe(before);
  return error as InputError;
}

describe('U.S. border files: CBP drug seizures, CBP southwest-border encounters, OHSS Border Patrol workbook', () => {
  let t: TempStore;
  beforeAll(async () => {
    t = await tempStore();
    await importFile(t.store, adapter('cbp-drug-seizures'), OLD_SEIZURES);
    await importFile(t.store, adapter('cbp-drug-seizures'), NEW_SEIZURES);
    await importFile(t.store, adapter('cbp-sw-encounters'), ENCOUNTERS);
    await importFile(t.store, adapter('ohss-usbp-encounters'), WORKBOOK);
  }, 120_000);
  afterAll(async () => t.cleanup());

  it('fentanyl seized by fiscal year equals the file summed independently (FY2023: 26,717.8 lb southwest, 27,022.9 lb all regions)', async () => {
    const swb = fentanylByFiscalYear('Southwest Border');
    const all = fentanylByFiscalYear(null);
    expect(Math.round((swb.get('FY2023') ?? 0) * 10) / 10).toBe(26717.8);
    expect(Math.round((all.get('FY2023') ?? 0) * 10) / 10).toBe(27022.9);
    const result = await query(t, { indicator: 'us.border.fentanyl_seized', geo: ['US-SWB', 'US'], from: 'FY2019', to: 'FY2026' });
    for (const [geo, expected] of [['US-SWB', swb], ['US', all]] as const) {
      const rows = result.rows.filter((r) => r.geo === geo);
      expect(rows.map((r) => r.period)).toEqual([...expected.keys()].sort());
      for (const r of rows) expect(r.value, `${geo} ${r.period}`).toBeCloseTo(expected.get(r.period) ?? Number.NaN, 6);
    }
    const fy2026 = result.rows.find((r) => r.geo === 'US-SWB' && r.period === 'FY2026');
    expect(fy2026?.flags).toContain('partial-period');
    expect(fy2026?.months).toBe(3);
    expect(result.rows.filter((r) => r.period !== 'FY2026').every((r) => !r.flags.includes('partial-period'))).toBe(true);
    expect(result.notes.join(' ')).toMatch(/Fiscal years flagged partial-period/);
    // A bare year range means fiscal years when freq=fy.
    const bare = await query(t, { indicator: 'us.border.fentanyl_seized', from: '2019', to: '2026' });
    expect(bare.rows.map((r) => r.period)).toEqual(result.rows.filter((r) => r.geo === 'US-SWB').map((r) => r.period));
  });

  it('rolls the same months up to calendar months and calendar years; a year is complete only with 12 months', async () => {
    const months = await query(t, { indicator: 'us.border.fentanyl_seized', freq: 'month', from: '2025-10', to: '2025-12' });
    expect(months.rows.map((r) => r.period)).toEqual(['2025-10', '2025-11', '2025-12']);
    const dec = csvRows(NEW_SEIZURES).filter((r) => r['FY'] === '2026 (FYTD)' && r['Month (abbv)'] === 'DEC' && r['Region'] === 'Southwest Border' && r['Drug Type'] === 'Fentanyl');
    expect(months.rows[2]?.value).toBeCloseTo(dec.reduce((s, r) => s + Number(r['Sum Qty (lbs)']), 0), 6);
    const years = await query(t, { indicator: 'us.border.fentanyl_seized', freq: 'year', from: '2018', to: '2025' });
    const flagged = Object.fromEntries(years.rows.map((r) => [r.period, r.flags.includes('partial-period')]));
    // The files start in October 2018 and end in December 2025.
    expect(flagged).toEqual({ '2018': true, '2019': false, '2020': false, '2021': false, '2022': false, '2023': false, '2024': false, '2025': false });
  });

  it('breaks seizures down by drug and by component; areas roll up into their region', async () => {
    const byDrug = await query(t, { indicator: 'us.border.fentanyl_seized', by: 'drug', from: 'FY2023', to: 'FY2023' });
    const meth = csvRows(NEW_SEIZURES).filter((r) => r['FY'] === '2023' && r['Region'] === 'Southwest Border' && r['Drug Type'] === 'Methamphetamine');
    expect(byDrug.rows.find((r) => r.dimension === 'Methamphetamine')?.value).toBeCloseTo(meth.reduce((s, r) => s + Number(r['Sum Qty (lbs)']), 0), 6);
    const byComponent = await query(t, { indicator: 'us.border.fentanyl_seized', by: 'component', from: 'FY2023', to: 'FY2023' });
    const total = byComponent.rows.reduce((s, r) => s + (r.value ?? 0), 0);
    expect(byComponent.rows.map((r) => r.dimension)).toEqual(['OFO', 'USBP']);
    expect(Math.round(total * 10) / 10).toBe(26717.8);
    const tucson = await query(t, { indicator: 'us.border.seizure_events', geo: ['US-SWB-USBP-TCA', 'US-SWB-OFO-TUC'], from: 'FY2023', to: 'FY2023' });
    const events = (aor: string) => csvRows(NEW_SEIZURES).filter((r) => r['FY'] === '2023' && r['Area of Responsibility'] === aor).reduce((s, r) => s + Number(r['Count of Event']), 0);
    expect(tucson.rows.map((r) => [r.geo, r.value])).toEqual([['US-SWB-USBP-TCA', events('TUCSON SECTOR')], ['US-SWB-OFO-TUC', events('TUCSON FIELD OFFICE')]]);
  });

  it('southwest-border encounters: FY2023 = 2,475,669 (OFO + USBP), by citizenship and component', async () => {
    const rows = csvRows(ENCOUNTERS);
    const sum = (pred: (r: Record<string, string>) => boolean) => rows.filter(pred).reduce((s, r) => s + Number(r['Encounter Count']), 0);
    expect(sum((r) => r['Fiscal Year'] === '2023')).toBe(2475669);
    const result = await query(t, { indicator: 'us.border.encounters', from: 'FY2022', to: 'FY2025' });
    expect(result.rows.map((r) => [r.period, r.value, r.flags.includes('partial-period')])).toEqual([
      ['FY2022', 2378944, false], ['FY2023', 2475669, false], ['FY2024', 2135005, false], ['FY2025', 432059, true],
    ]);
    const byCitizenship = await query(t, { indicator: 'us.border.encounters', by: 'citizenship', from: 'FY2023', to: 'FY2023' });
    expect(byCitizenship.rows.find((r) => r.dimension === 'Mexico')?.value).toBe(sum((r) => r['Fiscal Year'] === '2023' && r['Citizenship Grouping'] === 'Mexico'));
    const byComponent = await query(t, { indicator: 'us.border.encounters', by: 'component', from: 'FY2023', to: 'FY2023' });
    expect(byComponent.rows.find((r) => r.dimension === 'OFO')?.value).toBe(sum((r) => r['Fiscal Year'] === '2023' && r['Component'] === 'Office of Field Operations'));
  });

  it('OHSS workbook: Border Patrol encounters at the southwest border equal the sheet summed with exceljs', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(WORKBOOK);
    const expected = new Map<string, number>();
    wb.getWorksheet('Monthly Rgn and Citp')?.eachRow((row, n) => {
      const [, fy, , region, , quantity] = row.values as unknown[];
      if (n > 1 && region === 'Southwest Land Border') expected.set(`FY${String(fy)}`, (expected.get(`FY${String(fy)}`) ?? 0) + Number(quantity));
    });
    expect(expected.get('FY2023')).toBe(2045940);
    const result = await query(t, { indicator: 'us.border.usbp_encounters' });
    expect(new Map(result.rows.map((r) => [r.period, r.value]))).toEqual(expected);
    // The sheets end in November 2024: FY2025 holds two months.
    expect(result.rows.at(-1)).toMatchObject({ period: 'FY2025', months: 2, flags: ['partial-period'] });
  });

  it('a newer CBP file supersedes the months it shares with an older one, and only those', async () => {
    const s = await tempStore();
    try {
      const first = await importFile(s.store, adapter('cbp-drug-seizures'), NEW_SEIZURES);
      const decBefore = (await query(s, { indicator: 'us.border.fentanyl_seized', freq: 'month', from: '2025-12', to: '2025-12' })).rows[0]?.value ?? Number.NaN;
      // A later release (suffix -jan): one December 2025 value revised, January 2026 added, everything else the same.
      const lines = csvText(NEW_SEIZURES).trimEnd().split('\n');
      const header = lines[0] ?? '';
      const target = lines.findIndex((l) => l.startsWith('2026 (FYTD),DEC,U.S. Border Patrol,Southwest Border') && l.includes(',Fentanyl,'));
      expect(target).toBeGreaterThan(0);
      const fields = (lines[target] ?? '').split(',');
      const before = Number(fields[8]);
      fields[8] = String(before + 100);
      const revised = [header, ...lines.slice(1).map((l, i) => (i + 1 === target ? fields.join(',') : l)),
        '2026 (FYTD),JAN,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Fentanyl,2,10.5'];
      const path = join(s.dir, 'nationwide-drugs-fy23-fy26-jan.csv');
      writeFileSync(path, `${revised.join('\n')}\n`);
      const dry = await importFile(s.store, adapter('cbp-drug-seizures'), path, { dryRun: true });
      expect(dry.revision).toMatchObject({ added: 2, changed: 1, removed: 0 });
      const second = await importFile(s.store, adapter('cbp-drug-seizures'), path);
      expect(second.status).toBe('new');
      const [superseded] = await s.store.all<{ n: number }>(`SELECT count(*)::INT AS n FROM observation WHERE release_id = ? AND superseded_by = ?`, [first.releaseId, second.releaseId]);
      expect(superseded?.n).toBe(first.observations);
      const fy2026 = await query(s, { indicator: 'us.border.fentanyl_seized', from: 'FY2026', to: 'FY2026' });
      const dec = await query(s, { indicator: 'us.border.fentanyl_seized', freq: 'month', from: '2025-12', to: '2025-12' });
      expect(fy2026.rows[0]?.months).toBe(4);
      expect(dec.rows[0]?.flags).toContain('revised');
      expect((dec.rows[0]?.value ?? 0) - decBefore).toBeCloseTo(100, 6);
    } finally {
      await s.cleanup();
    }
  });

  it('refuses hostile CBP files with file, line, column and what was expected; the store is unchanged', async () => {
    const header = 'FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)';
    const write = (name: string, text: string) => {
      const path = join(t.dir, name);
      writeFileSync(path, text);
      return path;
    };
    const thousands = await refused(t, 'cbp-drug-seizures', write('thousands.csv', `${header}\n2024,JAN,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Fentanyl,1,"1,234.5"\n`));
    expect(thousands.message).toContain('thousands.csv, line 2, column "Sum Qty (lbs)": found "1,234.5"; expected a non-negative number of pounds');
    const renamed = await refused(t, 'cbp-drug-seizures', write('renamed.csv', `${header.replace('Drug Type', 'Drug')}\n2024,JAN,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,Fentanyl,1,1\n`));
    expect(renamed.message).toContain('renamed.csv, line 1, column "Drug Type": found "Drug"; expected header column 7 to be "Drug Type"');
    const html = await refused(t, 'cbp-drug-seizures', write('nationwide-drugs.csv', '<!DOCTYPE html>\n<html><head><title>Access Denied</title></head><body>Error</body></html>\n'));
    expect(html.problems[0]).toMatchObject({ file: 'nationwide-drugs.csv', line: 1, column: 'FY', value: '<!DOCTYPE html>' });
    const amo = await refused(t, 'cbp-drug-seizures', bundledAmoSample(t));
    expect(amo.message).toContain('this is the Air and Marine Operations file (column "Branch")');
    const amoRows = await refused(t, 'cbp-drug-seizures', write('amo-rows.csv', `${header}\n2024,JAN,Air and Marine Operations,Southwest Border,Other,TUCSON SECTOR,Fentanyl,1,1\n`));
    expect(amoRows.message).toContain('column "Component": found "Air and Marine Operations"; expected one of "Office of Field Operations", "U.S. Border Patrol" (Air and Marine Operations seizures are a separate file');
    const unknownArea = await refused(t, 'cbp-drug-seizures', write('area.csv', `${header}\n2024,JAN,U.S. Border Patrol,Southwest Border,Land Only,MARFA SECTOR,Fentanyl,1,1\n`));
    expect(unknownArea.problems[0]).toMatchObject({ line: 2, column: 'Area of Responsibility', value: 'CBP area "MARFA SECTOR" in region "Southwest Border"' });
    const encHeader = 'Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,Title of Authority,Encounter Type,Encounter Count';
    const count = await refused(t, 'cbp-sw-encounters', write('sbo.csv', `${encHeader}\n2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,"1,234"\n`));
    expect(count.message).toContain('sbo.csv, line 2, column "Encounter Count": found "1,234"; expected a non-negative whole number written with digits only');
    const month = await refused(t, 'cbp-sw-encounters', write('sbo-month.csv', `${encHeader}\n2023,FYTD,October,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,5\n`));
    expect(month.problems[0]).toMatchObject({ line: 2, column: 'Month (abbv)', value: 'October' });
  });

  it('refuses hostile OHSS workbooks with sheet and cell; the store is unchanged', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(WORKBOOK);
    const sheet = wb.getWorksheet('Monthly Rgn and Citp');
    if (!sheet) throw new Error('sheet missing');
    sheet.name = 'Monthly Region and Citizenship';
    const wrongSheet = join(t.dir, 'wrong-sheet.xlsx');
    await wb.xlsx.writeFile(wrongSheet);
    const e1 = await refused(t, 'ohss-usbp-encounters', wrongSheet);
    expect(e1.message).toContain('sheet "Monthly Rgn and Citp"; expected a sheet named "Monthly Rgn and Citp" (the workbook has "Annual Count"');
    sheet.name = 'Monthly Rgn and Citp';
    sheet.getCell('D1').value = 'Country';
    sheet.getCell('E14').value = '1,234';
    const renamed = join(t.dir, 'renamed.xlsx');
    await wb.xlsx.writeFile(renamed);
    const e2 = await refused(t, 'ohss-usbp-encounters', renamed);
    expect(e2.message).toContain('renamed.xlsx, sheet "Monthly Rgn and Citp", cell D1, column "Citizenship": found "Country"; expected header "Citizenship" in column D');
    sheet.getCell('D1').value = 'Citizenship';
    const text = join(t.dir, 'text-quantity.xlsx');
    await wb.xlsx.writeFile(text);
    const e3 = await refused(t, 'ohss-usbp-encounters', text);
    expect(e3.problems[0]).toMatchObject({ sheet: 'Monthly Rgn and Citp', cell: 'E14', line: 14, column: 'Quantity', value: '1,234' });
    expect(e3.message).toContain('sheet "Monthly Rgn and Citp", cell E14, column "Quantity": found "1,234"; expected a non-negative whole number');
    const truncated = join(t.dir, 'truncated.xlsx');
    const whole = readFileSync(WORKBOOK);
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const e4 = await refused(t, 'ohss-usbp-encounters', truncated);
    expect(e4.message).toMatch(/^truncated\.xlsx; expected a complete \.xlsx workbook; it could not be opened/);
    const csv = await refused(t, 'ohss-usbp-encounters', ENCOUNTERS);
    expect(csv.message).toContain('expected an .xlsx workbook (a ZIP archive starting with "PK")');
  }, 120_000);
});

/** An Air and Marine Operations file as CBP publishes it (header and first rows of the real one). */
function bundledAmoSample(t: TempStore): string {
  const path = join(t.dir, 'amo-drug-seizures-fy23-fy26-dec.csv');
  writeFileSync(path, [
    'FY,Month (abbv),Component,Region,Land Filter,Branch,Drug Type,Count of Event,Sum Qty (lbs)',
    '2026 (FYTD),DEC,Air and Marine Operations,Coastal/Interior,Other,Caribbean Air And Marine Branch,Cocaine,1,1702.83',
    '2026 (FYTD),DEC,Air and Marine Operations,Coastal/Interior,Other,Ground Tactical Air Controller,Cocaine,1,43.78',
  ].join('\n'));
  return path;
}
