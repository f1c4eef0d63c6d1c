import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import {
  CASE_TYPE_LABELS,
  InputError,
  raggedRows,
  readCsvTable,
  CaseEventInput,
  CaseInput,
  JUSTICE_STAGE_ORDER,
  MigrantKidnappingIntake,
  PERSONAL_FIELDS,
  PersonInput,
  RequestError,
  UserRole,
  furthestStage,
  furthestStageIndex,
} from '../domain/index.js';
import type {
  CaseType,
  ConsentRecipient,
  DatePrecision,
  FuzzyDate,
  JusticeEventKind,
  JusticeStage,
  InputProblem,
  PersonalField,
  Text,
} from '../domain/index.js';
import type { ReadTx, Row, Store, WriteTx } from '../store/index.js';
import { funnel, SUPPRESSION_THRESHOLD } from './aggregate.js';
import type { FunnelCase, FunnelDimension, FunnelRow } from './aggregate.js';
import { chainEntry, GENESIS_HASH, verifyChain } from './audit.js';
import type { AuditDetail, AuditEntry, ChainVerdict } from './audit.js';
import {
  CryptoError,
  decryptField,
  encryptField,
  fieldAad,
  hashPassword,
  hashToken,
  newDataKey,
  newReceiptCode,
  newToken,
  normaliseReceiptCode,
  unwrapKey,
  verifyPassword,
  wrapKey,
} from './crypto.js';
import { decide } from './policy.js';
import type { Action, Principal, RecordContext, Visibility } from './policy.js';
import { registrySchemaReady } from './schema.js';

/*
 * The only code that touches the registry tables. Every function that acts for someone takes their Principal and
 * asks `decide` (deny by default); every write, every read of personal fields and every break-glass writes a
 * hash-chained audit entry in the same transaction as the change (or before the data leaves), and the audit never
 * holds personal data: it says which fields were read, not what they said.
 */

export interface RegistryContext {
  readonly store: Store;
  /** From loadMasterKey(); wraps each person's data key. */
  readonly masterKey: Buffer;
  /** The organisation that owns cases sent through the public intake form; without it the form is closed. */
  readonly intakeOrganisationId?: string;
  /** Organisations standing for the consent recipients beyond the documenting organisation; a configured one is shared the case. */
  readonly intakeRecipientOrganisations?: Partial<Record<Exclude<ConsentRecipient, 'documenting_organisation'>, string>>;
  /** The clock (tests move it); defaults to the system clock. */
  readonly now?: () => Date;
}

/** What user, organisation and session work needs: no master key. */
export type RegistryBase = Pick<RegistryContext, 'store' | 'now'>;

/** The policy said no. Routes answer 403 with the reason. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/**
 * Whoever runs the command line holds the store file and the master key, so they administer users and organisations.
 * Its organisation is empty, which the policy never matches: the operator cannot read any case.
 */
const OPERATOR_USER_ID = 'operator';
export const OPERATOR_PRINCIPAL: Principal = { kind: 'user', userId: OPERATOR_USER_ID, role: 'admin', organisationId: '' };

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_LOCK_MINUTES = 15;
export const SESSION_HOURS = 12;
const INTAKE_ACTOR = 'intake-form';

// ---------------------------------------------------------------------------------------------------------------
// Small helpers.

const nowOf = (ctx: RegistryBase) => (ctx.now ? ctx.now() : new Date());
const iso = (d: Date) => d.toISOString();
const actorOf = (p: Principal) => (p.kind === 'user' ? p.userId : 'anonymous');

function requireUser(principal: Principal): Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') throw new RequestError('unauthorized', 'sign in first');
  return principal;
}

function enforce(principal: Principal, action: Action, record?: RecordContext): void {
  const decision = decide(principal, action, record);
  if (!decision.allow) throw new ForbiddenError(decision.reason);
}

async function ready(ctx: RegistryBase): Promise<void> {
  await registrySchemaReady(ctx.store);
}

async function nextId(tx: ReadTx, sequence: string): Promise<number> {
  const [row] = await tx.all<{ id: number }>(`SELECT nextval('${sequence}') AS id`);
  if (!row) throw new Error(`sequence ${sequence} gave no value`);
  return Number(row.id);
}

function parseJsonArray(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.map(String) : [];
}

/** Appends one entry to the audit chain inside `tx`, chained from the stored head (so a removed tail cannot be papered over). */
async function audit(tx: WriteTx, at: Date, actor: string, action: string, target: string, detail: AuditDetail = {}): Promise<AuditEntry> {
  const [head] = await tx.all<{ entry_count: number; hash: string }>('SELECT entry_count, hash FROM audit_head WHERE id = 1');
  if (!head) throw new Error('the audit head is missing: the registry schema was not created');
  const count = Number(head.entry_count);
  const prev: AuditEntry | null =
    count === 0 ? null : { seq: count, hash: head.hash, at: '', actor: '', action: '', target: '', detail: {}, prevHash: GENESIS_HASH };
  const entry = chainEntry(prev, { at: iso(at), actor, action, target, detail });
  await tx.run('INSERT INTO audit_log (seq, recorded_at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    entry.seq,
    entry.at,
    entry.actor,
    entry.action,
    entry.target,
    JSON.stringify(entry.detail),
    entry.prevHash,
    entry.hash,
  ]);
  await tx.run('UPDATE audit_head SET entry_count = ?, hash = ? WHERE id = 1', [entry.seq, entry.hash]);
  return entry;
}

// ---------------------------------------------------------------------------------------------------------------
// Organisations and users.

const OrganisationName = z.string().trim().min(2).max(200);

export interface Organisation {
  readonly id: string;
  readonly name: string;
}

export async function createOrganisation(ctx: RegistryBase, principal: Principal, name: string): Promise<Organisation> {
  await ready(ctx);
  enforce(principal, 'user.manage');
  const clean = OrganisationName.parse(name);
  const at = nowOf(ctx);
  return ctx.store.write(async (tx) => {
    const existing = await tx.all('SELECT id FROM organisation WHERE name = ?', [clean]);
    if (existing.length > 0) throw new RequestError('bad_request', `an organisation named "${clean}" already exists`);
    const id = `org-${await nextId(tx, 'registry_organisation_seq')}`;
    await tx.run('INSERT INTO organisation (id, name, created_by, created_at) VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ))', [id, clean, actorOf(principal), iso(at)]);
    await audit(tx, at, actorOf(principal), 'organisation.create', `organisation:${id}`);
    return { id, name: clean };
  });
}

export const NewUser = z.strictObject({
  email: z.email().transform((e) => e.toLowerCase()),
  role: UserRole,
  organisationId: z.string().trim().min(1),
  password: z.string(),
});
export type NewUser = z.input<typeof NewUser>;

export interface User {
  readonly id: string;
  readonly email: string;
  readonly role: UserRole;
  readonly organisationId: string;
}

