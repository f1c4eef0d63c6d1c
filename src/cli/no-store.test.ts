import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/observa.js', import.meta.url).pathname;
const DIST = new URL('../../dist/cli/index.js', import.meta.url).pathname;

let dir: string;
beforeAll(() => {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
  dir = mkdtempSync(join(tmpdir(), 'observa-no-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the built CLI in an empty folder, with the default store (./observa.duckdb), as a user who never loaded data. */
async function observa(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env['OBSERVA_STORE'];
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { cwd: dir, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('read commands in a folder without a store', () => {
  it.each([
    ['reported'],
    ['query', 'mx.homicide.victims', '--geo', '00'],
    ['releases'],
    ['scorecard'],
    ['indicators', '--code', 'mx.homicide.rate'],
    ['evidence', 'list'],
    ['assistance', 'list'],
    ['serve', '--port', '0'],
  ])('observa %s says there is no store, exits 2 and creates nothing', async (...args: string[]) => {
    const result = await observa(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no store at ${join(dir, 'observa.duckdb')}`);
    expect(result.stderr).toMatch(/load-bundled|observa start/);
    expect(result.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('listing the catalog needs no store, and creates none', async () => {
    const result = await observa('indicators', '--format', 'json');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { code: string }[]).map((i) => i.code)).toContain('mx.femicide.victims');
    expect(readdirSync(dir)).toEqual([]);
  });
});
