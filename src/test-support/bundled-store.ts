import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { createApp } from '../api/index.js';
import { loadBundled } from '../ingest/index.js';
import { bakeSite, type BakeSummary } from '../site/index.js';
import { DuckDbStore } from '../store/index.js';
import { tempStore, type TempStore } from './temp-store.js';

/**
 * A store holding every bundled file, as `load-bundled` leaves it: a private copy of one store built once per test run.
 * Copying the 25 MB file takes well under a second; importing the bundled files takes 20–60 s on a shared 2-core machine,
 * and a dozen suites need them. Suites that test the import itself (cli/main.test.ts loads an empty store through the
 * command) still import from scratch.
 */
export async function loadedStore(): Promise<TempStore> {
  const template = await bundledTemplate();
  if (template !== null) return tempStore(template);
  // Outside vitest's global setup (another config): import here, as before.
  const t = await tempStore();
  await loadBundled(t.store);
  return t;
}

/** The run's template store, built once (see `builtOncePerRun`). Null when no global setup provided a folder. */
async function bundledTemplate(): Promise<string | null> {
  return builtOncePerRun('bundled.duckdb', async (work) => {
    const store = await DuckDbStore.open(join(work, 'store.duckdb'));
    await loadBundled(store);
    // Closing checkpoints: the whole store is in the one file, with no log to replay.
    await store.close();
    if (existsSync(join(work, 'store.duckdb.wal'))) throw new Error('the bundled store left a WAL after closing');
    return join(work, 'store.duckdb');
  });
}

/** A bake of the bundled store: the site's folder and what `bakeSite` reported. */
export interface BakedSite {
  readonly dir: string;
  readonly summary: BakeSummary;
}

/**
 * The whole public site baked from the bundled store, once per run (the bake computes every data file: most of a
 * minute on a shared 2-core machine, and three suites read it: the bake's, the baked site in Chromium, the language
 * leaks). Callers only read the folder. Outside the global setup
 * (another config), baked here into a folder of its own.
 */
export async function bakedBundledSite(): Promise<BakedSite> {
  const bake = async (work: string) => {
    const t = await loadedStore();
    try {
      const app = createApp(t.store);
      const summary = await bakeSite(t.store, (r) => app.fetch(r), join(work, 'site'));
      writeFileSync(join(work, 'summary.json'), JSON.stringify(summary));
      return work;
    } finally {
      await t.cleanup();
    }
  };
  const folder = (await builtOncePerRun('baked', bake)) ?? (await bake(mkdtempSync(join(tmpdir(), 'observa-baked-'))));
  return { dir: join(folder, 'site'), summary: JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')) as BakeSummary };
}

/**
 * A file or folder shared by every suite of a run: the first caller (in any worker) builds it in a work folder under
 * a lock directory and moves it into place; the others wait until it is there (or until the builder reports failure).
 * Null when no global setup provided a folder.
 */
async function builtOncePerRun(name: string, build: (work: string) => Promise<string>): Promise<string | null> {
  const root = inject('bundledStoreDir') as string | undefined;
  if (!root) return null;
  const ready = join(root, name);
  const failed = join(root, `${name}.failed`);
  if (existsSync(ready)) return ready;
  let builder = true;
  try {
    mkdirSync(join(root, `${name}.lock`));
  } catch {
    builder = false;
  }
  if (builder) {
    try {
      const work = join(root, `${name}.work`);
      mkdirSync(work);
      renameSync(await build(work), ready);
      return ready;
    } catch (error) {
      writeFileSync(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
      throw error;
    }
  }
  // Another worker is building it: wait for it (a condition, bounded by the hook or test timeout).
  while (!existsSync(ready)) {
    if (existsSync(failed)) throw new Error(`building ${name} failed in another worker:\n${readFileSync(failed, 'utf8')}`);
    await sleep(200);
  }
  return ready;
}
