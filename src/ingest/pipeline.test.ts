import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, MONTHS_ES } from '../domain/index.js';
import { queryIndicator } from '../analytics/index.js';
import { SESNSP_HEADER, sampleRows, sesnspRow, writeCsv } from '../test-support/sesnsp-fixture.js';
import { observationContent, storeFingerprint, tempStore, type TempStore } from '../test-support/temp-store.js';
import { importFile } from './pipeline.js';
import { ADAPTERS } from './sources/index.js';
import type { CsvAdapter } from './adapter.js';
import { DIMENSION_COLUMNS, type Store, type WriteTx } from '../store/index.js';

const found = ADAPTERS['sesnsp-victims-state'];
if (!found) throw new Error('adapter missing');
const sesnsp: CsvAdapter = found;

describe('SESNSP import: encodings and line endings', () => {
  let a: TempStore;
  let b: TempStore;
  beforeAll(async () => {
    a = await tempStore();
    b = await tempStore();
  });
  afterAll(async () => {
    await a.cleanup();
    await b.cleanup();
  });

  it('gives identical stores for Latin-1/CRLF and UTF-8-BOM/LF versions of the same data', async () => {
    const rows = sampleRows();
    const latin = writeCsv(join(a.dir, 'latin.csv'), rows, { encoding: 'latin-1', eol: '\r\n' });
    const utf = writeCsv(join(b.dir, 'utf.csv'), rows, { encoding: 'utf-8', bom: true, eol: '\n' });
    const s1 = await importFile(a.store, sesnsp, latin);
    const s2 = await importFile(b.store, sesnsp, utf);
    expect(s1.encoding).toBe('latin-1');
    expect(s2.encoding).toBe('utf-8');
    expect(s1.observations).toBe(rows.length * 12);
    expect(await observationContent(a.store)).toBe(await observationContent(b.store));
    // Accented values survive the Latin-1 decoding.
    const subtypes = await a.store.all<{ s: string }>(`SELECT DISTINCT legal_good AS s FROM observation`);
    expect(subtypes.map((r) => r.s)).toEqual(['La vida y la Integridad corporal']);
    const names = await a.store.all<{ n: number }>(`SELECT count(*) AS n FROM observation WHERE age = 'Adultos (18 y más)'`);
    expect(names[0]?.n).toBe(rows.length * 12);
  });
});

