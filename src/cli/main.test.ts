import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBSERVA_BIN, requireBuiltCli, runObserva } from '../test-support/cli.js';
import type { QueryResult } from '../domain/index.js';
import { sampleRows, writeCsv } from '../test-support/sesnsp-fixture.js';
import { DuckDbStore } from '../store/index.js';


let dir: string;
let store: string;

const observa = (...args: string[]) => runObserva(['--store', store, ...args]);

beforeAll(async () => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'observa-cli-'));
  store = join(dir, 'observa.duckdb');
  const loaded = await observa('load-bundled');
  expect(loaded.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('observa CLI', () => {
  it('--help lists the commands', async () => {
    const { stdout } = await observa('--help');
    for (const cmd of ['load-bundled', 'ingest', 'query', 'framework', 'indicators', 'releases', 'serve']) expect(stdout).toContain(cmd);
  });

  it('query --format json gives the national yearly totals with 2025 flagged partial', async () => {
    const { code, stdout } = await observa('query', 'mx.homicide.victims', '--geo', '00', '--period', '2015..2025', '--freq', 'year', '--format', 'json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as QueryResult;
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['indicator', 'unit', 'rows', 'sources']));
    expect(Object.keys(result.rows[0] ?? {})).toEqual(expect.arrayContaining(['geo', 'geo_name', 'period', 'value', 'numerator', 'denominator', 'flags', 'release_ids']));
    expect(result.rows.map((r) => r.value).slice(0, 10)).toEqual([18312, 23188, 29636, 34662, 35693, 35545, 34380, 31962, 30572, 30898]);
    expect(result.rows[10]).toMatchObject({ period: '2025', flags: ['partial-period'] });
  });

  it('load-bundled brings in the U.S. border files: fiscal, calendar and monthly queries; an AMO file is refused, nothing written', async () => {
    const fy = await observa('query', 'us.border.fentanyl_seized', '--geo', 'US-SWB', '--freq', 'fy', '--period', 'FY2019..FY2026', '--format', 'json');
    expect(fy.code).toBe(0);
    const rows = (JSON.parse(fy.stdout) as QueryResult).rows;
    expect(rows.map((r) => r.period)).toEqual(['FY2019', 'FY2020', 'FY2021', 'FY2022', 'FY2023', 'FY2024', 'FY2025', 'FY2026']);
    expect(rows.find((r) => r.period === 'FY2023')?.value?.toFixed(1)).toBe('26717.8');
    expect(rows.filter((r) => r.flags.includes('partial-period')).map((r) => r.period)).toEqual(['FY2026']);
    const bare = await observa('query', 'us.border.fentanyl_seized', '--geo', 'US-SWB', '--freq', 'fy', '--period', '2019..2026', '--format', 'json');
    expect((JSON.parse(bare.stdout) as QueryResult).rows).toEqual(rows);
    const months = JSON.parse((await observa('query', 'us.border.fentanyl_seized', '--geo', 'US-SWB', '--freq', 'month', '--period', '2025-10..2025-12', '--format', 'json')).stdout) as QueryResult;
    expect(months.rows.map((r) => r.period)).toEqual(['2025-10', '2025-11', '2025-12']);
    const years = JSON.parse((await observa('query', 'us.border.fentanyl_seized', '--geo', 'US-SWB', '--freq', 'year', '--period', '2024..2025', '--format', 'json')).stdout) as QueryResult;
    expect(years.rows.map((r) => [r.period, r.flags])).toEqual([['2024', []], ['2025', []]]);
    const encounters = JSON.parse((await observa('query', 'us.border.encounters', '--geo', 'US-SWB', '--freq', 'fy', '--period', 'FY2023', '--format', 'json')).stdout) as QueryResult;
    expect(encounters.rows[0]?.value).toBe(2475669);
    const before = (await observa('releases', '--format', 'json')).stdout;
    const amo = join(dir, 'amo-drug-seizures-fy23-fy26-dec.csv');
    writeFileSync(amo, 'FY,Month (abbv),Component,Region,Land Filter,Branch,Drug Type,Count of Event,Sum Qty (lbs)\n2026 (FYTD),DEC,Air and Marine Operations,Coastal/Interior,Other,Caribbean Air And Marine Branch,Cocaine,1,1702.83\n');
    const refused = await observa('ingest', 'cbp-drug-seizures', amo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('amo-drug-seizures-fy23-fy26-dec.csv, line 1, column "Area of Responsibility": found "Branch"; expected the nationwide (OFO + USBP) drug seizures file; this is the Air and Marine Operations file');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect((await observa('releases', '--format', 'json')).stdout).toBe(before);
  });

  it('load-bundled from an empty store brings the binational and assistance sources: IOM 2021 = 727, FY2022 obligations', async () => {
    const iom = JSON.parse((await observa('query', 'migrants.border.dead_missing', '--geo', 'US-MX', '--period', '2021', '--format', 'json')).stdout) as QueryResult;
    expect(iom.rows.map((r) => [r.period, r.value])).toEqual([['2021', 727]]);
    const aid = JSON.parse((await observa('query', 'us.assistance.mexico', '--geo', 'US', '--period', '2022', '--format', 'json')).stdout) as QueryResult;
    expect(aid.rows.map((r) => [r.period, r.value])).toEqual([['FY2022', 231_980_939]]);
    // Published by fiscal year: freq=fy reads the same observations (no monthly roll-up, no partial flag from months).
    const aidFy = JSON.parse((await observa('query', 'us.assistance.mexico', '--geo', 'US', '--freq', 'fy', '--period', 'FY2022', '--format', 'json')).stdout) as QueryResult;
    expect(aidFy.rows.map((r) => [r.period, r.value])).toEqual([['FY2022', 231_980_939]]);
    const releases = (await observa('releases', '--format', 'json')).stdout;
    for (const source of ['iom-missing-migrants', 'foreignassistance-country', 'inegi-envipe-perception', 'secondary-extraditions', 'secondary-wjp-rule-of-law', 'secondary-enpol-torture', 'secondary-guardia-nacional']) {
      expect(releases, source).toContain(`"${source}"`);
    }
  });

  it('query --format csv and table', async () => {
    const csv = await observa('query', 'mx.homicide.rate', '--geo', '09', '--period', '2024', '--format', 'csv');
    expect(csv.stdout.split('\n')[1]).toMatch(/^mx\.homicide\.rate,09,Mexico City,2024,10\.7/);
    const table = await observa('query', 'mx.homicide.rate', '--geo', '09', '--period', '2024', '--lang', 'es');
    expect(table.stdout).toContain('Ciudad de México');
    expect(table.stdout).toContain('9,204,018');
  });

  it('a bad file: exit code 2, file/line/column in the message, store unchanged', async () => {
    const before = (await observa('releases', '--format', 'json')).stdout;
    const rows = sampleRows();
    (rows[3] as string[])[12] = '-4';
    const bad = writeCsv(join(dir, 'bad.csv'), rows);
    const result = await observa('ingest', 'sesnsp-victims-state', bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('store is unchanged');
    expect(result.stderr).toMatch(/bad\.csv, line 5, column "Abril": found "-4"; expected a non-negative whole number/);
    expect((await observa('releases', '--format', 'json')).stdout).toBe(before);
  });

  it('--dry-run prints the revision summary and writes nothing', async () => {
    const before = (await observa('releases', '--format', 'json')).stdout;
    const file = writeCsv(join(dir, 'dry.csv'), sampleRows());
    const result = await observa('ingest', 'sesnsp-victims-state', file, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run: nothing written');
    expect(result.stdout).toMatch(/\d+ changed/);
    expect((await observa('releases', '--format', 'json')).stdout).toBe(before);
  });

  it('unknown source or indicator: a clear message and exit code 2', async () => {
    const source = await observa('ingest', 'inegi-nope', join(dir, 'x.csv'));
    expect(source.code).toBe(2);
    expect(source.stderr).toContain('known sources: sesnsp-victims-state');
    const indicator = await observa('query', 'mx.nope', '--geo', '00');
    expect(indicator.code).toBe(2);
    expect(indicator.stderr).toContain('unknown indicator');
  });

  it('while `observa serve` holds the store, other commands say which process holds it', async () => {
    const server = spawn('node', [OBSERVA_BIN, '--store', store, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1] as string);
        });
        server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      const res = await fetch(`${url}/api/v1/indicators/mx.homicide.victims/data?geo=00&period=2020`);
      expect(((await res.json()) as QueryResult).rows[0]?.value).toBe(35545);
      const busy = await observa('releases');
      expect(busy.code).toBe(3);
      expect(busy.stderr).toMatch(new RegExp(`in use by another process \\(PID ${server.pid}`));
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  });

  it('framework prints the tree with confidence and Mérida pillars', async () => {
    const es = (await observa('framework', '--lang', 'es')).stdout;
    expect(es).toContain('Proteger a nuestra gente  [meta; confirmado en la fuente oficial; Mérida P2+P4: continuidad]');
    expect(es).toMatch(/1\.3\.a .*\[objetivo conjunto; tomado de resúmenes/);
    const en = (await observa('framework', '--lang', 'en')).stdout;
    expect(en).toContain('Protect our people  [goal; confirmed in the official source; Mérida P2+P4: continuity]');
    expect(en).toContain('never published');
  });

  it('scorecard --format json covers every catalog node; report works end to end', async () => {
    const card = JSON.parse((await observa('scorecard', '--format', 'json', '--as-of', '2026-11-29')).stdout) as { nodes: { id: string }[]; gaps: { id: string; missing: string[] }[] };
    const tree = JSON.parse((await observa('framework', '--format', 'json')).stdout) as { nodes: { id: string }[] };
    expect(card.nodes.map((n) => n.id)).toEqual(tree.nodes.map((n) => n.id));
    expect(card.gaps.filter((g) => g.missing.includes('no-target')).length).toBeGreaterThan(0);

    const out = join(dir, 'report');
    const report = await observa('report', '--period', '2024', '--lang', 'es', '--out', out, '--no-pdf');
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('report.html');
    expect((await observa('report', '--period', '24', '--out', out)).stderr).toMatch(/--period expects a year/);
  });

  // Many CLI runs, each opening the store: a generous limit on a shared 2-core machine (the test waits for exits, not time).
  it('tokens with roles; evidence add → pending → review (self-approval refused, rejection kept with its reason)', { timeout: 600_000 }, async () => {
    const editor = (await observa('token', 'create', '--name', 'Ana (editor)', '--role', 'editor')).stdout.trim();
    const reviewer = (await observa('token', 'create', '--name', 'Bea (reviewer)', '--role', 'reviewer')).stdout.trim();
    expect(editor).toMatch(/^obs_[A-Za-z0-9_-]{43}$/);
    expect((await observa('token', 'list')).stdout).not.toContain(editor);
    expect((await observa('token', 'list')).stdout).toMatch(/Ana \(editor\)\s+editor/);

    const fields = (node: string, date: string) => ['--node', node, '--status', 'substantial', '--kind', 'government-claim', '--date', date, '--publisher', 'SSPC',
      '--title', 'Informe de laboratorios', '--source', 'https://example.org/labs', '--author', 'Observa desk'];
    const bad = await observa('evidence', 'add', ...fields('9.9.9', '2024-02-30'), '--note-en', 'x', '--token', editor);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/date.*calendar/s);
    const badNode = await observa('evidence', 'add', ...fields('9.9.9', '2024-02-29'), '--note-en', 'x', '--token', editor);
    expect(badNode.code).toBe(2);
    expect(badNode.stderr).toMatch(/node/);
    const noToken = await observa('evidence', 'add', ...fields('2.2.a.1', '2024-06-01'), '--note-en', 'x');
    expect(noToken.code).not.toBe(0);
    const ok = await observa('evidence', 'add', ...fields('2.2.a.1', '2024-06-01'), '--note-es', 'Se abrieron dos laboratorios de balística.', '--token', editor);
    expect(ok.code).toBe(0);
    const id = (JSON.parse(ok.stdout) as { id: number; review: { state: string } });
    expect(id.review.state).toBe('pending');
    // Pending: not in the public list, in the reviewer's queue.
    expect((await observa('evidence', 'list', '--format', 'json')).stdout).not.toContain('laboratorios de balística');
    expect((await observa('evidence', 'pending', '--format', 'json')).stdout).toContain('laboratorios de balística');
    const self = await observa('evidence', 'review', String(id.id), '--approve', '--token', editor);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/reviewer or admin/);
    const own = JSON.parse((await observa('evidence', 'add', ...fields('2.2.a', '2024-06-02'), '--note-en', 'Own entry.', '--token', reviewer)).stdout) as { id: number };
    const selfApproval = await observa('evidence', 'review', String(own.id), '--approve', '--token', reviewer);
    expect(selfApproval.code).toBe(2);
    expect(selfApproval.stderr).toMatch(/self-approval refused/);
    const approved = await observa('evidence', 'review', String(id.id), '--approve', '--token', reviewer);
    expect(approved.code).toBe(0);
    expect((await observa('evidence', 'list', '--format', 'json')).stdout).toContain('laboratorios de balística');
    // Only the reviewer's own entry still waits (for someone else).
    expect((JSON.parse((await observa('evidence', 'pending', '--format', 'json')).stdout) as { id: number }[]).map((e) => e.id)).toEqual([own.id]);

    const wrong = JSON.parse((await observa('evidence', 'add', ...fields('2.2.a.1', '2024-07-01'), '--note-en', 'A claim nobody made.', '--token', editor)).stdout) as { id: number };
    const noReason = await observa('evidence', 'review', String(wrong.id), '--reject', '--token', reviewer);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/reason/);
    expect((await observa('evidence', 'review', String(wrong.id), '--reject', '--reason', 'the source does not say so', '--token', reviewer)).code).toBe(0);
    expect((await observa('evidence', 'list', '--format', 'json')).stdout).not.toContain('A claim nobody made.');
    const ledger = await observa('evidence', 'list', '--all', '--format', 'json');
    expect(ledger.stdout).toContain('A claim nobody made.');
    expect(ledger.stdout).toContain('the source does not say so');
  });

  it('registry: org and user create, audit verify passes, then fails with exit 1 after one audit row is changed', async () => {
    const org = await observa('org', 'create', '--name', 'Colectivo de prueba');
    expect(org.code).toBe(0);
    const orgId = /org-\d+/.exec(org.stdout)?.[0] ?? '';
    expect(orgId).not.toBe('');
    const user = await observa('user', 'create', '--email', 'ana@colectivo.example', '--role', 'documenter', '--org', orgId);
    expect(user.code).toBe(0);
    const ok = await observa('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/intact: \d+ entries/);
    const db = await DuckDbStore.open(store);
    try {
      await db.write((tx) => tx.run(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1`));
    } finally {
      await db.close();
    }
    const broken = await observa('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(`${broken.stdout}${broken.stderr}`).toMatch(/seq(uence)? ?1|entry 1/i);
  });
});
