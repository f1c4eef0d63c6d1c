import { z } from 'zod';
import { CaseInput, MigrantKidnappingIntake, RequestError, fuzzyDateBounds, furthestStage } from '../domain/index.js';
import type { CaseType, ConsentRecipient, FuzzyDate, JusticeEventKind, JusticeStage, PersonInput } from '../domain/index.js';
import { appendAudit as audit, registryWrite } from './audit-log.js';
import { assertOrganisationsExist, insertVersion } from './cases.js';
import { INTAKE_ACTOR, iso, nextId, nowOf, ready } from './context.js';
import type { RegistryContext } from './context.js';
import { hashToken, newReceiptCode, normaliseReceiptCode, receiptCodeForKey } from './crypto.js';
import { insertEvent } from './events.js';
import { Gate, GateFullError } from './gate.js';
import { hitLimitIn } from './limits.js';
import { insertPerson } from './persons.js';
import type { Visibility } from './policy.js';

/*
 * Limits on the public form (docs/architecture.md, "The intake form under load"). Per client address (the real
 * client behind a trusted proxy): INTAKE_PER_ADDRESS_PER_HOUR reports, then 429 for that address only. Across all
 * addresses: a budget of INTAKE_GLOBAL_PER_HOUR; past it the form does not close — reports are still taken, one at a
 * time per process (a queue of 8; a full queue answers 429 for a minute), and marked `over-budget` so the receiving
 * organisation can tell a flood from the families' reports. Counters live in the store (shared by every process).
 */
export const INTAKE_PER_ADDRESS_PER_HOUR = 30;
export const INTAKE_GLOBAL_PER_HOUR = 300;
export const INTAKE_SLOW_GATE = new Gate(1, 8);
const HOUR_MS = 3_600_000;

/** A limit said no: answer 429 with Retry-After. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface IntakeLimits {
  readonly perAddressPerHour?: number;
  readonly globalPerHour?: number;
  readonly slowGate?: Gate;
}

/** Counts a report from `address` (shared counters) and says how to take it: normally, on the slow path, or not now. */
async function admit(ctx: RegistryContext, address: string, limits: IntakeLimits): Promise<'normal' | 'over-budget'> {
  const now = nowOf(ctx).getTime();
  const verdict = await ctx.store.write(async (tx) => {
    const own = await hitLimitIn(tx, `intake:${address}`, limits.perAddressPerHour ?? INTAKE_PER_ADDRESS_PER_HOUR, HOUR_MS, now);
    if (!own.allowed) return own;
    return (await hitLimitIn(tx, 'intake:*', limits.globalPerHour ?? INTAKE_GLOBAL_PER_HOUR, HOUR_MS, now)).allowed ? 'normal' : 'over-budget';
  });
  if (typeof verdict === 'string') return verdict;
  throw new RateLimitedError('too many reports from this address', verdict.retryAfterSeconds);
}

/** An idempotency key as the form sends it (random, generated with the page): 16–100 URL-safe characters. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,100}$/;

/**
 * The public form's way in: limits (above), then submitIntake. With an idempotency key, a repeat of a submission
 * already taken (a reload, a double tap, the back button) answers the same receipt and makes no second case.
 */
