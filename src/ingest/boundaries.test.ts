import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDataPath } from '../catalog/index.js';
import { InputError } from '../domain/index.js';
import { storeFingerprint, tempStore, type TempStore } from '../test-support/temp-store.js';
import { BOUNDARY_LAYERS, importBoundaries } from './boundaries.js';

let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
});
afterAll(async () => t.cleanup());

const feature = (code: string) => ({ type: 'Feature', properties: { cve_geo: code }, geometry: { type: 'Point', coordinates: [-99, 19] } });

describe('map layers', () => {
  it('imports the bundled state polygons as a release, once', async () => {
    const first = await importBoundaries(t.store, BOUNDARY_LAYERS.states, bundledDataPath('geo/mx_estados.geojson'));
    expect(first).toMatchObject({ status: 'new', features: 32, missing: [] });
    const again = await importBoundaries(t.store, BOUNDARY_LAYERS.states, bundledDataPath('geo/mx_estados.geojson'));
    expect(again).toMatchObject({ status: 'unchanged', releaseId: first.releaseId });
  });

  it('refuses a feature whose code is not a known state, and changes nothing', async () => {
    const before = await storeFingerprint(t.store);
    const [{ n: layersBefore } = { n: -1 }] = await t.store.all<{ n: number }>(`SELECT count(*) AS n FROM boundary`);
    const path = join(t.dir, 'bad.geojson');
    writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features: [feature('09'), feature('40')] }));
    const error = await importBoundaries(t.store, BOUNDARY_LAYERS.states, path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/bad\.geojson.*found "40"; expected feature 2 to carry the code of a known state/);
    expect(await storeFingerprint(t.store)).toBe(before);
    const [{ n: layersAfter } = { n: -2 }] = await t.store.all<{ n: number }>(`SELECT count(*) AS n FROM boundary`);
    expect(layersAfter).toBe(layersBefore);
  });

  it('refuses malformed JSON with the file name', async () => {
    const path = join(t.dir, 'broken.geojson');
    writeFileSync(path, '{"type": "FeatureCollection", "features": [');
    await expect(importBoundaries(t.store, BOUNDARY_LAYERS.states, path)).rejects.toThrow(/broken\.geojson.*GeoJSON FeatureCollection/);
  });
});
