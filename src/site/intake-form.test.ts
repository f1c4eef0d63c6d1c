import { describe, expect, it } from 'vitest';
import { MigrantKidnappingIntake } from '../domain/index.js';
import { countryList } from './countries.js';
import { fieldErrors, formValues, intakeBody } from './intake-form.js';

describe('the families\' form fields', () => {
  it('country names come from Intl in the page language, the region first, no aliases or groupings', () => {
    const es = countryList('es');
    expect(es.region.slice(0, 4).map((c) => c.name)).toEqual(['México', 'Guatemala', 'Honduras', 'El Salvador']);
    const codes = [...es.region, ...es.rest].map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toContain('GU');
    for (const notACountry of ['EU', 'UN', 'ZZ', 'BU', 'YU', 'XA']) expect(codes).not.toContain(notACountry);
    expect(countryList('en').region[0]?.name).toBe('Mexico');
    expect(es.rest.findIndex((c) => c.code === 'AF')).toBeLessThan(es.rest.findIndex((c) => c.code === 'ZW'));
  });

  it('"No sé" becomes null / 99 / an unknown date; typed values are kept as typed', () => {
    const values = formValues({ victim_name: '  Ana ', victim_age: '', reporter_name: 'B', reporter_relationship: 'c', reporter_contact: 'd', last_seen_date: '2024-01-01', last_seen_date_precision: 'unknown', last_seen_state: '99', ransom_demanded: 'unknown', share_with: 'prosecutors' });
    expect(values['victim_name']).toBe('Ana');
    expect(values['share_with']).toEqual(['prosecutors']);
    const body = MigrantKidnappingIntake.parse(intakeBody(values));
    expect(body.ransom_demanded).toBeNull();
    expect(body.last_seen).toEqual({ date_precision: 'unknown', state: '99' });
    expect(body.consent.share_with).toEqual(['documenting_organisation', 'prosecutors']);
  });

  it('says each problem in plain words in the page language, one per field, in form order', () => {
    const parsed = MigrantKidnappingIntake.safeParse(intakeBody(formValues({ victim_name: '', victim_age: 'doce', last_seen_state: '', ransom_demanded: '' })));
    const es = fieldErrors('es', parsed.error) ?? [];
    expect(es.map((e) => e.field)).toEqual(['victim_name', 'victim_age', 'reporter_name', 'reporter_relationship', 'reporter_contact', 'last_seen_date', 'last_seen_state', 'ransom_demanded']);
    expect(es[1]?.message).toBe('La edad es un número entero de 0 a 120. Si no la sabe, deje el espacio vacío.');
    expect(es.map((e) => e.message).join(' ')).not.toMatch(/expected|invalid|victim\.|last_seen/i);
    expect(fieldErrors('en', parsed.error)?.[0]?.message).toMatch(/^Write the name/);
    expect(fieldErrors('es', new Error('x'))).toBeNull();
  });
});
