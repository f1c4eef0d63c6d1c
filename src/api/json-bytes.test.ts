import { describe, expect, it } from 'vitest';
import { jsonBytes } from './json-bytes.js';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('JSON written in slices', () => {
  it('gives exactly the bytes of JSON.stringify, for every shape an answer takes', async () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => ({
      geo: String(i).padStart(5, '0'), name: i % 7 === 0 ? 'Álvaro Obregón — “CDMX”' : `Mpio ${i}`, value: i % 5 === 0 ? null : i / 3,
      flags: i % 11 === 0 ? ['partial', 'projected'] : [], skipped: undefined, at: i === 3 ? new Date(0) : undefined,
    }));
    const samples: unknown[] = [
      { meta: { code: 'mx.disappeared.persons', unit: { es: 'personas', en: 'people' } }, rows, note: undefined, fn: () => 1, empty: [] },
      rows,
      { rows: rows.slice(0, 3) },
      [],
      {},
      'texto',
      12.5,
      null,
      new Date(1e12),
      { nested: { rows } },
      [undefined, () => 1, 'a'],
    ];
    for (const sample of samples) expect(decode(await jsonBytes(sample))).toBe(JSON.stringify(sample));
  });

  it('lets other work run between slices of a large array', async () => {
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const before = turns;
    await jsonBytes({ rows: Array.from({ length: 50_000 }, (_, i) => ({ i })) });
    counting = false;
    // 25 slices: the event loop turned between them (a single JSON.stringify would have allowed no turn at all).
    expect(turns - before).toBeGreaterThanOrEqual(10);
  });
});
