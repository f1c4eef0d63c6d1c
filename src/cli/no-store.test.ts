import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runObserva } from '../test-support/cli.js';


let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'observa-no-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function observa(...args: string[]) {
  const env = { ...process.env };
  delete env['OBSERVA_STORE'];
  return runObserva(args, { cwd: dir, env });
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
