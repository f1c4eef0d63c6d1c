import { describe, expect, it } from 'vitest';
import { seedCatalogEvidence } from '../src/store/index.js';
import { observatoryInChromium, openTracked, SCREENSHOTS, seriousAxeViolations } from './browser.js';

// A store with catalog evidence only (no statistics): a claim, the assessment disputing it, and an entry about an objective.
const o = observatoryInChromium(async (t) => {
  await t.store.write((tx) => seedCatalogEvidence(tx, [
    {
      id: 'e2e-claim', node: '1.3.b.1', date: '2022-10-13', status: 'substantial', kind: 'government-claim', publisher: 'Fixture Government',
      title: 'Fixture joint statement', source: 'https://example.org/e2e-joint', note: { es: 'El gobierno afirma que abrió centros forenses.', en: 'The government says it opened forensic centres.' },
    },
    {
      id: 'e2e-assessment', node: '1.3.b.1', date: '2023-03-01', status: 'limited', kind: 'independent-assessment', publisher: 'Fixture NGO',
      title: 'Fixture forensic review', source: 'https://example.org/e2e-review', note: { es: 'Una ONG encontró dos centros, no diez.', en: 'An NGO found two centres, not ten.' },
      disputes: 'e2e-claim',
    },
    {
      id: 'e2e-objective', node: '1.3.b', date: '2024-01-15', status: 'unclear', kind: 'observa-judgement', publisher: 'Observa',
      title: 'Fixture judgement', source: 'https://example.org/e2e-judgement', note: { es: 'No hay datos para juzgarlo.', en: 'There are no data to judge it.' },
    },
  ]));
});

describe('evidence in the browser', () => {
  it('action, objective, sources and scorecard pages show the evidence with its kind and pass axe in both languages', async () => {
    for (const lang of ['es', 'en'] as const) {
      for (const path of [`/${lang}/framework/1.3.b.1/`, `/${lang}/framework/1.3.b/`, `/${lang}/evidence/sources/`, `/${lang}/scorecard/`]) {
        const page = await openTracked(o.browser, `${o.server.url}${path}`, { width: 390 });
        expect(await seriousAxeViolations(page), path).toEqual([]);
        expect(page.errors, path).toEqual([]);
        // Nothing wider than a phone: tables scroll inside their own box.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), path).toBe(true);
        await page.screenshot({ path: `${SCREENSHOTS}evidence${path.replaceAll('/', '-').replace(/-$/, '')}.png`, fullPage: true });
        await page.close();
      }
    }
    const action = await openTracked(o.browser, `${o.server.url}/en/framework/1.3.b.1/`);
    const claimRow = action.locator('table.evidence tbody tr').first();
    expect(await claimRow.locator('.evidence-kind').first().textContent()).toBe('Government claim');
    expect(await claimRow.locator('.disputed-by').textContent()).toContain('An NGO found two centres, not ten.');
    await action.close();
  }, 240_000);
});
