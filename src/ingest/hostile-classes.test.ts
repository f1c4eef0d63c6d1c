import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, constants as zlib, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, type InputProblem } from '../domain/index.js';
import { SESNSP_HEADER, sampleRows, sesnspRow } from '../test-support/sesnsp-fixture.js';
import { storeFingerprint, tempStore, type TempStore } from '../test-support/temp-store.js';
import { importFile } from './pipeline.js';
import { ADAPTERS, BUNDLED_FILES } from './sources/index.js';
import { bundledDataPath } from '../catalog/index.js';
import type { CsvAdapter } from './adapter.js';

/**
 * Classes of hostile files (issue 12) that DuckDB's reader either accepted or located wrongly: each file is refused
 * with its line (or a whole-file reason), and the store stays byte-identical.
 */
const adapter = (id: string): CsvAdapter => {
  const found = ADAPTERS[id];
  if (!found) throw new Error(`no adapter ${id}`);
  return found;
};
const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
const csvLines = (rows: readonly (readonly string[])[], header: readonly string[] = SESNSP_HEADER) => [header, ...rows].map((r) => r.map(quote).join(','));
const text = (lines: readonly string[]) => `${lines.join('\n')}\n`;
/** Enough distinct rows for a file of any size (one row per year × state × age group). */
const manyRows = (n: number, age = 'Adultos (18 y más)') =>
  Array.from({ length: n }, (_, i) => sesnspRow({ year: 2015 + (i % 10), state: 1 + (Math.floor(i / 10) % 32), stateName: 'X', age: `${age} ${Math.floor(i / 320)}` }));

let t: TempStore;
let before: string;
beforeAll(async () => {
  t = await tempStore();
  const good = join(t.dir, 'good.csv');
  writeFileSync(good, text(csvLines(sampleRows())));
  await importFile(t.store, adapter('sesnsp-victims-state'), good);
  before = await storeFingerprint(t.store);
});
afterAll(async () => t.cleanup());

async function refused(source: string, name: string, content: Buffer | string): Promise<InputProblem> {
  const path = join(t.dir, name);
  writeFileSync(path, content);
  const error = await importFile(t.store, adapter(source), path).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(await storeFingerprint(t.store)).toBe(before);
  const [first] = (error as InputError).problems;
  expect(first?.file).toBe(name);
  return first as InputProblem;
}
const sesnsp = (name: string, content: Buffer | string) => refused('sesnsp-victims-state', name, content);

describe('bytes no table row has', () => {
  it('a NUL byte after the first 4 KiB is refused at its line and column, not stored in a category', async () => {
    const rows = manyRows(60);
    rows[49] = sesnspRow({ modality: 'Con \u0000otro elemento' });
    const lines = csvLines(rows);
    expect(lines.slice(0, 50).join('\n').length).toBeGreaterThan(4096);
    const p = await sesnsp('nul-late.csv', text(lines));
    expect(p).toMatchObject({ line: 51, column: 'Modalidad' });
    expect(p.expected).toMatch(/NUL/);
  });

  it('a NUL byte on line 3 is reported at line 3, not line 1', async () => {
    const rows = manyRows(5);
    rows[1] = sesnspRow({ stateName: 'Agu\u0000ascalientes' });
    const p = await sesnsp('nul-line3.csv', text(csvLines(rows)));
    expect(p).toMatchObject({ line: 3, column: 'Entidad' });
  });

  it('a line of 1,000,000 fields is refused at once, at its line', async () => {
    const lines = csvLines(manyRows(4));
    lines.splice(2, 0, ','.repeat(1_000_000));
    const p = await sesnsp('wide.csv', text(lines));
    expect(p.line).toBe(3);
    expect(p.expected).toMatch(/at most \d+ comma-separated fields/);
  });
});

describe('two encodings in one file: decoded strictly, never stored as new categories', () => {
  it('UTF-8 rows, then a Latin-1 row: refused at the Latin-1 row', async () => {
    const lines = csvLines(manyRows(6));
    const body = Buffer.concat(lines.map((l, i) => Buffer.from(`${l}\n`, i === 5 ? 'latin1' : 'utf8')));
    const p = await sesnsp('mixed-utf8-first.csv', body);
    expect(p.line).toBe(6);
    expect(p.expected).toMatch(/mixes two encodings/);
  });

  it('Latin-1 rows, then a UTF-8 row ("Adultos (18 y mÃ¡s)" if read as Latin-1): refused at the UTF-8 row', async () => {
    const lines = csvLines(manyRows(6));
    const body = Buffer.concat(lines.map((l, i) => Buffer.from(`${l}\n`, i === 4 ? 'utf8' : 'latin1')));
    const p = await sesnsp('mixed-latin1-first.csv', body);
    expect(p.line).toBe(5);
    expect(p.expected).toMatch(/mixes two encodings/);
    const mojibake = await t.store.all(`SELECT 1 FROM observation WHERE age LIKE '%Ã%' LIMIT 1`);
    expect(mojibake).toEqual([]);
  });

  it('a Latin-1 row after the first MiB of plain UTF-8 is found too', async () => {
    const rows = manyRows(9000, 'Adultos');
    rows.push(sesnspRow({ year: 2014, age: 'Adultos (18 y más)' }));
    const lines = csvLines(rows);
    const body = Buffer.concat([Buffer.from(text(lines.slice(0, -1)), 'utf8'), Buffer.from(`${lines.at(-1)}\n`, 'latin1')]);
    expect(body.length).toBeGreaterThan(1 << 20);
    const p = await sesnsp('mixed-late.csv', body);
    expect(p.line).toBe(lines.length);
  });

  it('a Windows-1252 file for a Latin-1 source is refused at the line of its first Windows-1252 character', async () => {
    const lines = csvLines(manyRows(5));
    lines[3] = (lines[3] as string).replace('Con arma de fuego', '\u201cCon arma de fuego\u201d');
    const p = await sesnsp('cp1252.csv', windows1252(text(lines)));
    expect(p.line).toBe(4);
    expect(p.expected).toMatch(/Windows-1252/);
  });
});

