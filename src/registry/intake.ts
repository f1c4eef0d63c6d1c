import { CaseInput, MigrantKidnappingIntake, RequestError, furthestStage } from '../domain/index.js';
import type { CaseType, ConsentRecipient, JusticeEventKind, JusticeStage, PersonInput } from '../domain/index.js';
import { appendAudit as audit } from './audit-log.js';
import { assertOrganisationsExist, insertVersion } from './cases.js';
import { INTAKE_ACTOR, iso, nextId, nowOf, ready } from './context.js';
import type { RegistryContext } from './context.js';
import { hashToken, newReceiptCode, normaliseReceiptCode } from './crypto.js';
import { insertEvent } from './events.js';
import { insertPerson } from './persons.js';
import type { Visibility } from './policy.js';

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
