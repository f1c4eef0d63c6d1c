import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadedStore } from '../test-support/bundled-store.js';
import type { TempStore } from '../test-support/temp-store.js';
import { buildReportHtml, writeReport } from './report.js';
import { reportOutline } from './outline.js';

let t: TempStore;
beforeAll(async () => {
  t = await loadedStore();
});
afterAll(async () => {
  await t.cleanup();
});

const generatedAt = new Date(Date.UTC(2026, 10, 29));
const golden = (lang: string) => new URL(`./__golden__/outline.${lang}.txt`, import.meta.url);
// The 2024 report of each language, built once and read by every test that only reads it (a build takes 8–30 s on a
// shared 2-core machine). The reproducibility test builds its own second and third copies.
const built = new Map<'es' | 'en', Promise<string>>();
const report2024 = (lang: 'es' | 'en') => {
  let page = built.get(lang);
  if (!page) built.set(lang, (page = buildReportHtml(t.store, { year: 2024, lang, generatedAt })));
  return page;
};

describe('monitoring report', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`keeps the structure of the golden file (${lang}); UPDATE_GOLDEN=1 rewrites it`, async () => {
      const outline = reportOutline(await report2024(lang));
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden(lang), outline);
      expect(existsSync(golden(lang)), 'golden file missing: run with UPDATE_GOLDEN=1 and review it').toBe(true);
      expect(outline).toBe(readFileSync(golden(lang), 'utf8'));
    });
  }

  it('is reproducible: the same store gives the same bytes, apart from the generation date', async () => {
    const a = await report2024('es');
    const b = await buildReportHtml(t.store, { year: 2024, lang: 'es', generatedAt });
    expect(b).toBe(a);
    const c = await buildReportHtml(t.store, { year: 2024, lang: 'es', generatedAt: new Date(Date.UTC(2027, 0, 15)) });
    expect(c.replace('2027-01-15', '2026-11-29')).toBe(a);
  });

  it('is self-contained and bilingual: no script, no external resource, the other language never leaks', async () => {
    const es = await report2024('es');
    const en = await report2024('en');
    for (const page of [es, en]) {
      expect(page).not.toMatch(/<script|<link |src="http|@import/);
      expect((page.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(10);
    }
    expect(es).toContain('Resumen por meta');
    expect(es).not.toContain('Summary by goal');
    expect(en).toContain('Summary by goal');
    expect(en).not.toContain('Resumen por meta');
    // Numbers follow the language's conventions and carry their sources.
    expect(es).toMatch(/34,380|34 380/);
    expect(en).toContain('34,380');
    expect(en).toMatch(/[0-9a-f]{64}/);
    // Counts of people come with their rate, flagged where the population is CONAPO's projection.
    expect(en).toMatch(/<tr class="rate"><th>Rate per 100,000<\/th><td>2021: [\d.]+ \(projected population \(CONAPO 2020–2070\), not counted\) · 2024: [\d.]+ \(projected[^<]*victims per 100,000 women<\/td>/);
    expect(es).toContain('<tr class="rate"><th>Tasa por cada 100 000</th>');
  });

  it('writes report.html and a multi-page report.pdf printed by Chromium', async () => {
    const out = mkdtempSync(join(tmpdir(), 'observa-report-'));
    try {
      const written = await writeReport(t.store, { year: 2024, lang: 'en', outDir: out, generatedAt });
      expect(written.files.map((f) => f.path.split('/').pop())).toEqual(['report.html', 'report.pdf']);
      const pdf = readFileSync(join(out, 'report.pdf'));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(8);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