/** Latin-1 bytes, with the typographic quotes at their Windows-1252 code points. */
function windows1252(s: string): Buffer {
  return Buffer.from([...s].map((ch) => ({ '\u201c': 0x93, '\u201d': 0x94 } as Record<string, number>)[ch] ?? (ch.codePointAt(0) as number)));
}

describe('a gzip stream cut short', () => {
  it('a gzip truncated at a line boundary is refused whole, with zlib\'s own message, not imported as 12 of 30 rows', async () => {
    const lines = csvLines(manyRows(30));
    const first12 = Buffer.from(text(lines.slice(0, 13)), 'utf8');
    // A gzip header and a deflate stream flushed after 12 rows, without its final block and trailer.
    const header = gzipSync(Buffer.alloc(0)).subarray(0, 10);
    const cut = Buffer.concat([header, deflateRawSync(first12, { finishFlush: zlib.Z_SYNC_FLUSH })]);
    const p = await refused('sesnsp-victims-state', 'cut.csv.gz', cut);
    expect(p.line).toBeUndefined();
    expect(p.expected).toMatch(/truncated or damaged/);
    expect(p.expected).toMatch(/unexpected end of file/);
  });
});

describe('unbalanced quotes are reported where the quote opened', () => {
  it('a quote opened on line 3 and "closed" by a quote 100 lines later', async () => {
    const lines = csvLines(manyRows(400));
    lines[2] = (lines[2] as string).replace(',X,', ',"X,');
    lines[102] = (lines[102] as string).replace('Con arma de fuego', '"Con arma, de fuego"');
    const p = await sesnsp('quote-closed-late.csv', text(lines));
    expect(p).toMatchObject({ line: 3, column: 'Entidad' });
    expect(p.expected).toMatch(/unbalanced/);
  });

  it('a quote opened on line 3 of a long file and never closed', async () => {
    const lines = csvLines(manyRows(3000));
    lines[2] = (lines[2] as string).replace(',X,', ',"X,');
    const p = await sesnsp('quote-never-closed.csv', text(lines));
    expect(p).toMatchObject({ line: 3, column: 'Entidad' });
    expect(p.expected).toMatch(/unbalanced/);
  });
});

describe('values that contradict each other on one row', () => {
  it('a state code whose name names another state is refused', async () => {
    const rows = sampleRows();
    rows[2] = sesnspRow({ state: 9, stateName: 'Jalisco', modality: 'Con otro elemento' });
    const p = await sesnsp('state-name.csv', text(csvLines(rows)));
    expect(p).toMatchObject({ line: 4, column: 'Entidad', value: 'Jalisco' });
    expect(p.expected).toMatch(/state 09/);
  });

  it('CDC rows whose period end disagrees with their year and month are refused', async () => {
    const header = ['state', 'state_name', 'year', 'month', 'period_end', 'period', 'indicator', 'reported_value', 'predicted_value', 'footnote_symbol'];
    const row = (year: number, month: string, end: string) => ['US', 'United States', String(year), month, end, '12 month-ending', 'Number of Drug Overdose Deaths', '100', '110', ''];
    const p = await refused('cdc-vsrr-overdose', 'cdc-period.csv', text(csvLines([row(2022, 'June', '2022-06'), row(2022, 'August', '2022-07')], header)));
    expect(p).toMatchObject({ line: 3, column: 'period_end', value: '2022-07' });
    expect(p.expected).toMatch(/2022-08/);
  });

  it('a population of 0 is refused (rates would divide by it)', async () => {
    const header = ['n_year', 'nombre_estado', 'cve_ent', 'genero', 'pob_start_year', 'pob_mid_year'];
    const p = await refused('conapo-population-state', 'conapo-zero.csv', text(csvLines([
      ['2020', 'Aguascalientes', '01', 'Hombres', '700000', '0'],
      ['2020', 'Aguascalientes', '01', 'Mujeres', '710000', '720000'],
    ], header)));
    expect(p).toMatchObject({ line: 2, column: 'pob_mid_year', value: '0' });
  });
});

