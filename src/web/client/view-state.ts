import { MAP_KINDS, type MapKind } from '../measure.js';
/** The indicator page's state lives in its URL; this is the one place that reads and writes it. */
export interface ViewState {
  geo: string[];
  from: string | null;
  to: string | null;
  freq: 'year' | 'month' | 'fy';
  view: 'chart' | 'map' | 'table';
  map: MapKind;
  year: string | null;
  /** Count or rate; null = the view's default (maps show the rate). */
  measure: 'count' | 'rate' | null;
  /** Monthly rates × 365.25 / days in the month. */
  annualise: boolean;
  /** Compare the same months of each year (those the latest year has). */
  ytd: boolean;
  /** The chart's y axis: log only where every value is above zero (the chart says why it is off otherwise). */
  scale: 'linear' | 'log';
  /** A breakdown (sex, age, modality, crime_subtype) among those the indicator offers; counts only. */
  by: string | null;
}

const PERIOD = /^(FY\d{4}|\d{4}(-\d{2})?)$/;
const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/** `maps`: the maps the indicator has (`mapsOf`); another one reads as the default. */
export function readState(search: string, defaults: ViewState, frequencies: readonly string[], breakdowns: readonly string[] = [], maps: readonly MapKind[] = MAP_KINDS): ViewState {
  const params = new URLSearchParams(search);
  const geo = params.getAll('geo').flatMap((g) => g.split(',')).map((g) => g.trim()).filter((g) => g !== '');
  const period = (key: string) => {
    const v = params.get(key);
    return v !== null && PERIOD.test(v) ? v : null;
  };
  const freq = pick(params.get('freq'), ['year', 'month', 'fy'] as const, defaults.freq);
  return {
    geo: geo.length > 0 ? [...new Set(geo)] : defaults.geo,
    from: period('from'),
    to: period('to'),
    freq: frequencies.includes(freq) ? freq : defaults.freq,
    view: pick(params.get('view'), ['chart', 'map', 'table'] as const, defaults.view),
    map: pick(params.get('map'), maps, defaults.map),
    year: params.get('year') !== null && PERIOD.test(params.get('year') ?? '') ? params.get('year') : defaults.year,
    measure: params.get('measure') === 'rate' || params.get('measure') === 'count' ? (params.get('measure') as 'count' | 'rate') : defaults.measure,
    annualise: params.get('annualise') === 'true',
    // A breakdown's file holds whole periods: the same-months comparison does not apply to it.
    ytd: (params.get('ytd') === 'true' || params.get('ytd') === 'on') && !(params.get('by') !== null && breakdowns.includes(params.get('by') as string)),
    scale: params.get('scale') === 'log' ? 'log' : 'linear',
    by: params.get('by') !== null && breakdowns.includes(params.get('by') as string) ? params.get('by') : null,
  };
}

/** Only what differs from the defaults goes in the URL, so shared links stay short. */
export function writeState(state: ViewState, defaults: ViewState): string {
  const params = new URLSearchParams();
  if (state.geo.join(',') !== defaults.geo.join(',')) params.set('geo', state.geo.join(','));
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.freq !== defaults.freq) params.set('freq', state.freq);
  if (state.view !== defaults.view) params.set('view', state.view);
  if (state.map !== defaults.map) params.set('map', state.map);
  if (state.year && state.year !== defaults.year) params.set('year', state.year);
  if (state.measure && state.measure !== defaults.measure) params.set('measure', state.measure);
  if (state.annualise) params.set('annualise', 'true');
  if (state.ytd) params.set('ytd', 'true');
  if (state.scale === 'log') params.set('scale', 'log');
  if (state.by) params.set('by', state.by);
  const text = params.toString().replaceAll('%2C', ',');
  return text === '' ? '' : `?${text}`;
}

/**
 * yyyymm of a period's start (`2020` → 202001, `2020-03` → 202003, `12m-ending-2021-04` → 202104). A U.S. fiscal year
 * is placed at the calendar year it is named after (`FY2023` → 202301), so a chart's tick "2023" sits on FY2023.
 */
export function periodKey(period: string, end = false): number {
  const m = /(\d{4})(?:-(\d{2}))?$/.exec(period);
  if (!m) return Number.NaN;
  const month = m[2] ? Number(m[2]) : end ? 12 : 1;
  return Number(m[1]) * 100 + month;
}

export function periodDate(period: string): Date {
  const key = periodKey(period);
  return new Date(Date.UTC(Math.floor(key / 100), (key % 100) - 1, 1));
}

export function inRange(period: string, from: string | null, to: string | null): boolean {
  const key = periodKey(period);
  return (from === null || key >= periodKey(from)) && (to === null || key <= periodKey(to, true));
}
