import type { CsvAdapter } from '../adapter.js';
import { cdcVsrrOverdose } from './cdc-vsrr-overdose.js';
import { cbpDrugSeizures } from './cbp-drug-seizures.js';
import { cbpSwEncounters, ohssUsbpEncounters } from './cbp-sw-encounters.js';
import { conapoPopulationState } from './conapo-population-state.js';
import { inegiPopulationMunicipal } from './inegi-population-municipal.js';
import { rnpdnoMunicipal } from './rnpdno-municipal.js';
import { sesnspIncidenceMunicipal } from './sesnsp-incidence-municipal.js';
import { sesnspVictimsState } from './sesnsp-victims-state.js';
import { foreignassistanceCountry } from './foreignassistance-country.js';
import { inegiEnvipePerception } from './inegi-envipe-perception.js';
import { iomMissingMigrants } from './iom-missing-migrants.js';
import { secondaryExtraditions, secondaryHeadlineFigures, secondaryWjpRuleOfLaw } from './secondary.js';
import { secondaryEnpolTorture, secondaryGuardiaNacional2019, secondaryGuardiaNacional2020, secondaryGuardiaNacional2021 } from './secondary-xlsx.js';

export const ADAPTERS: Readonly<Record<string, CsvAdapter>> = Object.fromEntries(
  [
    sesnspVictimsState, sesnspIncidenceMunicipal, conapoPopulationState, inegiPopulationMunicipal, rnpdnoMunicipal, cdcVsrrOverdose,
    // U.S. border (CBP, DHS OHSS)
    cbpDrugSeizures, cbpSwEncounters, ohssUsbpEncounters,
    // Binational, U.S. assistance, perception and secondary sources (issue 10, part B).
    iomMissingMigrants, foreignassistanceCountry, inegiEnvipePerception, secondaryExtraditions, secondaryWjpRuleOfLaw, secondaryEnpolTorture, secondaryHeadlineFigures,
  ].map((a) => [a.id, a]),
);

/**
 * Sources published in several layouts: one adapter per layout, named `<source>-<layout>` here, all writing releases
 * of the same source (the Guardia Nacional workbooks cover different months each year).
 */
export const LAYOUT_ADAPTERS: Readonly<Record<string, CsvAdapter>> = {
  'secondary-guardia-nacional-2019': secondaryGuardiaNacional2019,
  'secondary-guardia-nacional-2020': secondaryGuardiaNacional2020,
  'secondary-guardia-nacional-2021': secondaryGuardiaNacional2021,
};

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
  // Binational, U.S. assistance, perception and secondary sources (issue 10, part B).
  { source: 'iom-missing-migrants', path: 'iom/Missing_Migrants_Global_Figures.csv.gz' },
  { source: 'foreignassistance-country', path: 'foreignassistance/us_foreign_aid_country.csv.gz' },
  { source: 'inegi-envipe-perception', path: 'inegi/inegi_envipe_percepcion_inseguridad_estatal_2011_2025.csv' },
  { source: 'secondary-extraditions', path: 'secondary/extraditions_mx_to_us_TRANSCRIBED.csv' },
  { source: 'secondary-wjp-rule-of-law', path: 'secondary/wjp_iedmx_2019_2023_TRANSCRIBED.csv' },
  { source: 'secondary-enpol-torture', path: 'secondary/Tortura_RND_estados.xlsx' },
  { source: 'secondary-headline-figures', path: 'secondary/transcribed_headline_figures.csv' },
  { source: 'secondary-guardia-nacional-2019', path: 'secondary/guardia_2019.xlsx' },
  { source: 'secondary-guardia-nacional-2020', path: 'secondary/guardia_2020.xlsx' },
  { source: 'secondary-guardia-nacional-2021', path: 'secondary/guardia_2021.xlsx' },
];

/** Map layers shipped in data/geo (see data/SOURCES.md). */
export const BUNDLED_BOUNDARIES: readonly { readonly layer: 'states' | 'municipalities' | 'states-hex'; readonly path: string }[] = [
  { layer: 'states', path: 'geo/mx_estados.geojson' },
  { layer: 'municipalities', path: 'geo/mx_municipios_2016.geojson.gz' },
  { layer: 'states-hex', path: 'geo/mx_estados_hexgrid.topojson.json' },
];
