export { importFile, type ImportSummary, type ImportOptions, type RevisionSummary } from './pipeline.js';
export { ADAPTERS, BUNDLED_FILES } from './sources/index.js';
export type { CsvAdapter } from './adapter.js';
export { loadBundled } from './bundled.js';