/** Admins create users in their own organisation; the operator (command line) in any. */
export async function createUser(ctx: RegistryBase, principal: Principal, input: NewUser): Promise<User> {
  await ready(ctx);
  enforce(principal, 'user.manage');
  const user = NewUser.parse(input);
  const admin = requireUser(principal);
  if (admin.userId !== OPERATOR_USER_ID && admin.organisationId !== user.organisationId) {
    throw new ForbiddenError('admins create users only in their own organisation');
  }
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(user.password);
  } catch (error) {
    if (error instanceof CryptoError) throw new RequestError('bad_request', error.message);
    throw error;
  }
  const at = nowOf(ctx);
  return ctx.store.write(async (tx) => {
    const orgs = await tx.all('SELECT id FROM organisation WHERE id = ?', [user.organisationId]);
    if (orgs.length === 0) throw new RequestError('bad_request', `no organisation ${user.organisationId}`, { organisationId: user.organisationId });
    const taken = await tx.all('SELECT id FROM app_user WHERE email = ?', [user.email]);
    if (taken.length > 0) throw new RequestError('bad_request', 'a user with this email already exists');
    const id = `user-${await nextId(tx, 'registry_user_seq')}`;
    await tx.run(
      `INSERT INTO app_user (id, email, password_hash, role, organisation_id, failed_logins, locked_until, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, 0, NULL, ?, CAST(? AS TIMESTAMPTZ))`,
      [id, user.email, passwordHash, user.role, user.organisationId, actorOf(principal), iso(at)],
    );
    // The email stays out of the audit: the user id is enough to follow what they did.
    await audit(tx, at, actorOf(principal), 'user.create', `user:${id}`, { role: user.role, organisation: user.organisationId });
    return { id, email: user.email, role: user.role, organisationId: user.organisationId };
  });
}

export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly expiresAt: string; readonly userId: string }
  /** `locked` and `invalid` must reach the client as the same answer, or the difference tells which accounts exist. */
  | { readonly ok: false; readonly reason: 'invalid' | 'locked' };

let dummyHash: Promise<string> | null = null;
/** A hash to check unknown emails against, so that they take as long as known ones. */
const dummy = () => (dummyHash ??= hashPassword(newToken()));

/**
 * Password sign-in. After LOGIN_MAX_FAILURES failures in a row the account refuses every password, the right one
 * included, for LOGIN_LOCK_MINUTES. A success returns a bearer token valid SESSION_HOURS, stored only as its SHA-256.
 */
export async function login(ctx: RegistryBase, email: string, password: string): Promise<LoginResult> {
  await ready(ctx);
  const [user] = await ctx.store.all<{ id: string; password_hash: string; locked_until: string | null }>(
    'SELECT id, password_hash, locked_until FROM app_user WHERE email = ?',
    [email.trim().toLowerCase()],
  );
  if (!user) {
    await verifyPassword(password, await dummy()).catch(() => false);
    return { ok: false, reason: 'invalid' };
  }
  const started = nowOf(ctx);
  if (user.locked_until !== null && Date.parse(user.locked_until) > started.getTime()) return { ok: false, reason: 'locked' };
  const good = await verifyPassword(password, user.password_hash).catch(() => false);
  const at = nowOf(ctx);
  if (!good) {
    return ctx.store.write(async (tx) => {
      await tx.run('UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = ?', [user.id]);
      const [row] = await tx.all<{ failed_logins: number }>('SELECT failed_logins FROM app_user WHERE id = ?', [user.id]);
      const failures = Number(row?.failed_logins ?? 0);
      const lock = failures >= LOGIN_MAX_FAILURES;
      if (lock) {
        const until = new Date(at.getTime() + LOGIN_LOCK_MINUTES * 60_000);
        await tx.run('UPDATE app_user SET failed_logins = 0, locked_until = CAST(? AS TIMESTAMPTZ) WHERE id = ?', [iso(until), user.id]);
      }
      await audit(tx, at, 'anonymous', lock ? 'auth.lockout' : 'auth.login-failed', `user:${user.id}`, { failures });
      return { ok: false, reason: lock ? 'locked' : 'invalid' } as const;
    });
  }
  const token = newToken();
  const expiresAt = iso(new Date(at.getTime() + SESSION_HOURS * 3_600_000));
  await ctx.store.write(async (tx) => {
    await tx.run('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?', [user.id]);
    await tx.run(
      'INSERT INTO user_session (token_sha256, user_id, created_at, expires_at, revoked) VALUES (?, ?, CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ), FALSE)',
      [hashToken(token), user.id, iso(at), expiresAt],
    );
    await audit(tx, at, user.id, 'auth.login', `user:${user.id}`);
  });
  return { ok: true, token, expiresAt, userId: user.id };
}

/** The principal holding a session token, or null when it is unknown, revoked or expired. */
export async function principalFromToken(ctx: RegistryBase, token: string, breakGlassReason?: string): Promise<Principal | null> {
  await ready(ctx);
  if (token.length === 0 || token.length > 200) return null;
  const [row] = await ctx.store.all<{ user_id: string; role: string; organisation_id: string }>(
    `SELECT u.id AS user_id, u.role, u.organisation_id FROM user_session s JOIN app_user u ON u.id = s.user_id
     WHERE s.token_sha256 = ? AND s.revoked = FALSE AND s.expires_at > CAST(? AS TIMESTAMPTZ)`,
    [hashToken(token), iso(nowOf(ctx))],
  );
  if (!row) return null;
  const role = UserRole.parse(row.role);
  const reason = breakGlassReason?.trim();
  return { kind: 'user', userId: row.user_id, role, organisationId: row.organisation_id, ...(reason ? { breakGlass: { reason } } : {}) };
}

/** Ends a session (sign-out). */
export async function revokeSession(ctx: RegistryBase, token: string): Promise<boolean> {
  await ready(ctx);
  const principal = await principalFromToken(ctx, token);
  if (!principal) return false;
  const at = nowOf(ctx);
  await ctx.store.write(async (tx) => {
    await tx.run('UPDATE user_session SET revoked = TRUE WHERE token_sha256 = ?', [hashToken(token)]);
    await audit(tx, at, actorOf(principal), 'auth.logout', `user:${actorOf(principal)}`);
  });
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Cases.

const VISIBILITIES = ['private', 'shared', 'public-aggregate'] as const satisfies readonly Visibility[];

export const CaseAccess = z.strictObject({
  visibility: z.enum(VISIBILITIES),
  sharedWithOrganisations: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
});

/** A case body: the CaseInput fields plus `visibility` and `sharedWithOrganisations`. */
export function parseCaseWrite(body: unknown): { input: CaseInput; access: z.infer<typeof CaseAccess> } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RequestError('bad_request', 'the case must be a JSON object');
  const { visibility, sharedWithOrganisations, ...rest } = body as Record<string, unknown>;
  const access = CaseAccess.parse({ visibility, ...(sharedWithOrganisations === undefined ? {} : { sharedWithOrganisations }) });
  const input = CaseInput.parse(rest);
  const shared = [...new Set(access.sharedWithOrganisations)].filter((o) => o !== input.owningOrganisationId).sort();
  return { input, access: { ...access, sharedWithOrganisations: shared } };
}

