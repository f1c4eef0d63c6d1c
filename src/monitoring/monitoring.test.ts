import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/index.js';
import { bundledDataPath, loadCatalog } from '../catalog/index.js';
import type { EvidenceEntry } from '../domain/index.js';
import { buildReportHtml } from '../report/index.js';
import { loadedStore } from '../test-support/bundled-store.js';
import type { TempStore } from '../test-support/temp-store.js';
import { addEvidence, computeScorecard, createToken, listEvidence, reportedFigures, revokeToken, type Scorecard } from './index.js';

let t: TempStore;
let app: ReturnType<typeof createApp>;
let token: string;
let reviewerToken: string;
beforeAll(async () => {
  t = await loadedStore();
  app = createApp(t.store);
  token = (await createToken(t.store, 'test editor', 'editor')).token;
  reviewerToken = (await createToken(t.store, 'test reviewer', 'reviewer')).token;
});
afterAll(async () => {
  await t.cleanup();
});

const entry = {
  node: '1.3.b.1', status: 'limited', date: '2024-05-10', kind: 'independent-assessment', publisher: 'Test Institute', title: 'Forensic capacity review',
  source: 'https://example.org/forensic-lab-report',
  note: { en: 'Two forensic identification centres opened; the national forensic database is still missing.' }, author: 'Ana Analyst',
};
const post = (body: unknown, headers: Record<string, string> = {}) =>
  app.request('/api/v1/evidence', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
const review = (id: number, body: unknown, bearer: string) =>
  app.request(`/api/v1/evidence/${id}/review`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` } });

describe('scorecard', () => {
  let card: Scorecard;
  beforeAll(async () => {
    card = await computeScorecard(t.store, { lang: 'en', asOf: new Date(Date.UTC(2026, 10, 29)) });
  });

  it('covers every node of the catalog, and lists every node lacking targets in the gap report', () => {
    const { framework, indicators } = loadCatalog();
    expect(card.nodes.map((n) => n.id)).toEqual(framework.nodes.map((n) => n.id));
    expect(card.summary.nodes).toBe(framework.nodes.length);
    const withoutTarget = card.nodes.filter((n) => n.kind !== 'action' && !n.hasTarget).map((n) => n.id);
    expect(withoutTarget.length).toBeGreaterThan(0);
    for (const id of withoutTarget) expect(card.gaps.find((g) => g.id === id)?.missing).toContain('no-target');
    // The catalog publishes no official targets, so no indicator may claim a progress class that needs one.
    expect(indicators.every((i) => i.targets.length === 0)).toBe(true);
    expect(card.indicators.every((i) => i.progress === 'no-target' || i.progress === 'no-data')).toBe(true);
  });

  it('computes baselines and trends from the bundled data', () => {
    const homicides = card.indicators.find((i) => i.code === 'mx.homicide.victims');
    expect(homicides?.baseline).toEqual({ period: '2021', geo: '00', value: expect.any(Number), flags: [] });
    expect(homicides?.baseline.value).toBeGreaterThan(30_000);
    expect(homicides?.latestComplete?.period).toBe('2024');
    expect(['improving', 'little-change', 'worsening']).toContain(homicides?.trend);
    // Projections are not data: population is not linked to a node, and no latest period is after the as-of year.
    for (const i of card.indicators) expect(Number((i.latest?.period ?? '0').replace(/^12m-ending-|^FY/, '').slice(0, 4))).toBeLessThanOrEqual(2026);
  });

  it('counts the goals, areas and objectives measured by an indicator with data (24 of 28: the binational part and the border indicators on 2.1.a)', () => {
    const { framework } = loadCatalog();
    const nonActions = framework.nodes.filter((n) => n.kind !== 'action');
    expect(card.summary.goalsAreasObjectives).toBe(nonActions.length);
    expect(nonActions).toHaveLength(28);
    // Independently: a node counts when an indicator linked to it or to a node below it has a latest value.
    const withData = new Set(card.indicators.filter((i) => i.lastPeriodWithData !== null).flatMap((i) => i.nodes));
    const below = (id: string): string[] => framework.nodes.filter((n) => n.parent === id).flatMap((n) => [n.id, ...below(n.id)]);
    const measured = nonActions.filter((n) => [n.id, ...below(n.id)].some((id) => withData.has(id))).map((n) => n.id);
    expect(card.summary.measuredWithData).toBe(measured.length);
    console.info(`measured with data: ${measured.length} of 28; not measured: ${nonActions.map((n) => n.id).filter((id) => !measured.includes(id)).join(', ')}`);
    for (const id of ['1.2', '2.1.a', '2.4', '3.2', '3.2.a', '1.3.x', '1.1.2', '1.1.x', '2.3.x']) expect(measured).toContain(id);
    expect(measured).toHaveLength(24);
    expect(card.summary.indicatorsByTag).toEqual({ militarisation: 2 });
  });

  it('rolls indicators up from objectives to areas and goals, each counted once', () => {
    const goal = card.nodes.find((n) => n.id === '1');
    const area = card.nodes.find((n) => n.id === '1.3');
    expect(goal?.measuredBy).toEqual(expect.arrayContaining([...(area?.measuredBy ?? ['missing'])]));
    expect(new Set(goal?.measuredBy).size).toBe(goal?.measuredBy.length);
    const sum = Object.values(goal?.progress ?? {}).reduce((a, b) => a + b, 0);
    expect(sum).toBe(goal?.measuredBy.length);
  });

  it('through a past year: only that year\'s data and evidence count, and freshness is judged at its end', async () => {
    const past = await computeScorecard(t.store, { lang: 'es', through: 2022 });
    expect(past.asOf).toBe('2022-12-31');
    expect(past.indicators.find((i) => i.code === 'mx.homicide.victims')?.latestComplete?.period).toBe('2022');
  });
});

describe('evidence ledger through the API', () => {
  it('refuses a write without a token, with an unknown token and with a revoked token', async () => {
    const none = await post(entry);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await post(entry, { authorization: 'Bearer obs_not-a-real-token-000000000000000000000000000' })).status).toBe(401);
    const revoked = await createToken(t.store, 'to revoke');
    expect(await revokeToken(t.store, revoked.id)).toBe(true);
    expect((await post(entry, { authorization: `Bearer ${revoked.token}` })).status).toBe(401);
    expect((await listEvidence(t.store, { visibility: 'ledger' })).filter((e) => e.origin === 'request')).toEqual([]);
  });

  it('rejects an invalid entry with the field and what was expected, and stores nothing', async () => {
    const res = await post({ ...entry, status: 'done', kind: 'rumour', source: 'http://example.org/plain' }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { problems: { column: string; expected: string }[] } } };
    expect(body.error.details.problems.map((p) => p.column).sort()).toEqual(['kind', 'source', 'status']);
    const notNode = await post({ ...entry, node: '9.9.9' }, { authorization: `Bearer ${token}` });
    expect(notNode.status).toBe(422);
    expect((await listEvidence(t.store, { visibility: 'ledger' })).filter((e) => e.origin === 'request')).toEqual([]);
  });

  it('an editor\'s entry is invisible publicly until a reviewer approves it; then it is in the API, the page, the scorecard and the report', async () => {
    const res = await post(entry, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(201);
    const created = (await res.json()) as EvidenceEntry;
    expect(created).toMatchObject({ node: '1.3.b.1', status: 'limited', author: 'Ana Analyst', submittedBy: 'test editor', origin: 'request', review: { state: 'pending', reviewer: null } });
    expect(res.headers.get('location')).toBe(`/api/v1/evidence/${created.id}`);

    // The shipped catalog's entries are public already; the submitted one must add to them only after approval.
    const publicViews = async () => {
      const list = ((await (await app.request('/api/v1/evidence?node=1.3')).json()) as EvidenceEntry[]).filter((e) => e.origin === 'request');
      const one = await app.request(`/api/v1/evidence/${created.id}`);
      const page = await (await app.request('/en/framework/1.3.b.1/')).text();
      const objectivePage = await (await app.request('/en/framework/1.3.b/')).text();
      const card = (await (await app.request('/api/v1/scorecard?lang=en&as_of=2026-11-29')).json()) as Scorecard;
      const report = await buildReportHtml(t.store, { year: 2024, lang: 'en', generatedAt: new Date(Date.UTC(2026, 0, 1)) });
      return { list, one: one.status, page, objectivePage, card, report };
    };
    const before = await publicViews();
    expect(before.list).toEqual([]);
    expect(before.one).toBe(404);
    expect(before.page).not.toContain('Two forensic identification centres opened');
    const counts = (card: Scorecard) => ({
      action: card.nodes.find((n) => n.id === '1.3.b.1')?.evidenceCount, objective: card.nodes.find((n) => n.id === '1.3.b')?.evidenceCount,
      goal: card.nodes.find((n) => n.id === '1')?.evidenceCount.withBelow ?? 0, entries: card.summary.evidenceEntries,
      assessments: card.summary.evidenceByKind['independent-assessment'],
    });
    const was = counts(before.card);
    expect(before.report).not.toContain('Two forensic identification centres opened');
    // The ledger (token holders) and the pending queue show it.
    const pending = (await (await app.request('/api/v1/evidence/pending', { headers: { authorization: `Bearer ${reviewerToken}` } })).json()) as EvidenceEntry[];
    expect(pending.map((e) => e.id)).toEqual([created.id]);
    expect((await app.request('/api/v1/evidence/pending')).status).toBe(401);

    // An editor cannot review; the submitter cannot approve their own entry.
    expect((await review(created.id, { decision: 'approve' }, token)).status).toBe(403);
    const approved = await review(created.id, { decision: 'approve' }, reviewerToken);
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as EvidenceEntry).review).toMatchObject({ state: 'approved', reviewer: 'test reviewer', reason: null });
    expect((await review(created.id, { decision: 'reject', reason: 'changed my mind' }, reviewerToken)).status).toBe(409);

    const after = await publicViews();
    expect(after.list.map((e) => e.id)).toEqual([created.id]);
    expect(after.one).toBe(200);
    expect(after.page).toContain('Two forensic identification centres opened');
    expect(after.page).toContain('Independent assessment');
    expect(after.objectivePage).toContain('Two forensic identification centres opened');
    const now = counts(after.card);
    expect(now).toEqual({
      action: { own: (was.action?.own ?? 0) + 1, withBelow: (was.action?.withBelow ?? 0) + 1 },
      objective: { own: was.objective?.own ?? 0, withBelow: (was.objective?.withBelow ?? 0) + 1 },
      goal: was.goal + 1, entries: was.entries + 1, assessments: was.assessments + 1,
    });
    const action = after.card.nodes.find((n) => n.id === '1.3.b.1');
    expect(action?.evidence).not.toBeNull();
    expect(action?.gaps).not.toContain('no-evidence');
    expect(after.card.summary.actionsWithEvidence).toBeGreaterThanOrEqual(1);
    expect(after.card.summary.actionsWithEvidenceShare).toBeCloseTo(after.card.summary.actionsWithEvidence / after.card.summary.nodesByKind.action, 3);
    expect(after.report).toContain('Two forensic identification centres opened');
    const earlier = await buildReportHtml(t.store, { year: 2023, lang: 'en', generatedAt: new Date(Date.UTC(2026, 0, 1)) });
    expect(earlier).not.toContain('Two forensic identification centres opened');
  });

  it('a later entry changes the current status while history keeps both; nothing can be edited or deleted', async () => {
    const editor = { id: 999, name: 'cli editor', role: 'editor' as const };
    // Dated after anything in the shipped catalog, so it becomes the current status.
    const later = await addEvidence(t.store, { ...entry, status: 'not-started', date: '2026-11-01', note: { es: 'Se cerró el banco forense.' } }, editor);
    const reviewerRes = await review(later.id, { decision: 'approve' }, reviewerToken);
    expect(reviewerRes.status).toBe(200);
    const submitted = async () => (await listEvidence(t.store, { node: '1.3.b.1' })).filter((e) => e.origin === 'request');
    const history = await submitted();
    expect(history.map((e) => e.status)).toEqual(['limited', 'not-started']);
    const card = await computeScorecard(t.store, { lang: 'en', asOf: new Date(Date.UTC(2026, 10, 29)) });
    expect(card.nodes.find((n) => n.id === '1.3.b.1')?.evidence).toMatchObject({ status: 'not-started', entry: later.id });
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/api/v1/evidence', `/api/v1/evidence/${history[0]?.id}`, `/api/v1/evidence/${history[0]?.id}/review`]) {
        const res = await app.request(path, { method, body: JSON.stringify(entry), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
        expect(res.status, `${method} ${path}`).toBe(405);
      }
    }
    expect((await submitted()).map((e) => e.status)).toEqual(['limited', 'not-started']);
  });
});

describe('reported figures beside computed ones', () => {
  it('computes Observa\'s value for each comparable figure and states why they differ', async () => {
    const figures = await reportedFigures(t.store, 'en');
    const homicides = figures.find((f) => f.id === 'homicides-2020');
    expect(homicides?.reported.value).toBe(36_773);
    expect(homicides?.computed?.value).toBeGreaterThan(30_000);
    expect(homicides?.difference?.absolute).toBe((homicides?.computed?.value ?? 0) - 36_773);
    expect(homicides?.reasons.map((r) => r.code)).toContain('source');
    const envipe = figures.find((f) => f.id === 'crimes-with-result-2020');
    expect(envipe?.computed).toBeNull();
    expect(envipe?.reasons.map((r) => r.code)).toEqual(['not-computable']);
    const overdoses = figures.find((f) => f.id === 'us-overdoses-2021-04');
    expect(overdoses?.computed?.value).toBeGreaterThan(100_000);
  });
});

describe('transcribed headline figures among the cited figures', () => {
  it('all 41 rows of the transcribed table, each with its value, outlet and address, in both languages', async () => {
    const rows = parse(readFileSync(bundledDataPath('secondary/transcribed_headline_figures.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(41);
    for (const lang of ['es', 'en'] as const) {
      const figures = (await reportedFigures(t.store, lang)).filter((f) => f.id.startsWith('transcribed-'));
      expect(figures).toHaveLength(rows.length);
      figures.forEach((f, i) => {
        const row = rows[i] as Record<string, string>;
        expect(f.reported.value, f.id).toBe(Number(row['value']));
        expect(f.source.url, f.id).toBe(row['source_url']);
        expect(f.source.title, f.id).toBe(row['source_outlet']);
        // One transcription note is in English words ("figure …, as of …"): its Spanish attribution translates them, and is pinned here.
        const attributed = lang === 'es' && f.id === 'transcribed-drugs-13' ? 'DEA NSS (figura NIIPG-021-25, al 25 de marzo de 2025)' : row['attributed_to'];
        expect(f.attribution, f.id).toContain(attributed);
        expect(f.reasons.map((r) => r.code)).toEqual(['not-computable']);
      });
    }
    const es = await reportedFigures(t.store, 'es');
    expect(es.find((f) => f.id === 'transcribed-firearms-13')?.statement).toBe('Armas de fuego aseguradas por fiscalías estatales y federal (Censo Nacional de Procuración de Justicia) (México, 2021)');
  });
});

describe('assistance and risks', () => {
  it('serves the bundled assistance lines with sources, and marks totals', async () => {
    const body = (await (await app.request('/api/v1/assistance')).json()) as { lines: { id: string; isTotal: boolean; source: { url: string } }[]; byYear: { fiscalYear: number; amountUsd: number }[] };
    expect(body.lines.length).toBe(loadCatalog().monitoring.assistance.length);
    expect(body.lines.find((l) => l.id === 'merida-total-fy2008-2021')?.isTotal).toBe(true);
    // The FY2009 split lines are summed; the totals that overlap them are not.
    expect(body.byYear.filter((y) => y.fiscalYear === 2009).reduce((a, y) => a + y.amountUsd, 0)).toBe(420_000_000);
    const csv = await (await app.request('/api/v1/assistance.csv')).text();
    expect(csv.split('\n')[0]).toContain('amount_usd');
    const risks = (await (await app.request('/api/v1/risks')).json()) as unknown[];
    expect(risks.length).toBe(loadCatalog().monitoring.risks.length);
  });
});
