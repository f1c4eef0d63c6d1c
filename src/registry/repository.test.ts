import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUSTICE_STAGE_ORDER } from '../domain/index.js';
import type { CaseType, JusticeEventKind } from '../domain/index.js';
import { testStore, type TestStore } from '../test-support/any-store.js';
import { loadMasterKey } from './crypto.js';
import type { Principal } from './policy.js';
import {
  ForbiddenError,
  OPERATOR_PRINCIPAL,
  addPerson,
  appendCaseVersion,
  appendEvent,
  assignCase,
  caseHistory,
  createCase,
  createOrganisation,
  createUser,
  erasePerson,
  exportRedacted,
  funnelAggregates,
  getCase,
  intakeStatus,
  listCases,
  login,
  principalFromToken,
  readPerson,
  searchCases,
  receiveIntake,
  submitIntake,
  verifyAudit,
  type RegistryContext,
} from './index.js';
import { REGISTRY_TABLES } from './schema.js';

process.env['OBSERVA_MASTER_KEY'] = randomBytes(32).toString('base64');

const PASSWORD = 'correct horse battery staple';

/** Personal values that must never appear in clear anywhere in the store. Each is unlikely to occur by chance. */
const PERSONAL = {
  name: 'Xochiquetzal Ramírez Quintanilla',
  contact: '+52 55 8765 4321 quetzal.contacto@example.org',
  address: 'Calle Ahuehuete 4321, Colonia Tlalcoligia',
  dateOfBirth: '1987-06-05',
  testimony: 'Testimonio irrepetible: se la llevaron en una camioneta gris',
} as const;
const INTAKE_PERSONAL = {
  victim: 'Anselmo Tzul Ixcoy',
  reporter: 'Rosalinda Ixcoy Pacheco',
  contact: 'rosalinda.ixcoy.7731@example.net',
  relationship: 'hermana mayor',
  place: 'bodega abandonada junto a las vías en Coatzacoalcos',
};
/** A non-personal value stored in clear: the file scan must find it, or the scan proves nothing. */
const CANARY = 'Resumen público canario 9f3e';
const ALL_PERSONAL_VALUES = [...Object.values(PERSONAL), ...Object.values(INTAKE_PERSONAL)];

let temp: TestStore;
let clock = new Date('2024-05-10T12:00:00.000Z');
let ctx: RegistryContext;
let orgA: string;
let orgB: string;
let admin: Principal;
let documenter: Principal;
let otherDocumenter: Principal;
let sharedDocumenter: Principal;
let reviewer: Principal;

async function userPrincipal(email: string, role: 'admin' | 'documenter' | 'reviewer' | 'analyst' | 'public', organisationId: string): Promise<Principal> {
  const user = await createUser(ctx, OPERATOR_PRINCIPAL, { email, role, organisationId, password: PASSWORD });
  return { kind: 'user', userId: user.id, role, organisationId };
}

const caseBody = (over: Record<string, unknown> = {}) => ({
  type: 'disappearance',
  state: '08',
  municipality: '08037',
  occurredOn: { value: '2023-11', precision: 'month' },
  owningOrganisationId: orgA,
  visibility: 'shared',
  sharedWithOrganisations: [orgB],
  ...over,
});

beforeAll(async () => {
  temp = await testStore();
  ctx = { store: temp.store, masterKey: loadMasterKey(), now: () => clock };
  orgA = (await createOrganisation(ctx, OPERATOR_PRINCIPAL, 'Centro de Derechos Humanos A')).id;
  orgB = (await createOrganisation(ctx, OPERATOR_PRINCIPAL, 'Colectivo de Búsqueda B')).id;
  ctx = { ...ctx, intakeOrganisationId: orgA, intakeRecipientOrganisations: { search_commission: orgB } };
  admin = await userPrincipal('admin@a.example', 'admin', orgA);
  documenter = await userPrincipal('doc@a.example', 'documenter', orgA);
  otherDocumenter = await userPrincipal('doc2@a.example', 'documenter', orgA);
  sharedDocumenter = await userPrincipal('doc@b.example', 'documenter', orgB);
  reviewer = await userPrincipal('rev@a.example', 'reviewer', orgA);
});

afterAll(async () => {
  await temp.cleanup();
});

