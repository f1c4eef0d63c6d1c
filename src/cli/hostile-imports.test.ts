import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runObserva } from '../test-support/cli.js';
import { sampleRows, sesnspRow, writeCsv } from '../test-support/sesnsp-fixture.js';

/**
 * Hostile files through the built CLI, as a user meets them: exit 2, one clear message naming the file (and the line
 * when there is one), no stack trace, nothing from outside the file echoed, and the store file byte-identical.
 */

let dir: string;
let store: string;

const observa = (...args: string[]) => runObserva(['--store', store, ...args]);
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'observa-cli-hostile-'));
  store = join(dir, 'observa.duckdb');
  const loaded = await observa('ingest', 'sesnsp-victims-state', writeCsv(join(dir, 'good.csv'), sampleRows()));
  expect(loaded.code).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusedByCli(args: string[]): Promise<string> {
  const before = digest(store);
  const result = await observa(...args);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^observa: rejected; the store is unchanged/);
  expect(result.stderr).not.toMatch(/\n\s+at |node:internal/);
  expect(digest(store)).toBe(before);
  return result.stderr;
}

describe('hostile files through the CLI', () => {
  it('a symbolic link to a system file: refused without echoing that file\'s first line', async () => {
    const link = join(dir, 'passwd.csv');
    symlinkSync('/etc/passwd', link);
    const firstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0] as string;
    const stderr = await refusedByCli(['ingest', 'sesnsp-victims-state', link]);
    expect(stderr).toContain('passwd.csv, line 1');
    expect(stderr).not.toContain(firstLine);
    expect(stderr).not.toContain(firstLine.split(':')[0] as string);
  });

  it('a named pipe (FIFO) is described as such, not as a directory', async () => {
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const stderr = await refusedByCli(['ingest', 'sesnsp-victims-state', fifo]);
    expect(stderr).toMatch(/a regular file; this is a named pipe \(FIFO\)/);
    expect(stderr).not.toMatch(/directory/);
    const assistance = await refusedByCli(['assistance', 'import', fifo]);
    expect(assistance).toMatch(/named pipe/);
  });

  it('a truncated gzip, a NUL byte, a line of 1,000,000 fields: exit 2 with the line or a whole-file reason', async () => {
    const rows = [sesnspRow({ year: 2019 }), sesnspRow({ year: 2018 })];
    const gz = gzipSync(Buffer.from(`${['Año', 'x'].join(',')}\n`));
    writeFileSync(join(dir, 'cut.csv.gz'), gz.subarray(0, gz.length - 6));
    expect(await refusedByCli(['ingest', 'sesnsp-victims-state', join(dir, 'cut.csv.gz')])).toMatch(/truncated or damaged/);
    const nul = writeCsv(join(dir, 'nul.csv'), [...rows, sesnspRow({ year: 2017, modality: 'Con \u0000otro elemento' })]);
    expect(await refusedByCli(['ingest', 'sesnsp-victims-state', nul])).toMatch(/nul\.csv, line 4, column "Modalidad"/);
    const wide = join(dir, 'wide.csv');
    writeFileSync(wide, `${readFileSync(nul, 'utf8').split('\n')[0]}\n${','.repeat(1_000_000)}\n`);
    expect(await refusedByCli(['ingest', 'sesnsp-victims-state', wide])).toMatch(/wide\.csv, line 2/);
  });

  it('while an import holds the store, the message names an import, not `observa serve`', async () => {
    // A process that holds the store with the command line of an import (the CLI's own imports finish too fast to meet).
    const holder = spawn('node', ['--input-type=module', '-e', `
      const { DuckDbStore } = await import(${JSON.stringify(new URL('../../dist/store/index.js', import.meta.url).pathname)});
      const s = await DuckDbStore.open(process.argv.at(-1));
      console.log('holding');
      setInterval(() => {}, 1000);`, 'ingest', 'sesnsp-victims-state', 'big.csv', store], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
        holder.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const busy = await observa('releases');
      expect(busy.code).toBe(3);
      expect(busy.stderr).toContain(`PID ${holder.pid}, an import`);
      expect(busy.stderr).not.toContain('observa serve');
    } finally {
      holder.kill('SIGTERM');
      await new Promise((r) => holder.once('exit', r));
    }
  });
});
