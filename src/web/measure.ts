/** The maps an indicator page can draw. */
export const MAP_KINDS = ['states', 'hex', 'municipal'] as const;
export type MapKind = (typeof MAP_KINDS)[number];

/** The maps an indicator has: the municipal map only with municipalities (elsewhere there is nothing to draw on it). */
export const mapsOf = (hasMunicipalities: boolean): readonly MapKind[] => (hasMunicipalities ? MAP_KINDS : MAP_KINDS.filter((m) => m !== 'municipal'));

/** What a view asks for that decides whether it shows a count or a rate (the page's and the browser's view state). */
export interface MeasureChoice {
  readonly view: 'chart' | 'map' | 'table';
  readonly map: MapKind;
  readonly measure: 'count' | 'rate' | null;
  readonly by: string | null;
}

/** The municipal map is in view (a view state offers it only for indicators with municipalities). */
export const isMunicipalMap = (choice: Pick<MeasureChoice, 'view' | 'map'>): boolean => choice.view === 'map' && choice.map === 'municipal';

/**
 * The measure a view shows: the one asked for, else the rate on maps (a count favours the most populous places) and the
 * count on charts and tables. A breakdown shows counts, and so does the municipal map: CONAPO publishes no municipal
 * population and the census is not mixed in, so there is no municipal rate to draw, whatever was asked.
 */
export function shownMeasure(hasRate: boolean, choice: MeasureChoice): 'count' | 'rate' {
  if (!hasRate || choice.by !== null || isMunicipalMap(choice)) return 'count';
  return choice.measure ?? (choice.view === 'map' ? 'rate' : 'count');
}
