import { createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { basename, join } from 'node:path';
import { InputError, type InputProblem } from '../domain/index.js';
import { scanText, type FatalFinding, type TextScan } from './text-scan.js';
import type { Encoding } from './adapter.js';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface Inspection {
  readonly sha256: string;
  readonly byteSize: number;
  readonly encoding: Encoding;
}

const hex = (byte: number) => `0x${byte.toString(16).padStart(2, '0').toUpperCase()}`;

/** What a path is when it is not a regular file, in words. */
export function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** What to expect of a path that is not a regular file. */
export function notRegular(info: Stats): string {
  return `a regular file; this is ${kindOf(info).replace(/^not a regular file$/, 'something else')}`;
}

/** The problem a fatal finding of the scan makes, located by line and (when `columns` name the fields) column. */
function fatalProblem(file: string, finding: FatalFinding, accepted: readonly Encoding[], columns: readonly string[]): InputProblem {
  const columnOf = (field: number) => (columns[field] === undefined ? {} : { column: columns[field] });
  switch (finding.kind) {
    case 'utf16-or-binary':
      return { file, line: 1, expected: `text in ${accepted.join(' or ')}; the file looks like UTF-16 or binary data (save it as CSV UTF-8)` };
    case 'nul':
      return {
        file, line: finding.at.line, ...columnOf(finding.at.field),
        expected: `text without NUL bytes; byte ${finding.at.byteColumn} of this line (field ${finding.at.field + 1}) is a NUL (0x00): the file is damaged or not text`,
      };
    case 'too-many-fields':
      return {
        file, line: finding.at.line,
        expected: `at most ${finding.limit} comma-separated fields on a line (the header has ${finding.headerFields}); this line has more, so it was not read further`,
      };
    case 'text-after-quote':
      return {
        file, line: finding.opened.line, ...columnOf(finding.opened.field),
        expected: finding.closedLine === finding.opened.line
          ? `a quoted field to end at its closing quote; the quote opened at byte ${finding.opened.byteColumn} is followed by more text (byte ${hex(finding.byte)}): a quote inside a value must be doubled ("")`
          : `a quote opened on this line (byte ${finding.opened.byteColumn}) to be closed on it; it is unbalanced: the next quote is on line ${finding.closedLine}`,
      };
    case 'quote-too-long':
      return {
        file, line: finding.opened.line, ...columnOf(finding.opened.field),
        expected: `a quote opened on this line (byte ${finding.opened.byteColumn}) to be closed; it is unbalanced: the field would run over ${finding.lines} lines and ${finding.bytes} bytes`,
      };
    case 'quote-never-closed':
      return {
        file, line: finding.opened.line, ...columnOf(finding.opened.field),
        expected: `a quote opened on this line (byte ${finding.opened.byteColumn}) to be closed; it is never closed (unbalanced quote, or the file is truncated)`,
      };
    case 'damaged-gzip':
      return { file, expected: `a complete gzip file; it is truncated or damaged (${finding.message}), so none of it is imported` };
  }
}

/** The one encoding the whole file decodes in, or the first line that does not. Rows of two encodings are refused. */
function encodingOf(file: string, scan: TextScan, accepted: readonly Encoding[]): Encoding {
  const bad = scan.firstNonUtf8;
  const utf8 = scan.firstUtf8Sequence;
  if (bad === null) {
    if (accepted.includes('utf-8')) return 'utf-8';
    if (utf8 === null) return accepted[0] as Encoding;
    throw new InputError([{ file, line: utf8.line, expected: `text in ${accepted.join(' or ')}, found UTF-8` }]);
  }
  if (utf8 !== null) {
    // Both kinds of line: the first non-ASCII line says what the file is; the first line of the other kind is wrong.
    const utf8First = utf8.line < bad.line || (utf8.line === bad.line && utf8.byteColumn < bad.byteColumn);
    const [wrong, right] = utf8First ? [bad, utf8] : [utf8, bad];
    throw new InputError([{
      file, line: wrong.line,
      expected: utf8First
        ? `UTF-8 text like the lines before it (line ${right.line} is UTF-8); byte ${wrong.byteColumn} of this line (${hex(bad.byte)}) is not UTF-8: the file mixes two encodings (save it once, as UTF-8)`
        : `text in one encoding; this line is UTF-8 while line ${right.line} is Latin-1/Windows-1252 (byte ${hex(bad.byte)}): the file mixes two encodings and its accents would be misread (save it once, as UTF-8)`,
    }]);
  }
  if (!accepted.includes('latin-1') && !accepted.includes('windows-1252')) {
    throw new InputError([{ file, line: bad.line, value: `byte ${hex(bad.byte)}`, expected: `UTF-8 text; byte ${bad.byteColumn} of this line is not UTF-8 (save the file as CSV UTF-8)` }]);
  }
  if (accepted.includes('windows-1252')) {
    const undefinedIn1252 = scan.firstC1 !== null && [0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(scan.firstC1.byte) ? scan.firstC1 : null;
    if (undefinedIn1252) {
      throw new InputError([{ file, line: undefinedIn1252.line, value: `byte ${hex(undefinedIn1252.byte)}`, expected: `text in windows-1252; byte ${undefinedIn1252.byteColumn} of this line is no character in it` }]);
    }
    return 'windows-1252';
  }
  if (scan.firstC1 !== null) {
    const c1 = scan.firstC1;
    throw new InputError([{
      file, line: c1.line, value: `byte ${hex(c1.byte)}`,
      expected: `text in ${accepted.join(' or ')}; byte ${c1.byteColumn} of this line is a Windows-1252 character (typographic quote or dash), which Latin-1 does not have: save the file as CSV UTF-8`,
    }]);
  }
  return 'latin-1';
}

/**
 * Size, checksum and text encoding of a file, refusing what no adapter can read: not a regular file, empty, binary,
 * NUL bytes, rows of two encodings, a damaged gzip stream, unbalanced quotes, lines with far too many fields.
 * `columns` (the fields the adapter expects) name the column of a located problem and bound the fields per line.
 */
export async function inspectFile(path: string, accepted: readonly Encoding[], columns: readonly string[] = []): Promise<Inspection> {
  const file = basename(path);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError([{ file, expected: 'an existing, readable file' }]);
  }
  if (!info.isFile()) throw new InputError([{ file, expected: notRegular(info) }]);
  if (info.size === 0) throw new InputError([{ file, line: 1, expected: 'a header line followed by data rows; the file is empty' }]);
  let scan: TextScan;
  try {
    scan = await scanText(path, columns.length);
  } catch (error) {
    throw new InputError([{ file, expected: `a readable file (${(error as Error).message})` }]);
  }
  if (scan.fatal) throw new InputError([fatalProblem(file, scan.fatal, accepted, columns)]);
  if (scan.contentBytes === 0) throw new InputError([{ file, line: 1, expected: 'a header line followed by data rows; the file is empty' }]);
  const encoding = encodingOf(file, scan, accepted);
  return { sha256: scan.sha256, byteSize: info.size, encoding };
}

/** A temporary LF copy of a CRLF file (decompressed if gzip): line count and numbering unchanged. */
export async function withLfLineEndings(path: string): Promise<string> {
  const out = join(tmpdir(), `observa-lf-${process.pid}-${Date.now()}-${basename(path).replace(/\.gz$/, '')}`);
  let pendingCr = false;
  const toLf = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const text = Buffer.concat([pendingCr ? Buffer.from([0x0d]) : Buffer.alloc(0), chunk]);
      pendingCr = text[text.length - 1] === 0x0d;
      const body = pendingCr ? text.subarray(0, text.length - 1) : text;
      done(null, Buffer.from(body.toString('latin1').replaceAll('\r\n', '\n'), 'latin1'));
    },
    flush(done) {
      done(null, pendingCr ? Buffer.from([0x0d]) : Buffer.alloc(0));
    },
  });
  const source = createReadStream(path);
  await pipeline(path.endsWith('.gz') ? [source, createGunzip(), toLf, createWriteStream(out, { mode: 0o600 })] : [source, toLf, createWriteStream(out, { mode: 0o600 })]);
  return out;
}

/**
 * A temporary UTF-8 copy of a windows-1252 file (decompressed if gzip), which DuckDB's reader does not decode itself:
 * one byte per character in, so lines and their numbers are unchanged.
 */
export async function utf8CopyOf(path: string): Promise<string> {
  const out = join(tmpdir(), `observa-utf8-${process.pid}-${Date.now()}-${basename(path).replace(/\.gz$/, '')}`);
  const decoder = new TextDecoder('windows-1252');
  const toUtf8 = new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
  const source = createReadStream(path);
  await pipeline(path.endsWith('.gz') ? [source, createGunzip(), toUtf8, createWriteStream(out, { mode: 0o600 })] : [source, toUtf8, createWriteStream(out, { mode: 0o600 })]);
  return out;
}
