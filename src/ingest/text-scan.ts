import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';

/**
 * One pass over a whole CSV file before DuckDB reads it: what DuckDB either accepts silently (a NUL byte, rows of a
 * second encoding, a gzip cut at a line boundary) or reports at the wrong place (an unbalanced quote, a line of a
 * million fields, which also makes its reader quadratic). The pass is linear and stops at the first fatal finding.
 */

/** A place in the (decompressed) file: physical line (1-based), byte column on it (1-based) and CSV field (0-based). */
export interface TextPlace {
  readonly line: number;
  readonly byteColumn: number;
  readonly field: number;
}

export type FatalFinding =
  | { readonly kind: 'utf16-or-binary' }
  | { readonly kind: 'nul'; readonly at: TextPlace }
  | { readonly kind: 'too-many-fields'; readonly at: TextPlace; readonly limit: number; readonly headerFields: number }
  | { readonly kind: 'text-after-quote'; readonly opened: TextPlace; readonly closedLine: number; readonly byte: number }
  | { readonly kind: 'quote-too-long'; readonly opened: TextPlace; readonly lines: number; readonly bytes: number }
  | { readonly kind: 'quote-never-closed'; readonly opened: TextPlace }
  | { readonly kind: 'damaged-gzip'; readonly message: string };

export interface TextScan {
  readonly sha256: string;
  /** Bytes of content (after decompression). */
  readonly contentBytes: number;
  readonly fatal: FatalFinding | null;
  /** First byte sequence that is not UTF-8. */
  readonly firstNonUtf8: (TextPlace & { readonly byte: number }) | null;
  /** First well-formed multi-byte UTF-8 sequence (in a Latin-1 file, the sign of rows of a second encoding). */
  readonly firstUtf8Sequence: TextPlace | null;
  /** First byte 0x80–0x9F outside a UTF-8 sequence: a Windows-1252 character (or a C1 control in Latin-1). */
  readonly firstC1: (TextPlace & { readonly byte: number }) | null;
}

/** Any line: more fields than this is no table row of any source. */
export const HARD_MAX_FIELDS = 1000;
/** Fields a data line may have beyond its header (or the expected columns) before the scan stops reading. */
export const FIELD_SLACK = 32;
/** A quoted field longer than DuckDB's line limit, or over this many lines, is an unbalanced quote, not a value. */
const MAX_QUOTED_BYTES = 1 << 20;
const MAX_QUOTED_LINES = 200;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

class Stop extends Error {}

/** A byte that means nothing to the scan but a column: printable ASCII after the comma (no quote, comma, line break, NUL). */
const plain = (b: number) => b > COMMA && b < 0x80;

class Scanner {
  line = 1;
  column = 0;
  field = 0;
  record = 1;
  atFieldStart = true;
  inQuotes = false;
  quoteSeen = false;
  quoteOpened: TextPlace | null = null;
  quotedBytes = 0;
  headerFields: number | null = null;
  limit = HARD_MAX_FIELDS;
  utf8Need = 0;
  utf8Start: TextPlace | null = null;
  bytes = 0;
  fatal: FatalFinding | null = null;
  firstNonUtf8: (TextPlace & { byte: number }) | null = null;
  firstUtf8Sequence: TextPlace | null = null;
  firstC1: (TextPlace & { byte: number }) | null = null;

  constructor(private readonly expectedFields: number) {}

  private place(): TextPlace {
    return { line: this.line, byteColumn: this.column, field: this.field };
  }

