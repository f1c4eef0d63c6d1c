import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { EvidenceCatalog} from '../domain/index.js';
import { Dimension, Framework, Indicator, MonitoringCatalog, Source, Text } from '../domain/index.js';
import { loadEvidenceCatalog } from './evidence-file.js';
import { CatalogError, loadYamlFile } from './yaml-file.js';

const DATA_DIR = new URL('./data/', import.meta.url);

const StateEntry = z.strictObject({
  code: z.string().regex(/^(0[1-9]|[12]\d|3[0-2])$/),
  iso: z.string().regex(/^MX-[A-Z]{3}$/),
  official: z.string().min(1),
  es: z.string().min(1),
  en: z.string().min(1),
  abbr: z.string().min(1),
});
const CountryEntry = z.strictObject({ code: z.enum(['00', 'US', 'US-MX']), iso: z.string(), official: z.string(), es: z.string(), en: z.string() });
const UsRegionEntry = z.strictObject({ code: z.string().regex(/^US-[A-Z]{2,3}$/), cbp: z.string().min(1), es: z.string().min(1), en: z.string().min(1) });
const UsAreaEntry = z.strictObject({
  code: z.string().regex(/^US-[A-Z]{2,3}-(USBP|OFO)-[A-Z]{3}$/),
  cbp: z.string().min(1),
  es: z.string().min(1),
  en: z.string().min(1),
});
const GeographyFile = z.strictObject({
  countries: z.array(CountryEntry).min(2),
  states: z.array(StateEntry).length(32),
  /** CBP regions and areas of responsibility (the U.S. side of the border statistics). */
  usBorder: z.strictObject({ regions: z.array(UsRegionEntry).min(1), areas: z.array(UsAreaEntry).min(1) }),
});
const IndicatorsFile = z.object({ indicators: z.array(Indicator).min(1) });
const Vocabulary = z.partialRecord(Dimension, z.record(z.string(), Text));

export type StateEntry = z.infer<typeof StateEntry>;
export type CountryEntry = z.infer<typeof CountryEntry>;
export type UsAreaEntry = z.infer<typeof UsAreaEntry>;

export interface Catalog {
  readonly framework: Framework;
  readonly indicators: readonly Indicator[];
  readonly sources: readonly Source[];
  readonly geography: z.infer<typeof GeographyFile>;
  readonly vocabulary: z.infer<typeof Vocabulary>;
  readonly monitoring: MonitoringCatalog;
  /** The public record as evidence (evidence.yaml): entries, published figures, targets, the promise of benchmarks. */
  readonly evidence: EvidenceCatalog;
}

export { CatalogError };

function loadYaml<T>(file: string, schema: z.ZodType<T>): T {
  return loadYamlFile(`src/catalog/data/${file}`, new URL(file, DATA_DIR), schema);
}

