export { registerSite, parseViewState, type Responder } from './routes.js';
export { bakeSite, type BakeSummary } from './bake.js';
export { esc, html, raw, type Raw } from './html.js';
export { intakeFormPage, intakeReceiptPage, intakeStatusPage, intakeUnavailablePage } from './intake-pages.js';
export { fieldErrors, formMessage, formValues, intakeBody } from './intake-form.js';
export { siteSettings, withSiteSettings, type SiteSettings } from './site-settings.js';
export { errorPage, isMachinePath, languageOf } from './error-pages.js';
