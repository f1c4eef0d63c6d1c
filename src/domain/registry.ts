import { z } from 'zod';
import { IsoDate, Text } from './text.js';

/*
 * The case registry: disappearances, torture and kidnappings of migrants, documented by civil-society organisations.
 * Vocabularies follow the spirit of the HURIDOCS Events Standard Formats (event, act, person by role, source,
 * reliability), cut down to what the impunity funnel and the families' follow-up need.
 */

export const CaseType = z.enum(['disappearance', 'torture', 'migrant-kidnapping']);
export type CaseType = z.infer<typeof CaseType>;

export const CASE_TYPE_LABELS: Record<CaseType, Text> = {
  disappearance: { es: 'desaparición', en: 'disappearance' },
  torture: { es: 'tortura', en: 'torture' },
  'migrant-kidnapping': { es: 'secuestro de personas migrantes', en: 'kidnapping of migrants' },
};

// ---------------------------------------------------------------------------------------------------------------
// Fuzzy dates: families often know only the month or the year.

export const DatePrecision = z.enum(['day', 'month', 'year', 'unknown']);
export type DatePrecision = z.infer<typeof DatePrecision>;

export const DATE_PRECISION_LABELS: Record<DatePrecision, Text> = {
  day: { es: 'día exacto', en: 'exact day' },
  month: { es: 'mes', en: 'month' },
  year: { es: 'año', en: 'year' },
  unknown: { es: 'fecha desconocida (año estimado)', en: 'unknown date (estimated year)' },
};

const FUZZY_DATE_VALUE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
// The registry reaches back to the "dirty war" of the 1960s–70s; nothing before 1900 is plausible.
const MIN_YEAR = 1900;

/** `YYYY-MM-DD` naming a day that exists (no 2023-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The shape `value` must have for each precision; `unknown` keeps a best-estimate year so that cases still count by year. */
const SHAPE_OF_PRECISION: Record<DatePrecision, 'YYYY-MM-DD' | 'YYYY-MM' | 'YYYY'> = {
  day: 'YYYY-MM-DD',
  month: 'YYYY-MM',
  year: 'YYYY',
  unknown: 'YYYY',
};

export const FuzzyDate = z
  .strictObject({
    value: z.string().regex(FUZZY_DATE_VALUE, 'expected YYYY-MM-DD, YYYY-MM or YYYY'),
    precision: DatePrecision,
  })
  .superRefine((d, ctx) => {
    const m = FUZZY_DATE_VALUE.exec(d.value);
    if (!m) return; // already reported by the regex
    const shape = m[3] !== undefined ? 'YYYY-MM-DD' : m[2] !== undefined ? 'YYYY-MM' : 'YYYY';
    if (shape !== SHAPE_OF_PRECISION[d.precision]) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `precision "${d.precision}" needs a value shaped ${SHAPE_OF_PRECISION[d.precision]}, got ${shape}` });
      return;
    }
    if (Number(m[1]) < MIN_YEAR) ctx.addIssue({ code: 'custom', path: ['value'], message: `year before ${MIN_YEAR}` });
    if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 12)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'month must be 01–12' });
    else if (m[3] !== undefined && !isCalendarDate(d.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: `${d.value} is not a calendar date` });
  });
export type FuzzyDate = z.infer<typeof FuzzyDate>;

/** First and last day a fuzzy date may stand for (ISO dates, so they compare as strings); null when the date is unknown. */
export function fuzzyDateBounds(date: FuzzyDate): { earliest: string; latest: string } | null {
  if (date.precision === 'unknown') return null;
  const [year, month] = date.value.split('-').map(Number) as [number, number | undefined];
  if (date.precision === 'day') return { earliest: date.value, latest: date.value };
  if (date.precision === 'year') return { earliest: `${year}-01-01`, latest: `${year}-12-31` };
  const lastDay = new Date(Date.UTC(year, month ?? 1, 0)).getUTCDate();
  return { earliest: `${date.value}-01`, latest: `${date.value}-${String(lastDay).padStart(2, '0')}` };
}

// ---------------------------------------------------------------------------------------------------------------
// People in a case.

export const PersonRole = z.enum(['victim', 'relative', 'reporter', 'alleged-perpetrator', 'witness']);
export type PersonRole = z.infer<typeof PersonRole>;

export const PERSON_ROLE_LABELS: Record<PersonRole, Text> = {
  victim: { es: 'víctima', en: 'victim' },
  relative: { es: 'familiar', en: 'relative' },
  reporter: { es: 'persona denunciante', en: 'reporter' },
  'alleged-perpetrator': { es: 'presunto perpetrador', en: 'alleged perpetrator' },
  witness: { es: 'testigo', en: 'witness' },
};

