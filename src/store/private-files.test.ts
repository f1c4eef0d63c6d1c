import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from './duckdb-store.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('store files are private to their owner (issue 12, finding 10)', () => {
  let dir: string;
  let umaskBefore: number;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'observa-modes-'));
    // The usual umask (022) would make DuckDB's files world-readable.
    umaskBefore = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(umaskBefore);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a new store, its write-ahead log and its spill folder (for DuckDB temporary files) are created owner-only; the process umask is left as it was', async () => {
    const path = join(dir, 'new.duckdb');
    const store = await DuckDbStore.open(path);
    try {
      await store.write((tx) => tx.run(`CREATE TABLE private_probe AS SELECT range AS i FROM range(1000)`));
      expect(existsSync(`${path}.wal`)).toBe(true);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}.wal`)).toBe(0o600);
      expect(mode(`${path}.tmp`)).toBe(0o700);
      // The log is removed at a checkpoint and created again by the next write: still owner-only.
      await store.write((tx) => tx.run('CHECKPOINT'));
      expect(existsSync(`${path}.wal`)).toBe(false);
      await store.write((tx) => tx.run(`INSERT INTO private_probe VALUES (1001)`));
      expect(mode(`${path}.wal`)).toBe(0o600);
    } finally {
      await store.close();
    }
    expect(process.umask()).toBe(0o022);
  });

  it('an existing world-readable store is made owner-only when opened', async () => {
    const path = join(dir, 'old.duckdb');
    await (await DuckDbStore.open(path)).close();
    chmodSync(path, 0o644);
    writeFileSync(join(dir, 'unrelated.txt'), 'x');
    const store = await DuckDbStore.open(path);
    await store.close();
    expect(mode(path)).toBe(0o600);
    // Files the process writes outside a store operation keep the umask the user chose.
    expect(mode(join(dir, 'unrelated.txt'))).toBe(0o644);
  });
});
