export { isLightQuery, isoSecond, queryIndicator, resolveIndicator } from './query.js';
export { selectGeos, type GeoSelection, type SelectedGeo } from './geo-selection.js';
export { citationOf, toCsv } from './csv.js';
export { baselineSeries, detailOf, indicatorDetail, listReleases, releaseSummary, dataVersion, type IndicatorDetail, type ReleaseRow } from './views.js';
export { bothSides, BOTH_SIDES_PAIRS } from './both-sides.js';
export { BORDER_ROUTE, borderIncidents, type IncidentCollection } from './incidents.js';
export { hasMonthlySeries } from './coverage.js';