describe('personal data at rest', () => {
  let caseId: number;
  let personId: number;
  let receipt: string;

  beforeAll(async () => {
    caseId = (await createCase(ctx, documenter, caseBody({ summaryPublic: { es: CANARY, en: CANARY } }))).id;
    expect((await login(ctx, 'doc@a.example', PASSWORD)).ok).toBe(true);
    personId = (await addPerson(ctx, documenter, caseId, { role: 'victim', sex: 'female', ageAtEvent: 34, nationality: 'MX', ...PERSONAL })).id;
    await appendEvent(ctx, documenter, caseId, { kind: 'complaint-filed', date: { value: '2023-12-01', precision: 'day' }, source: 'copy held by the family', reliability: 'high' });
    receipt = (
      await receiveIntake(ctx, {
        victim: { name: INTAKE_PERSONAL.victim, age: 27, nationality: 'GT' },
        reporter: { name: INTAKE_PERSONAL.reporter, relationship: INTAKE_PERSONAL.relationship, contact: INTAKE_PERSONAL.contact },
        last_seen: { date: '2024-05-01', state: '30', place: INTAKE_PERSONAL.place },
        ransom_demanded: true,
        consent: { share_with: ['documenting_organisation', 'search_commission'] },
      }, '203.0.113.5')
    ).receipt;
  });

  it('stores personal fields so that the assigned documenter can read them back', async () => {
    const person = await readPerson(ctx, documenter, caseId, personId);
    expect(person).toMatchObject({ personal: true, erased: false, ...PERSONAL });
    // Not assigned: the non-personal view only.
    const redacted = await readPerson(ctx, otherDocumenter, caseId, personId);
    expect(redacted).toMatchObject({ personal: false, name: null, contact: null, address: null, dateOfBirth: null, testimony: null });
    await expect(readPerson(ctx, sharedDocumenter, caseId, personId)).resolves.toMatchObject({ personal: false, name: null });
  });

  it('leaves no personal value in any table, nor in the database file after a checkpoint', async () => {
    let dump = '';
    for (const table of REGISTRY_TABLES) {
      const rows = await temp.store.all(`SELECT * FROM ${table}`);
      expect(rows.length, table).toBeGreaterThan(0);
      dump += `${table}\n${JSON.stringify(rows)}\n`;
    }
    for (const value of ALL_PERSONAL_VALUES) expect(dump, `raw tables contain "${value}"`).not.toContain(value);
    // Also lower-cased and each word of the names on its own (a careless search index would hold them).
    for (const word of [...PERSONAL.name.split(' '), INTAKE_PERSONAL.victim.split(' ')[0] as string]) expect(dump.toLowerCase()).not.toContain(word.toLowerCase());

    let canarySeen = false;
    for (const bytes of await temp.rawDump()) {
      canarySeen ||= bytes.includes(Buffer.from(CANARY, 'utf8'));
      for (const value of ALL_PERSONAL_VALUES) {
        expect(bytes.includes(Buffer.from(value, 'utf8')), `the ${temp.kind} dump contains "${value}"`).toBe(false);
        expect(bytes.includes(Buffer.from(value, 'utf16le')), `the ${temp.kind} dump contains "${value}" (UTF-16)`).toBe(false);
      }
    }
    expect(canarySeen, 'the clear-text canary was found in the database file').toBe(true);
  });

  it('intake: the receipt gives the type, stage and date only; the intake persons are sealed', async () => {
    const status = await intakeStatus(ctx, receipt.toLowerCase().replace(/-/g, ' '));
    expect(status).toEqual({ type: 'migrant-kidnapping', stage: null, lastUpdate: '2024-05-10' });
    await expect(intakeStatus(ctx, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ')).rejects.toThrow(/no report/);
    const cases = await listCases(ctx, admin);
    const intakeCase = cases.find((c) => c.type === 'migrant-kidnapping');
    expect(intakeCase).toMatchObject({ visibility: 'shared', sharedWithOrganisations: [orgB], owningOrganisationId: orgA });
    const detail = await getCase(ctx, admin, intakeCase?.id ?? 0);
    expect(detail.events.map((e) => e.kind)).toEqual(['referral']);
    expect(detail.persons.map((p) => [p.role, p.name])).toEqual([['victim', null], ['reporter', null]]);
    // The admin reads them only with break-glass, and that is audited with the reason.
    const glass: Principal = { ...(admin as Extract<Principal, { kind: 'user' }>), breakGlass: { reason: 'family asked for a copy' } };
    const victim = await readPerson(ctx, glass, intakeCase?.id ?? 0, detail.persons[0]?.id ?? 0);
    expect(victim).toMatchObject({ personal: true, name: INTAKE_PERSONAL.victim });
    const [entry] = await temp.store.all<{ action: string; detail: string }>('SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1');
    expect(entry?.action).toBe('person.break-glass');
    expect(JSON.parse(entry?.detail ?? '{}')).toMatchObject({ reason: 'family asked for a copy' });
  });

  it('intake refuses immigration status and U.S. addresses with a clear message', async () => {
    const base = {
      victim: { name: 'X Y' },
      reporter: { name: 'Z W', relationship: 'madre', contact: '555' },
      last_seen: { date: '2024-05-01', state: '30' },
      ransom_demanded: false,
      consent: { share_with: ['documenting_organisation'] },
    };
    await expect(submitIntake(ctx, { ...base, victim: { ...base.victim, immigration_status: 'undocumented' } })).rejects.toThrow(/immigration_status/);
    await expect(submitIntake(ctx, { ...base, reporter: { ...base.reporter, us_address: '1 Main St' } })).rejects.toThrow(/us_address/);
  });

  it('search finds cases by non-personal fields only, never by a name', async () => {
    expect((await searchCases(ctx, documenter, '08037')).map((c) => c.id)).toContain(caseId);
    for (const who of [documenter, admin, reviewer]) {
      expect(await searchCases(ctx, who, 'Xochiquetzal')).toEqual([]);
      expect(await searchCases(ctx, who, INTAKE_PERSONAL.victim)).toEqual([]);
    }
  });

  it('the redacted export holds no personal field and is audited', async () => {
    const analyst = await userPrincipal('analyst@a.example', 'analyst', orgA);
    const csv = await exportRedacted(ctx, analyst);
    expect(csv.split('\r\n')[0]).toBe('id,version,type,state,municipality,occurred_on,occurred_precision,reported_on,reported_precision,visibility,owning_organisation,stage,summary_es,summary_en,recorded_at');
    expect(csv).toContain(`${caseId},1,disappearance,08,08037`);
    for (const value of ALL_PERSONAL_VALUES) expect(csv).not.toContain(value);
  });

  it('erasure makes the personal fields unreadable for everyone', async () => {
    const victimId = (await addPerson(ctx, documenter, caseId, { role: 'relative', sex: 'male', name: 'Persona por borrar', contact: 'borrar@example.org' })).id;
    expect((await readPerson(ctx, documenter, caseId, victimId)).name).toBe('Persona por borrar');
    await expect(erasePerson(ctx, otherDocumenter, caseId, victimId, 'asked')).rejects.toThrow(ForbiddenError);
    await expect(erasePerson(ctx, reviewer, caseId, victimId, 'asked')).rejects.toThrow(ForbiddenError);
    const erased = await erasePerson(ctx, documenter, caseId, victimId, 'the family withdrew consent');
    expect(erased.erased).toBe(true);
    const after = await readPerson(ctx, documenter, caseId, victimId);
    expect(after).toMatchObject({ erased: true, name: null, contact: null });
    const glass: Principal = { ...(admin as Extract<Principal, { kind: 'user' }>), breakGlass: { reason: 'check erasure' } };
    expect(await readPerson(ctx, glass, caseId, victimId)).toMatchObject({ erased: true, name: null });
    const [row] = await temp.store.all<{ wrapped_dek: string | null; n: number }>(
      'SELECT p.wrapped_dek, (SELECT count(*) FROM person_field f WHERE f.person_id = p.id) AS n FROM person p WHERE p.id = ?',
      [victimId],
    );
    expect(row).toEqual({ wrapped_dek: null, n: 2 });
    expect((await verifyAudit(temp.store)).ok).toBe(true);
  });
});

describe('cases are versioned, never edited', () => {
  it('a correction is a new version and the history shows both', async () => {
    const created = await createCase(ctx, documenter, caseBody({ state: '09', municipality: '09007' }));
    expect(created.version).toBe(1);
    const corrected = await appendCaseVersion(ctx, documenter, created.id, caseBody({ state: '15', municipality: '15033' }));
    expect(corrected).toMatchObject({ id: created.id, version: 2, state: '15' });
    expect((await getCase(ctx, reviewer, created.id)).case).toMatchObject({ version: 2, state: '15', municipality: '15033' });
    const history = await caseHistory(ctx, documenter, created.id);
    expect(history.versions.map((v) => [v.version, v.state, v.municipality])).toEqual([
      [1, '09', '09007'],
      [2, '15', '15033'],
    ]);
    // A documenter of an organisation the case is shared with may correct it but not change who sees it, nor its owner.
    await expect(appendCaseVersion(ctx, sharedDocumenter, created.id, caseBody({ state: '15', municipality: '15033', visibility: 'public-aggregate' }))).rejects.toThrow(ForbiddenError);
    await expect(appendCaseVersion(ctx, documenter, created.id, caseBody({ owningOrganisationId: orgB }))).rejects.toThrow(/cannot change owner/);
    await expect(appendCaseVersion(ctx, reviewer, created.id, caseBody())).rejects.toThrow(ForbiddenError);
    expect((await caseHistory(ctx, documenter, created.id)).versions).toHaveLength(2);
  });

  it('assignment is for admins of the owning organisation and grants personal reads', async () => {
    const created = await createCase(ctx, documenter, caseBody());
    const pid = (await addPerson(ctx, documenter, created.id, { role: 'witness', sex: 'unknown', name: 'Testigo Asignación' })).id;
    expect((await readPerson(ctx, otherDocumenter, created.id, pid)).personal).toBe(false);
    await expect(assignCase(ctx, documenter, created.id, (otherDocumenter as { userId: string }).userId)).rejects.toThrow(ForbiddenError);
    await assignCase(ctx, admin, created.id, (otherDocumenter as { userId: string }).userId);
    expect((await readPerson(ctx, otherDocumenter, created.id, pid)).name).toBe('Testigo Asignación');
  });
});

describe('the audit chain', () => {
  type AuditRow = { seq: number; recorded_at: string; actor: string; action: string; target: string; detail: string; prev_hash: string; hash: string };
  let pristine: AuditRow[];
  let head: { entry_count: number; hash: string };

  beforeAll(async () => {
    const created = await createCase(ctx, documenter, caseBody());
    await appendEvent(ctx, reviewer, created.id, { kind: 'investigation-opened', date: { value: '2024', precision: 'year' }, source: 'fiscalía', reliability: 'medium' });
    pristine = await temp.store.all<AuditRow>('SELECT * FROM audit_log ORDER BY seq');
    [head] = (await temp.store.all<{ entry_count: number; hash: string }>('SELECT entry_count, hash FROM audit_head')) as [typeof head];
    expect(pristine.length).toBeGreaterThan(10);
  });

  async function restore(): Promise<void> {
    // Two transactions: DuckDB refuses to re-insert a primary key deleted in the same transaction.
    await temp.store.write((tx) => tx.run('DELETE FROM audit_log'));
    await temp.store.write(async (tx) => {
      for (const r of pristine) {
        await tx.run('INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [r.seq, r.recorded_at, r.actor, r.action, r.target, r.detail, r.prev_hash, r.hash]);
      }
      await tx.run('UPDATE audit_head SET entry_count = ?, hash = ? WHERE id = 1', [head.entry_count, head.hash]);
    });
    expect(await verifyAudit(temp.store)).toEqual({ ok: true, count: pristine.length });
  }

  it('verifies when untouched', async () => {
    expect(await verifyAudit(temp.store)).toEqual({ ok: true, count: pristine.length });
  });

  const FIELDS = ['recorded_at', 'actor', 'action', 'target', 'detail', 'prev_hash', 'hash', 'seq'] as const;
  it.each(FIELDS)('fails when the field %s of the first, a middle or the last row changes', async (field) => {
    const n = pristine.length;
    for (const seq of [1, Math.floor(n / 2), n]) {
      const value =
        field === 'seq' ? 100_000 : field === 'recorded_at' ? '2020-01-01T00:00:00.000Z' : field === 'detail' ? '{"case":999}' : field.endsWith('hash') ? 'f'.repeat(64) : 'tampered';
      await temp.store.write((tx) => tx.run(`UPDATE audit_log SET ${field} = ? WHERE seq = ?`, [value, seq]));
      const verdict = await verifyAudit(temp.store);
      expect(verdict.ok, `${field} of row ${seq}`).toBe(false);
      if (!verdict.ok) expect(verdict.seq).toBe(seq);
      await restore();
    }
  });

  it.each([
    ['first', 1],
    ['middle', 0],
    ['last', -1],
  ] as const)('fails when the %s row is deleted', async (_name, at) => {
    const n = pristine.length;
    const seq = at === 1 ? 1 : at === 0 ? Math.floor(n / 2) : n;
    await temp.store.write((tx) => tx.run('DELETE FROM audit_log WHERE seq = ?', [seq]));
    const verdict = await verifyAudit(temp.store);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.seq).toBe(seq);
    await restore();
  });

  it('fails when two rows swap their seq', async () => {
    const [a, b] = [3, 7];
    await temp.store.write((tx) => tx.run('UPDATE audit_log SET seq = -1 WHERE seq = ?', [a]));
    await temp.store.write((tx) => tx.run('UPDATE audit_log SET seq = ? WHERE seq = ?', [a, b]));
    await temp.store.write((tx) => tx.run('UPDATE audit_log SET seq = ? WHERE seq = -1', [b]));
    const verdict = await verifyAudit(temp.store);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.seq).toBe(a);
    await restore();
  });

  it('a write after a removed tail does not hide the removal', async () => {
    const n = pristine.length;
    await temp.store.write((tx) => tx.run('DELETE FROM audit_log WHERE seq = ?', [n]));
    await createCase(ctx, documenter, caseBody());
    const verdict = await verifyAudit(temp.store);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.seq).toBe(n);
    await restore();
  });

  it('holds no personal field names as detail keys and every write is audited', async () => {
    const rows = await temp.store.all<{ action: string; detail: string }>('SELECT action, detail FROM audit_log');
    for (const r of rows) for (const key of Object.keys(JSON.parse(r.detail) as object)) expect(['name', 'contact', 'address', 'dateOfBirth', 'testimony']).not.toContain(key);
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['organisation.create', 'user.create', 'case.create', 'case.version', 'case.assign', 'person.add', 'event.append', 'person.read-personal', 'person.break-glass', 'person.erase', 'intake.submit', 'case.export']) {
      expect(actions, a).toContain(a);
    }
  });
});

