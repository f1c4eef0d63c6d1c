import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEvidence, createToken, listEvidence, revokeToken, verifyToken } from '../monitoring/index.js';
import { tempPgStore } from '../test-support/pg-store.js';
import { tempStore } from '../test-support/temp-store.js';
import { toPositional } from './postgres-store.js';
import type { Store } from './store.js';

interface Adapter { name: string; open(): Promise<{ store: Store; cleanup(): Promise<void> }> }
const ADAPTERS: Adapter[] = [
  { name: 'DuckDB (embedded)', open: tempStore },
  { name: 'PostgreSQL (server)', open: () => tempPgStore() },
];

describe('placeholders', () => {
  it('turns ? into $n outside quoted text only', () => {
    expect(toPositional(`SELECT ? AS a, '?' AS b, "x?" AS c, ?::DATE`)).toBe(`SELECT $1 AS a, '?' AS b, "x?" AS c, $2::DATE`);
    expect(toPositional(`SELECT 'it''s ?' , ?`)).toBe(`SELECT 'it''s ?' , $1`);
  });
});

// One suite, both stores: what the rest of the code relies on.
describe.each(ADAPTERS)('store contract: $name', (adapter) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await adapter.open());
    await store.write(async (tx) => {
      await tx.run(`CREATE TABLE contract_t (id INTEGER PRIMARY KEY, label VARCHAR NOT NULL, big BIGINT, day DATE, at_time TIMESTAMPTZ, ok BOOLEAN, note VARCHAR)`);
    });
  });
  afterAll(async () => {
    await cleanup();
  });

  it('a write commits whole and bumps the generation; a throw changes nothing', async () => {
    const before = store.generation;
    await store.write(async (tx) => {
      await tx.run(`INSERT INTO contract_t VALUES (?, ?, ?, ?::DATE, ?::TIMESTAMPTZ, ?, ?)`, [1, 'one', 9_007_199_254, '2024-02-29', '2024-02-29T12:30:00Z', true, null]);
      await tx.run(`INSERT INTO contract_t VALUES (?, ?, NULL, NULL, NULL, false, '?')`, [2, 'two']);
    });
    expect(store.generation).toBe(before + 1);
    await expect(store.write(async (tx) => {
      await tx.run(`INSERT INTO contract_t VALUES (3, 'three', NULL, NULL, NULL, NULL, NULL)`);
      await tx.run(`INSERT INTO contract_t VALUES (1, 'duplicate key', NULL, NULL, NULL, NULL, NULL)`);
    })).rejects.toThrow();
    await expect(store.write(async (tx) => {
      await tx.run(`INSERT INTO contract_t VALUES (4, 'four', NULL, NULL, NULL, NULL, NULL)`);
      throw new Error('caller gave up');
    })).rejects.toThrow('caller gave up');
    expect(store.generation).toBe(before + 1);
    expect((await store.all<{ id: number }>(`SELECT id FROM contract_t ORDER BY id`)).map((r) => r.id)).toEqual([1, 2]);
  });

  it('gives rows in one shape: numbers, ISO dates and instants, booleans, nulls, and keeps ? inside text', async () => {
    const [row] = await store.all(`SELECT id, label, big, day, at_time, ok, note FROM contract_t WHERE id = ?`, [1]);
    expect(row).toEqual({ id: 1, label: 'one', big: 9_007_199_254, day: expect.stringMatching(/^2024-02-29/), at_time: '2024-02-29T12:30:00.000Z', ok: true, note: null });
    const [two] = await store.all<{ note: string }>(`SELECT note FROM contract_t WHERE label = ? AND note = '?'`, ['two']);
    expect(two?.note).toBe('?');
  });

  it('a session keeps its own connection: staging tables are invisible to other work, transactions inside it are atomic', async () => {
    await store.session(async (tx) => {
      await tx.run(`CREATE TEMPORARY TABLE staging_t (n INTEGER)`);
      await tx.run(`INSERT INTO staging_t VALUES (1), (2), (3)`);
      expect(await tx.all(`SELECT count(*) AS n FROM staging_t`)).toEqual([{ n: 3 }]);
      await expect(store.all(`SELECT count(*) AS n FROM staging_t`)).rejects.toThrow();
      await tx.transaction(async (w) => {
        await w.run(`INSERT INTO contract_t SELECT 10 + n, 'staged', NULL, NULL, NULL, NULL, NULL FROM staging_t`);
      });
    });
    expect(await store.all(`SELECT count(*) AS n FROM contract_t WHERE label = 'staged'`)).toEqual([{ n: 3 }]);
  });

  it('readers see the data before or after a write, never half of it', async () => {
    const counts = new Set<number>();
    const writing = store.write(async (tx) => {
      for (let i = 100; i < 150; i++) await tx.run(`INSERT INTO contract_t VALUES (?, 'batch', NULL, NULL, NULL, NULL, NULL)`, [i]);
    });
    const reads = Array.from({ length: 20 }, async () => {
      const [r] = await store.all<{ n: number }>(`SELECT count(*) AS n FROM contract_t WHERE label = 'batch'`);
      counts.add(Number(r?.n));
    });
    await Promise.all([writing, ...reads]);
    for (const n of counts) expect([0, 50]).toContain(n);
    expect(await store.all(`SELECT count(*) AS n FROM contract_t WHERE label = 'batch'`)).toEqual([{ n: 50 }]);
  });

  it('holds the evidence ledger and admin tokens (monitoring) the same way', async () => {
    const token = await createToken(store, 'contract');
    expect(await verifyToken(store, token.token)).toEqual({ id: token.id, name: 'contract' });
    const entry = await addEvidence(store, {
      action: '2.2.a.1', status: 'complete', date: '2024-12-31', source: 'https://example.org/x', note: { es: 'Listo.' }, author: 'Prueba',
    }, 'contract');
    expect(entry).toMatchObject({ id: expect.any(Number), date: '2024-12-31', recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) });
    expect((await listEvidence(store, { action: '2.2' })).map((e) => e.id)).toEqual([entry.id]);
    expect(await listEvidence(store, { action: '2.2.b' })).toEqual([]);
    expect(await revokeToken(store, token.id)).toBe(true);
    expect(await verifyToken(store, token.token)).toBeNull();
  });
});