/** Cross-references a schema cannot see: indicator → source, indicator → framework node. */
function checkReferences(c: Catalog): void {
  const problems: string[] = [];
  const sourceIds = new Set(c.sources.map((s) => s.id));
  const nodeIds = new Set(c.framework.nodes.map((n) => n.id));
  const codes = new Set<string>();
  for (const ind of c.indicators) {
    if (codes.has(ind.code)) problems.push(`indicator ${ind.code} is defined twice`);
    codes.add(ind.code);
    for (const s of [...ind.sources, ...(ind.rate?.sources ?? [])]) if (!sourceIds.has(s)) problems.push(`indicator ${ind.code} names unknown source ${s}`);
    for (const n of ind.framework) if (!nodeIds.has(n)) problems.push(`indicator ${ind.code} names unknown framework node ${n}`);
    if (ind.kind === 'ratio' && !ind.denominator) problems.push(`indicator ${ind.code} is a ratio without a denominator`);
    if (ind.kind === 'count' && ind.denominator) problems.push(`indicator ${ind.code} is a count with a denominator`);
    if (ind.targets.length === 0 && !ind.targetNote) problems.push(`indicator ${ind.code} has no target and does not say why`);
    if (ind.rate && ind.kind !== 'count') problems.push(`indicator ${ind.code} has a rate but is not a count`);
    if (ind.rate && ind.noRate) problems.push(`indicator ${ind.code} has a rate and says why it has none`);
  }
  // A ratio that is the rate of a count must be that count's rate, term for term: one definition, two codes.
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const ind of c.indicators.filter((i) => i.rateOf !== undefined)) {
    const count = c.indicators.find((i) => i.code === ind.rateOf);
    if (!count?.rate) {
      problems.push(`indicator ${ind.code} is the rate of ${ind.rateOf ?? ''}, which is not a count with a rate`);
      continue;
    }
    if (!same(ind.numerator, count.numerator) || !same(ind.denominator, count.rate.denominator) || ind.factor !== count.rate.factor) {
      problems.push(`indicator ${ind.code} is the rate of ${count.code} but its numerator, denominator or factor differ from that count's rate`);
    }
  }
  const nodes = new Map(c.framework.nodes.map((n) => [n.id, n]));
  const unique = (kind: string, ids: readonly string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${kind} ${id} is defined twice`);
      seen.add(id);
    }
  };
  unique('risk', c.monitoring.risks.map((r) => r.id));
  unique('assistance line', c.monitoring.assistance.map((l) => l.id));
  unique('reported figure (monitoring.yaml reported and evidence.yaml figures)', [...c.monitoring.reported, ...c.evidence.figures].map((f) => f.id));
  for (const r of c.monitoring.risks) {
    for (const id of r.nodes) {
      const kind = nodes.get(id)?.kind;
      if (kind !== 'objective' && kind !== 'area') problems.push(`risk ${r.id} names ${id}, which is not a joint objective or area of the framework`);
    }
  }
  for (const l of c.monitoring.assistance) {
    for (const id of l.goals) if (nodes.get(id)?.kind !== 'goal') problems.push(`assistance line ${l.id} names ${id}, which is not a goal`);
  }
  for (const f of c.monitoring.reported) {
    if (f.compare && !codes.has(f.compare.indicator)) problems.push(`reported figure ${f.id} compares with unknown indicator ${f.compare.indicator}`);
    if (!f.compare && !f.reasons.includes('not-computable')) problems.push(`reported figure ${f.id} has nothing to compare with but does not say it is not computable`);
  }
  const regions = new Set(c.geography.usBorder.regions.map((r) => r.code));
  unique('U.S. border geography', [...c.geography.usBorder.regions, ...c.geography.usBorder.areas].map((g) => g.code));
  for (const a of c.geography.usBorder.areas) {
    const region = a.code.split('-').slice(0, 2).join('-');
    if (!regions.has(region)) problems.push(`U.S. border area ${a.code} names unknown region ${region}`);
  }
  if (problems.length > 0) throw new CatalogError(`catalog cross-references are broken:\n  ${problems.join('\n  ')}`);
}

let cached: Catalog | undefined;

/** The catalog is data shipped with the code: loaded once, validated whole, or the program stops. */
export function loadCatalog(): Catalog {
  if (cached) return cached;
  const framework = loadYaml('framework.yaml', Framework);
  const indicators = loadYaml('indicators.yaml', IndicatorsFile).indicators;
  const catalog: Catalog = {
    framework,
    indicators,
    sources: loadYaml('sources.yaml', z.array(Source)),
    geography: loadYaml('geography.yaml', GeographyFile),
    vocabulary: loadYaml('vocabulary.yaml', Vocabulary),
    monitoring: loadYaml('monitoring.yaml', MonitoringCatalog),
    evidence: loadEvidenceCatalog(fileURLToPath(new URL('evidence.yaml', DATA_DIR)), 'src/catalog/data/evidence.yaml', framework, indicators),
  };
  checkReferences(catalog);
  cached = catalog;
  return catalog;
}

export function findIndicator(code: string): Indicator | undefined {
  return loadCatalog().indicators.find((i) => i.code === code);
}


export function dimensionLabel(dim: Dimension, value: string, lang: 'es' | 'en'): string {
  return loadCatalog().vocabulary[dim]?.[value]?.[lang] ?? value;
}
