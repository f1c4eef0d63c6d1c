import { loadCatalog } from '../catalog/index.js';
import { CONSENT_RECIPIENT_LABELS, JUSTICE_EVENT_LABELS, STATE_NOT_KNOWN, type ConsentRecipient, type SupportContact } from '../domain/index.js';
import { countryList } from './countries.js';
import { newFormKey, type FieldError, type FieldName, type FormValues } from './intake-form.js';
import type { SiteLang } from '../web/index.js';
import { html, raw, type Raw } from './html.js';
import { page } from './layout.js';

/** Every text of the intake pages (es/en): written for families, in plain words. */
const T = {
  title: { es: 'Reportar el secuestro de una persona migrante', en: 'Report the kidnapping of a migrant' },
  lead: {
    es: 'Este formulario llega a una organización de derechos humanos que documenta casos y acompaña a las familias. No pide situación migratoria ni domicilio en Estados Unidos, y nadie puede pedírselos aquí. Solo son obligatorios los campos marcados.',
    en: 'This form reaches a human-rights organisation that documents cases and supports families. It does not ask for immigration status or an address in the United States, and nobody may ask for them here. Only the marked fields are required.',
  },
  victim: { es: 'La persona secuestrada', en: 'The person kidnapped' },
  reporter: { es: 'Quién reporta', en: 'Who is reporting' },
  lastSeen: { es: 'Última vez que se supo de ella', en: 'When and where they were last heard of' },
  name: { es: 'Nombre', en: 'Name' },
  age: { es: 'Edad en años (si la sabe)', en: 'Age in years (if known)' },
  nationality: { es: 'Nacionalidad', en: 'Nationality' },
  relationship: { es: 'Relación con la persona', en: 'Relationship to the person' },
  contact: { es: 'Cómo contactarle (teléfono, correo o mensajería)', en: 'How to reach you (phone, email or messaging)' },
  date: { es: 'Fecha en que se supo de ella por última vez', en: 'Date they were last heard of' },
  state: { es: 'Estado de la República donde se supo de ella por última vez', en: 'State of Mexico where they were last heard of' },
  place: { es: 'Lugar (ciudad, ruta, referencia)', en: 'Place (town, route, landmark)' },
  ransom: { es: '¿Pidieron un rescate?', en: 'Was a ransom demanded?' },
  yes: { es: 'Sí', en: 'Yes' },
  no: { es: 'No', en: 'No' },
  consent: { es: 'Con quién se comparte', en: 'Who it is shared with' },
  consentLead: {
    es: 'La organización que documenta siempre lo recibe. Usted decide si también se comparte con la comisión de búsqueda o con la fiscalía; puede cambiarlo después con la organización.',
    en: 'The documenting organisation always receives it. You decide whether it is also shared with the search commission or the prosecutors; you can change this later with the organisation.',
  },
  required: { es: 'obligatorio', en: 'required' },
  submit: { es: 'Enviar el reporte', en: 'Send the report' },
  privacy: {
    es: 'Los nombres y el contacto se guardan cifrados; solo las personas asignadas de la organización pueden leerlos, y cada lectura queda registrada.',
    en: 'Names and contact details are stored encrypted; only the assigned staff of the organisation can read them, and every reading is logged.',
  },
  receiptTitle: { es: 'Reporte recibido', en: 'Report received' },
  receiptLead: {
    es: 'Guarde este código. Con él puede consultar el estado del caso sin cuenta y sin dar su nombre. No se puede recuperar si se pierde.',
    en: 'Keep this code. With it you can check the status of the case without an account and without giving your name. It cannot be recovered if lost.',
  },
  statusTitle: { es: 'Consultar un reporte', en: 'Check a report' },
  receipt: { es: 'Código del reporte', en: 'Report code' },
  check: { es: 'Consultar', en: 'Check' },
  stage: { es: 'Etapa alcanzada', en: 'Stage reached' },
  noStage: { es: 'Recibido; todavía sin etapas registradas', en: 'Received; no stages recorded yet' },
  lastUpdate: { es: 'Última actualización', en: 'Last update' },
  notFound: { es: 'No hay un reporte con ese código.', en: 'There is no report with that code.' },
  errorsTitle: { es: 'Revise estos datos', en: 'Please check these fields' },
  closed: {
    es: 'El formulario no está abierto en este servidor: ninguna organización está configurada para recibir los reportes. No escriba aquí datos de nadie; busque a la organización que acompaña a su familia.',
    en: 'The form is not open on this server: no organisation is set up to receive the reports. Do not enter anyone\'s details here; contact the organisation that supports your family.',
  },
  staticCopy: {
    es: 'Esta es una copia estática del observatorio: el formulario necesita el servidor de Observa de la organización que recibe los reportes. Pida a la organización la dirección de su formulario.',
    en: 'This is a static copy of the observatory: the form needs the Observa server of the organisation that receives the reports. Ask the organisation for the address of its form.',
  },
  requiredNote: {
    es: 'Los datos marcados «obligatorio» hay que llenarlos; todo lo demás es opcional. Si no sabe algo, elija «No sé».',
    en: 'Fields marked "required" must be filled in; everything else is optional. If you do not know something, choose "I don\'t know".',
  },
  dontKnow: { es: 'No sé', en: "I don't know" },
  choose: { es: 'Elija…', en: 'Choose…' },
  regionCountries: { es: 'Países de la región', en: 'Countries of the region' },
  allCountries: { es: 'Todos los países', en: 'All countries' },
  precision: { es: '¿Qué tanto sabe de la fecha?', en: 'How much of the date do you know?' },
  precisionDay: { es: 'El día exacto', en: 'The exact day' },
  precisionMonth: { es: 'Solo el mes (elija cualquier día de ese mes)', en: 'Only the month (pick any day of that month)' },
  precisionYear: { es: 'Solo el año (elija cualquier día de ese año)', en: 'Only the year (pick any day of that year)' },
  precisionUnknown: { es: 'No sé la fecha', en: "I don't know the date" },
  errorsCount: { es: 'Hay datos que revisar. Lo que escribió sigue en el formulario.', en: 'Some fields need checking. What you typed is still in the form.' },
  contactTitle: { es: '¿Necesita hablar con alguien?', en: 'Need to talk to someone?' },
  receivedBy: { es: 'Recibe este reporte', en: 'This report goes to' },
  phone: { es: 'Teléfono', en: 'Phone' },
  hours: { es: 'Horario', en: 'Hours' },
  email: { es: 'Correo', en: 'Email' },
  web: { es: 'Sitio web', en: 'Website' },
  nextTitle: { es: 'Qué pasa ahora', en: 'What happens next' },
  next1: { es: 'recibe su reporte y lo revisa. Nadie más lo ve sin su permiso.', en: 'receives your report and reviews it. Nobody else sees it without your consent.' },
  next2: { es: 'Alguien de la organización le buscará por el medio de contacto que dejó.', en: 'Someone from the organisation will reach you through the contact you gave.' },
  next3: { es: 'Con el código puede ver en cualquier momento en qué etapa va el caso, en la página «Consultar un reporte».', en: 'With the code you can see at any time what stage the case has reached, on the "Check a report" page.' },
  next4: { es: 'Si tiene algo nuevo que contar o necesita ayuda, llame o escriba a la organización:', en: 'If you have something new to tell or need help, call or write to the organisation:' },
  theOrganisation: { es: 'La organización', en: 'The organisation' },
  alternativesTitle: { es: 'Dónde pedir apoyo', en: 'Where to get support' },
  noAlternatives: {
    es: 'Este servidor no tiene contactos configurados. La comisión de búsqueda de su estado y las casas del migrante de la ruta pueden recibir un reporte.',
    en: 'This server has no contacts configured. The search commission of the state and the migrant shelters along the route can take a report.',
  },
} as const;