export const PerpetratorInstitution = z.enum([
  'police-municipal',
  'police-state',
  'national-guard',
  'army',
  'navy',
  'prosecutor',
  'migration-authority',
  'organised-crime',
  'unknown',
]);
export type PerpetratorInstitution = z.infer<typeof PerpetratorInstitution>;

export const PERPETRATOR_INSTITUTION_LABELS: Record<PerpetratorInstitution, Text> = {
  'police-municipal': { es: 'policía municipal', en: 'municipal police' },
  'police-state': { es: 'policía estatal', en: 'state police' },
  'national-guard': { es: 'Guardia Nacional', en: 'National Guard' },
  army: { es: 'Ejército', en: 'Army' },
  navy: { es: 'Marina', en: 'Navy' },
  prosecutor: { es: 'fiscalía', en: 'prosecutor’s office' },
  'migration-authority': { es: 'autoridad migratoria (INM)', en: 'migration authority (INM)' },
  'organised-crime': { es: 'delincuencia organizada', en: 'organised crime' },
  unknown: { es: 'desconocida', en: 'unknown' },
};

export const PersonSex = z.enum(['female', 'male', 'other', 'unknown']);
export type PersonSex = z.infer<typeof PersonSex>;

export const PERSON_SEX_LABELS: Record<PersonSex, Text> = {
  female: { es: 'mujer', en: 'female' },
  male: { es: 'hombre', en: 'male' },
  other: { es: 'otro', en: 'other' },
  unknown: { es: 'no se sabe', en: 'unknown' },
};

/** Fields that identify a person: stored encrypted, read only under the access policy, never written to the audit log. */
export const PERSONAL_FIELDS = ['name', 'contact', 'address', 'dateOfBirth', 'testimony'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** ISO 3166-1 alpha-2 (shape only: `MX`, `GT`, `HN`, `US`…). */
const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as MX or GT');
const Age = z.number().int().min(0).max(120);
/** Every text field has a stated maximum (characters), so that no body can make the server store or encrypt megabytes. */
const PersonalText = (max: number) => z.string().trim().min(1).max(max);

export const PersonInput = z
  .strictObject({
    role: PersonRole,
    /** Only for alleged perpetrators, and required for them (`unknown` is a value, so the gap is explicit). */
    institution: PerpetratorInstitution.optional(),
    name: PersonalText(300).optional(),
    contact: PersonalText(500).optional(),
    address: PersonalText(1000).optional(),
    dateOfBirth: PersonalText(50).optional(),
    testimony: PersonalText(20_000).optional(),
    sex: PersonSex,
    ageAtEvent: Age.optional(),
    nationality: CountryCode.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.role === 'alleged-perpetrator' && p.institution === undefined) {
      ctx.addIssue({ code: 'custom', path: ['institution'], message: 'an alleged perpetrator needs an institution (use "unknown" if it is not known)' });
    }
    if (p.role !== 'alleged-perpetrator' && p.institution !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['institution'], message: `institution applies only to alleged perpetrators, not to a ${p.role}` });
    }
  });
export type PersonInput = z.infer<typeof PersonInput>;

// ---------------------------------------------------------------------------------------------------------------
// Cases.

/** `99` is INEGI's "state not specified" (a geo that counts in the national total and is never drawn): families may not know. */
export const STATE_NOT_KNOWN = '99';
const StateCode = z.string().regex(/^(0[1-9]|[12]\d|3[0-2]|99)$/, 'expected an INEGI state code 01–32, or 99 (not known)');

export const CaseInput = z
  .strictObject({
    type: CaseType,
    state: StateCode,
    /** INEGI 5-digit code; its first two digits are the state. */
    municipality: z.string().regex(/^\d{5}$/, 'expected a 5-digit INEGI municipality code').optional(),
    occurredOn: FuzzyDate,
    reportedOn: FuzzyDate.optional(),
    owningOrganisationId: z.string().trim().min(1).max(100),
    /** Published as is: it must not name or describe anyone (schemas cannot check free text; reviewers do). */
    summaryPublic: z.strictObject({ es: z.string().trim().min(1).max(2000), en: z.string().trim().min(1).max(2000) }).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.municipality !== undefined && !c.municipality.startsWith(c.state)) {
      ctx.addIssue({ code: 'custom', path: ['municipality'], message: `municipality ${c.municipality} is not in state ${c.state}` });
    }
    if (c.reportedOn === undefined) return;
    const occurred = fuzzyDateBounds(c.occurredOn);
    const reported = fuzzyDateBounds(c.reportedOn);
    // Only a report that is surely earlier than the event is an error; overlapping fuzzy ranges are fine.
    if (occurred && reported && reported.latest < occurred.earliest) {
      ctx.addIssue({ code: 'custom', path: ['reportedOn'], message: 'reported before it occurred' });
    }
  });