describe('SESNSP import: releases, idempotency, revisions, dry runs', () => {
  let t: TempStore;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(async () => t.cleanup());

  it('imports a file once; the same file again changes nothing', async () => {
    const file = writeCsv(join(t.dir, 'v1.csv'), sampleRows());
    const first = await importFile(t.store, sesnsp, file);
    expect(first.status).toBe('new');
    const before = await storeFingerprint(t.store);
    const again = await importFile(t.store, sesnsp, file);
    expect(again.status).toBe('unchanged');
    expect(again.releaseId).toBe(first.releaseId);
    expect(await storeFingerprint(t.store)).toBe(before);
  });

  it('a store with only victims loaded answers counts, and rates without a population say so', async () => {
    const base = { geo: ['09'], from: '2020', to: '2020', freq: 'year' as const, by: null, lang: 'en' as const, asOf: null };
    const count = await queryIndicator(t.store, { ...base, indicator: 'mx.homicide.victims' });
    expect(count.rows[0]?.value).toBeGreaterThan(0);
    const rate = await queryIndicator(t.store, { ...base, indicator: 'mx.homicide.rate' });
    expect(rate.rows[0]).toMatchObject({ value: null, denominator: null, numerator: count.rows[0]?.value });
  });

  it('a dry run reports the revision and writes nothing', async () => {
    const before = await storeFingerprint(t.store);
    const file = writeCsv(join(t.dir, 'v2-dry.csv'), sampleRows((s, y, i) => ((s * 7 + y + i) % 13) + (s === 9 && y === 2021 ? 1 : 0)));
    const dry = await importFile(t.store, sesnsp, file, { dryRun: true });
    expect(dry.status).toBe('dry-run');
    expect(dry.releaseId).toBeNull();
    // CDMX 2021: 4 rows × 12 months each up by one.
    expect(dry.revision).toMatchObject({ changed: 48, added: 0, removed: 0, netChange: 48, absoluteChange: 48 });
    expect(await storeFingerprint(t.store)).toBe(before);
  });

  it('a changed file becomes a new release with a revision summary; the old values stay queryable as of before', async () => {
    const [{ imported_at: firstImport } = { imported_at: '' }] = await t.store.all<{ imported_at: string }>(
      `SELECT strftime(imported_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS imported_at FROM release ORDER BY id LIMIT 1`,
    );
    const file = writeCsv(join(t.dir, 'v2.csv'), sampleRows((s, y, i) => ((s * 7 + y + i) % 13) + (s === 9 && y === 2021 ? 1 : 0)));
    const later = new Date(Date.parse(firstImport) + 60_000);
    const summary = await importFile(t.store, sesnsp, file, { now: () => later });
    expect(summary.status).toBe('new');
    expect(summary.revision.changed).toBe(48);
    expect(summary.revision.largestChanges[0]).toMatchObject({ series: 'sesnsp.victims', geo: '09', year: 2021 });
    const releases = await t.store.all<{ n: number }>(`SELECT count(*) AS n FROM release`);
    expect(releases[0]?.n).toBe(2);

    const params = { indicator: 'mx.homicide.victims', geo: ['09'], from: '2021', to: '2021', freq: 'year' as const, by: null, lang: 'en' as const };
    const now = await queryIndicator(t.store, { ...params, asOf: null });
    const then = await queryIndicator(t.store, { ...params, asOf: new Date(Date.parse(firstImport) + 1000).toISOString() });
    expect(now.rows[0]?.value).toBe((then.rows[0]?.value ?? 0) + 48);
    expect(now.rows[0]?.flags).toContain('revised');
    expect(then.rows[0]?.flags).not.toContain('revised');
    expect(now.rows[0]?.release_ids).toEqual([summary.releaseId]);
    // Unchanged values keep their first release and carry no revision flag.
    const cdmx2020 = await queryIndicator(t.store, { ...params, from: '2020', to: '2020', asOf: null });
    expect(cdmx2020.rows[0]?.flags).toEqual([]);
    // Exactly the changed values carry the flag (it is written with the rows, not set by an UPDATE afterwards).
    const [flagged] = await t.store.all<{ n: number }>(
      `SELECT count(*) AS n FROM observation WHERE release_id = ? AND list_contains(flags, 'revised')`, [summary.releaseId],
    );
    expect(Number(flagged?.n)).toBe(summary.revision.changed);
  });
});