export type IntakeText = keyof typeof T;
export const intakeText = (lang: SiteLang, key: IntakeText) => T[key][lang];

const has = (values: FormValues, name: string, value: string) => ([] as string[]).concat(values[name] ?? []).includes(value);
const valueOf = (values: FormValues, name: string) => (typeof values[name] === 'string' ? values[name] : '');

interface FieldOptions {
  readonly required?: boolean;
  readonly type?: string;
  readonly extra?: string;
  readonly autocomplete?: string;
}

/** A label (with "required" said in words, apart from the label's own text), its error when there is one, the control. */
function labelled(lang: SiteLang, name: FieldName, label: IntakeText, control: Raw, errors: ReadonlyMap<string, string>, required = false): Raw {
  const error = errors.get(name);
  return html`<div class="field${error ? ' has-error' : ''}"><label for="${name}">${intakeText(lang, label)}${required ? html` <span class="req">— ${intakeText(lang, 'required')}</span>` : ''}</label>
  ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : ''}
  ${control}</div>`;
}

const invalid = (name: string, errors: ReadonlyMap<string, string>) => (errors.has(name) ? raw(` aria-invalid="true" aria-describedby="${name}-error"`) : '');

function input(lang: SiteLang, name: FieldName, label: IntakeText, values: FormValues, errors: ReadonlyMap<string, string>, opts: FieldOptions = {}): Raw {
  const control = html`<input id="${name}" name="${name}" type="${opts.type ?? 'text'}" value="${valueOf(values, name)}"${opts.required ? raw(' required') : ''}${opts.extra ? raw(` ${opts.extra}`) : ''} autocomplete="${opts.autocomplete ?? 'off'}"${invalid(name, errors)}>`;
  return labelled(lang, name, label, control, errors, opts.required);
}

