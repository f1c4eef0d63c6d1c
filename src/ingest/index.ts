export { importFile, type ImportSummary, type ImportOptions, type RevisionSummary } from './pipeline.js';
export { ADAPTERS, BUNDLED_BOUNDARIES, BUNDLED_FILES, LAYOUT_ADAPTERS } from './sources/index.js';
export type { CsvAdapter } from './adapter.js';
export { adapterFor, loadBundled, type BundledSummary } from './bundled.js';
export { BOUNDARY_LAYERS, BOUNDARY_SOURCE, importBoundaries, type BoundaryLayer, type BoundarySummary } from './boundaries.js';
export { ASSISTANCE_SOURCE, FA_REQUIRED_COLUMNS, importAssistance, type AssistanceImportSummary } from './assistance.js';
