export { createApp, registryOptionsFromEnv, type ApiOptions } from './app.js';
export { ResponseCache } from './cache.js';
export { startServer, type RunningServer } from './server.js';
export { errorResponse } from './errors.js';
export { openApiDocument } from './openapi.js';
export { INTAKE_CONTACTS_ENV, intakeContactsFromEnv, loadIntakeContacts } from './intake-contacts.js';
