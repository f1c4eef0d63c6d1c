import { z } from 'zod';
import { CaseInput, RequestError } from '../domain/index.js';
import type { CaseType, DatePrecision, FuzzyDate, JusticeStage, Text } from '../domain/index.js';
import type { ReadTx, Row, WriteTx } from '../store/index.js';
import { appendAudit as audit, registryWrite } from './audit-log.js';
import { ForbiddenError, enforce, iso, nextId, nowOf, parseJsonArray, ready, requireUser } from './context.js';
import type { RegistryContext } from './context.js';
import type { Principal, RecordContext, Visibility } from './policy.js';

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

export interface CaseRow extends Row {
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

export function caseView(row: CaseRow): CaseView {
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

export function recordContext(row: CaseRow, assigned: readonly string[]): RecordContext {
  return {
    owningOrganisationId: row.owning_organisation_id,
    sharedWithOrganisations: parseJsonArray(row.shared_with),
    assignedUserIds: assigned,
    visibility: row.visibility as Visibility,
  };
}

export const LATEST_VERSIONS = `SELECT c.* FROM case_record c
  JOIN (SELECT case_id, max(version) AS version FROM case_record GROUP BY case_id) m ON m.case_id = c.case_id AND m.version = c.version`;

export async function loadCase(tx: ReadTx, caseId: number): Promise<{ row: CaseRow; record: RecordContext }> {
  if (!Number.isSafeInteger(caseId) || caseId < 1) throw new RequestError('bad_request', 'a case id is a positive whole number');
  const [row] = await tx.all<CaseRow>('SELECT * FROM case_record WHERE case_id = ? ORDER BY version DESC LIMIT 1', [caseId]);
  if (!row) throw new RequestError('not_found', `no case ${caseId}`, { id: caseId });
  const assigned = await tx.all<{ user_id: string }>('SELECT user_id FROM case_assignment WHERE case_id = ? ORDER BY user_id', [caseId]);
  return { row, record: recordContext(row, assigned.map((a) => a.user_id)) };
}

export async function insertVersion(
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

export async function assertOrganisationsExist(tx: ReadTx, ids: readonly string[]): Promise<void> {
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
  const caseId = await registryWrite(ctx.store, async (tx) => {
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
  await registryWrite(ctx.store, async (tx) => {
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
  return registryWrite(ctx.store, async (tx) => {
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