describe('the public funnel', () => {
  it('equals direct counts where published and never publishes 1–4', async () => {
    const fresh = await testStore();
    try {
      let now = new Date('2022-03-01T00:00:00.000Z');
      const fctx: RegistryContext = { store: fresh.store, masterKey: loadMasterKey(), now: () => now };
      const org = (await createOrganisation(fctx, OPERATOR_PRINCIPAL, 'Funnel org')).id;
      const user = await createUser(fctx, OPERATOR_PRINCIPAL, { email: 'f@x.example', role: 'documenter', organisationId: org, password: PASSWORD });
      const doc: Principal = { kind: 'user', userId: user.id, role: 'documenter', organisationId: org };
      interface Spec { year: number; type: CaseType; state: string; visibility: string; furthest: number }
      const specs: Spec[] = [];
      const add = (n: number, s: Omit<Spec, 'furthest'>, furthest: number) => {
        for (let i = 0; i < n; i++) specs.push({ ...s, furthest });
      };
      // 2022 disappearance 08: 12 public cases, all with a complaint and 6 with an investigation; private and shared ones must not count.
      add(6, { year: 2022, type: 'disappearance', state: '08', visibility: 'public-aggregate' }, 0);
      add(6, { year: 2022, type: 'disappearance', state: '08', visibility: 'public-aggregate' }, 1);
      add(4, { year: 2022, type: 'disappearance', state: '08', visibility: 'private' }, 4);
      add(3, { year: 2022, type: 'disappearance', state: '08', visibility: 'shared' }, 4);
      // 2023 torture 12: 7 cases, 3 reach charges and 1 a conviction (small: suppressed).
      add(4, { year: 2023, type: 'torture', state: '12', visibility: 'public-aggregate' }, -1);
      add(2, { year: 2023, type: 'torture', state: '12', visibility: 'public-aggregate' }, 2);
      add(1, { year: 2023, type: 'torture', state: '12', visibility: 'public-aggregate' }, 4);
      // 2023 migrant-kidnapping 30: 3 cases, too few to publish.
      add(3, { year: 2023, type: 'migrant-kidnapping', state: '30', visibility: 'public-aggregate' }, 0);

      for (const s of specs) {
        now = new Date(`${s.year}-06-15T10:00:00.000Z`);
        const created = await createCase(fctx, doc, { type: s.type, state: s.state, occurredOn: { value: String(s.year), precision: 'year' }, owningOrganisationId: org, visibility: s.visibility });
        for (let stage = 0; stage <= s.furthest; stage++) {
          await appendEvent(fctx, doc, created.id, { kind: JUSTICE_STAGE_ORDER[stage] as JusticeEventKind, date: { value: String(s.year), precision: 'year' }, source: 'test', reliability: 'high' });
        }
      }
      now = new Date('2024-01-01T00:00:00.000Z');
      const published = await funnelAggregates(fctx);
      expect(published.threshold).toBe(5);

      const direct = (g: { yearEntered?: number; type?: string; state?: string }, stage: number) =>
        specs.filter((s) => s.visibility === 'public-aggregate' && s.year === g.yearEntered && s.type === g.type && s.state === g.state && s.furthest >= stage).length;
      expect(published.rows.map((r) => r.group)).toEqual([
        { yearEntered: 2022, type: 'disappearance', state: '08' },
        { yearEntered: 2023, type: 'migrant-kidnapping', state: '30' },
        { yearEntered: 2023, type: 'torture', state: '12' },
      ]);
      for (const row of published.rows) {
        const cells = [{ count: row.cases.count, truth: direct(row.group, -1) }, ...row.stages.map((s, i) => ({ count: s.count, truth: direct(row.group, i) }))];
        for (const { count, truth } of cells) {
          if (count !== null) {
            expect(count).toBe(truth);
            expect(count === 0 || count >= 5).toBe(true);
          }
          if (truth >= 1 && truth <= 4) expect(count).toBeNull();
        }
      }
      const first = published.rows[0];
      expect(first?.cases.count).toBe(12);
      expect(first?.stages.map((s) => s.count)).toEqual([12, 6, 0, 0, 0]);
      expect(published.rows[1]?.cases.count).toBeNull();
      expect(JSON.stringify(published)).not.toMatch(/"count":[1-4][,}]/);
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('sign-in', () => {
  it('locks the account for 15 minutes after 5 failures, then lets the right password in', async () => {
    await createUser(ctx, OPERATOR_PRINCIPAL, { email: 'lock@a.example', role: 'reviewer', organisationId: orgA, password: PASSWORD });
    // Four failures, then a success: the counter starts again.
    for (let i = 0; i < 4; i++) expect(await login(ctx, 'lock@a.example', 'wrong password!!')).toEqual({ ok: false, reason: 'invalid' });
    expect((await login(ctx, 'LOCK@a.example', PASSWORD)).ok).toBe(true);
    for (let i = 0; i < 4; i++) expect((await login(ctx, 'lock@a.example', 'wrong password!!')).ok).toBe(false);
    expect(await login(ctx, 'lock@a.example', 'wrong password!!')).toEqual({ ok: false, reason: 'locked' });
    expect(await login(ctx, 'lock@a.example', PASSWORD)).toEqual({ ok: false, reason: 'locked' });
    clock = new Date(clock.getTime() + 14 * 60_000);
    expect(await login(ctx, 'lock@a.example', PASSWORD)).toEqual({ ok: false, reason: 'locked' });
    clock = new Date(clock.getTime() + 2 * 60_000);
    const ok = await login(ctx, 'lock@a.example', PASSWORD);
    expect(ok.ok).toBe(true);
    expect(await login(ctx, 'nobody@a.example', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });

    // The session: a bearer token stored only as its hash, valid 12 hours.
    if (!ok.ok) return;
    expect(await principalFromToken(ctx, ok.token)).toMatchObject({ kind: 'user', role: 'reviewer', organisationId: orgA });
    const sessions = await temp.store.all<{ token_sha256: string }>('SELECT token_sha256 FROM user_session');
    expect(JSON.stringify(sessions)).not.toContain(ok.token);
    clock = new Date(clock.getTime() + 12 * 3_600_000 + 1000);
    expect(await principalFromToken(ctx, ok.token)).toBeNull();
    expect(await principalFromToken(ctx, 'not-a-token')).toBeNull();
    const audit = await temp.store.all<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'auth.%'");
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['auth.login', 'auth.login-failed', 'auth.lockout']));
  });

  it('only admins create users, and only in their own organisation', async () => {
    await expect(createUser(ctx, documenter, { email: 'x@a.example', role: 'admin', organisationId: orgA, password: PASSWORD })).rejects.toThrow(ForbiddenError);
    await expect(createUser(ctx, admin, { email: 'x@b.example', role: 'documenter', organisationId: orgB, password: PASSWORD })).rejects.toThrow(ForbiddenError);
    await expect(createUser(ctx, admin, { email: 'short@a.example', role: 'documenter', organisationId: orgA, password: 'short' })).rejects.toThrow(/at least 12/);
    await expect(createUser(ctx, admin, { email: 'new@a.example', role: 'analyst', organisationId: orgA, password: PASSWORD })).resolves.toMatchObject({ role: 'analyst' });
  });
});
