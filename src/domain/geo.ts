import { z } from 'zod';

/**
 * Mexico: country → state → municipality. United States: country → CBP region (`US-SWB` Southwest Border, `US-NB`,
 * `US-CI`) → area of responsibility (a Border Patrol sector or an OFO field office, `US-SWB-USBP-TCA`).
 */
export const GeoLevel = z.enum(['country', 'state', 'municipality', 'region', 'area']);
export type GeoLevel = z.infer<typeof GeoLevel>;

/** INEGI codes for Mexico (00 nation, 01–32 states, 5-digit municipalities), `US`, `US-MX` (binational border), and CBP regions and areas (`US-SWB`, `US-SWB-USBP-TCA`). */
export const GeoCode = z
  .string()
  .regex(
    /^(00|0[1-9]|[12]\d|3[0-2]|99|(0[1-9]|[12]\d|3[0-2]|99)\d{3}|US|US-MX|US-[A-Z]{2,3}|US-[A-Z]{2,3}-(USBP|OFO)-[A-Z]{3})$/,
    'expected an INEGI code (00, 01–32, 5-digit municipality), US, US-MX, a CBP region (US-SWB) or area (US-SWB-USBP-TCA)',
  )
  .brand<'GeoCode'>();
export type GeoCode = z.infer<typeof GeoCode>;

export const MEXICO = '00' as GeoCode;
export const UNITED_STATES = 'US' as GeoCode;
/** The U.S.–Mexico border as one binational area (IOM's route "US-Mexico border crossing"): country-like, no parent. */
export const US_MEXICO_BORDER = 'US-MX' as GeoCode;

export const Geo = z.strictObject({
  code: GeoCode,
  level: GeoLevel,
  country: z.enum(['MX', 'US', 'US-MX']),
  parent: GeoCode.nullable(),
  nameEs: z.string().min(1),
  nameEn: z.string().min(1),
  /** ISO 3166-2 subdivision code (MX-CMX); ISO 3166-1 alpha-2 for countries. */
  iso: z.string().nullable(),
});
export type Geo = z.infer<typeof Geo>;

export function levelOf(code: GeoCode): GeoLevel {
  // US-MX (the binational border area) is country-level: checked before the rule that other US- codes are CBP regions.
  if (code === MEXICO || code === UNITED_STATES || code === US_MEXICO_BORDER) return 'country';
  if (/^US-(SWB|NB|CI)$/.test(code)) return 'region';
  if (/^US-[A-Z]{2,3}-(USBP|OFO)-[A-Z]{3}$/.test(code)) return 'area';
  return code.length === 2 ? 'state' : 'municipality';
}

export function parentOf(code: GeoCode): GeoCode | null {
  const level = levelOf(code);
  if (level === 'country') return null;
  if (level === 'region') return UNITED_STATES;
  if (level === 'area') return code.split('-').slice(0, 2).join('-') as GeoCode;
  if (level === 'state') return MEXICO;
  return code.slice(0, 2) as GeoCode;
}

/** `7` → `07`; INEGI codes are written without their leading zero in several published files. */
export function padStateCode(raw: string | number): string {
  return String(raw).trim().padStart(2, '0');
}
