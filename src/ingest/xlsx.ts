import { basename } from 'node:path';
import { open, stat } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { InputError, type InputProblem } from '../domain/index.js';
import { insertRows, type SessionTx } from '../store/index.js';
import { notRegular, sha256File } from './file-inspection.js';

/**
 * Staging of one named sheet of an .xlsx workbook (read with exceljs) into the same shape the CSV path stages:
 * a temporary table `raw_file` and a view `raw` with `line` (the sheet's row number), one VARCHAR column per expected
 * header name, and `_extra` (the first non-empty cell right of the header, NULL when none). The rest of the pipeline
 * (column checks, the observations SELECT, keys, compare, commit) is shared with CSV files.
 *
 * Cells become text the way a CSV export would write them: numbers with all their digits (`1234.5`, never `1,234.5`),
 * dates as ISO `YYYY-MM-DD`, formulas as their cached result, rich text as its plain text; a blank cell inside the
 * header's width is `''` (so column rules see it), and wholly blank rows are skipped. Header names are compared with
 * runs of white space collapsed to one space (OHSS writes `Fiscal\nYear`).
 */
export interface SheetSpec {
  /** The sheet's name, exactly as the publisher names it. */
  readonly sheet: string;
  /** Row of the header (1-based); the data starts on the next row. Default 1. */
  readonly headerRow?: number;
  /** Expected header names, in order. */
  readonly columns: readonly string[];
}

export interface StagedSheet {
  readonly problems: InputProblem[];
  /** Adds the sheet and the cell (`C14`) to a problem located by line (row) and column name. */
  readonly locate: (problem: InputProblem) => InputProblem;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** `1` → `A`, `27` → `AA`. */
export function columnLetter(index: number): string {
  let n = index;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A cell's value as the text a CSV export would hold; null for an absent cell. */
export function cellText(value: ExcelJS.CellValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return String(value.error);
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result);
  if ('text' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  return null;
}

/** Checksum and size of a workbook, refusing what is not one (an HTML error page, an empty or truncated download). */
export async function inspectWorkbook(path: string): Promise<{ sha256: string; byteSize: number; encoding: 'xlsx' }> {
  const file = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError([{ file, expected: notRegular(info) }]);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError([{ file, expected: 'an existing, readable file' }]);
  }
  const handle = await open(path, 'r');
  const head = Buffer.alloc(64);
  try {
    await handle.read(head, 0, 64, 0);
  } finally {
    await handle.close();
  }
  if (size === 0 || !head.subarray(0, 4).equals(ZIP_MAGIC)) {
    const start = head.subarray(0, Math.min(size, 40)).toString('latin1').replace(/[^\x20-\x7e]/g, '.').trim();
    // Only an HTML page's start is shown back: another file's content (a system file behind a link) is not echoed.
    throw new InputError([{
      file,
      ...(size === 0 || !start.startsWith('<') ? {} : { value: start }),
      expected: size === 0
        ? 'an .xlsx workbook; the file is empty'
        : 'an .xlsx workbook (a ZIP archive starting with "PK"); this file is something else (an HTML error page or a CSV saved with the wrong name?)',
    }]);
  }
  return { sha256: await sha256File(path), byteSize: size, encoding: 'xlsx' };
}

async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  // Loaded on first use: exceljs takes most of a second to load, which every CLI start would otherwise pay.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw new InputError([{ file: basename(path), expected: `a complete .xlsx workbook; it could not be opened (${reason}): truncated or damaged download?` }]);
  }
  return workbook;
}

