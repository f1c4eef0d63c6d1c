import { stringify } from 'csv-stringify/sync';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { dataVersion } from '../analytics/index.js';
import { loadCatalog } from '../catalog/index.js';
import { AssistanceAccount, EvidenceKind, FundingStage, IsoDate, Lang, RequestError, ReviewState, SPREADSHEET_SAFE_CSV } from '../domain/index.js';
import {
  ScorecardCache, addEvidence, evidenceSources, listAssistance, listEvidence, pipelineByYear, reportedFigures, reviewEvidence, verifyToken,
  type TokenHolder,
} from '../monitoring/index.js';
import type { Store } from '../store/index.js';

type Respond = (c: Context, format: 'json' | 'csv', produce: () => Promise<unknown>, toCsv?: (data: unknown) => string, extraKey?: string) => Promise<Response>;

const ScorecardQuery = z.strictObject({
  lang: Lang.default('es'),
  as_of: IsoDate.optional().describe('judge data freshness at this date (default: today)'),
  through: z.string().regex(/^\d{4}$/, 'expected a year such as 2024').transform(Number).optional().describe('only data and evidence up to the end of this year'),
});
const EvidenceQuery = z.strictObject({
  node: z.string().max(40).optional().describe('a node id: entries about it and every node below it'),
  /** The name of this parameter before evidence covered every node. */
  action: z.string().max(40).optional().describe('the same as node (kept for older clients)'),
  kind: EvidenceKind.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
const LedgerQuery = EvidenceQuery.extend({ state: ReviewState.optional() });

/** The filter of a query: `action` is read as `node` when `node` is absent. */
const evidenceFilter = (q: z.infer<typeof EvidenceQuery>) => {
  const node = q.node ?? q.action;
  return { ...(node === undefined ? {} : { node }), ...(q.kind ? { kind: q.kind } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) };
};
const AssistanceQuery = z.strictObject({ account: AssistanceAccount.optional(), stage: FundingStage.optional(), lang: Lang.default('es') });

const today = () => new Date().toISOString().slice(0, 10);

/** The bearer token of the request's holder; 401 without a valid one (evidence is written only by token holders). */
async function requireToken(c: Context, store: Store): Promise<TokenHolder> {
  const header = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new RequestError('unauthorized', 'this route needs a token: send "Authorization: Bearer <token>" (create one with `observa token create --role editor|reviewer`)');
  const holder = await verifyToken(store, m[1] as string);
  if (!holder) throw new RequestError('unauthorized', 'the token is unknown or has been revoked');
  return holder;
}

const appendOnly = () => {
  throw new RequestError('method_not_allowed', 'evidence entries are append-only: they cannot be edited or deleted; POST a new entry to record a change or a correction');
};

const gapsCsv = (rows: unknown) =>
  stringify((rows as { id: string; kind: string; title: string; missing: string[] }[]).map((g) => ({ ...g, missing: g.missing.join(';') })), { header: true, ...SPREADSHEET_SAFE_CSV });

export function registerMonitoring(app: Hono, store: Store, respond: Respond): void {
  /** The scorecard a request asks for; freshness depends on the date, so the date is part of the cache key. */
  // Each distinct as_of is a new URL (and response cache entry), but not a new reading of the store.
  const scorecards = new ScorecardCache();
  const scorecardOf = (c: Context) => {
    const q = ScorecardQuery.parse(c.req.query());
    const asOf = q.as_of ?? today();
    const compute = async () =>
      scorecards.scorecard(store, await dataVersion(store), { lang: q.lang, asOf: new Date(`${asOf}T00:00:00Z`), ...(q.through === undefined ? {} : { through: q.through }) });
    return { asOf, compute };
  };
  app.get('/api/v1/scorecard', (c) => {
    const { asOf, compute } = scorecardOf(c);
    return respond(c, 'json', compute, undefined, asOf);
  });
  const gapsRoute = (format: 'csv' | null) => (c: Context) => {
    const { asOf, compute } = scorecardOf(c);
    const chosen = format ?? ((c.req.header('accept') ?? '').includes('text/csv') ? 'csv' : 'json');
    return respond(c, chosen, async () => (await compute()).gaps, gapsCsv, asOf);
  };
  app.get('/api/v1/scorecard/gaps', gapsRoute(null));
  app.get('/api/v1/scorecard/gaps.csv', gapsRoute('csv'));

  // Public reads show approved entries only; token holders read the whole ledger (pending, rejected, withdrawn) uncached.
  app.get('/api/v1/evidence', (c) => {
    const q = EvidenceQuery.parse(c.req.query());
    return respond(c, 'json', () => listEvidence(store, evidenceFilter(q)));
  });
  app.get('/api/v1/evidence/sources', (c) => {
    const { lang } = z.strictObject({ lang: Lang.default('es') }).parse(c.req.query());
    return respond(c, 'json', () => evidenceSources(store, lang));
  });
  const ledgerRoute = (fixed: 'pending' | null) => async (c: Context) => {
    await requireToken(c, store);
    const q = LedgerQuery.parse(c.req.query());
    const state = fixed ?? q.state;
    const entries = await listEvidence(store, { ...evidenceFilter(q), visibility: 'ledger', ...(state ? { state } : {}) });
    return c.json(entries, 200, { 'Cache-Control': 'no-store' });
  };
  app.get('/api/v1/evidence/ledger', ledgerRoute(null));
  app.get('/api/v1/evidence/pending', ledgerRoute('pending'));
  const evidenceId = (c: Context) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || id < 1 || id > 2 ** 31 - 1) throw new RequestError('bad_request', 'an evidence id is a positive whole number');
    return id;
  };
  app.get('/api/v1/evidence/:id', (c) =>
    respond(c, 'json', async () => {
      const id = evidenceId(c);
      const [entry] = await listEvidence(store, { id });
      // Pending, rejected and withdrawn entries are not public: the answer is the same as for an id that does not exist.
      if (!entry) throw new RequestError('not_found', `no published evidence entry ${id}`, { id });
      return entry;
    }),
  );
  app.post('/api/v1/evidence', async (c) => {
    const holder = await requireToken(c, store);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new RequestError('bad_request', 'the body must be a JSON object: {node, status, date, kind, publisher, title, source, note: {es?, en?}, author, disputes?}');
    }
    const entry = await addEvidence(store, body, holder, 'request body');
    return c.json(entry, 201, { Location: `/api/v1/evidence/${entry.id}`, 'Cache-Control': 'no-store' });
  });
  app.post('/api/v1/evidence/:id/review', async (c) => {
    const holder = await requireToken(c, store);
    const id = evidenceId(c);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new RequestError('bad_request', 'the body must be a JSON object: {decision: "approve" | "reject", reason?}');
    }
    const entry = await reviewEvidence(store, id, body, holder, 'request body');
    return c.json(entry, 200, { 'Cache-Control': 'no-store' });
  });
  for (const path of ['/api/v1/evidence', '/api/v1/evidence/:id', '/api/v1/evidence/:id/review']) {
    app.put(path, appendOnly);
    app.patch(path, appendOnly);
    app.delete(path, appendOnly);
  }

  app.get('/api/v1/risks', (c) => respond(c, 'json', async () => loadCatalog().monitoring.risks));
  app.get('/api/v1/events', (c) => respond(c, 'json', async () => loadCatalog().framework.events));
  app.get('/api/v1/reported', (c) => {
    const { lang } = z.object({ lang: Lang.default('es') }).parse(c.req.query());
    return respond(c, 'json', () => reportedFigures(store, lang));
  });
  const assistanceCsv = (rows: unknown) =>
    stringify((rows as Awaited<ReturnType<typeof listAssistance>>).map((l) => ({
      id: l.id, program: l.program, account: l.account, account_name: l.accountName ?? '', fy_from: l.fyFrom, fy_to: l.fyTo, stage: l.stage,
      amount_usd: l.amountUsd, is_total: l.isTotal ? 'true' : 'false', pillars: l.pillars.join(';'), goals: l.goals.join(';'), confidence: l.confidence,
      origin: l.origin, release_id: l.releaseId ?? '', source_title: l.source.title, source_url: l.source.url, note_es: l.note.es, note_en: l.note.en,
    })), { header: true, ...SPREADSHEET_SAFE_CSV });
  const assistanceRoute = (format: 'json' | 'csv' | null) => (c: Context) => {
    const q = AssistanceQuery.parse(c.req.query());
    const chosen = format ?? ((c.req.header('accept') ?? '').includes('text/csv') ? 'csv' : 'json');
    const filter = { ...(q.account ? { account: q.account } : {}), ...(q.stage ? { stage: q.stage } : {}) };
    return respond(c, chosen, async () => {
      const lines = await listAssistance(store, filter);
      return chosen === 'csv' ? lines : { lines, byYear: pipelineByYear(lines) };
    }, assistanceCsv);
  };
  app.get('/api/v1/assistance', assistanceRoute(null));
  app.get('/api/v1/assistance.csv', assistanceRoute('csv'));
}