interface CaseRow extends Row {
  case_id: number;
  version: number;
  type: string;
  state: string;
  municipality: string | null;
  occurred_value: string;
  occurred_precision: string;
  reported_value: string | null;
  reported_precision: string | null;
  summary_public: string | null;
  owning_organisation_id: string;
  visibility: string;
  shared_with: string;
  created_by: string;
  created_at: string;
}

export interface CaseView {
  readonly id: number;
  readonly version: number;
  readonly type: CaseType;
  readonly state: string;
  readonly municipality: string | null;
  readonly occurredOn: FuzzyDate;
  readonly reportedOn: FuzzyDate | null;
  readonly summaryPublic: Text | null;
  readonly owningOrganisationId: string;
  readonly visibility: Visibility;
  readonly sharedWithOrganisations: string[];
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export interface CaseSummary extends CaseView {
  /** Furthest stage of the justice funnel the case's events reach. */
  readonly stage: JusticeStage | null;
}

function caseView(row: CaseRow): CaseView {
  return {
    id: Number(row.case_id),
    version: Number(row.version),
    type: row.type as CaseType,
    state: row.state,
    municipality: row.municipality,
    occurredOn: { value: row.occurred_value, precision: row.occurred_precision as DatePrecision },
    reportedOn: row.reported_value === null ? null : { value: row.reported_value, precision: row.reported_precision as DatePrecision },
    summaryPublic: row.summary_public === null ? null : (JSON.parse(row.summary_public) as Text),
    owningOrganisationId: row.owning_organisation_id,
    visibility: row.visibility as Visibility,
    sharedWithOrganisations: parseJsonArray(row.shared_with),
    recordedAt: row.created_at,
    recordedBy: row.created_by,
  };
}

function recordContext(row: CaseRow, assigned: readonly string[]): RecordContext {
  return {
    owningOrganisationId: row.owning_organisation_id,
    sharedWithOrganisations: parseJsonArray(row.shared_with),
    assignedUserIds: assigned,
    visibility: row.visibility as Visibility,
  };
}

const LATEST_VERSIONS = `SELECT c.* FROM case_record c
  JOIN (SELECT case_id, max(version) AS version FROM case_record GROUP BY case_id) m ON m.case_id = c.case_id AND m.version = c.version`;

async function loadCase(tx: ReadTx, caseId: number): Promise<{ row: CaseRow; record: RecordContext }> {
  if (!Number.isSafeInteger(caseId) || caseId < 1) throw new RequestError('bad_request', 'a case id is a positive whole number');
  const [row] = await tx.all<CaseRow>('SELECT * FROM case_record WHERE case_id = ? ORDER BY version DESC LIMIT 1', [caseId]);
  if (!row) throw new RequestError('not_found', `no case ${caseId}`, { id: caseId });
  const assigned = await tx.all<{ user_id: string }>('SELECT user_id FROM case_assignment WHERE case_id = ? ORDER BY user_id', [caseId]);
  return { row, record: recordContext(row, assigned.map((a) => a.user_id)) };
}

async function insertVersion(
  tx: WriteTx,
  caseId: number,
  version: number,
  input: CaseInput,
  access: z.infer<typeof CaseAccess>,
  actor: string,
  at: Date,
): Promise<void> {
  await tx.run(
    `INSERT INTO case_record (case_id, version, type, state, municipality, occurred_value, occurred_precision, reported_value,
       reported_precision, summary_public, owning_organisation_id, visibility, shared_with, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))`,
    [
      caseId,
      version,
      input.type,
      input.state,
      input.municipality ?? null,
      input.occurredOn.value,
      input.occurredOn.precision,
      input.reportedOn?.value ?? null,
      input.reportedOn?.precision ?? null,
      input.summaryPublic === undefined ? null : JSON.stringify(input.summaryPublic),
      input.owningOrganisationId,
      access.visibility,
      JSON.stringify(access.sharedWithOrganisations),
      actor,
      iso(at),
    ],
  );
}

async function assertOrganisationsExist(tx: ReadTx, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const found = await tx.all('SELECT id FROM organisation WHERE id = ?', [id]);
    if (found.length === 0) throw new RequestError('bad_request', `no organisation ${id}`, { organisationId: id });
  }
}

/** A new case, owned by the creator's organisation; the creating documenter is assigned to it. */
export async function createCase(ctx: RegistryContext, principal: Principal, body: unknown): Promise<CaseView> {
  await ready(ctx);
  const user = requireUser(principal);
  const { input, access } = parseCaseWrite(body);
  // The would-be record decides: a documenter may create only cases their own organisation owns.
  enforce(principal, 'case.create', { owningOrganisationId: input.owningOrganisationId, sharedWithOrganisations: access.sharedWithOrganisations, assignedUserIds: [], visibility: access.visibility });
  const at = nowOf(ctx);
  const caseId = await ctx.store.write(async (tx) => {
    await assertOrganisationsExist(tx, [input.owningOrganisationId, ...access.sharedWithOrganisations]);
    const id = await nextId(tx, 'registry_case_seq');
    await insertVersion(tx, id, 1, input, access, user.userId, at);
    await audit(tx, at, user.userId, 'case.create', `case:${id}`, { version: 1, visibility: access.visibility });
    await tx.run('INSERT INTO case_assignment (case_id, user_id, assigned_by, assigned_at) VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ))', [id, user.userId, user.userId, iso(at)]);
    await audit(tx, at, user.userId, 'case.assign', `case:${id}`, { user: user.userId, reason: 'creator' });
    return id;
  });
  return caseView((await loadCase(ctx.store, caseId)).row);
}

/**
 * A correction: the whole case again, stored as the next version (nothing is updated in place). The owning
 * organisation never changes, and only the owning organisation may change who sees the case.
 */
export async function appendCaseVersion(ctx: RegistryContext, principal: Principal, caseId: number, body: unknown): Promise<CaseView> {
  await ready(ctx);
  const user = requireUser(principal);
  const { input, access } = parseCaseWrite(body);
  const at = nowOf(ctx);
  await ctx.store.write(async (tx) => {
    const { row, record } = await loadCase(tx, caseId);
    enforce(principal, 'case.update', record);
    if (input.owningOrganisationId !== row.owning_organisation_id) {
      throw new RequestError('bad_request', `a case cannot change owner: it stays with ${row.owning_organisation_id}`);
    }
    const accessChanged =
      access.visibility !== record.visibility || JSON.stringify(access.sharedWithOrganisations) !== JSON.stringify([...record.sharedWithOrganisations].sort());
    if (accessChanged && user.organisationId !== row.owning_organisation_id) {
      throw new ForbiddenError('only the owning organisation may change the visibility or the sharing of a case');
    }
    await assertOrganisationsExist(tx, access.sharedWithOrganisations);
    const version = Number(row.version) + 1;
    await insertVersion(tx, caseId, version, input, access, user.userId, at);
    await audit(tx, at, user.userId, 'case.version', `case:${caseId}`, { version, visibility: access.visibility });
  });
  return caseView((await loadCase(ctx.store, caseId)).row);
}