/** Reads `spec.sheet` of the workbook at `path` into `raw_file` / `raw` on the session's connection. */
export async function stageSheet(tx: SessionTx, path: string, spec: SheetSpec): Promise<StagedSheet> {
  const file = basename(path);
  const sheetName = spec.sheet;
  const headerRow = spec.headerRow ?? 1;
  const none: StagedSheet = { problems: [], locate: (p) => p };
  const workbook = await readWorkbook(path);
  const sheet = workbook.getWorksheet(sheetName);
  if (!sheet) {
    const names = workbook.worksheets.map((w) => JSON.stringify(w.name)).join(', ');
    return { ...none, problems: [{ file, sheet: sheetName, expected: `a sheet named "${sheetName}" (the workbook has ${names || 'no sheets'})` }] };
  }
  // The header may start right of column A: its first non-empty cell fixes where the expected columns are.
  const header = sheet.getRow(headerRow);
  let first = 0;
  header.eachCell((cell, col) => {
    if (first === 0 && cellText(cell.value as ExcelJS.CellValue)?.trim()) first = col;
  });
  if (first === 0) {
    return { ...none, problems: [{ file, sheet: sheetName, line: headerRow, cell: `A${headerRow}`, expected: `a header row (${spec.columns.join(', ')}); row ${headerRow} is blank` }] };
  }
  const width = spec.columns.length;
  const cellRef = (columnIndex: number, row: number) => `${columnLetter(first + columnIndex)}${row}`;
  const locate = (p: InputProblem): InputProblem => {
    if (p.line === undefined || p.sheet !== undefined) return p;
    const index = p.column === undefined ? -1 : spec.columns.indexOf(p.column);
    return { ...p, sheet: sheetName, ...(index >= 0 ? { cell: cellRef(index, p.line) } : {}) };
  };

  const problems: InputProblem[] = [];
  spec.columns.forEach((name, i) => {
    const got = cellText(header.getCell(first + i).value as ExcelJS.CellValue);
    if (got !== null && collapse(got) === name) return;
    const renamed = got !== null && got.trim() !== '';
    problems.push({
      file, sheet: sheetName, line: headerRow, cell: cellRef(i, headerRow), column: name,
      ...(renamed ? { value: got } : {}),
      expected: `header "${name}" in column ${columnLetter(first + i)}${renamed ? ' (renamed, or columns out of order?)' : ' (it is missing)'}`,
    });
  });
  const extraHeader = cellText(header.getCell(first + width).value as ExcelJS.CellValue);
  if (extraHeader !== null && extraHeader.trim() !== '') {
    problems.push({ file, sheet: sheetName, line: headerRow, cell: cellRef(width, headerRow), value: extraHeader, expected: `only the columns ${spec.columns.join(', ')}` });
  }
  if (problems.length > 0) return { problems, locate };

  const columnsDdl = Array.from({ length: width }, (_, i) => `c${i + 1} VARCHAR`).join(', ');
  await tx.run(`DROP VIEW IF EXISTS raw`);
  await tx.run(`DROP TABLE IF EXISTS raw_file`);
  await tx.run(`CREATE TEMP TABLE raw_file (line INTEGER NOT NULL, ${columnsDdl}, _extra VARCHAR)`);
  const rows: { number: number; values: (string | null)[]; extra: string | null }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number <= headerRow) return;
    const values = Array.from({ length: width }, (_, i) => cellText(row.getCell(first + i).value as ExcelJS.CellValue));
    let extra: string | null = null;
    row.eachCell((cell, col) => {
      const text = cellText(cell.value as ExcelJS.CellValue);
      if (extra === null && (col < first || col >= first + width) && text !== null && text.trim() !== '') extra = text;
    });
    if (extra === null && values.every((v) => v === null || v.trim() === '')) return; // a wholly blank row
    rows.push({ number, values, extra });
  });
  await insertRows(tx, 'INSERT INTO raw_file', `(${Array.from({ length: width + 2 }, () => '?').join(', ')})`,
    rows.map((row) => [row.number, ...row.values.map((v) => v ?? ''), row.extra]));
  if (rows.length === 0) {
    return { problems: [{ file, sheet: sheetName, line: headerRow + 1, cell: cellRef(0, headerRow + 1), expected: 'at least one data row after the header' }], locate };
  }
  const named = spec.columns.map((n, i) => `c${i + 1} AS "${n.replaceAll('"', '""')}"`).join(', ');
  await tx.run(`CREATE TEMP VIEW raw AS SELECT line, ${named}, _extra FROM raw_file`);
  const extras = await tx.all<{ line: number; extra: string }>(`SELECT line, _extra AS extra FROM raw_file WHERE _extra IS NOT NULL ORDER BY line LIMIT 20`);
  return {
    problems: extras.map((e) => ({ file, sheet: sheetName, line: e.line, value: e.extra, expected: `values only under the header's ${width} columns (${spec.columns.join(', ')})` })),
    locate,
  };
}