function choices(lang: SiteLang, name: FieldName, legend: IntakeText, options: readonly [string, IntakeText][], values: FormValues, errors: ReadonlyMap<string, string>, required: boolean, checkedByDefault?: string): Raw {
  const error = errors.get(name);
  const current = valueOf(values, name) || checkedByDefault || '';
  return html`<fieldset class="choices${error ? ' has-error' : ''}" id="${name}"${error ? raw(` aria-describedby="${name}-error"`) : ''}><legend>${intakeText(lang, legend)}${required ? html` <span class="req">— ${intakeText(lang, 'required')}</span>` : ''}</legend>
    ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : ''}
    ${options.map(([value, label]) => html`<label class="choice"><input type="radio" name="${name}" value="${value}"${current === value ? raw(' checked') : ''}> ${intakeText(lang, label)}</label>`)}
  </fieldset>`;
}

/** The organisation's contact as a definition list: name, phone (a tel: link), hours, email, web. */
function contactCard(lang: SiteLang, contact: SupportContact, heading?: Raw | string): Raw {
  return html`<div class="contact-card">${heading ?? ''}<p><strong>${contact.name}</strong></p>
  <dl class="facts">
    ${contact.phone ? html`<dt>${intakeText(lang, 'phone')}</dt><dd><a href="tel:${contact.phone.replace(/[^\d+]/g, '')}">${contact.phone}</a></dd>` : ''}
    ${contact.hours ? html`<dt>${intakeText(lang, 'hours')}</dt><dd>${contact.hours[lang]}</dd>` : ''}
    ${contact.email ? html`<dt>${intakeText(lang, 'email')}</dt><dd><a href="mailto:${contact.email}">${contact.email}</a></dd>` : ''}
    ${contact.web ? html`<dt>${intakeText(lang, 'web')}</dt><dd><a href="${contact.web}">${contact.web}</a></dd>` : ''}
  </dl>${contact.note ? html`<p class="muted">${contact.note[lang]}</p>` : ''}</div>`;
}

export interface IntakeFormState {
  /** What was typed, shown again after a mistake. */
  readonly values?: FormValues;
  readonly errors?: readonly FieldError[];
  /** The organisation receiving the form (name, phone, hours), from the server's configuration. */
  readonly contact?: SupportContact;
}

/**
 * GET /{lang}/report-kidnapping/: a plain HTML form (no script). After a mistake the same form comes back with what was
 * typed, each problem beside its field and all of them in a summary at the top linking to the fields. `novalidate`:
 * the server says what to fix in the page's language, rather than the browser in its own.
 */