describe('the revision match in passes', () => {
  /** The periods of each pass the import runs (`s.period BETWEEN …` of each INSERT into `revision_match`). */
  const passRanges: string[] = [];
  const recording = (tx: WriteTx): WriteTx => ({
    ...tx,
    run: (sql, params) => {
      const range = /^INSERT INTO revision_match[\s\S]*?s\.period BETWEEN '([^']+)' AND '([^']+)'/.exec(sql);
      if (range) passRanges.push(`${range[1]}..${range[2]}`);
      return tx.run(sql, params);
    },
  });
  /** The store, its import sessions' statements recorded (a real store: only `run` is looked at on its way). */
  const recordingPasses = (store: Store): Store => ({
    dialect: store.dialect, location: store.location, readTimeoutMs: store.readTimeoutMs,
    get generation() { return store.generation; },
    all: (sql, params) => store.all(sql, params),
    write: (work) => store.write((tx) => work(recording(tx))),
    session: (work) => store.session((tx) => work({ ...recording(tx), transaction: (inner, options) => tx.transaction((w) => inner(recording(w)), options) })),
    close: () => store.close(),
  });

  it('matching range by range of periods gives the same release, revision and store as one join', async () => {
    const one = await tempStore();
    const passes = await tempStore();
    try {
      const v1 = writeCsv(join(one.dir, 'v1.csv'), sampleRows());
      // Values revised (Mexico City 2021: 48; Michoacán's Januaries: 8, one of them in a row no longer carried), and
      // Aguascalientes 2020 (48 values) and Michoacán's 2021 femicides (12) no longer carried.
      const v2 = writeCsv(join(one.dir, 'v2.csv'), sampleRows((s, y, i) => ((s * 7 + y + i) % 13) + (s === 9 && y === 2021 ? 1 : 0) + (s === 16 && i === 0 ? 2 : 0))
        .filter((row) => !(row[0] === '2020' && row[1] === '1') && !(row[0] === '2021' && row[1] === '16' && row.includes('Feminicidio'))));
      const now = () => new Date('2026-01-01T00:00:00Z');
      const summaries = [];
      for (const [t, matchPassRows] of [[one, undefined], [passes, 30]] as const) {
        await importFile(t.store, sesnsp, v1, { now });
        summaries.push(await importFile(matchPassRows ? recordingPasses(t.store) : t.store, sesnsp, v2, { now, ...(matchPassRows ? { matchPassRows } : {}) }));
      }
      const [whole, inPasses] = summaries;
      // The first release: 24 months of 12 rows each, so passes of at most 30 rows join two months at a time.
      expect(passRanges).toEqual([
        '2020-01..2020-02', '2020-03..2020-04', '2020-05..2020-06', '2020-07..2020-08', '2020-09..2020-10', '2020-11..2020-12',
        '2021-01..2021-02', '2021-03..2021-04', '2021-05..2021-06', '2021-07..2021-08', '2021-09..2021-10', '2021-11..2021-12',
      ]);
      expect(whole?.revision).toMatchObject({ changed: 55, removed: 60, added: 0 });
      // The largest changes as one join of the two releases' values, grouped by series, place and year, gives them: the
      // sums over every value both carry, changed or not (Michoacán's years mix both), none over what v2 dropped
      // (Michoacán 2021 has some).
      const [first = 0, second = 0] = (await one.store.all<{ id: number }>(`SELECT id FROM release ORDER BY id`)).map((r) => r.id);
      const joined = await one.store.all(
        `SELECT o.series, o.geo, o.year, sum(o.value) AS before, sum(n.value) AS after
         FROM observation o JOIN observation n USING (series, geo, period, ${DIMENSION_COLUMNS.join(', ')})
         WHERE o.release_id = ? AND n.release_id = ? GROUP BY o.series, o.geo, o.year HAVING sum(o.value) <> sum(n.value)
         ORDER BY abs(sum(n.value) - sum(o.value)) DESC, o.series, o.geo, o.year LIMIT 10`,
        [first, second],
      );
      expect(joined.map((g) => g.geo)).toEqual(['09', '16', '16']);
      expect(whole?.revision.largestChanges).toEqual(joined);
      expect(inPasses?.revision).toEqual(whole?.revision);
      expect(await storeFingerprint(passes.store)).toBe(await storeFingerprint(one.store));
    } finally {
      await one.cleanup();
      await passes.cleanup();
    }
  });
});

