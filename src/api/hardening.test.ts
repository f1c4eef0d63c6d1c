import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseEventInput, CaseInput, MigrantKidnappingIntake, PersonInput } from '../domain/index.js';
import { Gate, NewUser, OPERATOR_PRINCIPAL, createOrganisation, createUser, loadMasterKey } from '../registry/index.js';
import { testStore, type TestStore } from '../test-support/any-store.js';
import { CSV_IMPORT_LIMIT, JSON_BODY_LIMIT } from './body-limits.js';
import { startServer, type RunningServer } from './server.js';

/*
 * The registry's hardening over real HTTP (a real server on a real socket): body limits, headers, the lockout and
 * flood behaviour of sign-in, and client addresses behind a trusted proxy.
 */

process.env['OBSERVA_MASTER_KEY'] = randomBytes(32).toString('base64');
const PASSWORD = 'a long enough passphrase';

let plainStore: TestStore;
let proxiedStore: TestStore;
/** No proxy configured: X-Forwarded-For is ignored. */
let plain: RunningServer;
/** Behind a trusted proxy at 127.0.0.1 (the test client), with small limits. */
let proxied: RunningServer;
/** As in production (LOGIN_GATE): 2 sign-ins checked at once, 16 waiting, 3 per address. */
const loginGate = new Gate(2, 16, 3);
/** The same store, with a gate wide enough to let 41 sign-ins race for real (the gate would otherwise queue them). */
let wide: RunningServer;

const INTAKE = (name: string) => ({
  victim: { name, age: 30, nationality: 'HN' },
  reporter: { name: `${name} (familia)`, relationship: 'hermana', contact: 'familia@example.net' },
  last_seen: { date: '2024-02-03', state: '30' },
  ransom_demanded: false,
  consent: { share_with: ['documenting_organisation'] },
});

function post(server: RunningServer, path: string, body: unknown, forwardedFor?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) },
  });
}

beforeAll(async () => {
  [plainStore, proxiedStore] = [await testStore(), await testStore()];
  const masterKey = loadMasterKey();
  const plainOrg = (await createOrganisation({ store: plainStore.store }, OPERATOR_PRINCIPAL, 'Intake A')).id;
  const proxiedOrg = (await createOrganisation({ store: proxiedStore.store }, OPERATOR_PRINCIPAL, 'Intake B')).id;
  for (const email of ['race@observa.example', 'real@observa.example', 'crowd@observa.example']) {
    await createUser({ store: proxiedStore.store }, OPERATOR_PRINCIPAL, { email, role: 'reviewer', organisationId: proxiedOrg, password: PASSWORD });
  }
  plain = await startServer(plainStore.store, 0, '127.0.0.1', { registry: { masterKey, intakeOrganisationId: plainOrg, intakeSubmissionsPerHour: 5 } });
  proxied = await startServer(proxiedStore.store, 0, '127.0.0.1', {
    registry: { masterKey, intakeOrganisationId: proxiedOrg, intakeSubmissionsPerHour: 5, intakeGlobalPerHour: 8, trustedProxy: '127.0.0.1, 10.0.0.0/8', loginGate },
  });
  wide = await startServer(proxiedStore.store, 0, '127.0.0.1', { registry: { masterKey, trustedProxy: '127.0.0.1', loginGate: new Gate(64, 64) } });
});
afterAll(async () => {
  await plain.close();
  await proxied.close();
  await wide.close();
  await plainStore.cleanup();
  await proxiedStore.cleanup();
});

/** Sends a body declared (Content-Length) as `declared` bytes but writes only 1 KiB: the answer must come without the rest. */
function declaredBody(server: RunningServer, path: string, declared: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(declared) } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.write('{"email": "' + 'x'.repeat(1000));
  });
}

/**
 * Streams a chunked body (no length) of up to 100 MB over a raw socket, 64 KiB at a time, until the server answers;
 * returns the status and how much had been sent by then. A raw socket, so that the answer is seen the moment it
 * arrives, whatever happens to the rest of the upload.
 */
function chunkedBody(server: RunningServer, path: string): Promise<{ status: number; sent: number }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let received = '';
    let status = 0;
    const socket = connect(Number(port), hostname);
    const done = () => (status > 0 ? resolve({ status, sent }) : reject(new Error(`no answer after ${sent} bytes: ${received.slice(0, 200)}`)));
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (m && status === 0) {
        status = Number(m[1]);
        socket.destroy();
        done();
      }
    });
    // After the answer the server closes; writes then fail, which is expected.
    socket.on('error', () => undefined);
    socket.on('close', () => (status === 0 ? done() : undefined));
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const data = Buffer.alloc(64 * 1024, 'a');
    const chunk = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    const pump = () => {
      while (status === 0 && !socket.destroyed && sent < 100 * 1024 * 1024) {
        sent += data.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (status === 0 && !socket.destroyed) socket.write('0\r\n\r\n');
    };
    pump();
  });
}

