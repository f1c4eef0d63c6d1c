import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/api/index.js';
import type { IntakeContacts } from '../src/domain/index.js';
import { OPERATOR_PRINCIPAL, createOrganisation, loadMasterKey } from '../src/registry/index.js';
import { tempStore, type TempStore } from '../src/test-support/temp-store.js';
import { SCREENSHOTS, launchChromium, seriousAxeViolations } from './browser.js';

process.env['OBSERVA_MASTER_KEY'] ??= randomBytes(32).toString('base64');

const CONTACTS: IntakeContacts = {
  receiving: { name: 'Casa del Migrante Prueba', phone: '+52 55 5555 0101', hours: { es: 'lunes a sábado, de 9 a 19 h', en: 'Monday to Saturday, 9am to 7pm' } },
  alternatives: [{ name: 'Línea de apoyo Prueba', phone: '+52 800 000 0000', hours: { es: 'todos los días, 24 horas', en: 'every day, 24 hours' } }],
};
const PHONE = { width: 390, height: 844 };

let t: TempStore;
let server: RunningServer;
let closedServer: RunningServer;
let browser: Browser;
beforeAll(async () => {
  t = await tempStore();
  const masterKey = loadMasterKey();
  const org = (await createOrganisation({ store: t.store }, OPERATOR_PRINCIPAL, 'Casa del Migrante')).id;
  server = await startServer(t.store, 0, '127.0.0.1', { registry: { masterKey, intakeOrganisationId: org }, contacts: CONTACTS });
  // The same store without the registry: the form is closed there.
  closedServer = await startServer(t.store, 0, '127.0.0.1', { contacts: CONTACTS });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await closedServer?.close();
  await t?.cleanup();
});

const caseCount = async () => Number((await t.store.all<{ n: number }>('SELECT count(*) AS n FROM intake'))[0]?.n ?? 0);

/** Fills the form as a family would, with the given overrides (null leaves a field untouched). */
async function fill(page: Page, who: string, date: string, contact: string | null): Promise<void> {
  await page.fill('#victim_name', who);
  await page.fill('#victim_age', '24');
  await page.selectOption('#victim_nationality', 'GT');
  await page.fill('#reporter_name', 'Familiar Prueba');
  await page.fill('#reporter_relationship', 'hermana');
  if (contact !== null) await page.fill('#reporter_contact', contact);
  await page.fill('#last_seen_date', date);
  await page.selectOption('#last_seen_state', '28');
  await page.fill('#last_seen_place', 'Reynosa, cerca de la central');
  await page.check('input[name="ransom_demanded"][value="unknown"]');
  await page.check('input[name="share_with"][value="search_commission"]');
}

