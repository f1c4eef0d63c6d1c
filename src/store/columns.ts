/** Dimension columns of an observation; '' means the source has no such dimension (keeps keys comparable with =). */
export const DIMENSION_COLUMNS = [
  'legal_good', 'crime_type', 'crime_subtype', 'modality', 'sex', 'age', 'estimate',
  // Schema 4: the U.S. side and secondary sources (CBP component and drug, citizenship, assistance stage, IOM cause,
  // and a publisher's own category such as a WJP factor).
  'component', 'drug', 'citizenship', 'stage', 'cause', 'category',
] as const;

/** Current observations summed at every level (aggregates.ts). */
export const AGGREGATE_TABLE = 'observation_aggregate';

