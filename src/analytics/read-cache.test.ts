import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryParams } from '../domain/index.js';
import { adapterFor, importFile } from '../ingest/index.js';
import { sesnspRow, writeCsv } from '../test-support/sesnsp-fixture.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { queryIndicator } from './query.js';

// The small reads of a query (releases, the months a series holds, places) are kept until the store's next write: a
// release imported after a query must be in the next one — its months, its release id, its source entry.

const NATIONAL: QueryParams = { indicator: 'mx.homicide.victims', geo: ['00'], from: null, to: null, freq: 'month', by: null, lang: 'en', asOf: null };

let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
});
afterAll(async () => {
  await t?.cleanup();
});

describe('cached reads of a query', () => {
  it('an import is seen by the next query: its months, release and source entry', async () => {
    const first = writeCsv(join(t.dir, 'first.csv'), [sesnspRow({ year: 2020, state: 9 }), sesnspRow({ year: 2020, state: 1 })]);
    const second = writeCsv(join(t.dir, 'second.csv'), [sesnspRow({ year: 2021, state: 9, months: [5, 5, 5, '', '', '', '', '', '', '', '', ''] })]);
    const one = await importFile(t.store, adapterFor('sesnsp-victims-state'), first);
    const before = await queryIndicator(t.store, NATIONAL);
    // Asked twice: the second answer comes from the kept reads, and is the same.
    expect(await queryIndicator(t.store, NATIONAL)).toEqual(before);
    expect(before.through).toBe('2020-12');
    expect(before.sources[0]?.releases.map((r) => r.id)).toEqual([one.releaseId]);

    const two = await importFile(t.store, adapterFor('sesnsp-victims-state'), second);
    const after = await queryIndicator(t.store, NATIONAL);
    expect(after.through).toBe('2021-03');
    expect(after.rows.find((r) => r.period === '2021-02')).toMatchObject({ value: 5, release_ids: [two.releaseId] });
    expect(after.sources[0]?.releases.map((r) => r.id)).toEqual([one.releaseId, two.releaseId]);
    const yearly = await queryIndicator(t.store, { ...NATIONAL, freq: 'year', geo: ['09'] });
    expect(yearly.rows.find((r) => r.period === '2021')).toMatchObject({ value: 15, months: 3, flags: ['partial-period'] });
  });
});
