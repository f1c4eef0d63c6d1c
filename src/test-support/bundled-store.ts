import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { loadBundled } from '../ingest/index.js';
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

/**
 * The run's template store: the first caller (in any worker) builds it under a lock directory; the others wait until
 * it is there (or until the builder reports failure). Null when no global setup provided a folder.
 */
async function bundledTemplate(): Promise<string | null> {
  const root = inject('bundledStoreDir') as string | undefined;
  if (!root) return null;
  const ready = join(root, 'bundled.duckdb');
  const failed = join(root, 'failed');
  if (existsSync(ready)) return ready;
  let builder = true;
  try {
    mkdirSync(join(root, 'lock'));
  } catch {
    builder = false;
  }
  if (builder) {
    try {
      const work = join(root, 'work');
      mkdirSync(work);
      const store = await DuckDbStore.open(join(work, 'store.duckdb'));
      await loadBundled(store);
      // Closing checkpoints: the whole store is in the one file, with no log to replay.
      await store.close();
      if (existsSync(join(work, 'store.duckdb.wal'))) throw new Error('the bundled store left a WAL after closing');
      renameSync(join(work, 'store.duckdb'), ready);
      return ready;
    } catch (error) {
      writeFileSync(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
      throw error;
    }
  }
  // Another worker is building it: wait for the file (a condition, bounded by the hook timeout).
  while (!existsSync(ready)) {
    if (existsSync(failed)) throw new Error(`building the bundled store failed in another worker:\n${readFileSync(failed, 'utf8')}`);
    await sleep(200);
  }
  return ready;
}
