import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { EvidenceCatalog, type Framework, type Indicator } from '../domain/index.js';
import { YamlFile, builtValueOf, type PathProblem } from './yaml-file.js';

/**
 * What a schema cannot see in evidence.yaml: nodes and indicators that exist, unique ids, disputes that name another
 * entry (and no circle of disputes), figures that say what they compare with.
 */
export function checkEvidenceCatalog(c: EvidenceCatalog, framework: Framework, indicators: readonly Indicator[]): PathProblem[] {
  const problems: PathProblem[] = [];
  const nodes = new Set(framework.nodes.map((n) => n.id));
  const codes = new Set<string>(indicators.map((i) => i.code));
  const firstIndex = new Map<string, number>();
  c.entries.forEach((e, i) => {
    if (firstIndex.has(e.id)) problems.push({ path: ['entries', i, 'id'], message: `entry id ${e.id} is used twice (first at entries.${firstIndex.get(e.id)})` });
    else firstIndex.set(e.id, i);
    if (!nodes.has(e.node)) problems.push({ path: ['entries', i, 'node'], message: `expected the id of a Framework node of framework.yaml; ${e.node} is not one` });
    if (e.disputes !== undefined && !c.entries.some((other) => other.id === e.disputes)) {
      problems.push({ path: ['entries', i, 'disputes'], message: `expected the id of another entry of this file; ${e.disputes} is not one` });
    }
    if (e.disputes === e.id) problems.push({ path: ['entries', i, 'disputes'], message: 'an entry cannot dispute itself' });
  });
  // Disputes must not go round in a circle: the ledger stores an entry after the one it disputes.
  const disputes = new Map(c.entries.map((e) => [e.id, e.disputes]));
  c.entries.forEach((e, i) => {
    const seen = new Set<string>([e.id]);
    for (let next = e.disputes; next !== undefined; next = disputes.get(next)) {
      if (seen.has(next)) {
        if (next !== e.id || e.disputes === e.id) break;
        problems.push({ path: ['entries', i, 'disputes'], message: `disputes go round in a circle back to ${e.id}` });
        break;
      }
      seen.add(next);
    }
  });
  const figureIds = new Set<string>();
  c.figures.forEach((f, i) => {
    if (figureIds.has(f.id)) problems.push({ path: ['figures', i, 'id'], message: `figure id ${f.id} is used twice` });
    figureIds.add(f.id);
    if (!nodes.has(f.node)) problems.push({ path: ['figures', i, 'node'], message: `expected the id of a Framework node; ${f.node} is not one` });
    if (f.compare && !codes.has(f.compare.indicator)) problems.push({ path: ['figures', i, 'compare', 'indicator'], message: `expected an indicator code of indicators.yaml; ${f.compare.indicator} is not one` });
    if (!f.compare && !f.reasons.includes('not-computable')) problems.push({ path: ['figures', i, 'reasons'], message: 'a figure with nothing to compare with must give the reason not-computable' });
  });
  c.targets.forEach((t, i) => {
    if (t.node !== undefined && !nodes.has(t.node)) problems.push({ path: ['targets', i, 'node'], message: `expected the id of a Framework node; ${t.node} is not one` });
    if (t.indicator !== undefined && !codes.has(t.indicator)) problems.push({ path: ['targets', i, 'indicator'], message: `expected an indicator code of indicators.yaml; ${t.indicator} is not one` });
  });
  if (c.benchmarks_promise && !nodes.has(c.benchmarks_promise.node)) {
    problems.push({ path: ['benchmarks_promise', 'node'], message: `expected the id of a Framework node; ${c.benchmarks_promise.node} is not one` });
  }
  return problems;
}

/** Reads and validates an evidence catalog file; any problem stops the load with file, line, column and value. */
export function loadEvidenceCatalog(path: string, name: string, framework: Framework, indicators: readonly Indicator[]): EvidenceCatalog {
  const text = readFileSync(path, 'utf8');
  // The build's parsed copy, when current and without problems (any problem is located in the YAML itself, below).
  const built = builtValueOf(pathToFileURL(path), text);
  if (built !== undefined) {
    const parsed = EvidenceCatalog.safeParse(built ?? {});
    if (parsed.success && checkEvidenceCatalog(parsed.data, framework, indicators).length === 0) return parsed.data;
  }
  const file = new YamlFile(name, text);
  // An empty file (or one holding only comments) is an empty catalog.
  const catalog = file.doc.contents === null ? EvidenceCatalog.parse({}) : file.parse(EvidenceCatalog);
  const problems = checkEvidenceCatalog(catalog, framework, indicators);
  if (problems.length > 0) throw file.problems(problems);
  return catalog;
}
