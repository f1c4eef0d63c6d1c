import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_BOUNDARIES, BUNDLED_FILES } from '../ingest/sources/index.js';
import { tempStore } from '../test-support/temp-store.js';
import { loadCatalog } from './load.js';
import { bundledDataPath } from './paths.js';

const REQUIRED_INDICATORS = [
  'mx.homicide.victims', 'mx.homicide.rate', 'mx.femicide.victims', 'mx.women_murdered.victims', 'mx.homicide.firearm_share',
  'mx.kidnapping.victims', 'mx.extortion.victims', 'mx.trafficking.victims', 'mx.disappeared.persons', 'mx.disappeared.located_dead',
  'us.overdose.deaths', 'us.overdose.synthetic_opioid_deaths', 'mx.population',
];

/** Every {es, en} pair anywhere in a value. */
function texts(value: unknown, path = ''): { path: string; es: string; en: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const own = typeof o['es'] === 'string' && typeof o['en'] === 'string' ? [{ path, es: o['es'], en: o['en'] }] : [];
    return [...own, ...Object.entries(o).flatMap(([k, v]) => texts(v, `${path}.${k}`))];
  }
  return [];
}

describe('catalog', () => {
  const catalog = loadCatalog();

  it('holds the Framework: 3 goals, the published counts, and what is missing said plainly', () => {
    const fw = catalog.framework;
    expect(fw.nodes.filter((n) => n.kind === 'goal').map((n) => n.title.en)).toEqual(['Protect our people', 'Prevent transborder crime', 'Pursue criminal networks']);
    expect(fw.publishedCounts).toEqual({ goals: 3, areas: 11, objectives: 26, actions: 102 });
    expect(fw.adopted).toBe('2021-10-08');
    expect(fw.actionPlanAdopted).toBe('2022-01-31');
    expect(fw.coverageNote.en).toMatch(/never published/);
    expect(fw.nodes.filter((n) => n.kind === 'area').length).toBeLessThanOrEqual(11);
    expect(fw.nodes.filter((n) => n.kind === 'objective').length).toBeLessThanOrEqual(26);
  });

  it('tags every node with a confidence level and at least one source URL, and maps it to Mérida', () => {
    for (const node of catalog.framework.nodes) {
      expect(['confirmed', 'from-summaries', 'reconstructed'], node.id).toContain(node.confidence);
      expect(node.sources.length, node.id).toBeGreaterThan(0);
      for (const s of node.sources) expect(s.url, node.id).toMatch(/^https?:\/\//);
      for (const p of node.merida.pillars) expect(['P1', 'P2', 'P3', 'P4']).toContain(p);
    }
    expect(catalog.framework.meridaPillars.map((p) => p.id)).toEqual(['P1', 'P2', 'P3', 'P4']);
    const cyber = catalog.framework.nodes.find((n) => n.id === '3.3');
    expect(cyber?.merida).toMatchObject({ pillars: [], relation: 'new' });
    expect(catalog.framework.nodes.find((n) => n.id === '2.2')?.merida.relation).toBe('elevated');
  });

  it('dates the Framework’s key events', () => {
    const byDate = new Map(catalog.framework.events.map((e) => [e.date, e.kind]));
    expect(byDate.get('2021-10-08')).toBe('adoption');
    expect(byDate.get('2022-01-31')).toBe('action-plan');
    expect(byDate.get('2022-10-13')).toBe('dialogue');
    expect(byDate.get('2023-10-05')).toBe('dialogue');
  });

  it('has every text in Spanish and English, and never the same long text in both', () => {
    const all = texts({ framework: catalog.framework, indicators: catalog.indicators, sources: catalog.sources, vocabulary: catalog.vocabulary });
    expect(all.length).toBeGreaterThan(200);
    for (const t of all) {
      expect(t.es.trim(), t.path).not.toBe('');
      expect(t.en.trim(), t.path).not.toBe('');
      if (t.en.length > 40) expect(t.es, `${t.path} is not translated`).not.toBe(t.en);
    }
  });

  it('defines the public indicator codes, each with a baseline, sources, and a target or the reason it has none', () => {
    const codes = catalog.indicators.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(REQUIRED_INDICATORS));
    for (const i of catalog.indicators) {
      expect(i.sources.length, i.code).toBeGreaterThan(0);
      // A year, a U.S. fiscal year, or a month for indicators published monthly only.
      expect(i.baseline.period, i.code).toMatch(/^(FY)?\d{4}(-\d{2})?$/);
      expect(i.targets.length > 0 || i.targetNote !== undefined, i.code).toBe(true);
      if (i.kind === 'ratio') expect(i.denominator, i.code).toBeDefined();
    }
  });

  it('a new store holds the catalog from the moment it is created', async () => {
    const t = await tempStore();
    try {
      const [geo] = await t.store.all<{ states: number; municipalities: number; countries: number }>(
        `SELECT count(*) FILTER (WHERE level = 'state' AND NOT unspecified) AS states, count(*) FILTER (WHERE level = 'municipality' AND NOT unspecified) AS municipalities,
                count(*) FILTER (WHERE level = 'country') AS countries FROM geo`,
      );
      expect(geo).toEqual({ states: 32, municipalities: 2475, countries: 3 });
      const [iso] = await t.store.all<{ iso: string; name: string }>(`SELECT iso, official_name AS name FROM geo WHERE code = '30'`);
      expect(iso).toEqual({ iso: 'MX-VER', name: 'Veracruz de Ignacio de la Llave' });
      const [counts] = await t.store.all<{ nodes: number; indicators: number; observations: number }>(
        `SELECT (SELECT count(*) FROM framework_node) AS nodes, (SELECT count(*) FROM catalog_indicator) AS indicators, (SELECT count(*) FROM observation) AS observations`,
      );
      expect(counts).toEqual({ nodes: catalog.framework.nodes.length, indicators: catalog.indicators.length, observations: 0 });
    } finally {
      await t.cleanup();
    }
  });
});

describe('bundled files and their provenance (issue 10, item 1)', () => {
  const sums = new Map(readFileSync(bundledDataPath('SHA256SUMS'), 'utf8').trim().split('\n').map((l) => {
    const [hash, path] = l.split(/\s+\.\//);
    return [path ?? '', hash ?? ''];
  }));
  const sources = readFileSync(bundledDataPath('SOURCES.md'), 'utf8');
  const files = [...BUNDLED_FILES.map((f) => f.path), ...BUNDLED_BOUNDARIES.map((b) => b.path)];

  it('every file load-bundled imports is listed in SHA256SUMS with its bytes\' checksum, and described in SOURCES.md', () => {
    for (const path of files) {
      expect(sums.get(path), path).toBe(createHash('sha256').update(readFileSync(bundledDataPath(path))).digest('hex'));
      expect(sources, path).toContain(path.split('/').at(-1));
    }
    for (const path of sums.keys()) expect(existsSync(bundledDataPath(path)), path).toBe(true);
  });

  it('U.S. assistance is all sectors and agencies, never called security assistance', () => {
    const aid = loadCatalog().indicators.find((i) => i.code === 'us.assistance.mexico');
    expect(aid?.name).toEqual({ es: expect.stringContaining('todos los sectores'), en: expect.stringContaining('all sectors') });
    expect(aid?.definition.en).toMatch(/all agencies and sectors[\s\S]*Not security assistance\./);
    expect(aid?.definition.es).toMatch(/todas las agencias y sectores[\s\S]*No es asistencia en seguridad\./);
  });
});