export function intakeFormPage(lang: SiteLang, state: IntakeFormState = {}): string {
  const states = loadCatalog().geography.states;
  const optional: ConsentRecipient[] = ['search_commission', 'prosecutors'];
  const values = state.values ?? {};
  const list = state.errors ?? [];
  const errors = new Map(list.filter((e) => e.field !== null).map((e) => [e.field as string, e.message]));
  const key = /^[A-Za-z0-9_-]{16,100}$/.test(valueOf(values, 'idempotency_key')) ? valueOf(values, 'idempotency_key') : newFormKey();
  const { region, rest } = countryList(lang);
  const nationality = valueOf(values, 'victim_nationality').toUpperCase();
  const countryOption = (c: { code: string; name: string }) => html`<option value="${c.code}"${nationality === c.code ? raw(' selected') : ''}>${c.name}</option>`;
  const stateValue = valueOf(values, 'last_seen_state');
  const main: Raw = html`<h1>${intakeText(lang, 'title')}</h1>
  <p class="lead">${intakeText(lang, 'lead')}</p>
  ${list.length > 0 ? html`<div class="errors" id="errors" role="alert" tabindex="-1"><h2>${intakeText(lang, 'errorsTitle')}</h2><p>${intakeText(lang, 'errorsCount')}</p><ul>${list.map((e) => html`<li>${e.field ? html`<a href="#${e.field}">${e.message}</a>` : e.message}</li>`)}</ul></div>` : ''}
  ${state.contact ? contactCard(lang, state.contact, html`<h2>${intakeText(lang, 'receivedBy')}</h2>`) : ''}
  <p class="muted">${intakeText(lang, 'requiredNote')}</p>
  <form method="post" action="/${lang}/report-kidnapping/" class="intake" novalidate>
    <input type="hidden" name="idempotency_key" value="${key}">
    <fieldset><legend>${intakeText(lang, 'victim')}</legend>
      ${input(lang, 'victim_name', 'name', values, errors, { required: true, extra: 'maxlength="200"' })}
      ${input(lang, 'victim_age', 'age', values, errors, { type: 'text', extra: 'inputmode="numeric" maxlength="3"' })}
      ${labelled(lang, 'victim_nationality', 'nationality', html`<select id="victim_nationality" name="victim_nationality"${invalid('victim_nationality', errors)}>
        <option value="">${intakeText(lang, 'dontKnow')}</option>
        <optgroup label="${intakeText(lang, 'regionCountries')}">${region.map(countryOption)}</optgroup>
        <optgroup label="${intakeText(lang, 'allCountries')}">${rest.map(countryOption)}</optgroup>
      </select>`, errors)}
    </fieldset>
    <fieldset><legend>${intakeText(lang, 'reporter')}</legend>
      ${input(lang, 'reporter_name', 'name', values, errors, { required: true, extra: 'maxlength="200"' })}
      ${input(lang, 'reporter_relationship', 'relationship', values, errors, { required: true, extra: 'maxlength="100"' })}
      ${input(lang, 'reporter_contact', 'contact', values, errors, { required: true, extra: 'maxlength="200"' })}
    </fieldset>
    <fieldset><legend>${intakeText(lang, 'lastSeen')}</legend>
      ${choices(lang, 'last_seen_date_precision', 'precision', [['day', 'precisionDay'], ['month', 'precisionMonth'], ['year', 'precisionYear'], ['unknown', 'precisionUnknown']], values, errors, false, 'day')}
      ${input(lang, 'last_seen_date', 'date', values, errors, { type: 'date', required: true })}
      ${labelled(lang, 'last_seen_state', 'state', html`<select id="last_seen_state" name="last_seen_state" required${invalid('last_seen_state', errors)}><option value=""${stateValue === '' ? raw(' selected') : ''}>${intakeText(lang, 'choose')}</option><option value="${STATE_NOT_KNOWN}"${stateValue === STATE_NOT_KNOWN ? raw(' selected') : ''}>${intakeText(lang, 'dontKnow')}</option>${states.map((s) => html`<option value="${s.code}"${stateValue === s.code ? raw(' selected') : ''}>${s[lang]}</option>`)}</select>`, errors, true)}
      ${input(lang, 'last_seen_place', 'place', values, errors, { extra: 'maxlength="500"' })}
    </fieldset>
    ${choices(lang, 'ransom_demanded', 'ransom', [['yes', 'yes'], ['no', 'no'], ['unknown', 'dontKnow']], values, errors, true)}
    <fieldset id="share_with"><legend>${intakeText(lang, 'consent')}</legend>
      <p class="muted">${intakeText(lang, 'consentLead')}</p>
      <p><label><input type="checkbox" checked disabled> ${CONSENT_RECIPIENT_LABELS.documenting_organisation[lang]}</label></p>
      ${optional.map((r) => html`<p><label><input type="checkbox" name="share_with" value="${r}"${has(values, 'share_with', r) ? raw(' checked') : ''}> ${CONSENT_RECIPIENT_LABELS[r][lang]}</label></p>`)}
    </fieldset>
    <p class="muted">${intakeText(lang, 'privacy')}</p>
    <p><button type="submit">${intakeText(lang, 'submit')}</button></p>
  </form>
  <p><a href="/${lang}/report-kidnapping/status/">${intakeText(lang, 'statusTitle')}</a></p>`;
  return page({ lang, title: intakeText(lang, 'title'), path: '/report-kidnapping/', main });
}

