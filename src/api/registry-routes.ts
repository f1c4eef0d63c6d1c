import type { Context, Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { RequestError, type IntakeContacts, type Lang, type SupportContact } from '../domain/index.js';
import {
  ForbiddenError,
  addPerson,
  appendCaseVersion,
  appendEvent,
  assignCase,
  caseHistory,
  createCase,
  erasePerson,
  exportRedacted,
  importCasesText,
  revokeSession,
  funnelAggregates,
  getCase,
  intakeStatus,
  listCases,
  login,
  principalFromToken,
  readPerson,
  RateLimitedError,
  receiveIntake,
  searchCases,
} from '../registry/index.js';
import type { Gate, Principal, RegistryContext } from '../registry/index.js';
import { clientAddress, parseTrustedProxies } from './client-address.js';
import type { Store } from '../store/index.js';
import { fieldErrors, formMessage, formValues, intakeBody, intakeFormPage, intakeReceiptPage, intakeStatusPage, intakeUnavailablePage } from '../site/index.js';

/*
 * The case registry over HTTP. Every case route needs a session bearer token (401 without one) and answers 403
 * when the access policy says no; the policy itself lives in the registry layer, not here. Responses are never
 * cached and carry strict security headers.
 */

export interface RegistryRouteOptions extends Omit<RegistryContext, 'store'> {
  /** Sign-in attempts allowed per client address per 10 minutes, across emails (default 20; successes are given back). */
  readonly loginAttemptsPerAddress?: number;
  /** Intake form submissions allowed per client address per hour (default 30). */
  readonly intakeSubmissionsPerHour?: number;
  /** Intake submissions per hour across all addresses before the slow path (default 300). */
  readonly intakeGlobalPerHour?: number;
  /** Trusted reverse proxies (OBSERVA_TRUSTED_PROXY): addresses or CIDR ranges, comma-separated. */
  readonly trustedProxy?: string;
  /** The hashing gate for sign-in and the slow-path queue for intake (defaults: one per process). */
  readonly loginGate?: Gate;
  readonly intakeSlowGate?: Gate;
}

/** Registry API responses: never cached, never framed, no referrer, nothing loaded. */
const SECURITY_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'",
};

/**
 * The intake pages: the site's stylesheet and nothing else (no script, forms post only here), never cached, and no
 * Referer ever leaves them (the status page's URL holds the receipt). The site-wide headers do not overwrite these.
 */
const PAGE_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

const setHeaders =
  (headers: Record<string, string>): MiddlewareHandler =>
  async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };

const tooMany = (c: Context, retryAfter: number, what: string) =>
  c.json({ error: { code: 'rate_limited', message: `too many ${what}; try again in ${retryAfter} s`, details: { retryAfterSeconds: retryAfter } } }, 429, {
    'Retry-After': String(retryAfter),
  });

const forbidden = (c: Context, message: string) => c.json({ error: { code: 'forbidden', message, details: {} } }, 403);

type Handler = (c: Context) => Promise<Response>;

/** Policy refusals become 403; everything else goes to the app's error handler. */
const guarded =
  (handler: Handler): Handler =>
  async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof ForbiddenError) return forbidden(c, error.message);
      throw error;
    }
  };

async function jsonBody(c: Context, shape: string): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new RequestError('bad_request', `the body must be a JSON object: ${shape}`);
  }
}

const LoginBody = z.strictObject({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
  /** From an earlier successful sign-in on this device: lets its owner in while strangers have locked the account. */
  deviceToken: z.string().min(1).max(200).optional(),
});
const AssignmentBody = z.strictObject({ userId: z.string().trim().min(1).max(100) });
const SearchQuery = z.object({ q: z.string().trim().min(1, 'give a search text in ?q=').max(200) });
const EraseBody = z.strictObject({ reason: z.string().trim().min(3, 'say why (at least 3 characters): it is kept in the audit log').max(500) });
const BreakGlassQuery = z.object({ break_glass: z.string().trim().min(3, 'break_glass needs a stated reason').max(500).optional() });

