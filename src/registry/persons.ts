import { PERSONAL_FIELDS, PersonInput, RequestError } from '../domain/index.js';
import type { PersonalField } from '../domain/index.js';
import type { ReadTx, Row, WriteTx } from '../store/index.js';
import type { AuditDetail } from './audit.js';
import { appendAudit as audit, registryWrite } from './audit-log.js';
import { loadCase } from './cases.js';
import { ForbiddenError, actorOf, enforce, iso, nextId, nowOf, ready, requireUser } from './context.js';
import type { RegistryContext } from './context.js';
import { decryptField, encryptField, fieldAad, newDataKey, unwrapKey, wrapKey } from './crypto.js';
import { decide } from './policy.js';
import type { Principal } from './policy.js';

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

export interface PersonRow extends Row {
  id: number;
  case_id: number;
  role: string;
  institution: string | null;
  sex: string;
  age_at_event: number | null;
  nationality: string | null;
  wrapped_dek: string | null;
}

export function basicPerson(row: PersonRow): PersonView {
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
export async function insertPerson(ctx: RegistryContext, tx: WriteTx, caseId: number, person: PersonInput, actor: string, at: Date): Promise<{ id: number; fields: PersonalField[] }> {
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
  const id = await registryWrite(ctx.store, async (tx) => {
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
  const sealed = await registryWrite(ctx.store, async (tx) => {
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
  await registryWrite(ctx.store, async (tx) => {
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
