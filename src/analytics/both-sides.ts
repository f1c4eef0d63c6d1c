import { findIndicator } from '../catalog/index.js';
import type { BothSidesPair, BothSidesSeries, BothSidesView, Lang, Text } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';
import { queryIndicator } from './query.js';

interface SideSpec {
  readonly indicator: string;
  readonly geo: string;
  /** U.S. border series by fiscal year (as CBP and DHS publish them), the rest by calendar year. */
  readonly freq: 'fy' | 'year';
  readonly base: string;
  readonly side: Text;
}

interface PairSpec {
  readonly id: string;
  readonly title: Text;
  readonly method: Text;
  readonly caveats: readonly Text[];
  readonly series: readonly [SideSpec, SideSpec];
}

const INDEX_METHOD: Text = {
  es: 'Cada serie se divide entre su propio valor del periodo base y se multiplica por 100 (base = 100): la gráfica compara cambios, no niveles ni unidades. Las series de la frontera de EE. UU. van por año fiscal (octubre–septiembre), las demás por año calendario; cada punto se coloca en el año que le da nombre (AF2021 y 2021 en 2021). Los periodos parciales se dibujan huecos, fuera de la línea, y nunca se comparan como completos.',
  en: 'Each series is divided by its own value in the base period and multiplied by 100 (base = 100): the chart compares changes, not levels or units. U.S. border series are by fiscal year (October–September), the others by calendar year; each point sits at the year it is named after (FY2021 and 2021 at 2021). Partial periods are drawn hollow, off the line, and never compared as complete.',
};

const CORRELATION: Text = {
  es: 'Que dos series se muevan juntas no muestra que una cause la otra.',
  en: 'Two series moving together does not show that one causes the other.',
};

/**
 * The pairs the view shows. A pair naming an indicator this build's catalog lacks (e.g. one another module adds) is
 * skipped and listed as such, not shown half-empty.
 */
export const BOTH_SIDES_PAIRS: readonly PairSpec[] = [
  {
    id: 'fentanyl',
    title: {
      es: 'Fentanilo decomisado en la frontera suroeste y muertes por opioides sintéticos en EE. UU.',
      en: 'Fentanyl seized at the southwest border and U.S. synthetic-opioid deaths',
    },
    method: INDEX_METHOD,
    caveats: [
      {
        es: 'Los decomisos miden la actividad de las autoridades en la frontera, no la oferta que cruzó: más decomisos pueden significar más tráfico o más controles.',
        en: 'Seizures measure enforcement activity at the border, not the supply that got through: more seizures can mean more trafficking or more inspection.',
      },
      {
        es: 'Las muertes son cifras provisionales de los CDC (valor predicho), en todo EE. UU. y por cualquier vía de suministro; el fentanilo es la mayor parte, no la totalidad, de los opioides sintéticos (T40.4).',
        en: 'Deaths are provisional CDC counts (predicted value), for the whole United States and any supply route; fentanyl is most, not all, of synthetic opioids (T40.4).',
      },
      CORRELATION,
    ],
    series: [
      { indicator: 'us.border.fentanyl_seized', geo: 'US-SWB', freq: 'fy', base: 'FY2021', side: { es: 'Frontera (EE. UU.)', en: 'Border (U.S.)' } },
      { indicator: 'us.overdose.synthetic_opioid_deaths', geo: 'US', freq: 'year', base: '2021', side: { es: 'Estados Unidos', en: 'United States' } },
    ],
  },
  {
    id: 'migration',
    title: {
      es: 'Encuentros de la Patrulla Fronteriza y personas migrantes muertas o desaparecidas en la frontera',
      en: 'Border Patrol encounters and migrants dead or missing at the border',
    },
    method: INDEX_METHOD,
    caveats: [
      {
        es: 'Los encuentros cuentan eventos, no personas, y dependen de la política de aplicación de la ley (Título 42, 2020–2023). Solo Patrulla Fronteriza (la serie larga de la OHSS); las inadmisiones de OFO no están.',
        en: 'Encounters count events, not people, and depend on enforcement policy (Title 42, 2020–2023). Border Patrol only (OHSS\'s long series); OFO inadmissibles are not included.',
      },
      {
        es: 'Las muertes y desapariciones de la OIM son estimaciones mínimas, de ambos lados de la frontera, y la OIM revisa incidentes pasados.',
        en: 'IOM\'s dead and missing are minimum estimates, on both sides of the border, and IOM revises past incidents.',
      },
      CORRELATION,
    ],
    series: [
      { indicator: 'us.border.usbp_encounters', geo: 'US-SWB', freq: 'fy', base: 'FY2021', side: { es: 'Frontera (EE. UU.)', en: 'Border (U.S.)' } },
      { indicator: 'migrants.border.dead_missing', geo: 'US-MX', freq: 'year', base: '2021', side: { es: 'Ambos lados', en: 'Both sides' } },
    ],
  },
];

const round1 = (x: number) => Math.round(x * 10) / 10;
const yearOf = (period: string) => Number(period.replace(/^FY/, '').slice(0, 4));

async function seriesOf(tx: ReadTx, spec: SideSpec, lang: Lang): Promise<BothSidesSeries> {
  const result = await queryIndicator(tx, { indicator: spec.indicator, geo: [spec.geo], from: null, to: null, freq: spec.freq, by: null, lang, asOf: null });
  // Projections and periods not begun yet are not points of a trend.
  const thisYear = new Date().getUTCFullYear();
  const rows = result.rows.filter((r) => yearOf(r.period) <= thisYear + (spec.freq === 'fy' ? 1 : 0));
  const baseRow = rows.find((r) => r.period === spec.base && !r.flags.includes('partial-period'));
  const base = baseRow?.value ?? null;
  return {
    indicator: spec.indicator,
    name: result.name,
    unit: result.unit,
    geo: spec.geo,
    geo_name: rows[0]?.geo_name ?? spec.geo,
    side: spec.side[lang],
    freq: spec.freq,
    base: { period: spec.base, value: base },
    points: rows.map((r) => ({
      period: r.period,
      year: yearOf(r.period),
      value: r.value,
      index: r.value === null || base === null || base === 0 ? null : round1((r.value / base) * 100),
      partial: r.flags.includes('partial-period'),
      flags: r.flags,
    })),
    sources: result.sources.map((s) => ({ publisher: s.publisher, dataset: s.dataset, url: s.url, files: s.releases.map((x) => `${x.file_name} (sha256 ${x.sha256.slice(0, 12)})`) })),
  };
}

/** Every pair whose indicators this build has, each series queried and indexed to its base period. */
export async function bothSides(tx: ReadTx, lang: Lang): Promise<BothSidesView> {
  const pairs: BothSidesPair[] = [];
  const skipped: BothSidesView['skipped'] = [];
  for (const pair of BOTH_SIDES_PAIRS) {
    const missing = pair.series.map((s) => s.indicator).filter((code) => findIndicator(code) === undefined);
    if (missing.length > 0) {
      skipped.push({ id: pair.id, title: pair.title[lang], missing });
      continue;
    }
    pairs.push({
      id: pair.id,
      title: pair.title[lang],
      method: pair.method[lang],
      caveats: pair.caveats.map((c) => c[lang]),
      series: await Promise.all(pair.series.map((s) => seriesOf(tx, s, lang))),
    });
  }
  return { pairs, skipped };
}
