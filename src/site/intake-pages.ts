import { loadCatalog } from '../catalog/index.js';
import { CONSENT_RECIPIENT_LABELS, JUSTICE_EVENT_LABELS, type ConsentRecipient } from '../domain/index.js';
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
  age: { es: 'Edad (si la sabe)', en: 'Age (if known)' },
  nationality: { es: 'Nacionalidad (código de dos letras, p. ej. GT, HN, MX)', en: 'Nationality (two-letter code, e.g. GT, HN, MX)' },
  relationship: { es: 'Relación con la persona', en: 'Relationship to the person' },
  contact: { es: 'Cómo contactarle (teléfono, correo o mensajería)', en: 'How to reach you (phone, email or messaging)' },
  date: { es: 'Fecha', en: 'Date' },
  state: { es: 'Estado de México', en: 'Mexican state' },
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
} as const;

export type IntakeText = keyof typeof T;
export const intakeText = (lang: SiteLang, key: IntakeText) => T[key][lang];

const field = (lang: SiteLang, name: string, label: IntakeText, opts: { required?: boolean; type?: string; extra?: string } = {}) => html`
  <p><label for="${name}">${intakeText(lang, label)}${opts.required ? html` <span class="muted">(${intakeText(lang, 'required')})</span>` : ''}</label><br>
  <input id="${name}" name="${name}" type="${opts.type ?? 'text'}"${opts.required ? html` required` : ''}${opts.extra ? raw(` ${opts.extra}`) : ''} autocomplete="off"></p>`;

/** GET /{lang}/report-kidnapping/: a plain HTML form (no script); errors, when a submission failed, above it. */
export function intakeFormPage(lang: SiteLang, errors: readonly string[] = []): string {
  const states = loadCatalog().geography.states;
  const optional: ConsentRecipient[] = ['search_commission', 'prosecutors'];
  const main: Raw = html`<h1>${intakeText(lang, 'title')}</h1>
  <p class="lead">${intakeText(lang, 'lead')}</p>
  ${errors.length > 0 ? html`<div class="errors" role="alert"><h2>${intakeText(lang, 'errorsTitle')}</h2><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
  <form method="post" action="/${lang}/report-kidnapping/" class="intake">
    <fieldset><legend>${intakeText(lang, 'victim')}</legend>
      ${field(lang, 'victim_name', 'name', { required: true, extra: 'maxlength="200"' })}
      ${field(lang, 'victim_age', 'age', { type: 'number', extra: 'min="0" max="120"' })}
      ${field(lang, 'victim_nationality', 'nationality', { extra: 'maxlength="2" pattern="[A-Za-z]{2}"' })}
    </fieldset>
    <fieldset><legend>${intakeText(lang, 'reporter')}</legend>
      ${field(lang, 'reporter_name', 'name', { required: true, extra: 'maxlength="200"' })}
      ${field(lang, 'reporter_relationship', 'relationship', { required: true, extra: 'maxlength="100"' })}
      ${field(lang, 'reporter_contact', 'contact', { required: true, extra: 'maxlength="200"' })}
    </fieldset>
    <fieldset><legend>${intakeText(lang, 'lastSeen')}</legend>
      ${field(lang, 'last_seen_date', 'date', { required: true, type: 'date' })}
      <p><label for="last_seen_state">${intakeText(lang, 'state')} <span class="muted">(${intakeText(lang, 'required')})</span></label><br>
      <select id="last_seen_state" name="last_seen_state" required><option value=""></option>${states.map((s) => html`<option value="${s.code}">${s[lang]}</option>`)}</select></p>
      ${field(lang, 'last_seen_place', 'place', { extra: 'maxlength="500"' })}
    </fieldset>
    <fieldset><legend>${intakeText(lang, 'ransom')}</legend>
      <p><label><input type="radio" name="ransom_demanded" value="yes" required> ${intakeText(lang, 'yes')}</label>
      <label><input type="radio" name="ransom_demanded" value="no"> ${intakeText(lang, 'no')}</label></p>
    </fieldset>
    <fieldset><legend>${intakeText(lang, 'consent')}</legend>
      <p class="muted">${intakeText(lang, 'consentLead')}</p>
      <p><label><input type="checkbox" checked disabled> ${CONSENT_RECIPIENT_LABELS.documenting_organisation[lang]}</label></p>
      ${optional.map((r) => html`<p><label><input type="checkbox" name="share_with" value="${r}"> ${CONSENT_RECIPIENT_LABELS[r][lang]}</label></p>`)}
    </fieldset>
    <p class="muted">${intakeText(lang, 'privacy')}</p>
    <p><button type="submit">${intakeText(lang, 'submit')}</button></p>
  </form>
  <p><a href="/${lang}/report-kidnapping/status/">${intakeText(lang, 'statusTitle')}</a></p>`;
  return page({ lang, title: intakeText(lang, 'title'), path: '/report-kidnapping/', main });
}

export function intakeReceiptPage(lang: SiteLang, receipt: string): string {
  const main = html`<h1>${intakeText(lang, 'receiptTitle')}</h1>
  <p class="lead">${intakeText(lang, 'receiptLead')}</p>
  <p class="receipt" id="receipt"><strong>${receipt}</strong></p>
  <p><a href="/${lang}/report-kidnapping/status/?receipt=${encodeURIComponent(receipt)}">${intakeText(lang, 'statusTitle')}</a></p>`;
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
  ${status !== null && status !== 'not-found' ? html`<dl class="facts" id="status"><dt>${intakeText(lang, 'stage')}</dt><dd>${stageLabel(status.stage)}</dd><dt>${intakeText(lang, 'lastUpdate')}</dt><dd>${status.lastUpdate}</dd></dl>` : ''}`;
  return page({ lang, title: intakeText(lang, 'statusTitle'), path: '/report-kidnapping/status/', main });
}

/** The form's address where nobody could receive a report: the baked (static) site, or a server without an intake organisation. */
export function intakeUnavailablePage(lang: SiteLang, why: 'static' | 'closed'): string {
  const main = html`<h1>${intakeText(lang, 'title')}</h1><p class="lead" role="status">${intakeText(lang, why === 'static' ? 'staticCopy' : 'closed')}</p>`;
  return page({ lang, title: intakeText(lang, 'title'), path: '/report-kidnapping/', main });
}
