export { createApp, registryOptionsFromEnv, type ApiOptions } from './app.js';
export { ResponseCache } from './cache.js';
export { startServer, type RunningServer } from './server.js';
export { errorResponse } from './errors.js';
export { openApiDocument } from './openapi.js';
