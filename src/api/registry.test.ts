import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_PRINCIPAL, addPerson, appendEvent, createCase, createOrganisation, createUser, loadMasterKey } from '../registry/index.js';
import type { Principal, RegistryContext } from '../registry/index.js';
import { testStore, type TestStore } from '../test-support/any-store.js';
import { errorResponse } from './errors.js';
import { registerRegistry } from './registry-routes.js';

process.env['OBSERVA_MASTER_KEY'] = randomBytes(32).toString('base64');

const PASSWORD = 'a long enough passphrase';
const PERSONAL = {
  name: 'Guadalupe Itzel Matrixperez',
  contact: 'itzel.matrix.5519@example.org',
  address: 'Andador Colibrí 77, Barrio Matrixtlán',
  dateOfBirth: '1979-02-28',
  testimony: 'Declaración matriz: vio a dos agentes sin uniforme',
};
const INTAKE = {
  victim: 'Efraín Cux Matriz',
  reporter: 'Marta Cux Matriz',
  contact: 'marta.cux.matriz@example.net',
  relationship: 'madre',
  place: 'central de autobuses de Matrixcoatl',
};
// The relationship is stored inside the reporter's sealed testimony; "madre" alone is too common to search for.
const SECRET_VALUES = [...Object.values(PERSONAL), INTAKE.victim, INTAKE.reporter, INTAKE.contact, INTAKE.place, `parentesco: ${INTAKE.relationship}`];

const VISIBILITIES = ['private', 'shared', 'public-aggregate'] as const;
type Vis = (typeof VISIBILITIES)[number];
const ROLES = ['anonymous', 'public', 'analyst', 'reviewer', 'docAssigned', 'docUnassigned', 'docSharedOrg', 'docOtherOrg', 'admin', 'adminBreakGlass'] as const;
type Role = (typeof ROLES)[number];

/*
 * The expected access matrix, written by hand from the policy (not derived from the code). One row per route, one
 * column per role; each cell has one letter per case visibility: private, shared, public-aggregate.
 *   A 401 (no session)       F 403 (the policy says no)
 *   Y 2xx; for list/search/export the case is in the answer     E 200 but the case is not in the answer
 *   P 200 with the person's personal fields                     R 200 with the person, personal fields null
 * The case is owned by organisation A and shared with organisation B (the sharing is dormant while it is private);
 * docSharedOrg is a documenter of B, docOtherOrg of C; every other user is in A. docAssigned is assigned to the case.
 */
const EXPECTED = `
route         anonymous public analyst reviewer docAssigned docUnassigned docSharedOrg docOtherOrg admin adminBreakGlass
list          AAA       EEE    YYY     YYY      YYY         YYY           EYY          EEE         YYY   YYY
search        AAA       EEE    YYY     YYY      YYY         YYY           EYY          EEE         YYY   YYY
export        AAA       EEE    YYY     EEE      EEE         EEE           EEE          EEE         EEE   EEE
read          AAA       FFF    FFF     YYY      YYY         YYY           FYY          FFF         YYY   YYY
history       AAA       FFF    FFF     YYY      YYY         YYY           FYY          FFF         FFF   FFF
version       AAA       FFF    FFF     FFF      YYY         YYY           FYY          FFF         FFF   FFF
addPerson     AAA       FFF    FFF     FFF      YYY         YYY           FYY          FFF         FFF   FFF
event         AAA       FFF    FFF     YYY      YYY         YYY           FYY          FFF         FFF   FFF
assign        AAA       FFF    FFF     FFF      FFF         FFF           FFF          FFF         YYY   YYY
person        AAA       FFF    FFF     RRR      PPP         RRR           FRR          FFF         RRR   PPP
create        AAA       FFF    FFF     FFF      YYY         YYY           FFF          FFF         FFF   FFF
funnel        YYY       YYY    YYY     YYY      YYY         YYY           YYY          YYY         YYY   YYY
intakeStatus  YYY       YYY    YYY     YYY      YYY         YYY           YYY          YYY         YYY   YYY
`;