describe('the families\' form on a phone (390 × 844)', () => {
  for (const javaScriptEnabled of [false, true]) {
    it(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}: mistakes keep what was typed and are explained in Spanish; one case after a reload`, async () => {
      const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true, viewport: PHONE, locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(`${server.url}/es/report-kidnapping/`);
      const names = await page.locator('form.intake [name]').evaluateAll((els) => els.map((e) => e.getAttribute('name') ?? ''));
      expect(names.join(' ')).not.toMatch(/immigra|visa|address|domicil|us_/i);
      // A list of countries named in Spanish, the region's first; "No sé" where a family may not know.
      const region = await page.locator('#victim_nationality optgroup').first().locator('option').allTextContents();
      expect(region.slice(0, 3)).toEqual(['México', 'Guatemala', 'Honduras']);
      expect(await page.locator('#victim_nationality option').count()).toBeGreaterThan(200);
      expect(await page.locator('#victim_nationality option[value="GU"]').textContent()).toBe('Guam');
      expect(await page.locator('#last_seen_state option[value="99"]').textContent()).toBe('No sé');
      expect(await page.locator('input[name="ransom_demanded"][value="unknown"]').count()).toBe(1);
      expect(await page.locator('input[name="last_seen_date_precision"][value="unknown"]').count()).toBe(1);
      // Required fields say so apart from their label; the receiving organisation's contact is on the form.
      expect(await page.locator('label[for="last_seen_state"] .req').textContent()).toContain('obligatorio');
      expect(await page.locator('.contact-card').textContent()).toMatch(/Casa del Migrante Prueba[\s\S]*\+52 55 5555 0101[\s\S]*lunes a sábado/);

      const who = `Persona ${javaScriptEnabled ? 'Con' : 'Sin'} Script`;
      const before = await caseCount();
      await fill(page, who, '2999-01-01', null); // a future date and no contact
      await page.click('button[type="submit"]');
      await page.waitForSelector('#errors');
      // Every value typed is still there.
      expect(await page.inputValue('#victim_name')).toBe(who);
      expect(await page.inputValue('#victim_nationality')).toBe('GT');
      expect(await page.inputValue('#last_seen_state')).toBe('28');
      expect(await page.inputValue('#last_seen_place')).toBe('Reynosa, cerca de la central');
      expect(await page.inputValue('#last_seen_date')).toBe('2999-01-01');
      expect(await page.isChecked('input[name="ransom_demanded"][value="unknown"]')).toBe(true);
      expect(await page.isChecked('input[name="share_with"][value="search_commission"]')).toBe(true);
      // Each problem beside its field and in the summary, in plain Spanish, no schema paths.
      const summary = (await page.locator('#errors').textContent()) ?? '';
      expect(summary).toContain('La fecha es posterior a hoy');
      expect(summary).toContain('Escriba cómo contactarle');
      expect(summary).not.toMatch(/last_seen|reporter\.|future|expected|›/);
      expect(await page.locator('#last_seen_date-error').textContent()).toContain('posterior a hoy');
      expect(await page.locator('#reporter_contact-error').textContent()).toContain('contactarle');
      expect(await page.getAttribute('#reporter_contact', 'aria-invalid')).toBe('true');
      expect(await caseCount()).toBe(before);
      // axe runs as a script: with JavaScript off the same HTML is checked by the other run.
      if (javaScriptEnabled) expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}intake-errors-es-js-${javaScriptEnabled ? 'on' : 'off'}.png`, fullPage: true });

      await page.fill('#last_seen_date', '2024-05-01');
      await page.fill('#reporter_contact', '+504 0000 0000');
      await page.click('button[type="submit"]');
      await page.waitForURL(/\/es\/report-kidnapping\/received\/\?receipt=/);
      const receipt = (await page.locator('#receipt').textContent())?.trim() ?? '';
      expect(receipt).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
      expect(await caseCount()).toBe(before + 1);
      // What happens next and whom to call, from the organisation's configuration.
      expect(await page.locator('#next-steps').textContent()).toContain('Casa del Migrante Prueba');
      expect(await page.locator('main').textContent()).toMatch(/\+52 55 5555 0101[\s\S]*lunes a sábado/);
      if (javaScriptEnabled) expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}intake-receipt-es-js-${javaScriptEnabled ? 'on' : 'off'}.png`, fullPage: true });
      // Post–redirect–get: a reload reads the receipt again and sends nothing.
      await page.reload();
      expect((await page.locator('#receipt').textContent())?.trim()).toBe(receipt);
      expect(await caseCount()).toBe(before + 1);
      await page.click('a[href*="status"]');
      expect(await page.locator('#status').textContent()).toMatch(/Recibido/);
      expect(await page.content()).not.toContain(who);
      await context.close();
    });
  }

  it('a double tap and a repeated post make one case', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.url}/es/report-kidnapping/`);
    const before = await caseCount();
    await fill(page, 'Persona Doble Toque', '2024-06-02', '+504 1111 1111');
    await page.dblclick('button[type="submit"]');
    // Two taps, two navigations: the browser may abort the first for the second (waitForURL then fails on the aborted
    // one), so wait for where the page ends up.
    await expect.poll(() => page.url(), { timeout: 20_000 }).toMatch(/received/);
    await page.waitForLoadState('load');
    // The same form body sent twice at once (a flaky connection retrying): both answers name the same receipt.
    await page.goBack();
    const locations = await page.evaluate(async () => {
      const body = new URLSearchParams(new FormData(document.querySelector('form.intake') as HTMLFormElement) as unknown as Record<string, string>);
      const send = () => fetch(location.pathname, { method: 'POST', body, redirect: 'manual' }).then((r) => r.url || r.type);
      return Promise.all([send(), send()]);
    });
    expect(locations).toHaveLength(2);
    expect(await caseCount()).toBe(before + 1);
    await context.close();
  });

  it('in English, errors are in English', async () => {
    const res = await fetch(`${server.url}/en/report-kidnapping/`, {
      method: 'POST',
      body: new URLSearchParams({ victim_name: 'A', reporter_name: 'B', reporter_relationship: 'c', reporter_contact: 'd', last_seen_date: '2999-01-01', last_seen_state: '28', ransom_demanded: 'no' }),
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('The date is after today');
    expect(body).toContain('value="A"');
    expect(body).not.toContain('last_seen.date');
  });

  it('where the form is closed: no form, no footer link to it, the configured alternatives instead', async () => {
    const home = await (await fetch(`${closedServer.url}/es/`)).text();
    expect(home).not.toContain('Repórtelo aquí');
    expect(home).toContain('Aquí hay a quién llamar');
    const res = await fetch(`${closedServer.url}/es/report-kidnapping/`);
    const body = await res.text();
    expect(body).not.toContain('<form');
    expect(body).toContain('Línea de apoyo Prueba');
    expect(body).toContain('+52 800 000 0000');
    const api = await fetch(`${closedServer.url}/api/v1/intake/migrant-kidnapping`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(await api.text()).not.toMatch(/OBSERVA_|observa [a-z]/);
    // The open server's pages link to the form.
    expect(await (await fetch(`${server.url}/es/`)).text()).toContain('Repórtelo aquí');
  });
});
