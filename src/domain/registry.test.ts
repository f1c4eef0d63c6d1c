import { describe, expect, it } from 'vitest';
import {
  CASE_TYPE_LABELS,
  CONSENT_RECIPIENT_LABELS,
  CaseEventInput,
  CaseInput,
  CaseType,
  ConsentRecipient,
  DATE_PRECISION_LABELS,
  DatePrecision,
  FuzzyDate,
  JUSTICE_EVENT_LABELS,
  JUSTICE_STAGE_ORDER,
  JusticeEventKind,
  MigrantKidnappingIntake,
  PERPETRATOR_INSTITUTION_LABELS,
  PERSONAL_FIELDS,
  PERSON_ROLE_LABELS,
  PERSON_SEX_LABELS,
  PerpetratorInstitution,
  PersonInput,
  PersonRole,
  PersonSex,
  RELIABILITY_LABELS,
  Reliability,
  USER_ROLE_LABELS,
  UserRole,
  furthestStage,
  furthestStageIndex,
  fuzzyDateBounds,
} from './registry.js';
import { Text } from './text.js';

describe('registry vocabularies', () => {
  const vocabularies = [
    [CaseType, CASE_TYPE_LABELS],
    [DatePrecision, DATE_PRECISION_LABELS],
    [PersonRole, PERSON_ROLE_LABELS],
    [PerpetratorInstitution, PERPETRATOR_INSTITUTION_LABELS],
    [PersonSex, PERSON_SEX_LABELS],
    [JusticeEventKind, JUSTICE_EVENT_LABELS],
    [Reliability, RELIABILITY_LABELS],
    [UserRole, USER_ROLE_LABELS],
    [ConsentRecipient, CONSENT_RECIPIENT_LABELS],
  ] as const;

  it('labels every value in Spanish and English, and nothing else', () => {
    for (const [schema, labels] of vocabularies) {
      expect(Object.keys(labels).sort()).toEqual([...schema.options].sort());
      for (const label of Object.values(labels)) expect(Text.safeParse(label).success, JSON.stringify(label)).toBe(true);
    }
  });

  it('keeps the funnel stages inside the justice chain, in chain order', () => {
    const chain = JusticeEventKind.options as readonly string[];
    const positions = JUSTICE_STAGE_ORDER.map((s) => chain.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe('fuzzy dates', () => {
  it('accepts a value shaped like its precision', () => {
    for (const d of [
      { value: '2014-09-26', precision: 'day' },
      { value: '2014-09', precision: 'month' },
      { value: '2014', precision: 'year' },
      { value: '1974', precision: 'unknown' },
      { value: '2024-02-29', precision: 'day' },
    ]) {
      expect(FuzzyDate.safeParse(d).success, JSON.stringify(d)).toBe(true);
    }
  });

  it('refuses a value and precision that disagree, and impossible dates', () => {
    for (const d of [
      { value: '2014-09-26', precision: 'month' },
      { value: '2014-09', precision: 'day' },
      { value: '2014', precision: 'month' },
      { value: '2014-09', precision: 'unknown' },
      { value: '2014-13', precision: 'month' },
      { value: '2014-00', precision: 'month' },
      { value: '2023-02-29', precision: 'day' },
      { value: '2014-09-31', precision: 'day' },
      { value: '1850', precision: 'year' },
      { value: '14-09-26', precision: 'day' },
      { value: '2014-09-26', precision: 'week' },
    ]) {
      expect(FuzzyDate.safeParse(d).success, JSON.stringify(d)).toBe(false);
    }
  });

  it('knows the days a fuzzy date may stand for', () => {
    expect(fuzzyDateBounds({ value: '2024-02', precision: 'month' })).toEqual({ earliest: '2024-02-01', latest: '2024-02-29' });
    expect(fuzzyDateBounds({ value: '2023-12', precision: 'month' })).toEqual({ earliest: '2023-12-01', latest: '2023-12-31' });
    expect(fuzzyDateBounds({ value: '2014', precision: 'year' })).toEqual({ earliest: '2014-01-01', latest: '2014-12-31' });
    expect(fuzzyDateBounds({ value: '2014-09-26', precision: 'day' })).toEqual({ earliest: '2014-09-26', latest: '2014-09-26' });
    expect(fuzzyDateBounds({ value: '1974', precision: 'unknown' })).toBeNull();
  });
});

describe('case input', () => {
  const base = {
    type: 'disappearance',
    state: '12',
    municipality: '12035',
    occurredOn: { value: '2014-09-26', precision: 'day' },
    reportedOn: { value: '2014-09', precision: 'month' },
    owningOrganisationId: 'org-1',
    summaryPublic: { es: 'Desaparición en Iguala', en: 'Disappearance in Iguala' },
  };

  it('accepts a well-formed case', () => {
    expect(CaseInput.parse(base)).toEqual(base);
  });

  it('requires the municipality to lie in the state', () => {
    expect(CaseInput.safeParse({ ...base, municipality: '13035' }).success).toBe(false);
    expect(CaseInput.safeParse({ ...base, municipality: '1203' }).success).toBe(false);
    expect(CaseInput.safeParse({ ...base, municipality: undefined }).success).toBe(true);
  });

  it('refuses state codes outside 01–32 and 99 (not known)', () => {
    for (const state of ['00', '33', '98', '1', 'MX']) {
      expect(CaseInput.safeParse({ ...base, state, municipality: undefined }).success, state).toBe(false);
    }
    expect(CaseInput.safeParse({ ...base, state: '99', municipality: undefined }).success).toBe(true);
  });

  it('refuses a report surely earlier than the event, but not an overlapping fuzzy one', () => {
    expect(CaseInput.safeParse({ ...base, reportedOn: { value: '2014-08', precision: 'month' } }).success).toBe(false);
    expect(CaseInput.safeParse({ ...base, reportedOn: { value: '2014', precision: 'year' } }).success).toBe(true);
  });

  it('has no place for personal data', () => {
    expect(CaseInput.safeParse({ ...base, victimName: 'X' }).success).toBe(false);
  });
});

describe('person input', () => {
  it('takes an institution only for alleged perpetrators, and requires it there', () => {
    expect(PersonInput.safeParse({ role: 'alleged-perpetrator', institution: 'army', sex: 'male' }).success).toBe(true);
    expect(PersonInput.safeParse({ role: 'alleged-perpetrator', sex: 'male' }).success).toBe(false);
    expect(PersonInput.safeParse({ role: 'victim', institution: 'army', sex: 'male' }).success).toBe(false);
  });

  it('accepts personal fields and checks the non-personal ones', () => {
    const victim = { role: 'victim', name: 'N.N.', contact: 'x', address: 'y', dateOfBirth: '1990-01-01', testimony: 't', sex: 'female', ageAtEvent: 23, nationality: 'HN' };
    expect(PersonInput.parse(victim)).toEqual(victim);
    for (const bad of [{ ageAtEvent: 121 }, { ageAtEvent: 2.5 }, { nationality: 'hn' }, { nationality: 'HND' }, { name: '  ' }, { sex: 'x' }]) {
      expect(PersonInput.safeParse({ ...victim, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('lists exactly the personal fields of the person schema', () => {
    const shapeKeys = Object.keys(PersonInput.shape);
    for (const f of PERSONAL_FIELDS) expect(shapeKeys).toContain(f);
  });
});

describe('case events', () => {
  const event = { kind: 'complaint-filed', date: { value: '2020-03', precision: 'month' }, source: 'copy of the complaint', reliability: 'high' };

  it('accepts http(s) sources only', () => {
    expect(CaseEventInput.safeParse({ ...event, sourceUrl: 'https://example.org/a' }).success).toBe(true);
    expect(CaseEventInput.safeParse({ ...event, sourceUrl: 'javascript:alert(1)' }).success).toBe(false);
    expect(CaseEventInput.safeParse({ ...event, sourceUrl: 'not a url' }).success).toBe(false);
  });

  it('finds the furthest funnel stage', () => {
    const e = (...kinds: JusticeEventKind[]) => kinds.map((kind) => ({ kind }));
    expect(furthestStage([])).toBeNull();
    expect(furthestStageIndex([])).toBe(-1);
    expect(furthestStage(e('search-action', 'located-dead', 'referral'))).toBeNull();
    expect(furthestStage(e('complaint-filed', 'search-action'))).toBe('complaint-filed');
    // Stage order matters, not the order events were recorded in.
    expect(furthestStage(e('charges-filed', 'complaint-filed', 'archived'))).toBe('charges-filed');
    expect(furthestStage(e('complaint-filed', 'investigation-opened', 'charges-filed', 'trial-opened', 'conviction'))).toBe('conviction');
    // An acquittal is a verdict: the trial took place even if its opening was not recorded.
    expect(furthestStage(e('charges-filed', 'acquittal'))).toBe('trial-opened');
    expect(furthestStageIndex(e('conviction'))).toBe(JUSTICE_STAGE_ORDER.length - 1);
  });
});

describe('migrant kidnapping intake', () => {
  const form = {
    victim: { name: 'Persona migrante', age: 24, nationality: 'GT' },
    reporter: { name: 'Hermana', relationship: 'hermana', contact: '+502 5555 5555' },
    last_seen: { date: '2024-05-02', state: '28', place: 'Reynosa' },
    ransom_demanded: true,
    consent: { share_with: ['documenting_organisation', 'search_commission'] },
  };

  it('accepts the form as asked (the date exact unless said otherwise)', () => {
    expect(MigrantKidnappingIntake.parse(form)).toEqual({ ...form, last_seen: { ...form.last_seen, date_precision: 'day' } });
  });

  it('lets a family say "I don\'t know": no date, ransom unknown, state 99; a date is needed unless its precision is unknown', () => {
    const unsure = { ...form, last_seen: { date_precision: 'unknown', state: '99' }, ransom_demanded: null };
    expect(MigrantKidnappingIntake.safeParse(unsure).success).toBe(true);
    const noDate = MigrantKidnappingIntake.safeParse({ ...form, last_seen: { date_precision: 'month', state: '28' } });
    expect(noDate.error?.issues.map((i) => i.path.join('.'))).toEqual(['last_seen.date']);
  });

  it('refuses immigration status and U.S. addresses, naming the field', () => {
    const withStatus = MigrantKidnappingIntake.safeParse({ ...form, victim: { ...form.victim, immigration_status: 'x' } });
    expect(withStatus.success).toBe(false);
    expect(withStatus.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: ['victim'] });
    expect(withStatus.error?.issues[0]?.message).toMatch(/does not accept "immigration_status"/);

    const withAddress = MigrantKidnappingIntake.safeParse({ ...form, reporter: { ...form.reporter, us_address: '1 Main St, Houston TX' } });
    expect(withAddress.success).toBe(false);
    expect(withAddress.error?.issues[0]?.path).toEqual(['reporter']);
    expect(withAddress.error?.issues[0]?.message).toMatch(/"us_address"/);
  });

  it('refuses unknown fields at every level', () => {
    expect(MigrantKidnappingIntake.safeParse({ ...form, visa: 'none' }).success).toBe(false);
    expect(MigrantKidnappingIntake.safeParse({ ...form, last_seen: { ...form.last_seen, gps: '1,2' } }).success).toBe(false);
    expect(MigrantKidnappingIntake.safeParse({ ...form, consent: { ...form.consent, note: 'x' } }).success).toBe(false);
  });

  it('requires consent to the documenting organisation', () => {
    for (const share_with of [[], ['prosecutors'], ['documenting_organisation', 'documenting_organisation'], ['documenting_organisation', 'press']]) {
      expect(MigrantKidnappingIntake.safeParse({ ...form, consent: { share_with } }).success, share_with.join()).toBe(false);
    }
  });

  it('checks the last-seen date and state', () => {
    expect(MigrantKidnappingIntake.safeParse({ ...form, last_seen: { ...form.last_seen, date: '2024-02-30' } }).success).toBe(false);
    expect(MigrantKidnappingIntake.safeParse({ ...form, last_seen: { ...form.last_seen, date: '02/05/2024' } }).success).toBe(false);
    expect(MigrantKidnappingIntake.safeParse({ ...form, last_seen: { ...form.last_seen, state: '33' } }).success).toBe(false);
  });
});
