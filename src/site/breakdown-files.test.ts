import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/index.js';
import { bundledDataPath } from '../catalog/index.js';
import { adapterFor, BUNDLED_FILES, importFile } from '../ingest/index.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';

// Breakdown files and pages: the SESNSP victims are enough (sex, age, weapon, subtype).
let t: TempStore;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await tempStore();
  for (const entry of BUNDLED_FILES.filter((f) => f.source === 'sesnsp-victims-state')) await importFile(t.store, adapterFor(entry.source), bundledDataPath(entry.path));
  app = createApp(t.store);
}, 600_000);
afterAll(async () => t.cleanup());

const get = (path: string) => app.fetch(new Request(`http://test${path}`));
interface Row { geo: string; period: string; value: number | null; dimension?: string; flags: string[] }
interface File { by: string | null; rows: Row[]; dimension_labels?: Record<string, string> }

describe('breakdowns as page controls', () => {
  it('a -by-sex file sums to the total of the same place and period, with its labels in the file language', async () => {
    const [bySex, total] = await Promise.all([get('/data/en/mx.homicide.victims/year-by-sex.json'), get('/data/en/mx.homicide.victims/year.json')]);
    expect(bySex.status).toBe(200);
    const file = (await bySex.json()) as File;
    const whole = (await total.json()) as File;
    expect(file.by).toBe('sex');
    expect(file.dimension_labels).toEqual({ female: 'Women', male: 'Men', unidentified: 'Not identified' });
    for (const row of whole.rows.filter((r) => r.geo === '00' || r.geo === '08')) {
      const parts = file.rows.filter((r) => r.geo === row.geo && r.period === row.period);
      expect(parts.length, `${row.geo} ${row.period}`).toBeGreaterThan(1);
      expect(parts.reduce((sum, r) => sum + (r.value ?? 0), 0)).toBe(row.value);
      // A partial year stays partial in every part.
      for (const part of parts) expect(part.flags.includes('partial-period')).toBe(row.flags.includes('partial-period'));
    }
  });

  it('offers only the breakdowns of counts the indicator has; none of a ratio', async () => {
    expect((await get('/data/es/mx.homicide.victims/month-by-crime_subtype.json')).status).toBe(200);
    expect((await get('/data/es/mx.homicide.victims/year-by-estimate.json')).status).toBe(404);
    expect((await get('/data/es/mx.homicide.victims/year-rate-by-sex.json')).status).toBe(404);
    expect((await get('/data/es/mx.homicide.rate/year-by-sex.json')).status).toBe(404);
    expect((await get('/data/es/mx.femicide.victims/year-by-sex.json')).status).toBe(404);
  });

  it('the plain form (no script) renders the breakdown table, drops the same-months comparison with it, and accepts the automatic measure', async () => {
    const res = await get('/es/indicators/mx.homicide.victims/?view=table&from=&to=&freq=year&measure=&ytd=on&by=sex&geo=00');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<th scope="col">Sexo</th>');
    expect(html).toContain('<td>Mujeres</td>');
    expect(html).not.toMatch(/name="ytd" value="true" checked/);
    expect(html).toContain('id="share-url"');
    expect(html).toMatch(/href="\/es\/embed\/indicators\/mx\.homicide\.victims\/\?geo=00&amp;freq=year&amp;by=sex&amp;view=table"/);
    // A breakdown the page does not know is refused on the site's 400 page, as other out-of-range parameters are.
    expect((await get('/es/indicators/mx.homicide.victims/?by=weight')).status).toBe(400);
  });
});
