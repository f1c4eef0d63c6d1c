import { stringify } from 'csv-stringify/sync';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { loadCatalog } from '../catalog/index.js';
import { AssistanceAccount, FundingStage, IsoDate, Lang, RequestError, SPREADSHEET_SAFE_CSV } from '../domain/index.js';
import { addEvidence, computeScorecard, listAssistance, listEvidence, pipelineByYear, reportedFigures, verifyToken } from '../monitoring/index.js';
import type { Store } from '../store/index.js';

type Respond = (c: Context, format: 'json' | 'csv', produce: () => Promise<unknown>, toCsv?: (data: unknown) => string, extraKey?: string) => Promise<Response>;

const ScorecardQuery = z.strictObject({
  lang: Lang.default('es'),
  as_of: IsoDate.optional().describe('judge data freshness at this date (default: today)'),
  through: z.string().regex(/^\d{4}$/, 'expected a year such as 2024').transform(Number).optional().describe('only data and evidence up to the end of this year'),
});
const EvidenceQuery = z.strictObject({
  action: z.string().optional().describe('an action id, or a node id for every action below it'),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
const AssistanceQuery = z.strictObject({ account: AssistanceAccount.optional(), stage: FundingStage.optional(), lang: Lang.default('es') });

const today = () => new Date().toISOString().slice(0, 10);

/** The bearer token of the request's holder; 401 without a valid one (evidence is written only by token holders). */
async function requireToken(c: Context, store: Store): Promise<{ id: number; name: string }> {
  const header = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new RequestError('unauthorized', 'this route needs an admin token: send "Authorization: Bearer <token>" (the operator of this server issues tokens)');
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
  const scorecardOf = (c: Context) => {
    const q = ScorecardQuery.parse(c.req.query());
    const asOf = q.as_of ?? today();
    const compute = () => computeScorecard(store, { lang: q.lang, asOf: new Date(`${asOf}T00:00:00Z`), ...(q.through === undefined ? {} : { through: q.through }) });
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

  app.get('/api/v1/evidence', (c) => {
    const q = EvidenceQuery.parse(c.req.query());
    return respond(c, 'json', () => listEvidence(store, q));
  });
  app.get('/api/v1/evidence/:id', (c) =>
    respond(c, 'json', async () => {
      const id = Number(c.req.param('id'));
      if (!Number.isInteger(id) || id < 1) throw new RequestError('bad_request', 'an evidence id is a positive whole number');
      const [entry] = await listEvidence(store, { id });
      if (!entry) throw new RequestError('not_found', `no evidence entry ${id}`, { id });
      return entry;
    }),
  );
  app.post('/api/v1/evidence', async (c) => {
    const holder = await requireToken(c, store);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new RequestError('bad_request', 'the body must be a JSON object: {action, status, date, source, note: {es?, en?}, author}');
    }
    const entry = await addEvidence(store, body, holder.name, 'request body');
    return c.json(entry, 201, { Location: `/api/v1/evidence/${entry.id}` });
  });
  for (const path of ['/api/v1/evidence', '/api/v1/evidence/:id']) {
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