/** Assigns a documenter of the owning organisation to the case (so they may read its personal fields). */
export async function assignCase(ctx: RegistryContext, principal: Principal, caseId: number, userId: string): Promise<{ caseId: number; userId: string; alreadyAssigned: boolean }> {
  await ready(ctx);
  const admin = requireUser(principal);
  const at = nowOf(ctx);
  return ctx.store.write(async (tx) => {
    const { row, record } = await loadCase(tx, caseId);
    enforce(principal, 'case.assign', record);
    const [target] = await tx.all<{ role: string; organisation_id: string }>('SELECT role, organisation_id FROM app_user WHERE id = ?', [userId]);
    if (!target) throw new RequestError('bad_request', `no user ${userId}`);
    if (target.role !== 'documenter' || target.organisation_id !== row.owning_organisation_id) {
      throw new RequestError('bad_request', 'only documenters of the owning organisation can be assigned to a case');
    }
    if (record.assignedUserIds.includes(userId)) return { caseId, userId, alreadyAssigned: true };
    await tx.run('INSERT INTO case_assignment (case_id, user_id, assigned_by, assigned_at) VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ))', [caseId, userId, admin.userId, iso(at)]);
    await audit(tx, at, admin.userId, 'case.assign', `case:${caseId}`, { user: userId });
    return { caseId, userId, alreadyAssigned: false };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// People.

export interface PersonView {
  readonly id: number;
  readonly caseId: number;
  readonly role: string;
  readonly institution: string | null;
  readonly sex: string;
  readonly ageAtEvent: number | null;
  readonly nationality: string | null;
  /** The data key is gone: personal fields can no longer be read by anyone. */
  readonly erased: boolean;
  /** Whether the personal fields below were disclosed (false: they are all null, whatever exists). */
  readonly personal: boolean;
  readonly name: string | null;
  readonly contact: string | null;
  readonly address: string | null;
  readonly dateOfBirth: string | null;
  readonly testimony: string | null;
}

interface PersonRow extends Row {
  id: number;
  case_id: number;
  role: string;
  institution: string | null;
  sex: string;
  age_at_event: number | null;
  nationality: string | null;
  wrapped_dek: string | null;
}

function basicPerson(row: PersonRow): PersonView {
  return {
    id: Number(row.id),
    caseId: Number(row.case_id),
    role: row.role,
    institution: row.institution,
    sex: row.sex,
    ageAtEvent: row.age_at_event === null ? null : Number(row.age_at_event),
    nationality: row.nationality,
    erased: row.wrapped_dek === null,
    personal: false,
    name: null,
    contact: null,
    address: null,
    dateOfBirth: null,
    testimony: null,
  };
}

/** Inserts a person and their sealed personal fields; returns the id and the names of the fields stored. */
async function insertPerson(ctx: RegistryContext, tx: WriteTx, caseId: number, person: PersonInput, actor: string, at: Date): Promise<{ id: number; fields: PersonalField[] }> {
  const id = await nextId(tx, 'registry_person_seq');
  const dek = newDataKey();
  await tx.run(
    `INSERT INTO person (id, case_id, role, institution, sex, age_at_event, nationality, wrapped_dek, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))`,
    [id, caseId, person.role, person.institution ?? null, person.sex, person.ageAtEvent ?? null, person.nationality ?? null, wrapKey(ctx.masterKey, dek, String(id)), actor, iso(at)],
  );
  const fields: PersonalField[] = [];
  for (const field of PERSONAL_FIELDS) {
    const value = person[field];
    if (value === undefined) continue;
    fields.push(field);
    await tx.run('INSERT INTO person_field (person_id, field, version, ciphertext, created_by, created_at) VALUES (?, ?, 1, ?, ?, CAST(? AS TIMESTAMPTZ))', [
      id,
      field,
      encryptField(dek, value, fieldAad(String(id), field, 1)),
      actor,
      iso(at),
    ]);
  }
  dek.fill(0);
  await audit(tx, at, actor, 'person.add', `person:${id}`, { case: caseId, role: person.role, fields: fields.join(',') });
  return { id, fields };
}

/** Adds a person to a case (a case update); personal fields are sealed under a fresh data key. Returns the non-personal view. */
export async function addPerson(ctx: RegistryContext, principal: Principal, caseId: number, body: unknown): Promise<PersonView> {
  await ready(ctx);
  const user = requireUser(principal);
  const person = PersonInput.parse(body);
  const at = nowOf(ctx);
  const id = await ctx.store.write(async (tx) => {
    const { record } = await loadCase(tx, caseId);
    enforce(principal, 'case.update', record);
    return (await insertPerson(ctx, tx, caseId, person, user.userId, at)).id;
  });
  const [row] = await ctx.store.all<PersonRow>('SELECT * FROM person WHERE id = ?', [id]);
  return basicPerson(row as PersonRow);
}

async function loadPerson(tx: ReadTx, caseId: number, personId: number): Promise<PersonRow> {
  if (!Number.isSafeInteger(personId) || personId < 1) throw new RequestError('bad_request', 'a person id is a positive whole number');
  const [row] = await tx.all<PersonRow>('SELECT * FROM person WHERE id = ? AND case_id = ?', [personId, caseId]);
  if (!row) throw new RequestError('not_found', `no person ${personId} in case ${caseId}`, { caseId, personId });
  return row;
}

/**
 * One person of a case. Personal fields are decrypted only when the policy allows `person.read-personal`, and then
 * only after an audit entry (with the break-glass reason when the grant rests on it) is committed. A break-glass
 * request that the policy refuses is refused outright rather than answered with a redacted record.
 */
export async function readPerson(ctx: RegistryContext, principal: Principal, caseId: number, personId: number): Promise<PersonView> {
  await ready(ctx);
  const { record } = await loadCase(ctx.store, caseId);
  enforce(principal, 'person.read-basic', record);
  const row = await loadPerson(ctx.store, caseId, personId);
  const personal = decide(principal, 'person.read-personal', record);
  const asked = principal.kind === 'user' && principal.breakGlass !== undefined;
  if (!personal.allow) {
    if (asked) throw new ForbiddenError(`break-glass refused: ${personal.reason}`);
    return basicPerson(row);
  }
  const at = nowOf(ctx);
  const actor = actorOf(principal);
  const sealed = await ctx.store.write(async (tx) => {
    const fresh = await loadPerson(tx, caseId, personId);
    const fields = await tx.all<{ field: PersonalField; version: number; ciphertext: string }>(
      `SELECT f.field, f.version, f.ciphertext FROM person_field f
       JOIN (SELECT field, max(version) AS version FROM person_field WHERE person_id = ? GROUP BY field) m ON m.field = f.field AND m.version = f.version
       WHERE f.person_id = ? ORDER BY f.field`,
      [personId, personId],
    );
    const detail: AuditDetail = { case: caseId, fields: fields.map((f) => f.field).join(','), erased: fresh.wrapped_dek === null };
    if (personal.breakGlassLogged && principal.kind === 'user' && principal.breakGlass) {
      await audit(tx, at, actor, 'person.break-glass', `person:${personId}`, { ...detail, reason: principal.breakGlass.reason.slice(0, 500) });
    } else {
      await audit(tx, at, actor, 'person.read-personal', `person:${personId}`, detail);
    }
    return { wrapped: fresh.wrapped_dek, fields };
  });
  const view = { ...basicPerson(row), erased: sealed.wrapped === null, personal: true } as { -readonly [K in keyof PersonView]: PersonView[K] };
  if (sealed.wrapped === null) return view;
  const dek = unwrapKey(ctx.masterKey, sealed.wrapped, String(personId));
  try {
    for (const f of sealed.fields) view[f.field] = decryptField(dek, f.ciphertext, fieldAad(String(personId), f.field, Number(f.version)));
  } finally {
    dek.fill(0);
  }
  return view;
}

/**
 * Crypto-shredding: the person's wrapped data key is set to NULL, after which no one can decrypt their personal
 * fields (the ciphertexts stay, unreadable). Allowed to an admin of the owning organisation or a documenter assigned
 * to the case (the one who may read the fields).
 */
export async function erasePerson(ctx: RegistryContext, principal: Principal, caseId: number, personId: number, reason: string): Promise<PersonView> {
  await ready(ctx);
  const user = requireUser(principal);
  const at = nowOf(ctx);
  await ctx.store.write(async (tx) => {
    const { record } = await loadCase(tx, caseId);
    const allowed =
      (user.role === 'admin' && decide(principal, 'case.assign', record).allow) ||
      (user.role === 'documenter' && decide(principal, 'person.read-personal', record).allow);
    if (!allowed) throw new ForbiddenError('only an admin of the owning organisation or a documenter assigned to the case may erase a person');
    const row = await loadPerson(tx, caseId, personId);
    if (row.wrapped_dek === null) return;
    await tx.run('UPDATE person SET wrapped_dek = NULL, erased_by = ?, erased_at = CAST(? AS TIMESTAMPTZ) WHERE id = ?', [user.userId, iso(at), personId]);
    await audit(tx, at, user.userId, 'person.erase', `person:${personId}`, { case: caseId, reason: reason.trim().slice(0, 500) || 'not given' });
  });
  return basicPerson(await loadPerson(ctx.store, caseId, personId));
}

// ---------------------------------------------------------------------------------------------------------------
// Events.

export interface EventView {
  readonly id: number;
  readonly caseId: number;
  readonly kind: JusticeEventKind;
  readonly date: FuzzyDate;
  readonly source: string;
  readonly sourceUrl: string | null;
  readonly reliability: string;
  readonly note: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

interface EventRow extends Row {
  id: number;
  case_id: number;
  kind: string;
  date_value: string;
  date_precision: string;
  source: string;
  source_url: string | null;
  reliability: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

function eventView(row: EventRow): EventView {
  return {
    id: Number(row.id),
    caseId: Number(row.case_id),
    kind: row.kind as JusticeEventKind,
    date: { value: row.date_value, precision: row.date_precision as DatePrecision },
    source: row.source,
    sourceUrl: row.source_url,
    reliability: row.reliability,
    note: row.note,
    recordedAt: row.created_at,
    recordedBy: row.created_by,
  };
}

async function insertEvent(tx: WriteTx, caseId: number, event: CaseEventInput, actor: string, at: Date): Promise<number> {
  const id = await nextId(tx, 'registry_event_seq');
  await tx.run(
    `INSERT INTO case_event (id, case_id, kind, date_value, date_precision, source, source_url, reliability, note, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))`,
    [id, caseId, event.kind, event.date.value, event.date.precision, event.source, event.sourceUrl ?? null, event.reliability, event.note ?? null, actor, iso(at)],
  );
  await audit(tx, at, actor, 'event.append', `case:${caseId}`, { event: id, kind: event.kind });
  return id;
}

export async function appendEvent(ctx: RegistryContext, principal: Principal, caseId: number, body: unknown): Promise<EventView> {
  await ready(ctx);
  const user = requireUser(principal);
  const event = CaseEventInput.parse(body);
  const at = nowOf(ctx);
  const id = await ctx.store.write(async (tx) => {
    const { record } = await loadCase(tx, caseId);
    enforce(principal, 'event.append', record);
    return insertEvent(tx, caseId, event, user.userId, at);
  });
  const [row] = await ctx.store.all<EventRow>('SELECT * FROM case_event WHERE id = ?', [id]);
  return eventView(row as EventRow);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading cases (never personal fields).

export interface CaseDetail {
  readonly case: CaseSummary;
  /** Non-personal view of each person: personal fields are null here; read one person to see them (audited). */
  readonly persons: PersonView[];
  readonly events: EventView[];
}

async function eventsOf(tx: ReadTx, caseId: number): Promise<EventView[]> {
  return (await tx.all<EventRow>('SELECT * FROM case_event WHERE case_id = ? ORDER BY id', [caseId])).map(eventView);
}

export async function getCase(ctx: RegistryContext, principal: Principal, caseId: number): Promise<CaseDetail> {
  await ready(ctx);
  const { row, record } = await loadCase(ctx.store, caseId);
  enforce(principal, 'case.read', record);
  const events = await eventsOf(ctx.store, caseId);
  const persons = decide(principal, 'person.read-basic', record).allow
    ? (await ctx.store.all<PersonRow>('SELECT * FROM person WHERE case_id = ? ORDER BY id', [caseId])).map(basicPerson)
    : [];
  return { case: { ...caseView(row), stage: furthestStage(events) }, persons, events };
}

export interface CaseHistory {
  readonly versions: CaseView[];
  readonly events: EventView[];
}

export async function caseHistory(ctx: RegistryContext, principal: Principal, caseId: number): Promise<CaseHistory> {
  await ready(ctx);
  const { record } = await loadCase(ctx.store, caseId);
  enforce(principal, 'case.history', record);
  const versions = await ctx.store.all<CaseRow>('SELECT * FROM case_record WHERE case_id = ? ORDER BY version', [caseId]);
  return { versions: versions.map(caseView), events: await eventsOf(ctx.store, caseId) };
}

/** Latest versions the principal may take `action` on, with their funnel stage. */
async function casesFor(ctx: RegistryContext, principal: Principal, action: Action): Promise<CaseSummary[]> {
  await ready(ctx);
  // Nothing to show to someone who is not signed in; skip the reads.
  if (principal.kind !== 'user') return [];
  const [rows, assignments, events] = await Promise.all([
    ctx.store.all<CaseRow>(`${LATEST_VERSIONS} ORDER BY c.case_id`),
    ctx.store.all<{ case_id: number; user_id: string }>('SELECT case_id, user_id FROM case_assignment'),
    ctx.store.all<{ case_id: number; kind: JusticeEventKind; date_value: string; date_precision: string }>('SELECT case_id, kind, date_value, date_precision FROM case_event'),
  ]);
  const assigned = groupBy(assignments, (a) => Number(a.case_id), (a) => a.user_id);
  const kinds = groupBy(events, (e) => Number(e.case_id), (e) => ({ kind: e.kind }));
  return rows
    .filter((row) => decide(principal, action, recordContext(row, assigned.get(Number(row.case_id)) ?? [])).allow)
    .map((row) => ({ ...caseView(row), stage: furthestStage(kinds.get(Number(row.case_id)) ?? []) }));
}

function groupBy<T, V>(items: readonly T[], key: (item: T) => number, value: (item: T) => V): Map<number, V[]> {
  const map = new Map<number, V[]>();
  for (const item of items) {
    const list = map.get(key(item)) ?? [];
    list.push(value(item));
    map.set(key(item), list);
  }
  return map;
}

export function listCases(ctx: RegistryContext, principal: Principal): Promise<CaseSummary[]> {
  return casesFor(ctx, principal, 'case.list');
}

/**
 * Search over non-personal fields only (id, type and its labels, state, municipality, dates, public summary), for
 * everyone: personal fields are never decrypted for a search, so a name cannot be found, or confirmed, by searching.
 */
export async function searchCases(ctx: RegistryContext, principal: Principal, query: string): Promise<CaseSummary[]> {
  const q = z.string().trim().min(1, 'the search needs at least one character').max(200).parse(query).toLowerCase();
  const cases = await casesFor(ctx, principal, 'case.search');
  return cases.filter((c) => searchableText(c).includes(q));
}

function searchableText(c: CaseSummary): string {
  const label = CASE_TYPE_LABELS[c.type];
  return [String(c.id), c.type, label.es, label.en, c.state, c.municipality ?? '', c.occurredOn.value, c.reportedOn?.value ?? '', c.summaryPublic?.es ?? '', c.summaryPublic?.en ?? '', c.visibility, c.stage ?? '']
    .join('\n')
    .toLowerCase();
}

const EXPORT_COLUMNS = [
  'id', 'version', 'type', 'state', 'municipality', 'occurred_on', 'occurred_precision', 'reported_on', 'reported_precision',
  'visibility', 'owning_organisation', 'stage', 'summary_es', 'summary_en', 'recorded_at',
] as const;

/** One CSV cell, quoted when needed; cells that a spreadsheet would run as a formula are prefixed with '. */
function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The cases the principal may export, as CSV with no personal field at all (persons are not exported). The export itself is audited. */
export async function exportRedacted(ctx: RegistryContext, principal: Principal): Promise<string> {
  const user = requireUser(principal);
  const cases = await casesFor(ctx, principal, 'case.export-redacted');
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const c of cases) {
    const cells = [
      c.id, c.version, c.type, c.state, c.municipality, c.occurredOn.value, c.occurredOn.precision, c.reportedOn?.value ?? null,
      c.reportedOn?.precision ?? null, c.visibility, c.owningOrganisationId, c.stage, c.summaryPublic?.es ?? null, c.summaryPublic?.en ?? null, c.recordedAt,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  const at = nowOf(ctx);
  await ctx.store.write((tx) => audit(tx, at, user.userId, 'case.export', 'cases', { rows: cases.length }));
  return `${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Public aggregates.

export const FUNNEL_GROUP_BY: readonly FunnelDimension[] = ['yearEntered', 'type', 'state'];

export interface FunnelAggregates {
  readonly threshold: number;
  readonly groupBy: readonly FunnelDimension[];
  readonly stages: readonly JusticeStage[];
  readonly rows: FunnelRow[];
  /**
   * Days from the complaint to each later stage, by case type: the median over cases whose two events both have day
   * precision; null (suppressed) when fewer than `threshold` cases have both. Counts are not published here.
   */
  readonly timeToStage: readonly { type: CaseType; stage: JusticeStage; medianDays: number | null; suppressed: boolean }[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * The impunity funnel over `public-aggregate` cases: per year of entry (the year the case was first recorded in the
 * registry), type and state, how many cases reached each stage, with every count of 1–4 suppressed (aggregate.ts).
 * One fixed table: arbitrary groupings could be differenced against each other.
 */
export async function funnelAggregates(ctx: RegistryContext): Promise<FunnelAggregates> {
  await ready(ctx);
  const [rows, firsts, events] = await Promise.all([
    ctx.store.all<CaseRow>(`${LATEST_VERSIONS} ORDER BY c.case_id`),
    ctx.store.all<{ case_id: number; created_at: string }>('SELECT case_id, created_at FROM case_record WHERE version = 1'),
    ctx.store.all<{ case_id: number; kind: JusticeEventKind; date_value: string; date_precision: string }>('SELECT case_id, kind, date_value, date_precision FROM case_event'),
  ]);
  const entered = new Map(firsts.map((f) => [Number(f.case_id), Number(f.created_at.slice(0, 4))]));
  const kinds = groupBy(events, (e) => Number(e.case_id), (e) => ({ kind: e.kind }));
  const anonymous: Principal = { kind: 'anonymous' };
  const cases: FunnelCase[] = rows
    .filter((row) => decide(anonymous, 'aggregate.read', recordContext(row, [])).allow)
    .map((row) => ({
      type: row.type as CaseType,
      state: row.state,
      yearEntered: entered.get(Number(row.case_id)) ?? Number(row.created_at.slice(0, 4)),
      furthestStageIndex: furthestStageIndex(kinds.get(Number(row.case_id)) ?? []),
    }));
  // Time from the complaint to each later stage: the earliest day-precision event of each kind per public case.
  const publicCases = new Map(rows.filter((row) => decide(anonymous, 'aggregate.read', recordContext(row, [])).allow).map((row) => [Number(row.case_id), row.type as CaseType]));
  const firstDay = new Map<string, number>();
  for (const e of events) {
    if (e.date_precision !== 'day' || !publicCases.has(Number(e.case_id))) continue;
    const key = `${Number(e.case_id)}|${e.kind}`;
    const day = Date.parse(`${e.date_value}T00:00:00Z`) / 86_400_000;
    if (Number.isFinite(day) && (firstDay.get(key) ?? Number.POSITIVE_INFINITY) > day) firstDay.set(key, day);
  }
  const timeToStage: FunnelAggregates['timeToStage'][number][] = [];
  for (const type of [...new Set(publicCases.values())].sort()) {
    for (const stage of JUSTICE_STAGE_ORDER.slice(1)) {
      const days: number[] = [];
      for (const [caseId, caseType] of publicCases) {
        if (caseType !== type) continue;
        const from = firstDay.get(`${caseId}|${JUSTICE_STAGE_ORDER[0]}`);
        const to = firstDay.get(`${caseId}|${stage}`);
        if (from !== undefined && to !== undefined && to >= from) days.push(to - from);
      }
      const suppressed = days.length < SUPPRESSION_THRESHOLD;
      timeToStage.push({ type, stage, medianDays: suppressed ? null : median(days), suppressed });
    }
  }
  return { threshold: SUPPRESSION_THRESHOLD, groupBy: FUNNEL_GROUP_BY, stages: JUSTICE_STAGE_ORDER, rows: funnel(cases, FUNNEL_GROUP_BY), timeToStage };
}

// ---------------------------------------------------------------------------------------------------------------
// The public intake form.

export interface IntakeReceipt {
  /** Shown once to the family; only its SHA-256 is stored. */
  readonly receipt: string;
}

/**
 * A kidnapping of a migrant reported through the public form: a case owned by the intake organisation, private
 * unless the consent names recipients beyond it (then shared with those configured as organisations), with the
 * victim and the reporter as persons whose names, contact, relationship and last-seen place are sealed personal
 * fields, and a `referral` event per consented recipient beyond the documenting organisation.
 */
export async function submitIntake(ctx: RegistryContext, body: unknown): Promise<IntakeReceipt> {
  await ready(ctx);
  const form = MigrantKidnappingIntake.parse(body);
  const owner = ctx.intakeOrganisationId;
  if (!owner) throw new Error('the intake form is not configured: set the organisation that receives it');
  const at = nowOf(ctx);
  const today = iso(at).slice(0, 10);
  if (form.last_seen.date > today) throw new RequestError('bad_request', 'last_seen.date: the date is in the future');
  const beyond = form.consent.share_with.filter((r): r is Exclude<ConsentRecipient, 'documenting_organisation'> => r !== 'documenting_organisation');
  const sharedWith = [...new Set(beyond.map((r) => ctx.intakeRecipientOrganisations?.[r]).filter((o): o is string => o !== undefined && o !== owner))].sort();
  const input = CaseInput.parse({
    type: 'migrant-kidnapping',
    state: form.last_seen.state,
    occurredOn: { value: form.last_seen.date, precision: 'day' },
    reportedOn: { value: today, precision: 'day' },
    owningOrganisationId: owner,
  });
  const access = { visibility: (beyond.length > 0 ? 'shared' : 'private') as Visibility, sharedWithOrganisations: sharedWith };
  const receipt = newReceiptCode();
  await ctx.store.write(async (tx) => {
    await assertOrganisationsExist(tx, [owner, ...sharedWith]);
    const caseId = await nextId(tx, 'registry_case_seq');
    await insertVersion(tx, caseId, 1, input, access, INTAKE_ACTOR, at);
    await audit(tx, at, INTAKE_ACTOR, 'intake.submit', `case:${caseId}`, { recipients: form.consent.share_with.join(','), visibility: access.visibility });
    const victim: PersonInput = {
      role: 'victim',
      sex: 'unknown',
      name: form.victim.name,
      ...(form.victim.age === undefined ? {} : { ageAtEvent: form.victim.age }),
      ...(form.victim.nationality === undefined ? {} : { nationality: form.victim.nationality }),
      ...(form.last_seen.place === undefined ? {} : { testimony: `last seen at / visto por última vez en: ${form.last_seen.place}` }),
    };
    const reporter: PersonInput = {
      role: 'reporter',
      sex: 'unknown',
      name: form.reporter.name,
      contact: form.reporter.contact,
      testimony: `relationship to the victim / parentesco: ${form.reporter.relationship}`,
    };
    await insertPerson(ctx, tx, caseId, victim, INTAKE_ACTOR, at);
    await insertPerson(ctx, tx, caseId, reporter, INTAKE_ACTOR, at);
    for (const recipient of beyond) {
      await insertEvent(
        tx,
        caseId,
        { kind: 'referral', date: { value: today, precision: 'day' }, source: 'consent given on the public intake form', reliability: 'unverified', note: `referral to ${recipient}` },
        INTAKE_ACTOR,
        at,
      );
    }
    await tx.run('INSERT INTO intake (receipt_sha256, case_id, share_with, ransom_demanded, created_at) VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))', [
      hashToken(receipt),
      caseId,
      JSON.stringify(form.consent.share_with),
      form.ransom_demanded,
      iso(at),
    ]);
  });
  return { receipt };
}

export interface IntakeStatus {
  readonly type: CaseType;
  /** The furthest stage of the justice funnel reached, or null. */
  readonly stage: JusticeStage | null;
  /** Day of the last change to the case (a version or an event), YYYY-MM-DD. */
  readonly lastUpdate: string;
}

/** What a receipt holder may know: the type, the stage reached and when the case last changed. Nothing personal. */
export async function intakeStatus(ctx: RegistryContext, receipt: string): Promise<IntakeStatus> {
  await ready(ctx);
  const code = normaliseReceiptCode(receipt);
  const notFound = () => new RequestError('not_found', 'no report with this receipt code; check it and try again');
  if (code === null) throw notFound();
  const [intake] = await ctx.store.all<{ case_id: number }>('SELECT case_id FROM intake WHERE receipt_sha256 = ?', [hashToken(code)]);
  if (!intake) throw notFound();
  const caseId = Number(intake.case_id);
  const [latest] = await ctx.store.all<{ type: CaseType; created_at: string }>('SELECT type, created_at FROM case_record WHERE case_id = ? ORDER BY version DESC LIMIT 1', [caseId]);
  if (!latest) throw notFound();
  const events = await ctx.store.all<{ kind: JusticeEventKind; created_at: string }>('SELECT kind, created_at FROM case_event WHERE case_id = ?', [caseId]);
  const last = [latest.created_at, ...events.map((e) => e.created_at)].sort().at(-1) ?? latest.created_at;
  return { type: latest.type, stage: furthestStage(events), lastUpdate: last.slice(0, 10) };
}

// ---------------------------------------------------------------------------------------------------------------
// The audit chain.

/** A detail that is not JSON any more was tampered with: keep it as text so that its hash fails. */
function parseDetail(text: string): AuditDetail {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as AuditDetail;
  } catch {
    // fall through
  }
  return { unparseable: text };
}

/** verifyChain over every audit entry in seq order, against the stored head. */
export async function verifyAudit(store: Store): Promise<ChainVerdict> {
  await registrySchemaReady(store);
  const rows = await store.all<{ seq: number; recorded_at: string; actor: string; action: string; target: string; detail: string; prev_hash: string; hash: string }>(
    'SELECT seq, recorded_at, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq',
  );
  const [head] = await store.all<{ entry_count: number; hash: string }>('SELECT entry_count, hash FROM audit_head WHERE id = 1');
  const entries: AuditEntry[] = rows.map((r) => ({
    seq: Number(r.seq),
    at: r.recorded_at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    detail: parseDetail(r.detail),
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
  return verifyChain(entries, head ? { count: Number(head.entry_count), hash: head.hash } : { count: 0, hash: GENESIS_HASH });
}

// ---------------------------------------------------------------------------------------------------------------
// CSV import of cases: every row checked first, then one transaction (all or nothing).

/** The columns of a case CSV; `shared_with` holds organisation ids separated by `;`. */
export const CASE_CSV_COLUMNS = [
  'type', 'state', 'municipality', 'occurred_on', 'occurred_precision', 'reported_on', 'reported_precision', 'visibility', 'shared_with',
  'summary_es', 'summary_en',
] as const;
const REQUIRED_CASE_COLUMNS = ['type', 'state', 'occurred_on', 'occurred_precision', 'visibility'] as const;

/** zod paths of a case body → the CSV column a user can fix. */
const COLUMN_OF: Record<string, string> = {
  type: 'type', state: 'state', municipality: 'municipality', occurredOn: 'occurred_on', 'occurredOn.value': 'occurred_on',
  'occurredOn.precision': 'occurred_precision', reportedOn: 'reported_on', 'reportedOn.value': 'reported_on',
  'reportedOn.precision': 'reported_precision', visibility: 'visibility', sharedWithOrganisations: 'shared_with',
  summaryPublic: 'summary_es', 'summaryPublic.es': 'summary_es', 'summaryPublic.en': 'summary_en',
};

export interface CaseImportSummary {
  readonly file: string;
  readonly cases: number;
  readonly firstId: number | null;
  readonly lastId: number | null;
}

/**
 * Imports cases owned by the importing user's organisation from a CSV file (UTF-8, header line). Problems name the
 * file, line, column, value and what was expected; one bad row and nothing is written.
 */
export async function importCases(ctx: RegistryContext, principal: Principal, path: string): Promise<CaseImportSummary> {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError([{ file, expected: 'an existing, readable CSV file' }]);
  }
  return importCasesText(ctx, principal, text, file);
}

/** The same import from CSV text (an upload). */
export async function importCasesText(ctx: RegistryContext, principal: Principal, csvText: string, file: string): Promise<CaseImportSummary> {
  await ready(ctx);
  const user = requireUser(principal);
  const table = readCsvTable(csvText, file);
  const header = table.header;
  const problems: InputProblem[] = [];
  for (const c of REQUIRED_CASE_COLUMNS) if (!header.includes(c)) problems.push({ file, line: 1, column: c, expected: `a column named "${c}" (columns: ${CASE_CSV_COLUMNS.join(', ')})` });
  for (const h of header) if (!(CASE_CSV_COLUMNS as readonly string[]).includes(h)) problems.push({ file, line: 1, column: h, expected: `only the columns ${CASE_CSV_COLUMNS.join(', ')} (no personal data in a case file)` });
  if (problems.length > 0) throw new InputError(problems);
  if (table.rows.length === 0) throw new InputError([{ file, line: 2, expected: 'at least one case row after the header' }]);

  const parsed: { line: number; input: CaseInput; access: z.infer<typeof CaseAccess> }[] = [];
  const ragged = raggedRows(table, file);
  problems.push(...ragged);
  const raggedLines = new Set(ragged.map((p) => p.line));
  for (const { cells: record, line } of table.rows) {
    if (raggedLines.has(line)) continue;
    const cell = (name: string) => {
      const v = record[header.indexOf(name)]?.trim() ?? '';
      return v === '' ? undefined : v;
    };
    const summary = cell('summary_es') ?? cell('summary_en');
    const body = {
      type: cell('type'), state: cell('state'), ...(cell('municipality') ? { municipality: cell('municipality') } : {}),
      occurredOn: { value: cell('occurred_on'), precision: cell('occurred_precision') },
      ...(cell('reported_on') ? { reportedOn: { value: cell('reported_on'), precision: cell('reported_precision') } } : {}),
      owningOrganisationId: user.organisationId,
      ...(summary ? { summaryPublic: { es: cell('summary_es') ?? summary, en: cell('summary_en') ?? summary } } : {}),
      visibility: cell('visibility'),
      ...(cell('shared_with') ? { sharedWithOrganisations: (cell('shared_with') ?? '').split(';').map((o) => o.trim()).filter((o) => o !== '') } : {}),
    };
    try {
      const { input, access } = parseCaseWrite(body);
      enforce(principal, 'case.create', { owningOrganisationId: input.owningOrganisationId, sharedWithOrganisations: access.sharedWithOrganisations, assignedUserIds: [], visibility: access.visibility });
      parsed.push({ line, input, access });
    } catch (error) {
      if (error instanceof z.ZodError) {
        for (const issue of error.issues) {
          const column = COLUMN_OF[issue.path.join('.')] ?? (issue.path.join('.') || '(row)');
          problems.push({ file, line, column, value: cell(column) ?? '', expected: issue.message });
        }
      } else if (error instanceof ForbiddenError) {
        throw error;
      } else {
        problems.push({ file, line, expected: (error as Error).message });
      }
    }
  }
  if (problems.length > 0) throw new InputError(problems);

  const at = nowOf(ctx);
  const ids = await ctx.store.write(async (tx) => {
    await assertOrganisationsExist(tx, [...new Set(parsed.flatMap((p) => [p.input.owningOrganisationId, ...p.access.sharedWithOrganisations]))]);
    const created: number[] = [];
    for (const p of parsed) {
      const id = await nextId(tx, 'registry_case_seq');
      await insertVersion(tx, id, 1, p.input, p.access, user.userId, at);
      await audit(tx, at, user.userId, 'case.create', `case:${id}`, { version: 1, visibility: p.access.visibility, import: file, line: p.line });
      await tx.run('INSERT INTO case_assignment (case_id, user_id, assigned_by, assigned_at) VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ))', [id, user.userId, user.userId, iso(at)]);
      created.push(id);
    }
    await audit(tx, at, user.userId, 'case.import', `file:${file}`, { cases: created.length });
    return created;
  });
  return { file, cases: ids.length, firstId: ids[0] ?? null, lastId: ids.at(-1) ?? null };
}
