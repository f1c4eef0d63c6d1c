export { createApp } from './app.js';
export { startServer, type RunningServer } from './server.js';
export { errorResponse } from './errors.js';
export { openApiDocument } from './openapi.js';
