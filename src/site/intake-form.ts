import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { RequestError } from '../domain/index.js';
import type { SiteLang } from '../web/index.js';

/*
 * The families' form as HTML fields: what was typed (kept and shown again after a mistake), the body the registry
 * validates, and each problem said in plain words beside its field, in the page's language.
 */

/** What the family typed, by field name (checkboxes give several values). */
export type FormValues = Readonly<Record<string, string | readonly string[]>>;

export const FIELD_NAMES = [
  'victim_name', 'victim_age', 'victim_nationality', 'reporter_name', 'reporter_relationship', 'reporter_contact',
  'last_seen_date', 'last_seen_date_precision', 'last_seen_state', 'last_seen_place', 'ransom_demanded', 'share_with',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export interface FieldError {
  /** The field the problem is about, or null for the form as a whole. */
  readonly field: FieldName | null;
  readonly message: string;
}

const MESSAGES: Record<FieldName | 'future' | 'busy' | 'other', { es: string; en: string }> = {
  victim_name: { es: 'Escriba el nombre de la persona secuestrada (hasta 200 letras).', en: 'Write the name of the person who was kidnapped (up to 200 characters).' },
  victim_age: { es: 'La edad es un número entero de 0 a 120. Si no la sabe, deje el espacio vacío.', en: 'The age is a whole number from 0 to 120. If you do not know it, leave the box empty.' },
  victim_nationality: { es: 'Elija un país de la lista, o «No sé».', en: 'Choose a country from the list, or "I don\'t know".' },
  reporter_name: { es: 'Escriba su nombre (hasta 200 letras).', en: 'Write your name (up to 200 characters).' },
  reporter_relationship: { es: 'Diga qué relación tiene con la persona, por ejemplo «hermana» o «amigo».', en: 'Say how you are related to the person, for example "sister" or "friend".' },
  reporter_contact: { es: 'Escriba cómo contactarle: un teléfono, un correo o una aplicación de mensajes.', en: 'Write how to reach you: a phone number, an email or a messaging app.' },
  last_seen_date: { es: 'Escriba la fecha (día, mes y año), o elija «No sé la fecha».', en: 'Enter the date (day, month and year), or choose "I don\'t know the date".' },
  last_seen_date_precision: { es: 'Diga qué tanto sabe de la fecha.', en: 'Say how much of the date you know.' },
  last_seen_state: { es: 'Elija el estado, o «No sé».', en: 'Choose the state, or "I don\'t know".' },
  last_seen_place: { es: 'El lugar puede tener hasta 500 letras.', en: 'The place can have up to 500 characters.' },
  ransom_demanded: { es: 'Elija «Sí», «No» o «No sé».', en: 'Choose "Yes", "No" or "I don\'t know".' },
  share_with: { es: 'Elija con quién se comparte el reporte.', en: 'Choose who the report is shared with.' },
  future: { es: 'La fecha es posterior a hoy. Revise el día, el mes y el año.', en: 'The date is after today. Check the day, month and year.' },
  busy: { es: 'Llegan demasiados reportes en este momento. Lo que escribió sigue aquí: intente enviarlo de nuevo en unos minutos.', en: 'Too many reports are arriving right now. What you typed is still here: try sending it again in a few minutes.' },
  other: { es: 'No pudimos leer el reporte. Revise los datos e inténtelo de nuevo.', en: 'We could not read the report. Check the fields and try again.' },
};

export const formMessage = (lang: SiteLang, key: keyof typeof MESSAGES): string => MESSAGES[key][lang];

/** A fresh idempotency key for a form being shown: 128 random bits. */
export const newFormKey = (): string => randomBytes(16).toString('base64url');

/** The posted fields as typed (trimmed, long values cut so a page never echoes megabytes). */
export function formValues(posted: Record<string, unknown>): FormValues {
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(posted)) {
    const list = ([] as unknown[]).concat(value).filter((v): v is string => typeof v === 'string').map((v) => v.trim().slice(0, 1000));
    values[name] = name === 'share_with' ? list : (list[0] ?? '');
  }
  return values;
}

const one = (values: FormValues, name: string): string => {
  const v = values[name];
  return typeof v === 'string' ? v : '';
};

/** The body MigrantKidnappingIntake validates: empty optional fields are left out, "No sé" becomes null or 99. */
export function intakeBody(values: FormValues): unknown {
  const precision = one(values, 'last_seen_date_precision') || 'day';
  const ransom = one(values, 'ransom_demanded');
  const shares = ([] as string[]).concat(values['share_with'] ?? []);
  const optional = (key: string, value: unknown) => (one(values, key) === '' ? {} : { [key.replace(/^(victim|last_seen)_/, '')]: value });
  return {
    victim: { name: one(values, 'victim_name'), ...optional('victim_age', Number(one(values, 'victim_age'))), ...optional('victim_nationality', one(values, 'victim_nationality').toUpperCase()) },
    reporter: { name: one(values, 'reporter_name'), relationship: one(values, 'reporter_relationship'), contact: one(values, 'reporter_contact') },
    last_seen: {
      ...(precision === 'unknown' || one(values, 'last_seen_date') === '' ? {} : { date: one(values, 'last_seen_date') }),
      date_precision: precision,
      state: one(values, 'last_seen_state'),
      ...optional('last_seen_place', one(values, 'last_seen_place')),
    },
    ransom_demanded: ransom === 'yes' ? true : ransom === 'no' ? false : ransom === 'unknown' ? null : undefined,
    consent: { share_with: ['documenting_organisation', ...shares] },
  };
}

/** The schema's path (victim.age) → the form's field (victim_age). */
function fieldOf(path: readonly PropertyKey[]): FieldName | null {
  const [head, next] = path.map(String);
  const name = head === 'consent' ? 'share_with' : head === 'ransom_demanded' ? head : `${head}_${next}`;
  return (FIELD_NAMES as readonly string[]).includes(name) ? (name as FieldName) : null;
}

/** Problems from the registry (schema issues, a future date) as plain sentences, one per field, in form order. */
export function fieldErrors(lang: SiteLang, error: unknown): FieldError[] | null {
  const found = new Map<FieldName | null, string>();
  if (error instanceof z.ZodError) {
    for (const issue of error.issues) {
      const field = fieldOf(issue.path);
      const future = issue.code === 'custom' && (issue.params as { problem?: string } | undefined)?.problem === 'future';
      if (!found.has(field)) found.set(field, field === null ? formMessage(lang, 'other') : formMessage(lang, future ? 'future' : field));
    }
  } else if (error instanceof RequestError && error.code === 'bad_request' && error.details['problem'] === 'future') {
    found.set('last_seen_date', formMessage(lang, 'future'));
  } else {
    return null;
  }
  const order = (f: FieldName | null) => (f === null ? -1 : FIELD_NAMES.indexOf(f));
  return [...found].sort((a, b) => order(a[0]) - order(b[0])).map(([field, message]) => ({ field, message }));
}