type Cell = 'A' | 'F' | 'Y' | 'E' | 'P' | 'R';
function parseExpected(): Map<string, Record<Role, Record<Vis, Cell>>> {
  const [header, ...lines] = EXPECTED.trim().split('\n');
  const roles = (header as string).trim().split(/\s+/).slice(1);
  expect(roles).toEqual([...ROLES]);
  const table = new Map<string, Record<Role, Record<Vis, Cell>>>();
  for (const line of lines) {
    const [route, ...cells] = line.trim().split(/\s+/) as [string, ...string[]];
    const row = {} as Record<Role, Record<Vis, Cell>>;
    ROLES.forEach((role, i) => {
      const cell = cells[i] as string;
      expect(cell, `${route} ${role}`).toMatch(/^[AFYEPR]{3}$/);
      row[role] = Object.fromEntries(VISIBILITIES.map((v, j) => [v, cell[j] as Cell])) as Record<Vis, Cell>;
    });
    table.set(route, row);
  }
  return table;
}

let temp: TestStore;
let app: Hono;
let orgA: string;
let orgB: string;
let orgC: string;
const tokens = new Map<Role, string>();
const userIds = new Map<Role, string>();
const cases = new Map<Vis, { id: number; personId: number; body: Record<string, unknown> }>();
let receipt: string;

const auth = (role: Role): Record<string, string> => {
  const token = tokens.get(role);
  return token ? { Authorization: `Bearer ${token}` } : {};
};
const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

async function call(role: Role, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return app.request(path, { ...init, headers: { ...(init.headers ?? {}), ...auth(role) } });
}

const caseBody = (visibility: Vis, tag: string) => ({
  type: 'torture',
  state: '14',
  municipality: '14039',
  occurredOn: { value: '2021-08-14', precision: 'day' },
  owningOrganisationId: orgA,
  visibility,
  sharedWithOrganisations: [orgB],
  summaryPublic: { es: `caso matriz ${tag}`, en: `matrix case ${tag}` },
});

beforeAll(async () => {
  temp = await testStore();
  const masterKey = loadMasterKey();
  const ctx: RegistryContext = { store: temp.store, masterKey };
  orgA = (await createOrganisation(ctx, OPERATOR_PRINCIPAL, 'Organisation A')).id;
  orgB = (await createOrganisation(ctx, OPERATOR_PRINCIPAL, 'Organisation B')).id;
  orgC = (await createOrganisation(ctx, OPERATOR_PRINCIPAL, 'Organisation C')).id;

  app = new Hono();
  app.onError((error, c) => {
    const { status, body } = errorResponse(error);
    return c.json(body, status);
  });
  registerRegistry(app, temp.store, { masterKey, intakeOrganisationId: orgA, intakeRecipientOrganisations: { search_commission: orgB } });

  const accounts: [Role, 'public' | 'analyst' | 'reviewer' | 'documenter' | 'admin', string][] = [
    ['public', 'public', orgA],
    ['analyst', 'analyst', orgA],
    ['reviewer', 'reviewer', orgA],
    ['docAssigned', 'documenter', orgA],
    ['docUnassigned', 'documenter', orgA],
    ['docSharedOrg', 'documenter', orgB],
    ['docOtherOrg', 'documenter', orgC],
    ['admin', 'admin', orgA],
  ];
  for (const [role, userRole, org] of accounts) {
    const email = `${role.toLowerCase()}@observa.example`;
    const user = await createUser(ctx, OPERATOR_PRINCIPAL, { email, role: userRole, organisationId: org, password: PASSWORD });
    userIds.set(role, user.id);
    const res = await app.request('/api/v1/auth/login', json({ email, password: PASSWORD }));
    expect(res.status, `login ${role}`).toBe(200);
    tokens.set(role, ((await res.json()) as { token: string }).token);
  }
  tokens.set('adminBreakGlass', tokens.get('admin') as string);

  // The intake case exists too: its people must never show up in any answer below.
  const intake = await app.request(
    '/api/v1/intake/migrant-kidnapping',
    json({
      victim: { name: INTAKE.victim, age: 19, nationality: 'HN' },
      reporter: { name: INTAKE.reporter, relationship: INTAKE.relationship, contact: INTAKE.contact },
      last_seen: { date: '2024-02-03', state: '30', place: INTAKE.place },
      ransom_demanded: true,
      consent: { share_with: ['documenting_organisation', 'search_commission', 'prosecutors'] },
    }),
  );
  expect(intake.status).toBe(201);
  receipt = ((await intake.json()) as { receipt: string }).receipt;

  const creator: Principal = { kind: 'user', userId: userIds.get('docAssigned') as string, role: 'documenter', organisationId: orgA };
  for (const visibility of VISIBILITIES) {
    const body = caseBody(visibility, visibility);
    const created = await createCase(ctx, creator, body);
    const person = await addPerson(ctx, creator, created.id, { role: 'victim', sex: 'female', ageAtEvent: 41, nationality: 'MX', ...PERSONAL });
    await appendEvent(ctx, creator, created.id, { kind: 'complaint-filed', date: { value: '2021-09', precision: 'month' }, source: 'acta', reliability: 'high' });
    cases.set(visibility, { id: created.id, personId: person.id, body });
  }
});

