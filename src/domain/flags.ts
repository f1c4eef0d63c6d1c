import { z } from 'zod';
import type { Text } from './text.js';

/** Quality flags travel with every value in every output. */
export const QualityFlag = z.enum(['partial-period', 'provisional', 'revised', 'method-break', 'suppressed', 'estimated', 'secondary-source', 'known-error', 'projected', 'census-population', 'underreported']);
export type QualityFlag = z.infer<typeof QualityFlag>;

export const FLAG_LABELS: Record<QualityFlag, Text> = {
  'partial-period': { es: 'periodo parcial (faltan meses)', en: 'partial period (months missing)' },
  provisional: { es: 'cifra preliminar', en: 'provisional figure' },
  revised: { es: 'revisada respecto de una versión anterior', en: 'revised since an earlier release' },
  'method-break': { es: 'cambio de metodología', en: 'break in methodology' },
  suppressed: { es: 'suprimida por confidencialidad', en: 'suppressed for confidentiality' },
  estimated: { es: 'estimada', en: 'estimated' },
  // Transcribed or derived by a third party (press, think tank, researcher's table): never mixed with official series;
  // each value carries its own source link.
  'secondary-source': { es: 'fuente secundaria (transcrita o derivada; ver enlace)', en: 'secondary source (transcribed or derived; see link)' },
  'known-error': { es: 'error conocido en el archivo publicado (ver nota)', en: 'known error in the published file (see note)' },
  // CONAPO's 2023 edition reconciles 1950–2019 with the censuses; 2020 onwards is its projection, not a count.
  projected: { es: 'población proyectada (CONAPO 2020–2070), no contada', en: 'projected population (CONAPO 2020–2070), not counted' },
  // Municipalities have no CONAPO figure: their population is the 2020 census count, a different source and date.
  'census-population': { es: 'población del Censo 2020 (INEGI), no la de CONAPO a mitad de año', en: '2020 census population (INEGI), not CONAPO mid-year' },
  // The publisher marks the value as underreported because of incomplete data (CDC VSRR's `*`): a lower bound, not a fall.
  underreported: { es: 'subregistrada por datos incompletos (según la fuente)', en: 'underreported due to incomplete data (per the source)' },
};

/** The flags printed beside a secondary value wherever it appears outside a data table (with its own source links). */
export const secondaryMarkFlags = <F extends string>(flags: readonly F[]): F[] => flags.filter((f) => f === 'secondary-source' || f === 'known-error');