  /** Returns false once a fatal finding ends the scan. */
  feed(chunk: Buffer): boolean {
    if (this.bytes === 0 && this.looksLikeUtf16OrBinary(chunk)) {
      this.fatal = { kind: 'utf16-or-binary' };
      return false;
    }
    this.bytes += chunk.length;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i] as number;
      // A run of plain bytes (ASCII after the comma: digits, letters, '-', '.'…) changes nothing but the column, and inside
      // quotes the quoted length: taken at once (~0.1 s less of the ~0.7 s scan of a 10 M-cell file, three runs each).
      // Bytes after a closing quote, of a multi-byte character, or that would pass the quoted limit go one by one.
      if (plain(b) && this.utf8Need === 0 && !(this.inQuotes && this.quoteSeen)) {
        let j = i + 1;
        while (j < n && plain(chunk[j] as number)) j++;
        const run = j - i;
        if (!this.inQuotes || this.quotedBytes + run <= MAX_QUOTED_BYTES) {
          this.column += run;
          if (this.inQuotes) this.quotedBytes += run;
          else this.atFieldStart = false;
          i = j - 1;
          continue;
        }
      }
      this.column++;
      if (b >= 0x80 || this.utf8Need > 0) this.trackUtf8(b);
      if (b === 0) {
        this.fatal = { kind: 'nul', at: this.place() };
        return false;
      }
      if (this.inQuotes) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (b === QUOTE) continue; // "" is a quote inside the field
          this.inQuotes = false;
          if (b !== COMMA && b !== LF && b !== CR) {
            const opened = this.quoteOpened as TextPlace;
            this.fatal = { kind: 'text-after-quote', opened, closedLine: this.line, byte: b };
            return false;
          }
          // fall through: the byte after the closing quote ends the field or the line
        } else {
          if (b === QUOTE) this.quoteSeen = true;
          else if (b === LF) this.newLine();
          if (++this.quotedBytes > MAX_QUOTED_BYTES || this.line - (this.quoteOpened as TextPlace).line > MAX_QUOTED_LINES) {
            this.fatal = { kind: 'quote-too-long', opened: this.quoteOpened as TextPlace, lines: this.line - (this.quoteOpened as TextPlace).line + 1, bytes: this.quotedBytes };
            return false;
          }
          continue;
        }
      }
      if (b === QUOTE && this.atFieldStart) {
        this.inQuotes = true;
        this.quoteOpened = this.place();
        this.quotedBytes = 0;
        this.atFieldStart = false;
      } else if (b === COMMA) {
        this.field++;
        this.atFieldStart = true;
        if (this.field + 1 > this.limit) {
          this.fatal = { kind: 'too-many-fields', at: this.place(), limit: this.limit, headerFields: this.headerFields ?? this.field };
          return false;
        }
      } else if (b === LF) {
        if (this.record === 1) {
          this.headerFields = this.field + 1;
          this.limit = Math.min(HARD_MAX_FIELDS, Math.max(this.headerFields, this.expectedFields) + FIELD_SLACK);
        }
        this.record++;
        this.field = 0;
        this.atFieldStart = true;
        this.newLine();
      } else if (b !== CR) {
        this.atFieldStart = false;
      }
    }
    return true;
  }

  private newLine(): void {
    this.line++;
    this.column = 0;
  }

  private trackUtf8(b: number): void {
    if (this.utf8Need > 0) {
      if ((b & 0xc0) === 0x80) {
        if (--this.utf8Need === 0) this.firstUtf8Sequence ??= this.utf8Start;
        return;
      }
      this.utf8Need = 0;
      this.firstNonUtf8 ??= { ...(this.utf8Start as TextPlace), byte: b };
    }
    if (b < 0x80) return;
    if (b >= 0xc2 && b <= 0xdf) this.utf8Need = 1;
    else if (b >= 0xe0 && b <= 0xef) this.utf8Need = 2;
    else if (b >= 0xf0 && b <= 0xf4) this.utf8Need = 3;
    else {
      this.firstNonUtf8 ??= { ...this.place(), byte: b };
      if (b <= 0x9f) this.firstC1 ??= { ...this.place(), byte: b };
      return;
    }
    this.utf8Start = this.place();
  }

  private looksLikeUtf16OrBinary(head: Buffer): boolean {
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
    // UTF-16 text has a NUL in every other byte; a stray NUL in a text file is reported where it is instead.
    const sample = head.subarray(0, 4096);
    let nuls = 0;
    for (const b of sample) if (b === 0) nuls++;
    return nuls > sample.length / 8;
  }

  finish(): void {
    if (this.fatal) return;
    if (this.utf8Need > 0) this.firstNonUtf8 ??= { ...(this.utf8Start as TextPlace), byte: 0 };
    if (this.inQuotes && !this.quoteSeen) this.fatal = { kind: 'quote-never-closed', opened: this.quoteOpened as TextPlace };
  }
}

/** Reads of a megabyte: at the default 64 KiB, the scan of a 120 MB file waited on its reads for half of its 1.2 s. */
const READ_CHUNK = { highWaterMark: 1 << 20 };

/**
 * Hashes the file as stored and scans its content (decompressed when it is gzip, whose end is then verified: a stream
 * cut short is refused whole, even when it was cut at a line boundary).
 */
export async function scanText(path: string, expectedFields: number): Promise<TextScan> {
  const hash = createHash('sha256');
  const scanner = new Scanner(expectedFields);
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const sink = async (source: AsyncIterable<Buffer>) => {
    // Chunks already buffered arrive as microtasks, without a turn of the event loop: a server importing in its own
    // process answered nothing for up to 230 ms while the scan went through them. A turn every 10 ms of scanning.
    let turn = performance.now();
    for await (const chunk of source) {
      if (!scanner.feed(chunk)) throw new Stop();
      if (performance.now() - turn > 10) {
        await yieldToEvents();
        turn = performance.now();
      }
    }
  };
  const gzip = path.endsWith('.gz');
  try {
    await (gzip ? pipeline(createReadStream(path, READ_CHUNK), tap, createGunzip(), sink) : pipeline(createReadStream(path, READ_CHUNK), tap, sink));
    scanner.finish();
  } catch (error) {
    // Stopping early (a fatal finding) aborts the pipeline; that abort is no read error.
    if (scanner.fatal === null && !(error instanceof Stop)) {
      const code = (error as { code?: string }).code ?? '';
      if (!gzip || !code.startsWith('Z_')) throw error;
      scanner.fatal = { kind: 'damaged-gzip', message: (error as Error).message };
    }
  }
  return {
    sha256: hash.digest('hex'),
    contentBytes: scanner.bytes,
    fatal: scanner.fatal,
    firstNonUtf8: scanner.firstNonUtf8,
    firstUtf8Sequence: scanner.firstUtf8Sequence,
    firstC1: scanner.firstC1,
  };
}
