import { parse } from 'csv-parse/sync';
import { InputError, type InputProblem } from './errors.js';

/** A CSV file as its trimmed header and its rows, each with the 1-based line it starts on (the header is line 1). */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

/** Parses CSV text (csv-parse); malformed quoting and the like become an InputError naming the file and line. */
export function readCsvTable(text: string, file: string): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw new InputError([{ file, ...(e.lines === undefined ? {} : { line: e.lines }), expected: `well-formed CSV (${e.message ?? 'unreadable'})` }]);
  }
  return {
    header: (records[0]?.record ?? []).map((h) => h.trim()),
    rows: records.slice(1).map((r) => ({ line: r.info.lines, cells: r.record })),
  };
}

/** Rows whose number of fields differs from the header's. */
export function raggedRows(table: CsvTable, file: string): InputProblem[] {
  return table.rows
    .filter((r) => r.cells.length !== table.header.length)
    .map((r) => ({ file, line: r.line, value: `${r.cells.length} fields`, expected: `${table.header.length} fields, as in the header` }));
}
