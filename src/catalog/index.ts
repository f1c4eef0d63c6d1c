export { loadCatalog, findIndicator, dimensionLabel, CatalogError, type Catalog, type StateEntry } from './load.js';
export { checkEvidenceCatalog, loadEvidenceCatalog } from './evidence-file.js';
export { bundledDataPath } from './paths.js';