/** GET /{lang}/report-kidnapping/received/?receipt=…: where a submission is redirected (post–redirect–get). */
export function intakeReceiptPage(lang: SiteLang, receipt: string, contact?: SupportContact): string {
  const statusHref = `/${lang}/report-kidnapping/status/?receipt=${encodeURIComponent(receipt)}`;
  const main = html`<h1>${intakeText(lang, 'receiptTitle')}</h1>
  <p class="lead">${intakeText(lang, 'receiptLead')}</p>
  <p class="receipt" id="receipt"><strong>${receipt}</strong></p>
  <h2>${intakeText(lang, 'nextTitle')}</h2>
  <ol class="next-steps" id="next-steps">
    <li>${contact ? html`<strong>${contact.name}</strong>` : intakeText(lang, 'theOrganisation')} ${intakeText(lang, 'next1')}</li>
    <li>${intakeText(lang, 'next2')}</li>
    <li>${intakeText(lang, 'next3')} <a href="${statusHref}">${intakeText(lang, 'statusTitle')}</a></li>
    ${contact && (contact.phone || contact.email) ? html`<li>${intakeText(lang, 'next4')}</li>` : ''}
  </ol>
  ${contact ? contactCard(lang, contact) : ''}`;
  return page({ lang, title: intakeText(lang, 'receiptTitle'), path: '/report-kidnapping/', main });
}

/** The status a receipt gives: type, stage reached, last update; never personal data. */
export function intakeStatusPage(lang: SiteLang, receipt: string, status: { stage: string | null; lastUpdate: string } | null | 'not-found'): string {
  const stageLabel = (s: string | null) => (s === null ? intakeText(lang, 'noStage') : (JUSTICE_EVENT_LABELS as Record<string, { es: string; en: string }>)[s]?.[lang] ?? s);
  const main = html`<h1>${intakeText(lang, 'statusTitle')}</h1>
  <form method="get" action="/${lang}/report-kidnapping/status/">
    <p><label for="receipt">${intakeText(lang, 'receipt')}</label><br><input id="receipt" name="receipt" value="${receipt}" required autocomplete="off"></p>
    <p><button type="submit">${intakeText(lang, 'check')}</button></p>
  </form>
  ${status === 'not-found' ? html`<p role="alert">${intakeText(lang, 'notFound')}</p>` : ''}
  ${status !== null && status !== 'not-found' ? html`<dl class="facts" id="status"><dt>${intakeText(lang, 'stage')}</dt><dd>${stageLabel(status.stage)}</dd><dt>${intakeText(lang, 'lastUpdate')}</dt><dd><time datetime="${status.lastUpdate}">${new Intl.DateTimeFormat(lang === 'es' ? 'es-MX' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${status.lastUpdate}T00:00:00Z`))}</time></dd></dl>` : ''}`;
  return page({ lang, title: intakeText(lang, 'statusTitle'), path: '/report-kidnapping/status/', main });
}

/**
 * The form's address where nobody could receive a report (the baked static site, or a server without an intake
 * organisation): no fields to type anyone's details into, and the configured alternatives instead of a dead end.
 */
export function intakeUnavailablePage(lang: SiteLang, why: 'static' | 'closed', alternatives: readonly SupportContact[] = []): string {
  const main = html`<h1>${intakeText(lang, 'alternativesTitle')}</h1><p class="lead" role="status">${intakeText(lang, why === 'static' ? 'staticCopy' : 'closed')}</p>
  ${alternatives.length > 0 ? html`<div class="contacts" id="alternatives">${alternatives.map((c) => contactCard(lang, c))}</div>` : html`<p id="alternatives">${intakeText(lang, 'noAlternatives')}</p>`}`;
  return page({ lang, title: intakeText(lang, 'alternativesTitle'), path: '/report-kidnapping/', main });
}
