export { loadCatalog, findIndicator, dimensionLabel, CatalogError, type Catalog, type StateEntry } from './load.js';
export { bundledDataPath } from './paths.js';