function idParam(c: Context, name: string): number {
  const raw = c.req.param(name) ?? '';
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new RequestError('bad_request', `${name} must be a positive whole number`, { [name]: raw });
  return id;
}

export function registerRegistry(app: Hono, store: Store, options: RegistryRouteOptions, contacts: IntakeContacts = { alternatives: [] }): void {
  const { loginAttemptsPerAddress, intakeSubmissionsPerHour, intakeGlobalPerHour, trustedProxy, loginGate, intakeSlowGate, ...rest } = options;
  const ctx: RegistryContext = { ...rest, store };
  const trusted = parseTrustedProxies(trustedProxy);
  const clientIp = (c: Context) => clientAddress(c, trusted);
  const intakeLimits = {
    ...(intakeSubmissionsPerHour === undefined ? {} : { perAddressPerHour: intakeSubmissionsPerHour }),
    ...(intakeGlobalPerHour === undefined ? {} : { globalPerHour: intakeGlobalPerHour }),
    ...(intakeSlowGate === undefined ? {} : { slowGate: intakeSlowGate }),
  };

  for (const path of ['/api/v1/auth/*', '/api/v1/intake/*', '/api/v1/intake', '/api/v1/cases', '/api/v1/cases/*']) app.use(path, setHeaders(SECURITY_HEADERS));

  /** The signed-in principal; 401 without a valid session token. */
  async function principal(c: Context, breakGlassReason?: string): Promise<Principal> {
    const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!m) throw new RequestError('unauthorized', 'sign in first: POST /api/v1/auth/login, then send "Authorization: Bearer <token>"');
    const found = await principalFromToken(ctx, m[1] as string, breakGlassReason);
    if (!found) throw new RequestError('unauthorized', 'the session is unknown, expired or revoked: sign in again');
    return found;
  }

  app.post('/api/v1/auth/login', async (c) => {
    const body = LoginBody.parse(await jsonBody(c, '{email, password, deviceToken?}'));
    const result = await login(ctx, body.email, body.password, {
      address: clientIp(c),
      ...(body.deviceToken === undefined ? {} : { deviceToken: body.deviceToken }),
      ...(loginAttemptsPerAddress === undefined ? {} : { attemptsPerAddress: loginAttemptsPerAddress }),
      ...(loginGate === undefined ? {} : { gate: loginGate }),
    });
    if (!result.ok && (result.reason === 'rate-limited' || result.reason === 'busy')) {
      return tooMany(c, result.retryAfterSeconds, result.reason === 'busy' ? 'sign-ins being checked right now' : 'sign-in attempts from this address');
    }
    // One answer for a wrong password, an unknown email and a locked account: nothing to learn about who has one.
    if (!result.ok) throw new RequestError('unauthorized', 'wrong email or password, or the account is locked for a while after repeated failures');
    return c.json({ token: result.token, expiresAt: result.expiresAt, deviceToken: result.deviceToken });
  });

  app.post('/api/v1/intake/migrant-kidnapping', async (c) => {
    if (!ctx.intakeOrganisationId) throw new RequestError('not_found', 'the intake form is not open on this server');
    try {
      const body = await jsonBody(c, '{victim, reporter, last_seen, ransom_demanded, consent}');
      // An Idempotency-Key header makes a retried request answer the same receipt instead of making a second case.
      const { receipt } = await receiveIntake(ctx, body, clientIp(c), intakeLimits, c.req.header('idempotency-key'));
      return c.json({ receipt }, 201);
    } catch (error) {
      if (error instanceof RateLimitedError) return tooMany(c, error.retryAfterSeconds, error.message.replace(/^too many /, ''));
      throw error;
    }
  });
  app.get('/api/v1/intake/:receipt', async (c) => c.json(await intakeStatus(ctx, c.req.param('receipt'))));

  // The same intake as a plain HTML form, for families without tools: no script, no account, errors in their language.
  // The receiving organisation's contact: from the configuration, or at least its name as registered.
  let receiving: Promise<SupportContact | undefined> | null = null;
  const receivingContact = () =>
    (receiving ??= (async () => {
      if (contacts.receiving) return contacts.receiving;
      if (!ctx.intakeOrganisationId) return undefined;
      const [org] = await store.all<{ name: string }>('SELECT name FROM organisation WHERE id = ?', [ctx.intakeOrganisationId]);
      return org ? { name: org.name } : undefined;
    })());
  const closed = (c: Context, lang: Lang) => c.html(intakeUnavailablePage(lang, 'closed', contacts.alternatives), 503);
  for (const lang of ['es', 'en'] as const) {
    // The pages keep the site's CSP (its stylesheet) but are never cached and never leak the URL (receipts) as referrer.
    for (const path of [`/${lang}/report-kidnapping`, `/${lang}/report-kidnapping/status`, `/${lang}/report-kidnapping/received`]) app.use(path, setHeaders(PAGE_HEADERS));
    app.get(`/${lang}/report-kidnapping`, async (c) => (ctx.intakeOrganisationId ? c.html(intakeFormPage(lang, { contact: await receivingContact() })) : closed(c, lang)));
    app.post(`/${lang}/report-kidnapping`, async (c) => {
      if (!ctx.intakeOrganisationId) return closed(c, lang);
      const values = formValues(await c.req.parseBody({ all: true }));
      const key = typeof values['idempotency_key'] === 'string' ? values['idempotency_key'] : undefined;
      try {
        const { receipt } = await receiveIntake(ctx, intakeBody(values), clientIp(c), intakeLimits, key);
        // Post–redirect–get: reloading the receipt page reads it again instead of sending the form again.
        return c.redirect(`/${lang}/report-kidnapping/received/?receipt=${encodeURIComponent(receipt)}`, 303);
      } catch (error) {
        const contact = await receivingContact();
        if (error instanceof RateLimitedError) {
          return c.html(intakeFormPage(lang, { values, errors: [{ field: null, message: formMessage(lang, 'busy') }], ...(contact ? { contact } : {}) }), 429, { 'Retry-After': String(error.retryAfterSeconds) });
        }
        const errors = fieldErrors(lang, error);
        if (errors) return c.html(intakeFormPage(lang, { values, errors, ...(contact ? { contact } : {}) }), 400);
        throw error;
      }
    });
    app.get(`/${lang}/report-kidnapping/received`, async (c) => {
      const receipt = (c.req.query('receipt') ?? '').trim();
      try {
        await intakeStatus(ctx, receipt);
      } catch (error) {
        if (error instanceof RequestError && error.code === 'not_found') return c.html(intakeStatusPage(lang, receipt, 'not-found'), 404);
        throw error;
      }
      return c.html(intakeReceiptPage(lang, receipt, await receivingContact()));
    });
    app.get(`/${lang}/report-kidnapping/status`, async (c) => {
      const receipt = (c.req.query('receipt') ?? '').trim();
      if (receipt === '') return c.html(intakeStatusPage(lang, '', null));
      try {
        return c.html(intakeStatusPage(lang, receipt, await intakeStatus(ctx, receipt)));
      } catch (error) {
        if (error instanceof RequestError && error.code === 'not_found') return c.html(intakeStatusPage(lang, receipt, 'not-found'), 404);
        throw error;
      }
    });
  }

  // Fixed paths before /:id.
  app.get('/api/v1/cases/funnel', async (c) => c.json(await funnelAggregates(ctx)));
  app.get(
    '/api/v1/cases/export.csv',
    guarded(async (c) => {
      const csv = await exportRedacted(ctx, await principal(c));
      return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="cases-redacted.csv"' });
    }),
  );
  app.post(
    '/api/v1/cases/import',
    guarded(async (c) => {
      const who = await principal(c);
      const text = await c.req.text();
      const file = (c.req.query('file') ?? 'upload.csv').replace(/[^\w.-]/g, '_').slice(0, 100);
      return c.json(await importCasesText(ctx, who, text, file), 201);
    }),
  );
  app.get(
    '/api/v1/cases/search',
    guarded(async (c) => {
      const who = await principal(c);
      const { q } = SearchQuery.parse(c.req.query());
      return c.json({ cases: await searchCases(ctx, who, q) });
    }),
  );
  app.get('/api/v1/cases', guarded(async (c) => c.json({ cases: await listCases(ctx, await principal(c)) })));
  app.post(
    '/api/v1/cases',
    guarded(async (c) => {
      const who = await principal(c);
      const created = await createCase(ctx, who, await jsonBody(c, 'the case fields with visibility and sharedWithOrganisations'));
      return c.json(created, 201, { Location: `/api/v1/cases/${created.id}` });
    }),
  );
  app.get('/api/v1/cases/:id', guarded(async (c) => c.json(await getCase(ctx, await principal(c), idParam(c, 'id')))));
  app.get('/api/v1/cases/:id/history', guarded(async (c) => c.json(await caseHistory(ctx, await principal(c), idParam(c, 'id')))));
  app.post(
    '/api/v1/cases/:id/versions',
    guarded(async (c) => {
      const who = await principal(c);
      return c.json(await appendCaseVersion(ctx, who, idParam(c, 'id'), await jsonBody(c, 'the whole case, corrected')), 201);
    }),
  );
  app.post(
    '/api/v1/cases/:id/persons',
    guarded(async (c) => {
      const who = await principal(c);
      return c.json(await addPerson(ctx, who, idParam(c, 'id'), await jsonBody(c, 'a person')), 201);
    }),
  );
  app.get(
    '/api/v1/cases/:id/persons/:pid',
    guarded(async (c) => {
      const { break_glass } = BreakGlassQuery.parse(c.req.query());
      const who = await principal(c, break_glass);
      return c.json(await readPerson(ctx, who, idParam(c, 'id'), idParam(c, 'pid')));
    }),
  );
  app.post(
    '/api/v1/cases/:id/events',
    guarded(async (c) => {
      const who = await principal(c);
      return c.json(await appendEvent(ctx, who, idParam(c, 'id'), await jsonBody(c, 'an event')), 201);
    }),
  );
  app.post(
    '/api/v1/cases/:id/assignments',
    guarded(async (c) => {
      const who = await principal(c);
      const { userId } = AssignmentBody.parse(await jsonBody(c, '{userId}'));
      return c.json(await assignCase(ctx, who, idParam(c, 'id'), userId), 201);
    }),
  );

  // Erasure (right to be forgotten): the person's data key is dropped, so every sealed field becomes unreadable, in
  // backups too. The person row and the audit trail of the erasure stay.
  app.post(
    '/api/v1/cases/:id/persons/:pid/erase',
    guarded(async (c) => {
      const who = await principal(c);
      const { reason } = EraseBody.parse(await jsonBody(c, '{reason}'));
      return c.json(await erasePerson(ctx, who, idParam(c, 'id'), idParam(c, 'pid'), reason));
    }),
  );
  app.post('/api/v1/auth/logout', async (c) => {
    const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!m || !(await revokeSession(ctx, m[1] as string))) throw new RequestError('unauthorized', 'no active session to end');
    return c.body(null, 204);
  });

  const appendOnly = () => {
    throw new RequestError('method_not_allowed', 'cases are append-only: POST a new version to correct one; nothing is edited or deleted in place');
  };
  for (const path of ['/api/v1/cases/:id', '/api/v1/cases/:id/persons/:pid']) {
    app.put(path, appendOnly);
    app.patch(path, appendOnly);
    app.delete(path, appendOnly);
  }
}