describe('a header repeated inside the file (files concatenated)', () => {
  it('is refused at the repeated line, whatever the source', async () => {
    const lines = csvLines(sampleRows());
    lines.splice(5, 0, lines[0] as string);
    const p = await sesnsp('header-twice.csv', text(lines));
    expect(p.line).toBe(6);
    expect(p.expected).toMatch(/header repeated/);
  });

  it('ForeignAssistance.gov country file: the header again, then its rows again', async () => {
    const header = ['Country Code', 'Country Name', 'Region ID', 'Region Name', 'Income Group Acronym', 'Income Group Name', 'Transaction Type ID', 'Transaction Type Name', 'Fiscal Year', 'current_amount', 'constant_amount'];
    const rows = [['MEX', 'Mexico', '6', 'Western Hemisphere', 'UMIC', 'Upper Middle Income Country', '2', 'Obligations', '2021', '1000', '1100']];
    const lines = [...csvLines(rows, header), ...csvLines(rows, header)];
    const p = await refused('foreignassistance-country', 'fa-twice.csv', text(lines));
    expect(p.line).toBe(3);
    expect(p.expected).toMatch(/header repeated/);
  });

  it('ForeignAssistance.gov country file: a decimal comma is refused, not read as a larger whole number', async () => {
    const header = ['Country Code', 'Country Name', 'Region ID', 'Region Name', 'Income Group Acronym', 'Income Group Name', 'Transaction Type ID', 'Transaction Type Name', 'Fiscal Year', 'current_amount', 'constant_amount'];
    const p = await refused('foreignassistance-country', 'fa-comma.csv', text(csvLines([['MEX', 'Mexico', '6', 'Western Hemisphere', 'UMIC', 'Upper Middle Income Country', '2', 'Obligations', '2021', '1250000,50', '1100']], header)));
    expect(p).toMatchObject({ line: 2, column: 'current_amount', value: '1250000,50' });
  });
});

describe('every CSV source: the whole-file classes, on a sample of its own bundled file', () => {
  const csvSources = BUNDLED_FILES.filter((f) => !f.path.endsWith('.xlsx'));
  const seen = new Set<string>();
  for (const { source, path } of csvSources) {
    if (seen.has(source)) continue;
    seen.add(source);
    const binary = source === 'iom-missing-migrants' ? 'latin1' : 'utf8';
    const gz = path.endsWith('.gz');
    const sample = () => {
      const raw = readFileSync(bundledDataPath(path));
      return (gz ? gunzipSync(raw) : raw).toString(binary).split(/\r?\n/).slice(0, 40);
    };
    const write = (lines: readonly string[]) => {
      const body = Buffer.from(text(lines), binary);
      return gz ? gzipSync(body) : body;
    };
    const name = (kind: string) => `${source}-${kind}.csv${gz ? '.gz' : ''}`;

    it(`${source}: a NUL byte on line 3, a line of 1,000,000 fields on line 4, an unbalanced quote on line 3`, async () => {
      const nul = sample();
      nul[2] = `${nul[2]?.slice(0, 5)}\u0000${nul[2]?.slice(5)}`;
      expect((await refused(source, name('nul'), write(nul))).line).toBe(3);
      const wide = sample();
      wide.splice(3, 0, ','.repeat(1_000_000));
      expect((await refused(source, name('wide'), write(wide))).line).toBe(4);
      const quote = sample();
      quote[2] = (quote[2] as string).replace(',', ',"');
      const p = await refused(source, name('quote'), write(quote));
      expect(p.line).toBe(3);
      expect(p.expected).toMatch(/quote/);
    });

    it(`${source}: rows of two encodings are refused at the first row that is not in the file's encoding`, async () => {
      const ascii = (l: string | undefined) => [...(l ?? '')].filter((ch) => ch.charCodeAt(0) < 128).join('');
      const original = sample();
      const lines = original.map((l) => Buffer.from(`${l}\n`, binary));
      // The accent goes into the first field (unquoted in every source), so the line stays well-formed CSV.
      lines[1] = Buffer.from(`más ${ascii(original[1])}\n`, 'latin1');
      lines[3] = Buffer.from(`más ${ascii(original[3])}\n`, 'utf8');
      const body = Buffer.concat(lines);
      const p = await refused(source, name('mixed'), gz ? gzipSync(body) : body);
      // The first non-ASCII line sets the encoding: a UTF-8 header with accents (Año) makes line 2 the odd one out.
      expect(p.line).toBe(binary === 'utf8' && ascii(original[0]) !== original[0] ? 2 : 4);
      expect(p.expected).toMatch(/mixes two encodings/);
    });

    if (gz) {
      it(`${source}: its gzip cut at a line boundary is refused whole`, async () => {
        const header = gzipSync(Buffer.alloc(0)).subarray(0, 10);
        const cut = Buffer.concat([header, deflateRawSync(Buffer.from(text(sample().slice(0, 13)), binary), { finishFlush: zlib.Z_SYNC_FLUSH })]);
        const p = await refused(source, name('cut'), cut);
        expect(p.line).toBeUndefined();
        expect(p.expected).toMatch(/truncated or damaged.*unexpected end of file/);
      });
    }
  }
});
