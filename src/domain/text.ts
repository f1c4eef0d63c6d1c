import { z } from 'zod';

export const LANGS = ['es', 'en'] as const;
export const Lang = z.enum(LANGS);
export type Lang = z.infer<typeof Lang>;

/** Every user-facing text exists in Spanish and English; neither may be empty. */
export const Text = z.strictObject({
  es: z.string().trim().min(1),
  en: z.string().trim().min(1),
});
export type Text = z.infer<typeof Text>;

/** A calendar date as YYYY-MM-DD that exists (2024-02-31 and 2024-99-99 are refused, not rolled over). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((text) => {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'a date that exists in the calendar (YYYY-MM-DD)');

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe. Applied to
 * text only: numbers in our CSVs stay numbers (a negative change is not a formula).
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** csv-stringify options for every public CSV: text cells made spreadsheet-safe. */
export const SPREADSHEET_SAFE_CSV = { cast: { string: spreadsheetSafe } } as const;