export async function receiveIntake(ctx: RegistryContext, body: unknown, address: string, limits: IntakeLimits = {}, idempotencyKey?: string): Promise<IntakeReceipt> {
  await ready(ctx);
  const key = idempotencyKey !== undefined && IDEMPOTENCY_KEY.test(idempotencyKey) ? idempotencyKey : undefined;
  if (key !== undefined) {
    const receipt = receiptCodeForKey(ctx.masterKey, key);
    if (await receiptTaken(ctx.store, receipt)) return { receipt };
  }
  const path = await admit(ctx, address, limits);
  if (path === 'normal') return submitIntake(ctx, body, null, key);
  try {
    return await (limits.slowGate ?? INTAKE_SLOW_GATE).run(() => submitIntake(ctx, body, 'over-budget', key));
  } catch (error) {
    if (error instanceof GateFullError) throw new RateLimitedError('many reports are arriving right now', 60);
    throw error;
  }
}

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
export async function submitIntake(ctx: RegistryContext, body: unknown, triage: 'over-budget' | null = null, idempotencyKey?: string): Promise<IntakeReceipt> {
  await ready(ctx);
  const at = nowOf(ctx);
  const today = iso(at).slice(0, 10);
  const parsed = MigrantKidnappingIntake.safeParse(body);
  if (!parsed.success) {
    // A family told every problem at once: a future date too, when the rest of the form had mistakes of its own.
    const last = (body as { last_seen?: { date?: unknown } } | null)?.last_seen;
    const future = typeof last?.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(last.date) && last.date > today;
    if (!future || parsed.error.issues.some((i) => i.path.join('.') === 'last_seen.date')) throw parsed.error;
    throw new z.ZodError([...parsed.error.issues, { code: 'custom', path: ['last_seen', 'date'], message: 'the date is in the future', params: { problem: 'future' }, input: last.date }]);
  }
  const form = parsed.data;
  const owner = ctx.intakeOrganisationId;
  if (!owner) throw new Error('the intake form is not configured: set the organisation that receives it');
  const occurredOn = lastSeenDate(form.last_seen, today);
  const bounds = fuzzyDateBounds(occurredOn);
  if (bounds && bounds.earliest > today) {
    throw new RequestError('bad_request', 'last_seen.date: the date is in the future', { field: 'last_seen.date', problem: 'future' });
  }
  const beyond = form.consent.share_with.filter((r): r is Exclude<ConsentRecipient, 'documenting_organisation'> => r !== 'documenting_organisation');
  const sharedWith = [...new Set(beyond.map((r) => ctx.intakeRecipientOrganisations?.[r]).filter((o): o is string => o !== undefined && o !== owner))].sort();
  const input = CaseInput.parse({
    type: 'migrant-kidnapping',
    state: form.last_seen.state,
    occurredOn,
    reportedOn: { value: today, precision: 'day' },
    owningOrganisationId: owner,
  });
  const access = { visibility: (beyond.length > 0 ? 'shared' : 'private') as Visibility, sharedWithOrganisations: sharedWith };
  const receipt = idempotencyKey === undefined ? newReceiptCode() : receiptCodeForKey(ctx.masterKey, idempotencyKey);
  await registryWrite(ctx.store, async (tx) => {
    // Writes are serialised: a second submission with the same key sees the first one's row here.
    if ((await tx.all('SELECT 1 FROM intake WHERE receipt_sha256 = ?', [hashToken(receipt)])).length > 0) return;
    await assertOrganisationsExist(tx, [owner, ...sharedWith]);
    const caseId = await nextId(tx, 'registry_case_seq');
    await insertVersion(tx, caseId, 1, input, access, INTAKE_ACTOR, at);
    await audit(tx, at, INTAKE_ACTOR, 'intake.submit', `case:${caseId}`, {
      recipients: form.consent.share_with.join(','),
      visibility: access.visibility,
      ...(triage ? { triage } : {}),
    });
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
    await tx.run('INSERT INTO intake (receipt_sha256, case_id, share_with, ransom_demanded, created_at, triage) VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), ?)', [
      hashToken(receipt),
      caseId,
      JSON.stringify(form.consent.share_with),
      form.ransom_demanded,
      iso(at),
      triage,
    ]);
  });
  return { receipt };
}

async function receiptTaken(store: RegistryContext['store'], receipt: string): Promise<boolean> {
  return (await store.all('SELECT 1 FROM intake WHERE receipt_sha256 = ?', [hashToken(receipt)])).length > 0;
}

/** The form's date as the case's fuzzy date: only the part the family knows; an unknown date keeps the report's year. */
function lastSeenDate(lastSeen: MigrantKidnappingIntake['last_seen'], today: string): FuzzyDate {
  const { date, date_precision: precision } = lastSeen;
  if (precision === 'unknown' || date === undefined) return { value: today.slice(0, 4), precision: 'unknown' };
  return { value: precision === 'day' ? date : precision === 'month' ? date.slice(0, 7) : date.slice(0, 4), precision };
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