export type CaseInput = z.infer<typeof CaseInput>;

// ---------------------------------------------------------------------------------------------------------------
// The justice chain.

export const JusticeEventKind = z.enum([
  'complaint-filed',
  'investigation-opened',
  'search-action',
  'located-alive',
  'located-dead',
  'identified',
  'charges-filed',
  'trial-opened',
  'conviction',
  'acquittal',
  'archived',
  'reparation',
  'referral',
]);
export type JusticeEventKind = z.infer<typeof JusticeEventKind>;

export const JUSTICE_EVENT_LABELS: Record<JusticeEventKind, Text> = {
  'complaint-filed': { es: 'denuncia presentada', en: 'complaint filed' },
  'investigation-opened': { es: 'carpeta de investigación abierta', en: 'investigation opened' },
  'search-action': { es: 'acción de búsqueda', en: 'search action' },
  'located-alive': { es: 'localizada con vida', en: 'located alive' },
  'located-dead': { es: 'localizada sin vida', en: 'located dead' },
  identified: { es: 'identificación', en: 'identified' },
  'charges-filed': { es: 'vinculación a proceso / acusación', en: 'charges filed' },
  'trial-opened': { es: 'juicio abierto', en: 'trial opened' },
  conviction: { es: 'sentencia condenatoria', en: 'conviction' },
  acquittal: { es: 'sentencia absolutoria', en: 'acquittal' },
  archived: { es: 'archivo de la investigación', en: 'investigation archived' },
  reparation: { es: 'reparación del daño', en: 'reparation' },
  referral: { es: 'canalización a otra institución', en: 'referral to another institution' },
};

/** The stages the impunity funnel counts, in order; reaching one implies the ones before it. */
export const JUSTICE_STAGE_ORDER = ['complaint-filed', 'investigation-opened', 'charges-filed', 'trial-opened', 'conviction'] as const;
export type JusticeStage = (typeof JUSTICE_STAGE_ORDER)[number];

/** Events outside the funnel that still prove a stage was reached: a verdict of acquittal means a trial took place. */
const STAGE_PROVEN_BY: Partial<Record<JusticeEventKind, JusticeStage>> = { acquittal: 'trial-opened' };

function stageOf(kind: JusticeEventKind): JusticeStage | undefined {
  return (JUSTICE_STAGE_ORDER as readonly string[]).includes(kind) ? (kind as JusticeStage) : STAGE_PROVEN_BY[kind];
}

/** Index in JUSTICE_STAGE_ORDER of the furthest stage the events reach; -1 when they reach none. */
export function furthestStageIndex(events: readonly { readonly kind: JusticeEventKind }[]): number {
  let furthest = -1;
  for (const e of events) {
    const stage = stageOf(e.kind);
    if (stage !== undefined) furthest = Math.max(furthest, JUSTICE_STAGE_ORDER.indexOf(stage));
  }
  return furthest;
}

/** The furthest funnel stage the events reach, or null when there is not even a complaint. */
export function furthestStage(events: readonly { readonly kind: JusticeEventKind }[]): JusticeStage | null {
  return JUSTICE_STAGE_ORDER[furthestStageIndex(events)] ?? null;
}

export const Reliability = z.enum(['high', 'medium', 'low', 'unverified']);
export type Reliability = z.infer<typeof Reliability>;

export const RELIABILITY_LABELS: Record<Reliability, Text> = {
  high: { es: 'alta', en: 'high' },
  medium: { es: 'media', en: 'medium' },
  low: { es: 'baja', en: 'low' },
  unverified: { es: 'sin verificar', en: 'unverified' },
};

export const CaseEventInput = z.strictObject({
  kind: JusticeEventKind,
  date: FuzzyDate,
  /** Where we know it from (e.g. "copy of the complaint held by the family"). */
  source: z.string().trim().min(1).max(500),
  sourceUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).max(2000).optional(),
  reliability: Reliability,
  note: z.string().trim().min(1).max(4000).optional(),
});
export type CaseEventInput = z.infer<typeof CaseEventInput>;

