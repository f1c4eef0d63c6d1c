/** The JSON the site serves under /data/{lang}/{code}/{freq}.json (live) or bakes as static files. */
export interface DataRow {
  readonly geo: string;
  readonly geo_name: string;
  readonly period: string;
  readonly value: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly flags: readonly string[];
  readonly release_ids: readonly number[];
  readonly months?: number;
  /** The breakdown's value (sex, age group, weapon, subtype) when the file was asked for one. */
  readonly dimension?: string;
  /** Secondary values: the pages they were taken from. */
  readonly source_links?: readonly { url: string; outlet: string; note: string }[];
}

export interface DataFile {
  readonly indicator: string;
  readonly name: string;
  readonly unit: string;
  readonly freq: 'month' | 'year';
  readonly rows: readonly DataRow[];
  readonly sources: readonly { id: string; publisher: string; dataset: string; url: string; releases: readonly { id: number; file_name: string; sha256: string; imported_at: string }[] }[];
  readonly notes: readonly string[];
  /** Last month of data (YYYY-MM), months of a same-months comparison, status date of counts at retrieval. */
  readonly through?: string;
  readonly ytd_months?: readonly number[];
  readonly status_as_of?: string;
  /** The breakdown a `-by-{dimension}` file holds, and its values' labels in the file's language. */
  readonly by?: string | null;
  readonly dimension_labels?: Readonly<Record<string, string>>;
}

export type Locale = 'es-MX' | 'en-US';

/** A point of a time series as the chart draws it. */
export interface SeriesPoint {
  readonly geo: string;
  readonly geoName: string;
  readonly period: string;
  /** Start of the period (for `12m-ending-YYYY-MM`, the month it ends in). */
  readonly date: Date;
  readonly value: number;
  readonly flags: readonly string[];
  /** Months a period built from months holds (a partial year's label says how many). */
  readonly months?: number | undefined;
}

export interface ChartEvent {
  readonly date: string;
  readonly label: string;
}

export interface LineChartOptions {
  readonly points: readonly SeriesPoint[];
  readonly title: string;
  readonly unit: string;
  readonly locale: Locale;
  readonly decimals: number;
  /** Framework events drawn as labelled vertical rules (context, not attribution). */
  readonly events: readonly ChartEvent[];
  /** Text printed under the chart and kept in downloads: source, release, URL. */
  readonly citation: string;
  /** Label shown in the legend/tooltip for values flagged partial-period. */
  readonly partialLabel: string;
  /** Legend text for the dotted stretch of values over a projected population. */
  readonly projectedLabel?: string;
  /** The label beside a partial period's hollow mark ("2025: partial (6 months), not comparable"). */
  readonly partialPointLabel?: (point: SeriesPoint) => string;
  /** "Data through June 2025" (and a status date): drawn inside the SVG so downloads carry it. */
  readonly note?: string;
  readonly width?: number;
  /** A logarithmic y axis, drawn only when every value is above zero (the page says why otherwise). */
  readonly logScale?: boolean;
  /** The y axis label's suffix on a log axis ("escala logarítmica"). */
  readonly logLabel?: string;
  /** A period missing from a series breaks its line (breakdowns are not zero-filled: a missing month is a gap). */
  readonly breakGaps?: boolean;
  /** A period key as people read it in the page's language (tooltips, partial labels). */
  readonly periodLabel?: (period: string) => string;
  /** Quality flags in the page's language (tooltips). */
  readonly flagLabels?: Readonly<Record<string, string>>;
  /** Said under a fiscal-year chart: what "AF"/"FY" on the axis means. */
  readonly fiscalNote?: string;
}

export interface MapValue {
  readonly value: number | null;
  readonly name: string;
  readonly flags: readonly string[];
}

export interface ChoroplethOptions {
  /** Geo code → value; a code missing from the map is drawn as "no data". */
  readonly values: ReadonlyMap<string, MapValue>;
  readonly title: string;
  readonly unit: string;
  readonly locale: Locale;
  readonly decimals: number;
  readonly noDataLabel: string;
  readonly citation: string;
  /** "Data through June 2025" (and a status date), printed above the citation. */
  readonly note?: string;
  /** Quality flags in the page's language (shown in each place's title). */
  readonly flagLabels?: Readonly<Record<string, string>>;
  /** Where a place links to (its profile page); state and hex maps make each place a link. */
  readonly placeHref?: (code: string) => string;
  readonly width?: number;
}
