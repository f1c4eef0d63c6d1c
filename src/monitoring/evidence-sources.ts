import { loadCatalog } from '../catalog/index.js';
import type { EvidenceKind, Lang } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { listEvidence } from './evidence.js';

/** One address of the public record and what Observa took from it. */
export interface EvidenceSource {
  readonly url: string;
  readonly title: string;
  readonly publisher: string;
  /** Kinds of the entries citing it (a government release may hold claims only). */
  readonly kinds: readonly EvidenceKind[];
  /** Approved ledger entries citing it. */
  readonly entries: readonly { id: number; node: string; date: string }[];
  /** Published figures, targets and the promise of benchmarks taken from it (evidence.yaml). */
  readonly figures: readonly string[];
  readonly targets: number;
  readonly benchmarksPromise: boolean;
}

/** Every source the public evidence uses (approved entries, catalog figures, targets), by address, first cited first; figures' attribution in `lang`. */
export async function evidenceSources(tx: ReadTx, lang: Lang): Promise<EvidenceSource[]> {
  const { evidence } = loadCatalog();
  const byUrl = new Map<string, { url: string; title: string; publisher: string; kinds: Set<EvidenceKind>; entries: EvidenceSource['entries'][number][]; figures: string[]; targets: number; benchmarksPromise: boolean }>();
  const at = (url: string, title: string, publisher: string) => {
    let s = byUrl.get(url);
    if (!s) {
      s = { url, title, publisher, kinds: new Set(), entries: [], figures: [], targets: 0, benchmarksPromise: false };
      byUrl.set(url, s);
    }
    return s;
  };
  for (const e of await listEvidence(tx)) {
    const s = at(e.source, e.title, e.publisher);
    s.kinds.add(e.kind);
    s.entries.push({ id: e.id, node: e.node, date: e.date });
  }
  for (const f of evidence.figures) at(f.source.url, f.source.title, f.attribution[lang]).figures.push(f.id);
  for (const t of evidence.targets) {
    const src = typeof t.source === 'string' ? { url: t.source, title: t.source } : t.source;
    at(src.url, src.title, '').targets += 1;
  }
  const promise = evidence.benchmarks_promise;
  if (promise) at(promise.source, promise.title, promise.publisher).benchmarksPromise = true;
  return [...byUrl.values()].map((s) => ({ ...s, kinds: [...s.kinds].sort() }));
}
