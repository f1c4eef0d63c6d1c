/** A text as an SQL string literal (both engines: quotes doubled). */
export const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Texts as a parenthesised SQL list of literals, for `IN`. */
export const inList = (values: readonly string[]): string => `(${values.map(lit).join(', ')})`;
