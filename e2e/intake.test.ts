import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/api/index.js';
import { OPERATOR_PRINCIPAL, createOrganisation, loadMasterKey } from '../src/registry/index.js';
import { tempStore, type TempStore } from '../src/test-support/temp-store.js';
import { launchChromium } from './browser.js';

const AXE = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
process.env['OBSERVA_MASTER_KEY'] ??= randomBytes(32).toString('base64');

let t: TempStore;
let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  t = await tempStore();
  const masterKey = loadMasterKey();
  const org = (await createOrganisation({ store: t.store }, OPERATOR_PRINCIPAL, 'Casa del Migrante')).id;
  server = await startServer(t.store, 0, '127.0.0.1', { registry: { masterKey, intakeOrganisationId: org } });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.cleanup();
});

describe('the public intake form for migrants\' families', () => {
  it('works without JavaScript, asks nothing about immigration status, gives a receipt and a status page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/es/report-kidnapping/`);
    const names = await page.locator('form.intake [name]').evaluateAll((els) => els.map((e) => e.getAttribute('name') ?? ''));
    expect(names.join(' ')).not.toMatch(/immigra|status|visa|address|domicil|us_/i);
    await page.fill('#victim_name', 'Persona Prueba Uno');
    await page.fill('#victim_age', '24');
    await page.fill('#victim_nationality', 'hn');
    await page.fill('#reporter_name', 'Familiar Prueba');
    await page.fill('#reporter_relationship', 'hermana');
    await page.fill('#reporter_contact', '+504 0000 0000');
    await page.fill('#last_seen_date', '2024-05-01');
    await page.selectOption('#last_seen_state', '28');
    await page.check('input[name="ransom_demanded"][value="yes"]');
    await page.check('input[name="share_with"][value="search_commission"]');
    await page.click('button[type="submit"]');
    const receipt = (await page.locator('#receipt').textContent())?.trim() ?? '';
    expect(receipt).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3,}$/);
    await page.screenshot({ path: 'e2e/screenshots/intake-receipt-es.png', fullPage: true });
    await page.click('a[href*="status"]');
    expect(await page.locator('#status').textContent()).toMatch(/Recibido/);
    expect(await page.content()).not.toContain('Persona Prueba Uno');
    // The same receipt through the API: status and stage only.
    const status = await (await fetch(`${server.url}/api/v1/intake/${encodeURIComponent(receipt)}`)).json();
    expect(Object.keys(status as object).sort()).toEqual(['lastUpdate', 'stage', 'type']);
    await context.close();
  });

  it('explains what to fix in the reporter\'s language, and passes axe', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${server.url}/en/report-kidnapping/`);
    await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(async () => {
      const w = window as unknown as { axe: { run: (d: Document) => Promise<{ violations: { id: string; impact: string }[] }> } };
      return (await w.axe.run(document)).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);
    const res = await fetch(`${server.url}/en/report-kidnapping/`, {
      method: 'POST',
      body: new URLSearchParams({ victim_name: 'A', reporter_name: 'B', reporter_relationship: 'c', reporter_contact: 'd', last_seen_date: '2999-01-01', last_seen_state: '28', ransom_demanded: 'no' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('the date is in the future');
    await page.close();
  });
});