// ---------------------------------------------------------------------------------------------------------------
// Users.

export const UserRole = z.enum(['admin', 'documenter', 'reviewer', 'analyst', 'public']);
export type UserRole = z.infer<typeof UserRole>;

export const USER_ROLE_LABELS: Record<UserRole, Text> = {
  admin: { es: 'administración', en: 'administrator' },
  documenter: { es: 'documentación', en: 'documenter' },
  reviewer: { es: 'revisión', en: 'reviewer' },
  analyst: { es: 'análisis', en: 'analyst' },
  public: { es: 'público', en: 'public' },
};

// ---------------------------------------------------------------------------------------------------------------
// Public intake form for kidnappings of migrants.

export const ConsentRecipient = z.enum(['documenting_organisation', 'search_commission', 'prosecutors']);
export type ConsentRecipient = z.infer<typeof ConsentRecipient>;

export const CONSENT_RECIPIENT_LABELS: Record<ConsentRecipient, Text> = {
  documenting_organisation: { es: 'la organización que documenta el caso', en: 'the organisation documenting the case' },
  search_commission: { es: 'la comisión de búsqueda', en: 'the search commission' },
  prosecutors: { es: 'la fiscalía', en: 'the prosecutors' },
};

/*
 * Every level is strict: a form that silently kept an unexpected field could end up storing a migrant's immigration
 * status or a U.S. address, which can be used against them and their family. Refuse it and say why.
 */
const refuseUnknownFields = {
  error: (issue: { code?: string; keys?: readonly string[] }) =>
    issue.code === 'unrecognized_keys'
      ? `this form does not accept ${(issue.keys ?? []).map((k) => `"${k}"`).join(', ')}: send only the fields it asks for (never immigration status or addresses)`
      : undefined,
};

const FormText = (max: number) => z.string().trim().min(1).max(max);

export const MigrantKidnappingIntake = z.strictObject(
  {
    victim: z.strictObject({ name: FormText(200), age: Age.optional(), nationality: CountryCode.optional() }, refuseUnknownFields),
    reporter: z.strictObject({ name: FormText(200), relationship: FormText(100), contact: FormText(200) }, refuseUnknownFields),
    last_seen: z
      .strictObject(
        {
          /** A day in the period the family knows; with `date_precision` month or year only that part counts. */
          date: IsoDate.refine(isCalendarDate, 'not a calendar date').optional(),
          /** How much of the date the family knows (default: the exact day); `unknown` needs no date. */
          date_precision: DatePrecision.default('day'),
          state: StateCode,
          place: FormText(500).optional(),
        },
        refuseUnknownFields,
      )
      .superRefine((d, ctx) => {
        if (d.date === undefined && d.date_precision !== 'unknown') ctx.addIssue({ code: 'custom', path: ['date'], message: 'a date is needed unless its precision is "unknown"' });
      }),
    /** null: the family does not know. */
    ransom_demanded: z.boolean().nullable(),
    consent: z.strictObject(
      {
        share_with: z
          .array(ConsentRecipient)
          .min(1, 'consent must name at least the documenting organisation')
          .refine((r) => r.includes('documenting_organisation'), 'consent must include "documenting_organisation": it is who receives the form')
          .refine((r) => new Set(r).size === r.length, 'each recipient once'),
      },
      refuseUnknownFields,
    ),
  },
  refuseUnknownFields,
);
export type MigrantKidnappingIntake = z.infer<typeof MigrantKidnappingIntake>;

// ---------------------------------------------------------------------------------------------------------------
// Who families can reach: the receiving organisation of the intake form and the alternatives where it is closed.

export const SupportContact = z.strictObject({
  name: z.string().trim().min(1).max(200),
  phone: z.string().trim().min(3).max(60).optional(),
  /** Opening hours in both languages, e.g. {es: "lunes a viernes, 9 a 18 h (hora del centro)", en: "…"}. */
  hours: Text.optional(),
  email: z.email().optional(),
  web: z.url().optional(),
  /** What this contact can do for a family, in both languages. */
  note: Text.optional(),
});
export type SupportContact = z.infer<typeof SupportContact>;

/** The configuration file named by the server's settings (see README, "Case registry"). */
export const IntakeContacts = z.strictObject({
  /** The organisation that receives the form: shown on the form and on the receipt. */
  receiving: SupportContact.optional(),
  /** Shown where the form is closed (and on the static copy), so a family is never left without someone to call. */
  alternatives: z.array(SupportContact).max(50).default([]),
});
export type IntakeContacts = z.infer<typeof IntakeContacts>;
