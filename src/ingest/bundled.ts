import { bundledDataPath } from '../catalog/index.js';
import { RequestError } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { importFile, type ImportOptions, type ImportSummary } from './pipeline.js';
import { ADAPTERS, BUNDLED_FILES } from './sources/index.js';

export function adapterFor(source: string) {
  const adapter = ADAPTERS[source];
  if (!adapter) {
    throw new RequestError('bad_request', `unknown source "${source}"; known sources: ${Object.keys(ADAPTERS).join(', ')}`);
  }
  return adapter;
}

/** Imports every bundled official file; files already imported are no-ops. */
export async function loadBundled(
  store: Store,
  options: ImportOptions & { onFile?: (index: number, total: number, file: string) => void } = {},
): Promise<ImportSummary[]> {
  const summaries: ImportSummary[] = [];
  for (const [index, entry] of BUNDLED_FILES.entries()) {
    options.onFile?.(index, BUNDLED_FILES.length, entry.path);
    summaries.push(await importFile(store, adapterFor(entry.source), bundledDataPath(entry.path), options));
  }
  return summaries;
}
