/** Dimension columns of an observation; '' means the source has no such dimension (keeps keys comparable with =). */
export const DIMENSION_COLUMNS = [
  'legal_good', 'crime_type', 'crime_subtype', 'modality', 'sex', 'age', 'estimate',
  // Schema 4: the U.S. side and secondary sources (CBP component and drug, citizenship, assistance stage, IOM cause,
  // and a publisher's own category such as a WJP factor).
  'component', 'drug', 'citizenship', 'stage', 'cause', 'category',
] as const;

/**
 * The dimensions few sources have (CDC's estimate, the U.S. side's and secondary sources'). In DuckDB's `observation`
 * (schema 8) they are kept together in one map column, `MAPPED_DIMENSIONS_COLUMN`, empty for most rows, and read
 * through generated columns of their own names: every query reads them as before. Why: DuckDB writes a constant ''
 * as dearly as any text (9 empty columns were 2.8 of a 10 M-cell municipal file's 8.1 s INSERT), an empty map almost
 * for free (docs/architecture.md, "Dimensions few sources have").
 */
export const MAPPED_DIMENSIONS = ['estimate', 'component', 'drug', 'citizenship', 'stage', 'cause', 'category'] as const;
export const MAPPED_DIMENSIONS_COLUMN = 'other_dimensions';

/** Current observations summed at every level (aggregates.ts). */
export const AGGREGATE_TABLE = 'observation_aggregate';

/** Each catalog term's current observations summed per place and year, and the terms kept there (term-sums.ts). */
export const TERM_SUMS_TABLE = 'term_year_sum';
export const TERM_SUMS_TERMS_TABLE = 'term_year_sum_term';
