import { describe, expect, it } from 'vitest';
import { PERSONAL_FIELDS } from '../domain/index.js';
import { GENESIS_HASH, assertNoPersonalData, canonicalJson, chainEntry, headOf, verifyChain } from './audit.js';
import type { AuditEntry, AuditFields } from './audit.js';

const FIELDS: AuditFields[] = [
  { at: '2025-01-10T09:00:00Z', actor: 'u-1', action: 'case.create', target: 'case:1', detail: { type: 'disappearance' } },
  { at: '2025-01-10T09:05:00Z', actor: 'u-1', action: 'person.read-personal', target: 'person:5#name', detail: { field: 'name' } },
  { at: '2025-01-10T09:06:00Z', actor: 'u-2', action: 'event.append', target: 'case:1', detail: { kind: 'complaint-filed', version: 2 } },
  { at: '2025-01-11T10:00:00.123Z', actor: 'u-admin', action: 'person.read-personal', target: 'person:5#address', detail: { breakGlass: true, reason: 'court order' } },
  { at: '2025-01-12T11:00:00-06:00', actor: 'anonymous', action: 'aggregate.read', target: 'funnel', detail: { cached: false, note: null } },
];

function nth<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

function buildChain(fields: readonly AuditFields[] = FIELDS): AuditEntry[] {
  const chain: AuditEntry[] = [];
  for (const f of fields) chain.push(chainEntry(chain[chain.length - 1] ?? null, f));
  return chain;
}

