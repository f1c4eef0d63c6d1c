export { loadCatalog, findIndicator, stateByCode, dimensionLabel, CatalogError, type Catalog, type StateEntry } from './load.js';
export { bundledDataPath } from './paths.js';
