import type { CsvAdapter } from '../adapter.js';
import { cdcVsrrOverdose } from './cdc-vsrr-overdose.js';
import { cbpDrugSeizures } from './cbp-drug-seizures.js';
import { cbpSwEncounters, ohssUsbpEncounters } from './cbp-sw-encounters.js';
import { conapoPopulationState } from './conapo-population-state.js';
import { inegiPopulationMunicipal } from './inegi-population-municipal.js';
import { rnpdnoMunicipal } from './rnpdno-municipal.js';
import { sesnspIncidenceMunicipal } from './sesnsp-incidence-municipal.js';
import { sesnspVictimsState } from './sesnsp-victims-state.js';

export const ADAPTERS: Readonly<Record<string, CsvAdapter>> = Object.fromEntries(
  [
    sesnspVictimsState, sesnspIncidenceMunicipal, conapoPopulationState, inegiPopulationMunicipal, rnpdnoMunicipal, cdcVsrrOverdose,
    // U.S. border (CBP, DHS OHSS)
    cbpDrugSeizures, cbpSwEncounters, ohssUsbpEncounters,
  ].map((a) => [a.id, a]),
);

/** The official files shipped in data/, in load order (see data/SOURCES.md). */
export const BUNDLED_FILES: readonly { readonly source: string; readonly path: string }[] = [
  { source: 'conapo-population-state', path: 'conapo/conapo_pob_estatal_sexo_anual_1950_2070.csv' },
  { source: 'inegi-population-municipal', path: 'inegi/inegi_censo2020_pob_municipal.csv' },
  { source: 'sesnsp-victims-state', path: 'sesnsp/IDVFC_NM_2015-2025.csv.gz' },
  { source: 'rnpdno-municipal', path: 'rnpdno/rnpdno_municipal_mensual_disappeared_not_located.csv.gz' },
  { source: 'rnpdno-municipal', path: 'rnpdno/rnpdno_municipal_mensual_located_dead.csv.gz' },
  { source: 'cdc-vsrr-overdose', path: 'cdc/cdc_vsrr_us_national_12mo_ending_2015_2025.csv' },
  // U.S. border (CBP, DHS OHSS): older file first, so a newer one supersedes the months they share.
  { source: 'cbp-drug-seizures', path: 'border/nationwide-drugs-fy19-fy22.csv.gz' },
  { source: 'cbp-drug-seizures', path: 'border/nationwide-drugs-fy23-fy26-dec.csv.gz' },
  { source: 'cbp-sw-encounters', path: 'border/sbo-encounters-fy22-fy25-aug.csv.gz' },
  { source: 'ohss-usbp-encounters', path: 'border/KHSM Encounters (USBP) fy25m11.xlsx' },
];

/** Map layers shipped in data/geo (see data/SOURCES.md). */
export const BUNDLED_BOUNDARIES: readonly { readonly layer: 'states' | 'municipalities' | 'states-hex'; readonly path: string }[] = [
  { layer: 'states', path: 'geo/mx_estados.geojson' },
  { layer: 'municipalities', path: 'geo/mx_municipios_2016.geojson.gz' },
  { layer: 'states-hex', path: 'geo/mx_estados_hexgrid.topojson.json' },
];
