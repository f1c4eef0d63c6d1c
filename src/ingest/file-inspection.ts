import { createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { open, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import { basename, join } from 'node:path';
import { InputError } from '../domain/index.js';
import type { Encoding } from './adapter.js';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const SAMPLE_BYTES = 1 << 20;

/** The first MiB of the file's content (decompressed when the file is gzip). */
async function sample(path: string): Promise<Buffer> {
  if (path.endsWith('.gz')) {
    const chunks: Buffer[] = [];
    let size = 0;
    const stream = createReadStream(path).pipe(createGunzip());
    try {
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= SAMPLE_BYTES) break;
      }
    } catch (error) {
      if (chunks.length === 0) {
        throw new InputError([{ file: basename(path), expected: `a gzip-compressed CSV file (${(error as Error).message})` }]);
      }
    } finally {
      stream.destroy();
    }
    return Buffer.concat(chunks).subarray(0, SAMPLE_BYTES);
  }
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Drops a multi-byte UTF-8 sequence cut at the end of the sample, so the cut is not mistaken for bad encoding. */
function trimPartialUtf8(buf: Buffer): Buffer {
  let end = buf.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = buf[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    if (byte >= 0xc0) end -= back; // a lead byte whose sequence may be incomplete
    break;
  }
  return buf.subarray(0, end);
}

function lineOfOffset(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (buf[i] === 0x0a) line++;
  return line;
}

function firstInvalidUtf8(buf: Buffer): number {
  // Binary search on prefix validity: fast and exact enough to point at the line.
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isUtf8(trimPartialUtf8(buf.subarray(0, mid + 1)))) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Inspection {
  readonly sha256: string;
  readonly byteSize: number;
  readonly encoding: Encoding;
}

/** Size, checksum and text encoding of a file, refusing what no adapter can read. */
export async function inspectFile(path: string, accepted: readonly Encoding[]): Promise<Inspection> {
  const file = basename(path);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError([{ file, expected: 'an existing, readable file' }]);
  }
  if (!info.isFile()) throw new InputError([{ file, expected: 'a regular file, not a directory' }]);
  if (info.size === 0) throw new InputError([{ file, line: 1, expected: 'a header line followed by data rows; the file is empty' }]);
  const head = await sample(path);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || head.subarray(0, 4096).includes(0)) {
    throw new InputError([{ file, line: 1, expected: `text in ${accepted.join(' or ')}; the file looks like UTF-16 or binary data (save it as CSV UTF-8)` }]);
  }
  let encoding: Encoding;
  if (isUtf8(trimPartialUtf8(head))) encoding = 'utf-8';
  else if (accepted.includes('windows-1252')) encoding = 'windows-1252';
  else if (accepted.includes('latin-1')) encoding = 'latin-1';
  else {
    const offset = firstInvalidUtf8(head);
    throw new InputError([{ file, line: lineOfOffset(head, offset), value: `byte 0x${(head[offset] ?? 0).toString(16)}`, expected: 'UTF-8 text' }]);
  }
  if (!accepted.includes(encoding)) throw new InputError([{ file, expected: `text in ${accepted.join(' or ')}, found ${encoding}` }]);
  return { sha256: await sha256File(path), byteSize: info.size, encoding };
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
  await pipeline(path.endsWith('.gz') ? [source, createGunzip(), toLf, createWriteStream(out)] : [source, toLf, createWriteStream(out)]);
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
  await pipeline(path.endsWith('.gz') ? [source, createGunzip(), toUtf8, createWriteStream(out)] : [source, toUtf8, createWriteStream(out)]);
  return out;
}