describe('request bodies are limited on every route', () => {
  it('a declared 100 MB body is refused with 413 before it is sent, on JSON routes, the intake form, evidence and the CSV import', async () => {
    for (const path of ['/api/v1/auth/login', '/api/v1/intake/migrant-kidnapping', '/es/report-kidnapping', '/api/v1/evidence', '/api/v1/cases', '/api/v1/cases/import']) {
      const res = await declaredBody(plain, path, 100 * 1024 * 1024);
      expect(res.status, path).toBe(413);
      const body = JSON.parse(res.body) as { error: { code: string; message: string; details: { limitBytes: number } } };
      expect(body.error.code).toBe('payload_too_large');
      expect(body.error.details.limitBytes).toBe(path === '/api/v1/cases/import' ? CSV_IMPORT_LIMIT : JSON_BODY_LIMIT);
    }
    // Just under the JSON limit is read and judged on its merits (a 400, not a 413).
    expect((await post(plain, '/api/v1/auth/login', { email: 'a@b.example', password: 'p'.repeat(JSON_BODY_LIMIT - 100) })).status).toBe(400);
  });

  it('a chunked body with no length is cut off once it passes the limit, long before 100 MB', async () => {
    const login = await chunkedBody(plain, '/api/v1/auth/login');
    expect(login.status).toBe(413);
    expect(login.sent).toBeLessThan(20 * 1024 * 1024);
    const csv = await chunkedBody(plain, '/api/v1/cases/import');
    expect(csv.status).toBe(413);
    expect(csv.sent).toBeLessThan(CSV_IMPORT_LIMIT + 20 * 1024 * 1024);
  });

  it('every free-text field of the registry schemas has a maximum', () => {
    const long = (n: number) => 'x'.repeat(n + 1);
    const refused = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (result.success ? [] : (result.error?.issues ?? []).map((i) => i.path.join('.')));
    for (const field of ['name', 'contact', 'address', 'dateOfBirth', 'testimony'] as const) {
      expect(refused(PersonInput.safeParse({ role: 'victim', sex: 'unknown', [field]: long(20_000) })), field).toEqual([field]);
    }
    const event = { kind: 'complaint-filed', date: { value: '2024-01-01', precision: 'day' }, source: 'a source', reliability: 'high' };
    expect(refused(CaseEventInput.safeParse({ ...event, source: long(500) }))).toEqual(['source']);
    expect(refused(CaseEventInput.safeParse({ ...event, note: long(4000) }))).toEqual(['note']);
    expect(refused(CaseEventInput.safeParse({ ...event, sourceUrl: `https://example.org/${long(2000)}` }))).toEqual(['sourceUrl']);
    const kase = { type: 'torture', state: '14', occurredOn: { value: '2021', precision: 'year' }, owningOrganisationId: 'org-1' };
    expect(refused(CaseInput.safeParse({ ...kase, owningOrganisationId: long(100) }))).toEqual(['owningOrganisationId']);
    expect(refused(CaseInput.safeParse({ ...kase, summaryPublic: { es: long(2000), en: 'ok' } }))).toEqual(['summaryPublic.es']);
    expect(refused(MigrantKidnappingIntake.safeParse({ ...INTAKE('n'), reporter: { name: long(200), relationship: 'madre', contact: 'c' } }))).toEqual(['reporter.name']);
    expect(refused(NewUser.safeParse({ email: `${long(320)}@example.org`, role: 'admin', organisationId: 'org-1', password: 'p' }))).toEqual(['email']);
    expect(refused(NewUser.safeParse({ email: 'a@example.org', role: 'admin', organisationId: long(100), password: long(4096) }))).toEqual(['organisationId', 'password']);
  });
});

