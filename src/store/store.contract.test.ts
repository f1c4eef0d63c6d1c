import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEvidenceEntry } from '../domain/index.js';
import { addEvidence, createToken, listEvidence, listPending, reviewEvidence, revokeToken, verifyToken } from '../monitoring/index.js';
import { seedCatalogEvidence } from './evidence-seed.js';
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

  it('stops a public read past its time limit with 503 and Retry-After, and the next reads run in full, without the limit', async () => {
    // A read that runs for seconds on either engine.
    const slow = store.dialect === 'postgres' ? 'SELECT pg_sleep(3) AS slept' : 'SELECT sum(i * i) AS s FROM range(30000000000) t(i)';
    store.readTimeoutMs = 100;
    try {
      const stopped = await store.all(slow).then(() => null, (e: unknown) => e);
      expect(stopped).toMatchObject({ name: 'RequestError', code: 'unavailable', details: { timeoutMs: 100, retryAfterSeconds: expect.any(Number) as number } });
      // Every pooled connection answers again at once.
      await Promise.all(Array.from({ length: 6 }, async () => expect(await store.all(`SELECT 41 + 1 AS n`)).toEqual([{ n: 42 }])));
    } finally {
      store.readTimeoutMs = null;
    }
    // No connection kept the limit: a read longer than 100 ms completes once the limit is lifted.
    if (store.dialect === 'postgres') {
      const reads = await Promise.all(Array.from({ length: 4 }, () => store.all<{ ok: number }>(`SELECT 1 AS ok FROM pg_sleep(0.3)`)));
      expect(reads.flat()).toEqual(Array(4).fill({ ok: 1 }));
    }
  });

  it('holds the evidence ledger and its tokens (monitoring) the same way: pending until a second person approves', async () => {
    const editor = await createToken(store, 'contract editor', 'editor');
    const reviewer = await createToken(store, 'contract reviewer', 'reviewer');
    const editorHolder = await verifyToken(store, editor.token);
    const reviewerHolder = await verifyToken(store, reviewer.token);
    expect(editorHolder).toEqual({ id: editor.id, name: 'contract editor', role: 'editor' });
    if (!editorHolder || !reviewerHolder) throw new Error('tokens were not stored');
    const input = {
      node: '2.2.a.1', status: 'complete', date: '2024-12-31', kind: 'government-claim', publisher: 'SSPC', title: 'Informe',
      source: 'https://example.org/x', note: { es: 'Listo.' }, author: 'Prueba',
    };
    const entry = await addEvidence(store, input, editorHolder);
    expect(entry).toMatchObject({ id: expect.any(Number), date: '2024-12-31', recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/), review: { state: 'pending' } });
    // The shipped catalog's entries (origin catalog) are public from the start; submitted ones only once approved.
    const submitted = async (filter: Parameters<typeof listEvidence>[1] = {}) => (await listEvidence(store, filter)).filter((e) => e.origin === 'request');
    expect(await submitted({ node: '2.2' })).toEqual([]);
    expect((await listPending(store)).map((e) => e.id)).toEqual([entry.id]);
    // The submitter cannot approve it, not even with a reviewer token under the same name.
    const twin = await verifyToken(store, (await createToken(store, 'Contract Editor', 'reviewer')).token);
    if (!twin) throw new Error('token was not stored');
    await expect(reviewEvidence(store, entry.id, { decision: 'approve' }, twin)).rejects.toThrow(/self-approval refused/);
    await reviewEvidence(store, entry.id, { decision: 'approve' }, reviewerHolder);
    expect((await submitted({ node: '2.2' })).map((e) => e.id)).toEqual([entry.id]);
    expect(await submitted({ node: '2.2.b' })).toEqual([]);
    // A rejection keeps the entry, with its reason, in the ledger and out of the public views.
    const rejected = await addEvidence(store, { ...input, note: { en: 'Wrong source.' } }, editorHolder);
    await expect(reviewEvidence(store, rejected.id, { decision: 'reject' }, reviewerHolder)).rejects.toThrow(/a rejection needs a reason/);
    await reviewEvidence(store, rejected.id, { decision: 'reject', reason: 'the source does not say so' }, reviewerHolder);
    expect((await submitted()).map((e) => e.id)).toEqual([entry.id]);
    const [kept] = await listEvidence(store, { id: rejected.id, visibility: 'ledger' });
    expect(kept?.review).toMatchObject({ state: 'rejected', reviewer: 'contract reviewer', reason: 'the source does not say so' });
    // Two reviewers deciding at once: one decision goes in, the other is told it came too late (409), on either store.
    const second = await verifyToken(store, (await createToken(store, 'contract reviewer 2', 'reviewer')).token);
    if (!second) throw new Error('token was not stored');
    const raced = await addEvidence(store, { ...input, note: { en: 'Raced.' } }, editorHolder);
    const outcomes = await Promise.allSettled([
      reviewEvidence(store, raced.id, { decision: 'approve' }, reviewerHolder), reviewEvidence(store, raced.id, { decision: 'reject', reason: 'no' }, second),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect((refused?.reason as { code?: string } | undefined)?.code).toBe('conflict');
    expect(await revokeToken(store, editor.id)).toBe(true);
    expect(await verifyToken(store, editor.token)).toBeNull();
  });

  it('loads catalog evidence once, approved; a changed entry is a new row and the old one is withdrawn, not edited', async () => {
    const claim: CatalogEvidenceEntry = {
      id: 'contract-claim', node: '1', date: '2022-10-13', status: 'substantial', kind: 'government-claim', publisher: 'Gov', title: 'Joint statement',
      source: 'https://example.org/joint', note: { es: 'El gobierno dice que avanzó.', en: 'The government says it advanced.' },
    };
    const assessment: CatalogEvidenceEntry = {
      id: 'contract-assessment', node: '1', date: '2023-01-10', status: 'limited', kind: 'independent-assessment', publisher: 'NGO', title: 'Review',
      source: 'https://example.org/review', note: { es: 'Una ONG lo disputa.', en: 'An NGO disputes it.' }, disputes: 'contract-claim',
    };
    // Listed disputing-first on purpose: the seed stores the disputed entry first. Seeding these two alone withdraws
    // the shipped catalog's entries (they are not in this list), so the store holds the fixtures only.
    const shipped = (await listEvidence(store)).filter((e) => e.origin === 'catalog').length;
    expect(await store.write((tx) => seedCatalogEvidence(tx, [assessment, claim]))).toEqual({ added: 2, withdrawn: shipped });
    expect(await store.write((tx) => seedCatalogEvidence(tx, [assessment, claim]))).toEqual({ added: 0, withdrawn: 0 });
    const loaded = await listEvidence(store, { node: '1' });
    expect(loaded.map((e) => [e.catalogId, e.origin, e.review.state, e.review.reviewer])).toEqual([
      ['contract-claim', 'catalog', 'approved', 'catalog'], ['contract-assessment', 'catalog', 'approved', 'catalog'],
    ]);
    expect(loaded[1]?.disputes).toBe(loaded[0]?.id);
    const changed = { ...claim, status: 'complete' as const };
    expect(await store.write((tx) => seedCatalogEvidence(tx, [assessment, changed]))).toEqual({ added: 2, withdrawn: 2 });
    const now = await listEvidence(store, { node: '1' });
    expect(now.map((e) => [e.catalogId, e.status])).toEqual([['contract-claim', 'complete'], ['contract-assessment', 'limited']]);
    expect(now[1]?.disputes).toBe(now[0]?.id);
    const withdrawnFixtures = (await listEvidence(store, { state: 'withdrawn' })).filter((e) => e.catalogId?.startsWith('contract-'));
    expect(withdrawnFixtures.map((e) => e.review.reason)).toEqual([expect.stringMatching(/changed/), expect.stringMatching(/changed/)]);
    expect(await store.write((tx) => seedCatalogEvidence(tx, [changed]))).toEqual({ added: 0, withdrawn: 1 });
    expect((await listEvidence(store, { node: '1' })).map((e) => e.catalogId)).toEqual(['contract-claim']);
  });
});
