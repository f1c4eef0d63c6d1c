// What the server side (src/site) shares with the browser code: messages and search. Nothing here touches the DOM.
export { MESSAGES, LOCALES, fiscalYearLabel, periodLabel, t, timestampLabel, type MessageKey, type SiteLang } from './i18n.js';
export { search, normalise, type SearchEntry } from './search.js';
export { coverageText, monthYear, type CoverageFacts } from './coverage-text.js';
export { lineRuns, logEligibility, periodStep, seriesStyles } from './client/chart-style.js';
export { MAP_KINDS, isMunicipalMap, mapsOf, shownMeasure, type MapKind, type MeasureChoice } from './measure.js';