/** Each hostile file must fail with file, line, column and expectation, and leave the store exactly as it was. */
describe('SESNSP import: hostile files', () => {
  let t: TempStore;
  let before: string;
  beforeAll(async () => {
    t = await tempStore();
    await importFile(t.store, sesnsp, writeCsv(join(t.dir, 'good.csv'), sampleRows()));
    before = await storeFingerprint(t.store);
  });
  afterAll(async () => t.cleanup());

  async function rejects(name: string, content: Buffer | string): Promise<InputError> {
    const path = join(t.dir, name);
    writeFileSync(path, content);
    const error = await importFile(t.store, sesnsp, path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(await storeFingerprint(t.store)).toBe(before);
    const e = error as InputError;
    expect(e.message).toContain(name);
    return e;
  }
  const csv = (rows: string[][], header: readonly string[] = SESNSP_HEADER) =>
    [header, ...rows].map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\n') + '\n';

  it('wrong encoding (UTF-16)', async () => {
    const e = await rejects('utf16.csv', Buffer.from(`\ufeff${csv([sesnspRow()])}`, 'utf16le'));
    expect(e.message).toMatch(/UTF-16/);
  });

  it('bytes of another encoding inside a UTF-8 file', async () => {
    const good = csv(Array.from({ length: 3 }, () => sesnspRow()).map((r, i) => { r[0] = String(2022 + i); return r; }));
    const bad = Buffer.concat([Buffer.from(good, 'utf8'), Buffer.from('2030,1,Aguascalientes,La vida y la Integridad corporal,Homicidio,Homicidio doloso,Con arma de fuego,Hombre,Adultos (18 y m\xe1s),1,1,1,1,1,1,1,1,1,1,1,1\n', 'latin1')]);
    // The sample decides UTF-8 only if the whole sample is valid; an invalid byte anywhere in it makes the file Latin-1,
    // so put the bad row beyond the sample to exercise DuckDB's own check.
    const padded = Buffer.concat([Buffer.from(csv(Array.from({ length: 12000 }, (_, i) => sesnspRow({ year: 1900 + (i % 199), state: (i % 32) + 1, age: `g${i}` }))), 'utf8'), bad.subarray(Buffer.byteLength(csv([]), 'utf8'))]);
    const e = await rejects('mixed.csv', padded);
    expect(e.problems[0]?.line).toBeGreaterThan(12000);
    expect(e.message).toMatch(/utf-8/i);
  });

  it('a year in the future (2099) is refused at its line and column', async () => {
    const e = await rejects('future.csv', csv([sesnspRow({ year: 2021 }), sesnspRow({ year: 2099 })]));
    expect(e.problems[0]).toMatchObject({ line: 3, column: 'Año', value: '2099' });
    expect(e.problems[0]?.expected).toMatch(/between 1900 and \d{4}/);
  });

  it('missing column', async () => {
    const header = SESNSP_HEADER.filter((h) => h !== 'Modalidad');
    const rows = [sesnspRow()].map((r) => r.filter((_, i) => i !== 6));
    const e = await rejects('missing.csv', csv(rows, header));
    expect(e.problems[0]).toMatchObject({ line: 1, column: 'Modalidad' });
  });

  it('renamed column', async () => {
    const header = SESNSP_HEADER.map((h) => (h === 'Clave_Ent' ? 'Cve. Entidad' : h));
    const e = await rejects('renamed.csv', csv([sesnspRow()], header));
    expect(e.problems).toEqual([expect.objectContaining({ line: 1, column: 'Clave_Ent', value: 'Cve. Entidad' })]);
    expect(e.message).toContain('renamed or missing');
  });

  it('non-numeric count', async () => {
    const e = await rejects('text-count.csv', csv([sesnspRow(), sesnspRow({ sex: 'Mujer', months: [1, 2, 'n.d.', 4, 5, 6, 7, 8, 9, 10, 11, 12] })]));
    expect(e.problems[0]).toMatchObject({ line: 3, column: 'Marzo', value: 'n.d.' });
  });

  it('thousands separators', async () => {
    const e = await rejects('thousands.csv', csv([sesnspRow({ months: ['1,234', 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] })]));
    expect(e.problems[0]).toMatchObject({ line: 2, column: 'Enero', value: '1,234' });
    expect(e.message).toContain('thousands separators');
  });

  it('negative values', async () => {
    const e = await rejects('negative.csv', csv([sesnspRow({ months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -3] })]));
    expect(e.problems[0]).toMatchObject({ line: 2, column: 'Diciembre', value: '-3' });
  });

  it('duplicate keys', async () => {
    const e = await rejects('duplicates.csv', csv([sesnspRow(), sesnspRow({ sex: 'Mujer' }), sesnspRow()]));
    expect(e.problems[0]).toMatchObject({ line: 4 });
    expect(e.message).toContain('repeats line 2');
  });

  it('unknown state codes', async () => {
    const e = await rejects('state33.csv', csv([sesnspRow(), sesnspRow({ state: 33, stateName: 'Atlantis' })]));
    expect(e.problems[0]).toMatchObject({ line: 3, column: 'Clave_Ent', value: '33' });
  });

  it('truncated file (cut in the middle of a line)', async () => {
    const full = csv([sesnspRow(), sesnspRow({ sex: 'Mujer' })]);
    const e = await rejects('truncated.csv', full.slice(0, full.length - 12));
    expect(e.problems[0]).toMatchObject({ line: 3 });
    expect(e.message).toMatch(/21 fields/);
  });

  it('truncated inside a quoted field', async () => {
    const e = await rejects('truncated-quote.csv', `${csv([sesnspRow()])}2020,1,"Aguascal`);
    expect(e.problems[0]?.line).toBe(3);
  });

  it('empty file', async () => {
    const e = await rejects('empty.csv', '');
    expect(e.message).toContain('empty');
  });

  it('header only', async () => {
    const e = await rejects('header-only.csv', csv([]));
    expect(e.message).toContain('at least one data row');
  });

  it('a very long line', async () => {
    const e = await rejects('long-line.csv', csv([sesnspRow(), sesnspRow({ stateName: 'x'.repeat(2_000_000) })]));
    expect(e.problems[0]?.line).toBe(3);
    expect(e.message).toMatch(/shorter than/);
  });

  it('a line with too many fields', async () => {
    const e = await rejects('extra-field.csv', csv([sesnspRow(), [...sesnspRow({ sex: 'Mujer' }), '99']]));
    expect(e.problems[0]).toMatchObject({ line: 3, value: '99' });
  });

  it('an unknown value in a coded column', async () => {
    const e = await rejects('sex.csv', csv([sesnspRow({ sex: 'H' })]));
    expect(e.problems[0]).toMatchObject({ line: 2, column: 'Sexo', value: 'H' });
  });

  it('months not yet reported may be empty, and are not stored as zero', async () => {
    const path = writeCsv(join(t.dir, 'partial.csv'), [sesnspRow({ year: 2025, months: [5, 6, 7, '', '', '', '', '', '', '', '', ''] })]);
    const summary = await importFile(t.store, sesnsp, path, { dryRun: true });
    expect(summary.observations).toBe(3);
    expect(summary.periodTo).toBe('2025-03');
    expect(MONTHS_ES).toHaveLength(12);
  });
});

describe('line endings and quotes (found by the fuzz suite)', () => {
  it('a CRLF file with quoted fields that contain commas imports like its LF twin', async () => {
    const t = await tempStore();
    try {
      const cdc = ADAPTERS['cdc-vsrr-overdose'];
      if (!cdc) throw new Error('adapter missing');
      const { readFileSync } = await import('node:fs');
      const { bundledDataPath } = await import('../catalog/index.js');
      const text = readFileSync(bundledDataPath('cdc/cdc_vsrr_us_national_12mo_ending_2015_2025.csv'), 'utf8');
      expect(text).toContain('"Opioids (T40.0-T40.4,T40.6)"');
      writeFileSync(join(t.dir, 'crlf.csv'), text.replaceAll('\n', '\r\n'));
      const summary = await importFile(t.store, cdc, join(t.dir, 'crlf.csv'));
      expect(summary.observations).toBe(744);
      const [row] = await t.store.all<{ n: number }>(`SELECT count(*) AS n FROM observation WHERE series = 'cdc.vsrr.opioid_deaths'`);
      expect(row?.n).toBe(248);
    } finally {
      await t.cleanup();
    }
  });
});