describe('chainEntry', () => {
  it('numbers entries and links each to the previous hash', () => {
    const chain = buildChain();
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(chain[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < chain.length; i++) expect(chain[i]?.prevHash).toBe(chain[i - 1]?.hash);
    for (const e of chain) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(chain.map((e) => e.hash)).size).toBe(chain.length);
  });

  it('hashes canonical JSON, so key order does not matter', () => {
    const a = chainEntry(null, { ...nth(FIELDS, 0), detail: { a: 1, b: 'x' } });
    const b = chainEntry(null, { ...nth(FIELDS, 0), detail: { b: 'x', a: 1 } });
    expect(a.hash).toBe(b.hash);
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it('refuses personal data, odd values and bad timestamps', () => {
    expect(() => chainEntry(null, { ...nth(FIELDS, 0), detail: { name: 'N.N.' } })).toThrow(/personal field "name"/);
    expect(() => chainEntry(null, { ...nth(FIELDS, 0), detail: { ratio: Number.NaN } })).toThrow(/finite number/);
    expect(() => chainEntry(null, { ...nth(FIELDS, 0), detail: { nested: {} as unknown as string } })).toThrow(/must be a string/);
    expect(() => chainEntry(null, { ...nth(FIELDS, 0), at: '10/01/2025' })).toThrow(/ISO 8601/);
    expect(() => chainEntry(null, { ...nth(FIELDS, 0), actor: ' ' })).toThrow(/"actor" may not be empty/);
  });
});

describe('assertNoPersonalData', () => {
  it('refuses every personal field, however it is spelled', () => {
    for (const f of PERSONAL_FIELDS) {
      expect(() => assertNoPersonalData({ [f]: 'x' })).toThrow(/personal field/);
      expect(() => assertNoPersonalData({ [f.toUpperCase()]: 'x' })).toThrow(/personal field/);
    }
    expect(() => assertNoPersonalData({ date_of_birth: '1990-01-01' })).toThrow(/personal field/);
  });

  it('lets through the fact that a field was read', () => {
    expect(() => assertNoPersonalData({ field: 'name', person: 5, breakGlass: true, reason: 'court order' })).not.toThrow();
  });
});

describe('verifyChain', () => {
  const chain = buildChain();
  const head = headOf(chain[chain.length - 1] ?? null);

  it('accepts an intact chain, with or without its head', () => {
    expect(verifyChain(chain)).toEqual({ ok: true, count: 5 });
    expect(verifyChain(chain, head)).toEqual({ ok: true, count: 5 });
    expect(verifyChain([], headOf(null))).toEqual({ ok: true, count: 0 });
  });

  it('finds any single edited field of a middle entry', () => {
    const middle = nth(chain, 2);
    const edits: Partial<Record<keyof AuditEntry, unknown>>[] = [
      { seq: 4 },
      { at: '2025-01-10T09:06:01Z' },
      { actor: 'u-3' },
      { action: 'case.update' },
      { target: 'case:2' },
      { detail: { kind: 'complaint-filed', version: 3 } },
      { detail: { kind: 'complaint-filed' } },
      { detail: { kind: 'complaint-filed', version: 2, extra: true } },
      { detail: { kind: 'complaint-filed', version: '2' } },
      { prevHash: nth(chain, 0).hash },
      { hash: nth(chain, 1).hash },
    ];
    for (const edit of edits) {
      const tampered = chain.map((e) => (e === middle ? ({ ...e, ...edit } as AuditEntry) : e));
      expect(verifyChain(tampered), JSON.stringify(edit)).toEqual({ ok: false, seq: 3, problem: 'edited' });
    }
  });

  it('finds an edit even when the forger recomputes that entry’s hash', () => {
    const forged = chain.map((e, i) => (i === 2 ? rehash({ ...e, actor: 'u-3' }) : e));
    expect(verifyChain(forged)).toEqual({ ok: false, seq: 4, problem: 'removed-or-reordered' });
  });

  it('finds a rewritten tail only with the head kept apart', () => {
    const rewritten = buildChain(FIELDS.map((f, i) => (i === 4 ? { ...f, actor: 'u-9' } : f)));
    expect(verifyChain(rewritten)).toEqual({ ok: true, count: 5 });
    expect(verifyChain(rewritten, head)).toEqual({ ok: false, seq: 5, problem: 'edited' });
  });

  it('finds a deleted first, middle or last entry', () => {
    expect(verifyChain(chain.slice(1))).toEqual({ ok: false, seq: 1, problem: 'bad-start' });
    expect(verifyChain([...chain.slice(0, 2), ...chain.slice(3)])).toEqual({ ok: false, seq: 3, problem: 'removed-or-reordered' });
    // The newest entry gone leaves a valid shorter chain: only the head shows it.
    expect(verifyChain(chain.slice(0, 4))).toEqual({ ok: true, count: 4 });
    expect(verifyChain(chain.slice(0, 4), head)).toEqual({ ok: false, seq: 5, problem: 'removed-or-reordered' });
    expect(verifyChain([], head)).toEqual({ ok: false, seq: 1, problem: 'removed-or-reordered' });
  });

  it('finds entries the head does not cover', () => {
    const longer = [...chain, chainEntry(nth(chain, 4), nth(FIELDS, 0))];
    expect(verifyChain(longer, head)).toEqual({ ok: false, seq: 6, problem: 'edited' });
  });

  it('finds swapped and moved entries', () => {
    const swapped = [nth(chain, 0), nth(chain, 1), nth(chain, 3), nth(chain, 2), nth(chain, 4)];
    expect(verifyChain(swapped)).toEqual({ ok: false, seq: 3, problem: 'removed-or-reordered' });
    const firstTwoSwapped = [nth(chain, 1), nth(chain, 0), ...chain.slice(2)];
    expect(verifyChain(firstTwoSwapped)).toEqual({ ok: false, seq: 1, problem: 'bad-start' });
    const movedToEnd = [nth(chain, 0), nth(chain, 2), nth(chain, 3), nth(chain, 4), nth(chain, 1)];
    expect(verifyChain(movedToEnd)).toEqual({ ok: false, seq: 2, problem: 'removed-or-reordered' });
    expect(verifyChain(movedToEnd, head)).toEqual({ ok: false, seq: 2, problem: 'removed-or-reordered' });
  });

  it('finds a chain that does not start at the genesis hash', () => {
    const orphan = rehash({ ...nth(chain, 0), prevHash: 'f'.repeat(64) });
    expect(verifyChain([orphan])).toEqual({ ok: false, seq: 1, problem: 'bad-start' });
  });
});

/** What a forger with write access to the table can do: recompute the edited entry's own hash over its own seq and prevHash. */
function rehash(entry: AuditEntry): AuditEntry {
  const { at, actor, action, target, detail } = entry;
  return chainEntry({ seq: entry.seq - 1, hash: entry.prevHash } as AuditEntry, { at, actor, action, target, detail });
}
