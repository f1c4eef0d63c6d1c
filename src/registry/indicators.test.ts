import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryIndicator } from '../analytics/index.js';
import { JUSTICE_STAGE_ORDER, type CaseType, type JusticeEventKind } from '../domain/index.js';
import { computeScorecard } from '../monitoring/index.js';
import { testStore, type TestStore } from '../test-support/any-store.js';
import { loadMasterKey } from './crypto.js';
import { publishFunnel } from './indicators.js';
import type { Principal } from './policy.js';
import { OPERATOR_PRINCIPAL, appendEvent, createCase, createOrganisation, createUser, funnelAggregates, type RegistryContext } from './index.js';

process.env['OBSERVA_MASTER_KEY'] ??= randomBytes(32).toString('base64');

let t: TestStore;
let ctx: RegistryContext;
let now = new Date('2022-06-15T10:00:00.000Z');
let doc: Principal;
let orgId: string;
beforeAll(async () => {
  t = await testStore();
  ctx = { store: t.store, masterKey: loadMasterKey(), now: () => now };
  const org = (await createOrganisation(ctx, OPERATOR_PRINCIPAL, 'Colectivo')).id;
  orgId = org;
  const user = await createUser(ctx, OPERATOR_PRINCIPAL, { email: 'd@x.example', role: 'documenter', organisationId: org, password: 'correct horse battery staple' });
  doc = { kind: 'user', userId: user.id, role: 'documenter', organisationId: org };
  const add = async (n: number, year: number, type: CaseType, state: string, furthest: number, visibility = 'public-aggregate') => {
    for (let i = 0; i < n; i++) {
      now = new Date(`${year}-06-15T10:00:00.000Z`);
      const c = await createCase(ctx, doc, { type, state, occurredOn: { value: String(year), precision: 'year' }, owningOrganisationId: org, visibility });
      for (let s = 0; s <= furthest; s++) {
        await appendEvent(ctx, doc, c.id, { kind: JUSTICE_STAGE_ORDER[s] as JusticeEventKind, date: { value: String(year), precision: 'year' }, source: 'test', reliability: 'high' });
      }
    }
  };
  await add(8, 2022, 'disappearance', '08', 0); // Chihuahua: 8 cases, 8 complaints, none further
  await add(6, 2022, 'disappearance', '08', 4); // … and 6 that reached a conviction
  await add(7, 2022, 'torture', '12', 2); // Guerrero: 7 torture cases, all charged
  await add(3, 2022, 'disappearance', '30', 0); // Veracruz: 3 cases, suppressed
  await add(9, 2022, 'disappearance', '09', 1, 'private'); // private: never counted
  now = new Date('2024-01-01T00:00:00.000Z');
}, 120_000);
afterAll(async () => {
  await t.cleanup();
});

const q = (indicator: string, geo: string[], by: 'crime_type' | null = null) =>
  queryIndicator(t.store, { indicator, geo, from: '2022', to: '2022', freq: 'year', by, lang: 'en', asOf: null });

describe(`cases.* indicators from the registry`, () => {
  it('publishes the funnel as a release, idempotently', async () => {
    const first = await publishFunnel(ctx);
    expect(first.status).toBe('new');
    expect(first.suppressed).toBeGreaterThan(0);
    expect((await publishFunnel(ctx)).status).toBe('unchanged');
  });

  it('states show their published counts; suppressed cells and every total containing one have no value', async () => {
    const registered = await q('cases.registered', ['08', '12', '30', '09']);
    const byGeo = Object.fromEntries(registered.rows.map((r) => [r.geo, { value: r.value, flags: r.flags }]));
    expect(byGeo['08']).toEqual({ value: 14, flags: [] });
    expect(byGeo['12']).toEqual({ value: 7, flags: [] });
    expect(byGeo['30']).toEqual({ value: null, flags: ['suppressed'] });
    expect(byGeo['09']).toBeUndefined(); // private cases are not aggregated at all
    // The nation would be 14 + 7 + (3 hidden): publishing 21 would be wrong, publishing 24 would reveal the hidden 3.
    const nation = await q('cases.registered', ['00']);
    expect(nation.rows[0]).toMatchObject({ value: null, numerator: null, flags: ['suppressed'] });
  });

  it('ratios and breakdowns follow the same rule', async () => {
    const rate = await q('cases.conviction_rate', ['08', '12']);
    expect(rate.rows.map((r) => [r.geo, r.value])).toEqual([['08', 42.857], ['12', 0]]); // 6 of 14, kept to 3 decimals (1 shown)
    const charged = await q('cases.charged', ['08', '12'], 'crime_type');
    expect(charged.rows.map((r) => [r.geo, r.dimension, r.value])).toEqual([['08', 'disappearance', 6], ['12', 'torture', 7]]);
    expect(JSON.stringify([rate, charged])).not.toMatch(/"value":[1-4][,}]/);
  });

  it('the scorecard lists them under the objectives they measure', async () => {
    const card = await computeScorecard(t.store, { lang: 'en', asOf: new Date(Date.UTC(2024, 0, 1)) });
    const node = card.nodes.find((n) => n.id === '1.3.b');
    expect(node?.measuredBy).toEqual(expect.arrayContaining(['cases.registered', 'cases.charged', 'cases.conviction_rate']));
  });

  it('publishes the median days from complaint to each stage, only over 5 or more dated cases', async () => {
    const gaps = [10, 20, 30, 40, 100, 365];
    for (const [i, d] of gaps.entries()) {
      const c = await createCase(ctx, doc, { type: 'migrant-kidnapping', state: '05', occurredOn: { value: '2023-01-01', precision: 'day' }, owningOrganisationId: orgId, visibility: 'public-aggregate' });
      await appendEvent(ctx, doc, c.id, { kind: 'complaint-filed', date: { value: '2023-01-02', precision: 'day' }, source: 'acta', reliability: 'high' });
      const opened = new Date(Date.UTC(2023, 0, 2) + d * 86_400_000).toISOString().slice(0, 10);
      await appendEvent(ctx, doc, c.id, { kind: 'investigation-opened', date: { value: opened, precision: 'day' }, source: 'acuerdo', reliability: 'high' });
      if (i < 3) await appendEvent(ctx, doc, c.id, { kind: 'charges-filed', date: { value: '2024-01-02', precision: 'day' }, source: 'auto', reliability: 'medium' });
    }
    const { timeToStage } = await funnelAggregates(ctx);
    const find = (stage: string) => timeToStage.find((x) => x.type === 'migrant-kidnapping' && x.stage === stage);
    expect(find('investigation-opened')).toEqual({ type: 'migrant-kidnapping', stage: 'investigation-opened', medianDays: 35, suppressed: false });
    expect(find('charges-filed')).toEqual({ type: 'migrant-kidnapping', stage: 'charges-filed', medianDays: null, suppressed: true });
    // The year-precision events of the other cases give no durations at all.
    expect(timeToStage.filter((x) => x.type === 'disappearance').every((x) => x.suppressed)).toBe(true);
  });
});
