import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/index.js';
import { CatalogError, loadCatalog, loadEvidenceCatalog } from '../catalog/index.js';
import type { EvidenceEntry } from '../domain/index.js';
import { DuckDbStore, SCHEMA_VERSION, migrateServer, seedCatalogEvidence, type Store } from '../store/index.js';
import { tempPgStore } from '../test-support/pg-store.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { computeScorecard, createToken, evidenceSources, listEvidence, reviewEvidence, verifyToken } from './index.js';

const { framework, indicators } = loadCatalog();

describe('evidence catalog file (evidence.yaml format)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'observa-evidence-yaml-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = (text: string) => {
    const path = join(dir, 'evidence.yaml');
    writeFileSync(path, text);
    return loadEvidenceCatalog(path, 'fixture/evidence.yaml', framework, indicators);
  };
  const entry = (over: Record<string, string> = {}) => {
    const e = {
      id: 'ev-claim', node: '1', date: '2022-10-13', status: 'substantial', kind: 'government-claim', publisher: 'U.S. Department of State',
      title: 'Joint statement', source: 'https://www.state.gov/joint-statement', ...over,
    };
    return `  - ${Object.entries(e).map(([k, v]) => `${k}: "${v}"`).join('\n    ')}\n    note: { es: "Los gobiernos dicen que avanzaron.", en: "The governments say they advanced." }\n`;
  };

  it('the shipped file loads: every entry on a Framework node with an https source and both languages', () => {
    const shipped = loadCatalog().evidence;
    const nodes = new Set(framework.nodes.map((n) => n.id));
    for (const e of shipped.entries) {
      expect(nodes.has(e.node), e.id).toBe(true);
      expect(e.source, e.id).toMatch(/^https:\/\//);
      expect(e.note.es.length > 0 && e.note.en.length > 0, e.id).toBe(true);
    }
    expect(Array.isArray(shipped.figures)).toBe(true);
    expect(Array.isArray(shipped.targets)).toBe(true);
  });

  it('accepts a valid file with a dispute, a figure, a target and the promise of benchmarks', () => {
    const c = load(`entries:\n${entry()}${entry({ id: 'ev-assessment', kind: 'independent-assessment', publisher: 'WOLA', status: 'limited' })}    disputes: ev-claim\n` +
      `figures:\n  - id: fig-labs\n    node: "2.2"\n    statement: { es: "Laboratorios desmantelados", en: "Labs dismantled" }\n    value: 1000\n    qualifier: at-most\n` +
      `    unit: { es: "laboratorios", en: "labs" }\n    period: "2022"\n    reasons: [not-computable]\n    explanation: { es: "Sin serie propia.", en: "No series of our own." }\n` +
      `    attribution: { es: "Gobierno de México", en: "Government of Mexico" }\n    source: { title: "Informe", url: "https://www.gob.mx/informe", date: "2022-09-01" }\n` +
      `targets:\n  - node: "1"\n    value: 10\n    period: "2024"\n    source: "https://www.state.gov/benchmarks"\n` +
      `benchmarks_promise:\n  node: "1"\n  date: "2022-10-13"\n  publisher: "U.S. Department of State"\n  title: "Joint statement"\n  source: "https://www.state.gov/joint-statement"\n` +
      `  note: { es: "Prometieron fijar puntos de referencia.", en: "They promised to set benchmarks." }\n`);
    expect(c.entries.map((e) => [e.id, e.disputes])).toEqual([['ev-claim', undefined], ['ev-assessment', 'ev-claim']]);
    expect(c.figures[0]?.qualifier).toBe('at-most');
    expect(c.targets).toHaveLength(1);
    expect(c.benchmarks_promise?.publisher).toBe('U.S. Department of State');
  });

  it('refuses an unknown node, a repeated id, an http source, an impossible date and a dispute of nothing, naming line, column and value', () => {
    const cases: [string, RegExp][] = [
      [`entries:\n${entry({ node: '9.9.9' })}`, /line 3, column \d+, value "9\.9\.9", at entries\.0\.node: expected the id of a Framework node/],
      [`entries:\n${entry()}${entry()}`, /line 11, column \d+, value "ev-claim", at entries\.1\.id: entry id ev-claim is used twice/],
      [`entries:\n${entry({ source: 'http://www.state.gov/x' })}`, /line 9, .*value "http:\/\/www\.state\.gov\/x".*expected an https:\/\/ address/],
      [`entries:\n${entry({ date: '2022-02-30' })}`, /line 4, .*value "2022-02-30".*a date that exists in the calendar/],
      [`entries:\n${entry()}    disputes: ev-nothing\n`, /line 11, .*value "ev-nothing".*expected the id of another entry/],
      [`entries:\n${entry({ kind: 'rumour' })}`, /line 6, .*value "rumour", at entries\.0\.kind/],
    ];
    for (const [text, message] of cases) {
      expect(() => load(text)).toThrow(CatalogError);
      expect(() => load(text)).toThrow(message);
    }
    expect(() => load('entries: [\n')).toThrow(/not valid YAML:\n {2}fixture\/evidence\.yaml, line \d+, column \d+/);
  });

  it('refuses disputes that go round in a circle', () => {
    const text = `entries:\n${entry({ id: 'a' })}    disputes: b\n${entry({ id: 'b' })}    disputes: a\n`;
    expect(() => load(text)).toThrow(/disputes go round in a circle/);
  });
});

