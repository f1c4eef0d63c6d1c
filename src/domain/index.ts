export * from './text.js';
export * from './framework.js';
export * from './geo.js';
export * from './period.js';
export * from './flags.js';
export * from './indicator.js';
export * from './errors.js';
export * from './query.js';
