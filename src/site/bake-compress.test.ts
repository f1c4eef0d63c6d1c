import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeCompressed } from './bake.js';

describe('pre-compressed files in the bake', () => {
  it('a text file over 1 KiB gets .br and .gz that decompress to it; small and binary files do not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'observa-precompress-'));
    try {
      const page = Buffer.from(`<!doctype html><p>${'Víctimas de homicidio doloso · '.repeat(200)}</p>`);
      const file = join(dir, 'index.html');
      writeFileSync(file, page);
      writeCompressed(file, page);
      expect(brotliDecompressSync(readFileSync(`${file}.br`)).equals(page)).toBe(true);
      expect(gunzipSync(readFileSync(`${file}.gz`)).equals(page)).toBe(true);
      expect(readFileSync(`${file}.br`).byteLength).toBeLessThan(page.byteLength / 10);
      writeCompressed(join(dir, 'small.json'), Buffer.from('{"a":1}'));
      writeCompressed(join(dir, 'favicon.ico'), page);
      expect(existsSync(join(dir, 'small.json.br'))).toBe(false);
      expect(existsSync(join(dir, 'favicon.ico.br'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
