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

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