describe('the registry’s stricter headers win over the site’s', () => {
  const strict = (res: Response) => ({ csp: res.headers.get('content-security-policy'), referrer: res.headers.get('referrer-policy'), cache: res.headers.get('cache-control') });

  it('registry API responses carry default-src none and no-referrer', async () => {
    for (const res of [await fetch(`${plain.url}/api/v1/cases`), await post(plain, '/api/v1/auth/login', { email: 'nobody@x.example', password: 'x' }), await fetch(`${plain.url}/api/v1/intake/AAAA-BBBB`)]) {
      expect(strict(res)).toEqual({ csp: "default-src 'none'", referrer: 'no-referrer', cache: 'no-store' });
    }
  });

  it('the intake form and the receipt status page never send a Referer and load no script', async () => {
    const paths = ['/es/report-kidnapping', '/en/report-kidnapping/', '/es/report-kidnapping/status?receipt=ABCD-EFGH-JKMN', '/en/report-kidnapping/status/?receipt=ABCD-EFGH-JKMN', '/en/report-kidnapping/status'];
    for (const path of paths) {
      const res = await fetch(`${plain.url}${path}`);
      const headers = strict(res);
      expect(headers.referrer, path).toBe('no-referrer');
      expect(headers.cache, path).toBe('no-store');
      expect(headers.csp, path).toMatch(/^default-src 'none'; style-src 'self'/);
      expect(headers.csp, path).not.toMatch(/script-src/);
    }
    // The rest of the site keeps its own policy.
    const site = await fetch(`${plain.url}/healthz`);
    expect(site.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(site.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
  });
});

describe('sign-in under attack, over HTTP', () => {
  it('40 parallel wrong guesses from 4 addresses plus the right password return no session', async () => {
    const attempts: Promise<Response>[] = [];
    for (let i = 0; i < 40; i++) attempts.push(post(wide, '/api/v1/auth/login', { email: 'race@observa.example', password: `wrong guess ${i}` }, `192.0.2.${i % 4}`));
    attempts.push(post(wide, '/api/v1/auth/login', { email: 'race@observa.example', password: PASSWORD }, '192.0.2.50'));
    const statuses = await Promise.all(attempts.map(async (r) => (await r).status));
    expect(statuses.filter((s) => s === 200)).toEqual([]);
    // And it stays locked for the right password afterwards.
    expect((await post(wide, '/api/v1/auth/login', { email: 'race@observa.example', password: PASSWORD }, '192.0.2.51')).status).toBe(401);
  });

  it('a flood of random-email sign-ins from one address is refused before hashing, and a real sign-in gets through', async () => {
    const flood = Array.from({ length: 300 }, (_, i) => post(proxied, '/api/v1/auth/login', { email: `random${i}@flood.example`, password: 'flood flood flood' }, '203.0.113.1'));
    const real = post(proxied, '/api/v1/auth/login', { email: 'real@observa.example', password: PASSWORD }, '203.0.113.2');
    const [realStatus, ...floodStatuses] = await Promise.all([real, ...flood].map(async (r) => (await r).status));
    expect(realStatus).toBe(200);
    expect(floodStatuses.every((s) => s === 401 || s === 429)).toBe(true);
    // At most the address's 20 attempts were hashed; everything else was answered 429 without any hashing.
    expect(floodStatuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
    expect(floodStatuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(280);
  });

  it('a flood from many addresses is shed by the hashing gate; a real sign-in is answered and gets in', async () => {
    const refusedBefore = loginGate.refused;
    let settled = 0;
    const flood = Array.from({ length: 100 }, (_, i) =>
      post(proxied, '/api/v1/auth/login', { email: `crowd${i}@flood.example`, password: 'flood flood flood' }, `198.18.${i >> 8}.${i & 255}`).then((r) => {
        settled++;
        return r.status;
      }),
    );
    // The real user retries on 429 (what the page tells them to do), each retry after the previous answer.
    let realStatus = 0;
    let tries = 0;
    while (realStatus !== 200 && tries < 500) {
      tries++;
      realStatus = (await post(proxied, '/api/v1/auth/login', { email: 'crowd@observa.example', password: PASSWORD }, '198.19.0.1')).status;
      expect([200, 429]).toContain(realStatus);
    }
    expect(realStatus).toBe(200);
    const statuses = await Promise.all(flood);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // The gate refused some of the flood outright (never hashed), and did so while the flood was running.
    expect(loginGate.refused - refusedBefore).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429).length).toBe(loginGate.refused - refusedBefore - (tries - 1));
    expect(settled).toBe(100);
  });
});

describe('intake limits and the client address', () => {
  it('without a trusted proxy, X-Forwarded-For is ignored: a client cannot pick a fresh address per request', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(plain, '/api/v1/intake/migrant-kidnapping', INTAKE(`Persona ${i}`), `100.64.0.${i}`)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it('behind a trusted proxy, each client is limited on its own address (the right-most untrusted hop)', async () => {
    const send = (who: string, xff: string) => post(proxied, '/api/v1/intake/migrant-kidnapping', INTAKE(who), xff);
    for (let i = 0; i < 5; i++) expect((await send(`Basura ${i}`, '198.51.100.66')).status).toBe(201);
    const blocked = await send('Basura 5', '198.51.100.66');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    // A spoofed left-hand hop does not help: the proxy appended the real address on the right.
    expect((await send('Basura 6', '1.2.3.4, 198.51.100.66')).status).toBe(429);
    // A trusted internal hop between is skipped.
    expect((await send('Basura 7', '198.51.100.66, 10.1.2.3')).status).toBe(429);
    // A family behind the same proxy is not affected.
    expect((await send('Familia 1', '198.51.100.77')).status).toBe(201);
  });

  it('past the global budget the form stays open: reports are taken one at a time and marked for triage', async () => {
    // 6 reports so far were counted in the global budget of 8; four more families.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(proxied, '/api/v1/intake/migrant-kidnapping', INTAKE(`Familia ${i + 2}`), `198.51.100.${80 + i}`)).status);
    expect(statuses).toEqual([201, 201, 201, 201]);
    const form = await fetch(`${proxied.url}/es/report-kidnapping`);
    expect(form.status).toBe(200);
    const triage = await proxiedStore.store.all<{ triage: string | null; n: number }>('SELECT triage, count(*) AS n FROM intake GROUP BY triage ORDER BY triage NULLS FIRST');
    expect(triage.map((r) => [r.triage, Number(r.n)])).toEqual([[null, 8], ['over-budget', 2]]);
  });
});
