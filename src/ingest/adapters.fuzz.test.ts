import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath } from '../catalog/index.js';
import { InputError } from '../domain/index.js';
import { storeFingerprint, tempStore, type TempStore } from '../test-support/temp-store.js';
import { importFile } from './pipeline.js';
import { ADAPTERS, BUNDLED_FILES } from './sources/index.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 12);
let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
});
afterAll(async () => t.cleanup());

/** The first lines of a real published file, as bytes. */
function head(path: string, lines: number): Buffer {
  const raw = readFileSync(bundledDataPath(path));
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return Buffer.from(text.split('\n').slice(0, lines).join('\n') + '\n', 'utf8');
}

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete-bytes'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'drop-line'; line: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'swap-fields'; line: number; a: number; b: number }
  | { kind: 'number-to'; line: number; field: number; text: string }
  | { kind: 'bom-crlf' }
  | { kind: 'latin-1' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete-bytes' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('drop-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap-fields' as const), line: fc.nat(), a: fc.nat(20), b: fc.nat(20) }),
  fc.record({ kind: fc.constant('number-to' as const), line: fc.nat(), field: fc.nat(20), text: fc.constantFrom('-1', '1,234', 'n.d.', '', '3.5', '  7 ', '"x"') }),
  fc.constant({ kind: 'bom-crlf' as const }),
  fc.constant({ kind: 'latin-1' as const }),
);

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const lines = () => bytes.toString('utf8').split('\n');
  const pick = (n: number, length: number) => (length === 0 ? 0 : n % length);
  switch (m.kind) {
    case 'flip': {
      const out = Buffer.from(bytes);
      out[pick(m.at, out.length)] = m.byte;
      return out;
    }
    case 'insert': {
      const at = pick(m.at, bytes.length);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([m.byte]), bytes.subarray(at)]);
    }
    case 'delete-bytes': {
      const at = pick(m.at, bytes.length);
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    }
    case 'truncate':
      return bytes.subarray(0, pick(m.at, bytes.length));
    case 'drop-line': {
      const l = lines();
      l.splice(pick(m.line, l.length), 1);
      return Buffer.from(l.join('\n'));
    }
    case 'duplicate-line': {
      const l = lines();
      const i = pick(m.line, l.length - 1) + 1;
      l.splice(i, 0, l[i] ?? '');
      return Buffer.from(l.join('\n'));
    }
    case 'swap-fields': {
      const l = lines();
      const i = pick(m.line, l.length);
      const f = (l[i] ?? '').split(',');
      const [a, b] = [pick(m.a, f.length), pick(m.b, f.length)];
      [f[a], f[b]] = [f[b] ?? '', f[a] ?? ''];
      l[i] = f.join(',');
      return Buffer.from(l.join('\n'));
    }
    case 'number-to': {
      const l = lines();
      const i = pick(m.line, l.length - 1) + 1;
      const f = (l[i] ?? '').split(',');
      const numeric = f.map((v, k) => (/^\d+$/.test(v) ? k : -1)).filter((k) => k >= 0);
      if (numeric.length > 0) f[numeric[pick(m.field, numeric.length)] as number] = m.text;
      l[i] = f.join(',');
      return Buffer.from(l.join('\n'));
    }
    case 'bom-crlf':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(bytes.toString('utf8').replaceAll('\n', '\r\n'))]);
    case 'latin-1':
      return Buffer.from(bytes.toString('utf8'), 'latin1');
  }
}

describe('adapters fed mutated real files', () => {
  // Workbooks are not text: their hostile cases live in xlsx.test.ts and binational.test.ts.
  for (const entry of BUNDLED_FILES.filter((e, i, all) => !e.path.endsWith('.xlsx') && all.findIndex((x) => x.source === e.source) === i)) {
    it(`${entry.source}: either a consistent import or a located InputError with the store unchanged`, async () => {
      const adapter = ADAPTERS[entry.source];
      if (!adapter) throw new Error(entry.source);
      const original = head(entry.path, 250);
      let n = 0;
      await fc.assert(
        fc.asyncProperty(mutation, async (m) => {
          const file = join(t.dir, `${entry.source}-${n++}.csv`);
          writeFileSync(file, mutate(original, m));
          const before = await storeFingerprint(t.store);
          try {
            const summary = await importFile(t.store, adapter, file);
            if (summary.status === 'new') {
              const [row] = await t.store.all<{ n: number }>(`SELECT count(*) AS n FROM observation WHERE release_id = ?`, [summary.releaseId]);
              expect(row?.n).toBe(summary.observations);
            }
          } catch (error) {
            expect(error, JSON.stringify(m)).toBeInstanceOf(InputError);
            for (const p of (error as InputError).problems) {
              expect(p.file).toBe(`${entry.source}-${n - 1}.csv`);
              expect(p.expected.length).toBeGreaterThan(0);
              if (p.line !== undefined) expect(p.line).toBeGreaterThanOrEqual(1);
            }
            expect(await storeFingerprint(t.store)).toBe(before);
          }
        }),
        { numRuns: RUNS },
      );
      // A budget per mutated import, so that FUZZ_RUNS=400 (`npm run fuzz`) is not cut short on a loaded machine.
    }, Math.max(120_000, RUNS * 1_500));
  }
});