afterAll(async () => {
  await temp?.cleanup();
});

type RouteCall = (role: Role, target: { id: number; personId: number; body: Record<string, unknown> }, visibility: Vis) => Promise<Response>;

const ROUTES: Record<string, { call: RouteCall; listed?: (body: string, id: number) => boolean }> = {
  list: {
    call: (role) => call(role, '/api/v1/cases'),
    listed: (body, id) => (JSON.parse(body) as { cases: { id: number }[] }).cases.some((c) => c.id === id),
  },
  search: {
    call: (role, _t, v) => call(role, `/api/v1/cases/search?q=${encodeURIComponent(`matrix case ${v}`)}`),
    listed: (body, id) => (JSON.parse(body) as { cases: { id: number }[] }).cases.some((c) => c.id === id),
  },
  export: {
    call: (role) => call(role, '/api/v1/cases/export.csv'),
    listed: (body, id) => body.split('\r\n').some((line) => line.startsWith(`${id},`)),
  },
  read: { call: (role, t) => call(role, `/api/v1/cases/${t.id}`) },
  history: { call: (role, t) => call(role, `/api/v1/cases/${t.id}/history`) },
  version: { call: (role, t) => call(role, `/api/v1/cases/${t.id}/versions`, json(t.body)) },
  addPerson: { call: (role, t) => call(role, `/api/v1/cases/${t.id}/persons`, json({ role: 'witness', sex: 'unknown', ...PERSONAL })) },
  event: {
    call: (role, t) => call(role, `/api/v1/cases/${t.id}/events`, json({ kind: 'search-action', date: { value: '2022', precision: 'year' }, source: 'field notes', reliability: 'medium' })),
  },
  assign: { call: (role, t) => call(role, `/api/v1/cases/${t.id}/assignments`, json({ userId: userIds.get('docAssigned') })) },
  person: {
    call: (role, t) =>
      call(role, `/api/v1/cases/${t.id}/persons/${t.personId}${role === 'adminBreakGlass' ? `?break_glass=${encodeURIComponent('family requested a copy of the file')}` : ''}`),
  },
  create: { call: (role, _t, v) => call(role, '/api/v1/cases', json(caseBody(v, `created by ${role}`))) },
  funnel: { call: (role) => call(role, '/api/v1/cases/funnel') },
  intakeStatus: { call: (role) => call(role, `/api/v1/intake/${receipt}`) },
};

