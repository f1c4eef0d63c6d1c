import { AsyncLocalStorage } from 'node:async_hooks';
import type { IntakeContacts } from '../domain/index.js';

/**
 * What the server knows about itself that pages show: whether the families' form is open here, and whom families can
 * contact. The app sets it around each request (withSiteSettings); the layout reads it for the footer, so the many
 * page functions need no extra argument. Without a request (unit tests, the report) the form counts as closed.
 */
export interface SiteSettings {
  readonly intakeOpen: boolean;
  readonly contacts: IntakeContacts;
}

const CLOSED: SiteSettings = { intakeOpen: false, contacts: { alternatives: [] } };
const storage = new AsyncLocalStorage<SiteSettings>();

export const withSiteSettings = <T>(settings: SiteSettings, work: () => T): T => storage.run(settings, work);
export const siteSettings = (): SiteSettings => storage.getStore() ?? CLOSED;