/** Turns a fresh store's ledger back into schema 4's (evidence about actions only, no review). */
async function makeSchema4(store: Store): Promise<void> {
  await store.write(async (tx) => {
    await tx.run(`DROP TABLE evidence`);
    await tx.run(`DROP TABLE evidence_review`);
    await tx.run(`CREATE TABLE evidence (
      id INTEGER PRIMARY KEY, action VARCHAR NOT NULL, status VARCHAR NOT NULL, date DATE NOT NULL, source VARCHAR NOT NULL,
      note_es VARCHAR, note_en VARCHAR, author VARCHAR NOT NULL, submitted_by VARCHAR NOT NULL, recorded_at TIMESTAMPTZ NOT NULL)`);
    await tx.run(`INSERT INTO evidence VALUES (1, '1.3.b.1', 'limited', '2024-05-10', 'https://example.org/old', NULL, 'An entry from before review.', 'Ana', 'old token', now())`);
    await tx.run(tx.dialect === 'duckdb' ? `INSERT OR REPLACE INTO meta VALUES ('schema_version', '4')` : `UPDATE meta SET value = '4' WHERE key = 'schema_version'`);
  });
}

async function expectMigrated(store: Store): Promise<void> {
  const [old] = await listEvidence(store, { visibility: 'ledger' });
  expect(old).toMatchObject({
    id: 1, node: '1.3.b.1', kind: 'observa-judgement', publisher: 'Ana', title: 'https://example.org/old', origin: 'request', submittedBy: 'old token',
    review: { state: 'pending', reviewer: null }, note: { en: 'An entry from before review.' },
  });
  expect((await listEvidence(store)).filter((e) => e.origin === 'request')).toEqual([]);
  const reviewer = await verifyToken(store, (await createToken(store, 'migrated reviewer', 'reviewer')).token);
  if (!reviewer) throw new Error('token was not stored');
  await reviewEvidence(store, 1, { decision: 'approve' }, reviewer);
  expect((await listEvidence(store)).filter((e) => e.origin === 'request').map((e) => e.id)).toEqual([1]);
  const [version] = await store.all<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`);
  // Migrated all the way up, to what this code writes.
  expect(version?.value).toBe(String(SCHEMA_VERSION));
}

describe('stores written before review existed (schema 4) still open', () => {
  it('DuckDB: the ledger is migrated, its entries wait for a reviewer', async () => {
    const t = await tempStore();
    try {
      await makeSchema4(t.store);
      await t.store.close();
      const reopened = await DuckDbStore.open(t.path);
      try {
        await expectMigrated(reopened);
      } finally {
        await reopened.close();
      }
    } finally {
      await t.cleanup();
    }
  });

  it('PostgreSQL: the same, when the server store is opened again', async () => {
    const t = await tempPgStore();
    try {
      await makeSchema4(t.store);
      await migrateServer(t.store);
      await migrateServer(t.store);
      await expectMigrated(t.store);
    } finally {
      await t.cleanup();
    }
  });
});

describe('scorecard, sources and pages with catalog evidence (fixture entries; seeding them withdraws the shipped ones)', () => {
  let t: TempStore;
  let app: ReturnType<typeof createApp>;
  const catalogEvidence = loadCatalog().evidence;
  const saved = { targets: [...catalogEvidence.targets], promise: catalogEvidence.benchmarks_promise };
  beforeAll(async () => {
    t = await tempStore();
    app = createApp(t.store);
    await t.store.write((tx) => seedCatalogEvidence(tx, [
      {
        id: 'fixture-claim', node: '2.2.a.1', date: '2022-10-13', status: 'substantial', kind: 'government-claim', publisher: 'Fixture Government',
        title: 'Fixture joint statement', source: 'https://example.org/fixture-joint', note: { es: 'El gobierno afirma avances.', en: 'The government claims progress.' },
      },
      {
        id: 'fixture-assessment', node: '2.2.a.1', date: '2023-03-01', status: 'limited', kind: 'independent-assessment', publisher: 'Fixture NGO',
        title: 'Fixture review', source: 'https://example.org/fixture-review', note: { es: 'Una ONG lo disputa.', en: 'An NGO disputes it.' }, disputes: 'fixture-claim',
      },
      {
        id: 'fixture-goal', node: '3', date: '2023-10-05', status: 'unclear', kind: 'observa-judgement', publisher: 'Observa',
        title: 'Fixture note', source: 'https://example.org/fixture-goal', note: { es: 'No está claro.', en: 'It is unclear.' },
      },
    ]));
  });
  afterAll(async () => {
    (catalogEvidence as { targets: unknown[] }).targets.splice(0, Infinity, ...saved.targets);
    Object.assign(catalogEvidence, { benchmarks_promise: saved.promise });
    await t.cleanup();
  });

  it('counts approved evidence per node at every level, and actions with evidence as a share', async () => {
    const card = await computeScorecard(t.store, { lang: 'en', asOf: new Date(Date.UTC(2026, 10, 29)) });
    const byId = new Map(card.nodes.map((n) => [n.id, n]));
    expect(byId.get('2.2.a.1')?.evidenceCount).toEqual({ own: 2, withBelow: 2 });
    expect(byId.get('2.2.a.1')?.evidence).toMatchObject({ status: 'limited', date: '2023-03-01', entries: 2 });
    expect(byId.get('2.2.a')?.evidenceCount).toEqual({ own: 0, withBelow: 2 });
    expect(byId.get('2')?.evidenceCount).toEqual({ own: 0, withBelow: 2 });
    expect(byId.get('3')?.evidenceCount.own).toBe(1);
    expect(byId.get('3')?.evidence?.status).toBe('unclear');
    expect(byId.get('3')?.gaps).not.toContain('no-evidence');
    expect(byId.get('1')?.gaps).toContain('no-evidence');
    expect(card.summary.actionsWithEvidence).toBe(1);
    expect(card.summary.actionsWithEvidenceShare).toBe(Math.round((1 / card.summary.nodesByKind.action) * 1000) / 1000);
    expect(card.summary.evidenceEntries).toBe(3);
    expect(card.summary.evidenceByKind).toEqual({ 'government-claim': 1, 'independent-assessment': 1, 'observa-judgement': 1 });
  });

  it('without a published target the scorecard says so and cites the promise of benchmarks; a published target is counted', async () => {
    Object.assign(catalogEvidence, {
      benchmarks_promise: {
        node: '1', date: '2022-10-13', publisher: 'Fixture Government', title: 'Fixture joint statement', source: 'https://example.org/fixture-joint',
        note: { es: 'Prometieron puntos de referencia.', en: 'They promised benchmarks.' },
      },
    });
    const indicatorTargets = indicators.reduce((n, i) => n + i.targets.length, 0);
    const es = await computeScorecard(t.store, { lang: 'es', asOf: new Date(Date.UTC(2026, 10, 29)) });
    if (indicatorTargets === 0) {
      expect(es.summary.targets.statement).toMatch(/Ningún gobierno publicó metas/);
      expect(es.summary.targets.promise).toMatchObject({ publisher: 'Fixture Government', source: 'https://example.org/fixture-joint', note: 'Prometieron puntos de referencia.' });
      const page = await (await app.request('/en/scorecard/')).text();
      expect(page).toContain('Neither government published targets or benchmarks');
      expect(page).toContain('They promised benchmarks.');
    }
    (catalogEvidence as { targets: unknown[] }).targets.push({ node: '2.2.a', value: 5, period: '2024', source: 'https://example.org/target' });
    const withTarget = await computeScorecard(t.store, { lang: 'en', asOf: new Date(Date.UTC(2026, 10, 29)) });
    expect(withTarget.summary.targets).toMatchObject({ published: indicatorTargets + 1, statement: null, promise: null });
    const node = withTarget.nodes.find((n) => n.id === '2.2.a');
    expect(node?.publishedTargets).toEqual([{ value: 5, period: '2024', note: null, source: 'https://example.org/target' }]);
    expect(node?.gaps).not.toContain('no-target');
  });

  it('the action page labels the claim as a claim and shows the assessment disputing it beside it; the goal page shows its own', async () => {
    for (const [lang, claim, disputed] of [['en', 'Government claim', 'Disputed by'], ['es', 'Declaración del gobierno', 'Disputada por']] as const) {
      const page = await (await app.request(`/${lang}/framework/2.2.a.1/`)).text();
      expect(page).toContain(claim);
      const claimRow = /<tr id="evidence-(\d+)">[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
      expect(claimRow).toContain(claim);
      expect(claimRow).toContain(disputed);
      expect(claimRow).toContain(lang === 'en' ? 'An NGO disputes it.' : 'Una ONG lo disputa.');
      expect(claimRow).toContain('href="https://example.org/fixture-joint"');
      expect(page).not.toContain(lang === 'en' ? 'El gobierno afirma avances.' : 'The government claims progress.');
    }
    const objective = await (await app.request('/en/framework/2.2.a/')).text();
    expect(objective).toContain('The government claims progress.');
    const goal = await (await app.request('/en/framework/3/')).text();
    expect(goal).toContain('It is unclear.');
  });

  it('lists every source used, on a page linked from the footer and in the API', async () => {
    const sources = await evidenceSources(t.store, 'en');
    expect(sources.map((s) => s.url)).toEqual(expect.arrayContaining(['https://example.org/fixture-joint', 'https://example.org/fixture-review', 'https://example.org/fixture-goal']));
    const api = (await (await app.request('/api/v1/evidence/sources?lang=en')).json()) as { url: string }[];
    expect(api.map((s) => s.url)).toEqual(sources.map((s) => s.url));
    for (const lang of ['es', 'en'] as const) {
      const page = await (await app.request(`/${lang}/evidence/sources/`)).text();
      expect(page).toContain('href="https://example.org/fixture-review"');
      expect(page).toContain(lang === 'es' ? 'Fuentes de la evidencia' : 'Sources of the evidence');
      const home = await (await app.request(`/${lang}/`)).text();
      expect(home).toContain(`href="/${lang}/evidence/sources/"`);
    }
  });

  it('the ledger route needs a token and shows review states; public lists only approved entries', async () => {
    expect((await app.request('/api/v1/evidence/ledger')).status).toBe(401);
    const holder = await createToken(t.store, 'ledger reader', 'editor');
    const ledger = (await (await app.request('/api/v1/evidence/ledger?state=approved', { headers: { authorization: `Bearer ${holder.token}` } })).json()) as EvidenceEntry[];
    expect(ledger.map((e) => e.catalogId)).toEqual(['fixture-claim', 'fixture-assessment', 'fixture-goal']);
    const claims = (await (await app.request('/api/v1/evidence?kind=government-claim')).json()) as EvidenceEntry[];
    expect(claims.map((e) => e.catalogId)).toEqual(['fixture-claim']);
    const catalogReview = await app.request(`/api/v1/evidence/${ledger[0]?.id}/review`, {
      method: 'POST', body: JSON.stringify({ decision: 'reject', reason: 'no' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${(await createToken(t.store, 'r', 'reviewer')).token}` },
    });
    expect(catalogReview.status).toBe(409);
  });
});