describe('the access matrix over the routes', () => {
  it('answers every route, role and visibility as the expected table says, and leaks no personal value', async () => {
    const expected = parseExpected();
    expect([...expected.keys()].sort()).toEqual(Object.keys(ROUTES).sort());
    const failures: string[] = [];
    for (const [route, { call: run, listed }] of Object.entries(ROUTES)) {
      for (const role of ROLES) {
        for (const visibility of VISIBILITIES) {
          const want = (expected.get(route) as Record<Role, Record<Vis, Cell>>)[role][visibility];
          const target = cases.get(visibility) as { id: number; personId: number; body: Record<string, unknown> };
          const res = await run(role, target, visibility);
          const body = await res.text();
          const where = `${route} as ${role} on a ${visibility} case`;
          const status = { A: [401], F: [403], Y: [200, 201], E: [200], P: [200], R: [200] }[want];
          if (!status.includes(res.status)) failures.push(`${where}: expected ${status.join('/')} (${want}), got ${res.status} ${body.slice(0, 200)}`);
          if (res.status === 403 && JSON.parse(body).error?.code !== 'forbidden') failures.push(`${where}: a 403 without the forbidden error body`);
          if (listed && (want === 'Y' || want === 'E') && res.status === 200 && listed(body, target.id) !== (want === 'Y')) {
            failures.push(`${where}: the case should ${want === 'Y' ? '' : 'not '}be in the answer`);
          }
          if (want === 'P') {
            for (const value of Object.values(PERSONAL)) if (!body.includes(value)) failures.push(`${where}: personal value "${value}" missing`);
          } else {
            for (const value of SECRET_VALUES) if (body.includes(value)) failures.push(`${where}: leaks "${value}"`);
          }
          if (res.headers.get('cache-control') !== 'no-store' || res.headers.get('content-security-policy') !== "default-src 'none'") {
            failures.push(`${where}: missing security headers`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses break-glass to anyone but an admin of the owning organisation, and refuses unknown tokens', async () => {
    const target = cases.get('shared') as { id: number; personId: number };
    const res = await call('reviewer', `/api/v1/cases/${target.id}/persons/${target.personId}?break_glass=curious`);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/break-glass refused/);
    const bogus = await app.request('/api/v1/cases', { headers: { Authorization: 'Bearer not-a-real-token' } });
    expect(bogus.status).toBe(401);
  });
});

describe('the public intake form', () => {
  const minimal = {
    victim: { name: 'Persona Mínima' },
    reporter: { name: 'Quien Reporta', relationship: 'primo', contact: 'whatsapp +502 5555 0000' },
    last_seen: { date: '2024-01-15', state: '07' },
    ransom_demanded: false,
    consent: { share_with: ['documenting_organisation'] },
  };

  it('answers 201 with a receipt for the minimal fields', async () => {
    const res = await app.request('/api/v1/intake/migrant-kidnapping', json(minimal));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { receipt: string };
    expect(Object.keys(body)).toEqual(['receipt']);
    expect(body.receipt).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
    const status = await app.request(`/api/v1/intake/${body.receipt}`);
    expect(status.status).toBe(200);
    const shown = (await status.json()) as Record<string, unknown>;
    expect(Object.keys(shown).sort()).toEqual(['lastUpdate', 'stage', 'type']);
    expect(shown).toMatchObject({ type: 'migrant-kidnapping', stage: null });
    expect(JSON.stringify(shown)).not.toMatch(/Persona Mínima|Quien Reporta|whatsapp/);
  });

  it.each([
    ['victim', 'immigration_status', { ...minimal, victim: { ...minimal.victim, immigration_status: 'undocumented' } }],
    ['reporter', 'us_address', { ...minimal, reporter: { ...minimal.reporter, us_address: '12 Elm St, Houston TX' } }],
  ])('refuses %s.%s with a clear message', async (_who, field, body) => {
    const res = await app.request('/api/v1/intake/migrant-kidnapping', json(body));
    expect([400, 422]).toContain(res.status);
    const error = ((await res.json()) as { error: { message: string } }).error;
    expect(error.message).toContain(`"${field}"`);
    expect(error.message).toMatch(/never immigration status or addresses/);
  });

  it('answers 404 for an unknown receipt and refuses a body that is not JSON', async () => {
    expect((await app.request('/api/v1/intake/ABCD-EFGH-JKLM-NPQR')).status).toBe(404);
    expect((await app.request('/api/v1/intake/migrant-kidnapping', { method: 'POST', body: 'name=x' })).status).toBe(400);
  });
});

describe('sessions and headers', () => {
  it('/api/v1/cases answers 401 without credentials, with the security headers', async () => {
    const res = await app.request('/api/v1/cases');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(Object.fromEntries(['cache-control', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'content-security-policy'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'",
    });
  });

  it('rate-limits sign-in per address across emails with a 429 JSON error; successes are given back', async () => {
    const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
    const attempt = (email: string, password: string, address: string) => app.request('/api/v1/auth/login', json({ email, password }), from(address));
    // Successes do not count: a shared office address is not closed by its own staff signing in.
    for (let i = 0; i < 25; i++) expect((await attempt('admin@observa.example', PASSWORD, '198.51.100.7')).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await attempt(`nobody${i}@observa.example`, 'not the password', '198.51.100.7')).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // The right password from that address waits too; another address is not affected.
    const limited = await attempt('admin@observa.example', PASSWORD, '198.51.100.7');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await attempt('admin@observa.example', PASSWORD, '198.51.100.8')).status).toBe(200);
  });

  it('cases are append-only: PUT and DELETE answer 405', async () => {
    const id = (cases.get('private') as { id: number }).id;
    expect((await call('docAssigned', `/api/v1/cases/${id}`, { method: 'DELETE' })).status).toBe(405);
    expect((await call('docAssigned', `/api/v1/cases/${id}`, { method: 'PUT', body: '{}' })).status).toBe(405);
  });
});

describe('erasure and sign-out over HTTP', () => {
  it('an assigned documenter erases a person: every sealed field is gone for everyone; others are refused', async () => {
    const id = (cases.get('private') as { id: number }).id;
    const added = await call('docAssigned', `/api/v1/cases/${id}/persons`, json({ role: 'relative', sex: 'female', name: 'Persona para borrar Quetzalli', contact: 'borrar.7781@example.org' }));
    expect(added.status).toBe(201);
    const pid = ((await added.json()) as { id: number }).id;
    const erase = (role: Role, reason = 'the family withdrew consent') => call(role, `/api/v1/cases/${id}/persons/${pid}/erase`, json({ reason }));
    expect((await erase('docUnassigned')).status).toBe(403);
    expect((await erase('analyst')).status).toBe(403);
    expect((await erase('docAssigned', '')).status).toBe(400);
    const done = await erase('docAssigned');
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ erased: true, name: null, contact: null });
    const read = await (await call('docAssigned', `/api/v1/cases/${id}/persons/${pid}`)).text();
    expect(read).not.toContain('Quetzalli');
    expect(read).toContain('"erased":true');
  });

  it('sign-out ends the session: the token stops working', async () => {
    const login = await app.request('/api/v1/auth/login', json({ email: 'reviewer@observa.example', password: PASSWORD }));
    const token = ((await login.json()) as { token: string }).token;
    const headers = { Authorization: `Bearer ${token}` };
    expect((await app.request('/api/v1/cases', { headers })).status).toBe(200);
    expect((await app.request('/api/v1/auth/logout', { method: 'POST', headers })).status).toBe(204);
    expect((await app.request('/api/v1/cases', { headers })).status).toBe(401);
    expect((await app.request('/api/v1/auth/logout', { method: 'POST', headers })).status).toBe(401);
  });
});
