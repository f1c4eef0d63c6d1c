import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIncidence } from '../../bench/generate-incidence.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import type { CsvAdapter } from './adapter.js';
import { importFile } from './pipeline.js';
import { ADAPTERS } from './sources/index.js';

const MUNICIPAL = ADAPTERS['sesnsp-incidence-municipal'] as CsvAdapter;

interface State {
  releases: number;
  total: number;
  current: number;
  /** The national sum in the aggregates (rebuilt in the release's transaction: deleted, then inserted again). */
  national: number;
}

/**
 * What a reader sees: releases, the current observations' sum and count, and the national aggregate (a partial commit
 * changes one without the others).
 */
async function state(t: TempStore): Promise<State> {
  const [row] = await t.store.all<{ releases: number; total: number; current: number; national: number }>(
    `SELECT (SELECT count(*) FROM release) AS releases, coalesce(sum(value), 0) AS total, count(*) AS current,
            (SELECT coalesce(sum(value), 0) FROM observation_aggregate WHERE series = 'sesnsp.incidence' AND geo = '00') AS national
     FROM observation WHERE superseded_by IS NULL AND series = 'sesnsp.incidence'`,
  );
  if (!row) throw new Error('no answer');
  return row;
}

describe('reads while a release commits', () => {
  let t: TempStore;
  let older: string;
  let newer: string;

  beforeAll(async () => {
    t = await tempStore();
    // Two releases of the generated municipal file: the newer one supersedes every value of the older and adds as many.
    older = join(t.dir, 'incidencia-older.csv');
    newer = join(t.dir, 'incidencia-newer.csv');
    await generateIncidence(120_000, older);
    await generateIncidence(240_000, newer);
  }, 120_000);
  afterAll(async () => t.cleanup());

  it('answer from the state before the release while its transactions run, wait only for its insert\'s COMMIT (never the publishing one), and answer from the new state after: never a mix', async () => {
    await importFile(t.store, MUNICIPAL, older);
    const before = await state(t);
    expect(before.releases).toBe(1);
    const commitsBefore = t.store.commitsBesideReads;
    let heldBeforePublishing = -1;

    // The release's transaction is held open at its last step (every observation written, the older ones superseded)
    // until the reads below have been answered: a reader that waited for the commit would never be answered.
    let underWay: () => void = () => undefined;
    const commitUnderWay = new Promise<void>((resolve) => (underWay = resolve));
    let readsDone: () => void = () => undefined;
    const readsAnswered = new Promise<void>((resolve) => (readsDone = resolve));
    const holding: CsvAdapter = {
      ...MUNICIPAL,
      keep: async () => {
        heldBeforePublishing = t.store.readsHeldByCommits;
        underWay();
        await readsAnswered;
      },
    };
    let committed = false;
    const importing = importFile(t.store, holding, newer).then((summary) => {
      committed = true;
      return summary;
    });

    // Readers all along, including both COMMITs (the observations written hidden, then shown and the old ones superseded):
    // none sees a mix. DuckDB shows a parallel INSERT's row groups to every transaction as its COMMIT merges them, hidden
    // or not: this loop caught that mix when the release was one transaction, and again (4 of 60 runs under load: all
    // the new rows counted current beside the old ones) when snapshots answered reads during the insert's COMMIT.
    // Two loops, as the store reads on two connections (and on two snapshots during the publishing COMMIT).
    const seen: State[] = [];
    let stop = false;
    const loop = async () => {
      while (!stop) seen.push(await state(t));
    };
    const background = Promise.all([loop(), loop()]);

    await commitUnderWay;
    const during = await Promise.all([state(t), state(t), state(t), state(t)]);
    // Answered while the release's transaction is still open.
    expect(committed).toBe(false);
    readsDone();
    const summary = await importing;
    stop = true;
    await background;
    const after = await state(t);

    expect(summary.status).toBe('new');
    expect(summary.revision.unchanged).toBe(before.current);
    expect(after.releases).toBe(2);
    expect(after.current).toBe(summary.observations);
    expect(after.total).not.toBe(before.total);
    expect(after.national).toBe(after.total);
    expect(before.national).toBe(before.total);
    for (const d of during) expect(d).toEqual(before);
    const mixed = seen.filter((s) => JSON.stringify(s) !== JSON.stringify(before) && JSON.stringify(s) !== JSON.stringify(after));
    expect(mixed, `before ${JSON.stringify(before)}, after ${JSON.stringify(after)}, ${seen.length} reads`).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    // Only the publishing COMMIT was one that reads went on beside (from snapshots of the state before), and no read
    // waited for it; reads arriving during the insert's COMMIT waited for it.
    expect(t.store.commitsBesideReads - commitsBefore).toBe(1);
    expect(heldBeforePublishing).toBeGreaterThanOrEqual(0);
    expect(t.store.readsHeldByCommits).toBe(heldBeforePublishing);
  }, 300_000);
});
