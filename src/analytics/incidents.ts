import { loadCatalog } from '../catalog/index.js';
import type { Lang } from '../domain/index.js';
import type { ReadTx } from '../store/index.js';

/** IOM's route for crossings of the U.S.–Mexico border. */
export const BORDER_ROUTE = 'US-Mexico border crossing';

export interface IncidentCollection {
  readonly type: 'FeatureCollection';
  readonly attribution: string;
  readonly caveat: string;
  readonly release: { id: number; file_name: string; sha256: string; imported_at: string } | null;
  readonly features: readonly {
    type: 'Feature';
    geometry: { type: 'Point'; coordinates: [number, number] };
    properties: {
      id: string; date: string; dead: number; missing: number; total: number; cause: string; location: string; source: string; url: string;
    };
  }[];
  /** Incidents of the route that the file gives without coordinates (counted in the series, not drawn). */
  readonly withoutCoordinates: number;
}

const TEXT = {
  attribution: { es: 'Fuente: OIM, Proyecto Migrantes Desaparecidos (missingmigrants.iom.int).', en: 'Source: IOM Missing Migrants Project (missingmigrants.iom.int).' },
  caveat: {
    es: 'Estimaciones mínimas: incidentes documentados por médicos forenses, ONG y prensa; subregistran, sobre todo del lado mexicano. Instantánea hasta el 20 feb 2022.',
    en: 'Minimum estimates: incidents documented by medical examiners, NGOs and the press; they undercount, above all on the Mexican side. Snapshot to 20 Feb 2022.',
  },
} as const;

/** The IOM incidents of the U.S.–Mexico border route in the current release, as GeoJSON points (causes in the page language). */
export async function borderIncidents(tx: ReadTx, lang: Lang): Promise<IncidentCollection> {
  const [release] = await tx.all<{ id: number; file_name: string; sha256: string; imported_at: string }>(
    `SELECT id, file_name, sha256, imported_at::VARCHAR AS imported_at FROM release WHERE source_id = 'iom-missing-migrants' ORDER BY id DESC LIMIT 1`,
  );
  if (!release) return { type: 'FeatureCollection', attribution: TEXT.attribution[lang], caveat: TEXT.caveat[lang], release: null, features: [], withoutCoordinates: 0 };
  const rows = await tx.all<{
    id: string; date: string | null; year: number; month: number; dead: number; missing: number; cause: string; lon: number | null; lat: number | null;
    location: string; information_source: string; url: string;
  }>(
    `SELECT incident_id AS id, date::VARCHAR AS date, year, month, dead, missing, cause, lon, lat, location, information_source, url
     FROM migrant_incident WHERE release_id = ? AND route = ? ORDER BY date, incident_id`, [release.id, BORDER_ROUTE],
  );
  const causes = loadCatalog().vocabulary.cause ?? {};
  const located = rows.filter((r) => r.lon !== null && r.lat !== null);
  return {
    type: 'FeatureCollection',
    attribution: TEXT.attribution[lang],
    caveat: TEXT.caveat[lang],
    release: { ...release, id: Number(release.id), imported_at: `${String(release.imported_at).slice(0, 19).replace(' ', 'T')}Z` },
    features: located.map((r) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [Number(r.lon), Number(r.lat)] as [number, number] },
      properties: {
        id: r.id,
        date: r.date ?? `${r.year}-${String(r.month).padStart(2, '0')}`,
        dead: Number(r.dead),
        missing: Number(r.missing),
        total: Number(r.dead) + Number(r.missing),
        cause: causes[r.cause]?.[lang] ?? r.cause,
        location: r.location,
        source: r.information_source,
        url: r.url,
      },
    })),
    withoutCoordinates: rows.length - located.length,
  };
}
