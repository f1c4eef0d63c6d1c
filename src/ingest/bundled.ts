import { bundledDataPath } from '../catalog/index.js';
import { RequestError } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { importFile, type ImportOptions, type ImportSummary } from './pipeline.js';
import { BOUNDARY_LAYERS, importBoundaries, type BoundarySummary } from './boundaries.js';
import { ADAPTERS, BUNDLED_BOUNDARIES, BUNDLED_FILES, LAYOUT_ADAPTERS } from './sources/index.js';

export function adapterFor(source: string) {
  const adapter = ADAPTERS[source] ?? LAYOUT_ADAPTERS[source];
  if (!adapter) {
    throw new RequestError('bad_request', `unknown source "${source}"; known sources: ${[...Object.keys(ADAPTERS), ...Object.keys(LAYOUT_ADAPTERS)].join(', ')}`);
  }
  return adapter;
}

export interface BundledSummary {
  readonly tables: readonly ImportSummary[];
  readonly boundaries: readonly BoundarySummary[];
}

/** Imports every bundled official file and map layer; files already imported are no-ops. */
export async function loadBundled(
  store: Store,
  options: ImportOptions & { onFile?: (index: number, total: number, file: string) => void } = {},
): Promise<BundledSummary> {
  const total = BUNDLED_FILES.length + BUNDLED_BOUNDARIES.length;
  const tables: ImportSummary[] = [];
  for (const [index, entry] of BUNDLED_FILES.entries()) {
    options.onFile?.(index, total, entry.path);
    tables.push(await importFile(store, adapterFor(entry.source), bundledDataPath(entry.path), options));
  }
  const boundaries: BoundarySummary[] = [];
  for (const [index, entry] of BUNDLED_BOUNDARIES.entries()) {
    options.onFile?.(BUNDLED_FILES.length + index, total, entry.path);
    boundaries.push(await importBoundaries(store, BOUNDARY_LAYERS[entry.layer], bundledDataPath(entry.path), options));
  }
  return { tables, boundaries };
}
